"""The download progress line (pure) and when it is drawn."""

from __future__ import annotations

import io

from aistack.cli.progress import TerminalProgress, human_bytes, human_duration, progress_line
from aistack.models.fetch import expected_total


def test_progress_line_shows_bytes_percent_rate_and_eta() -> None:
    # 1.2 GB of 4.8 GB, 0.2 GB of it from an earlier run, 10 s of this run.
    line = progress_line(1_200_000_000, 4_800_000_000, 200_000_000, 10.0)
    assert line == "1.2 GB / 4.8 GB  25%  100.0 MB/s  ETA 36s"
    assert progress_line(500, None, 0, 1.0) == "500 B  500 B/s"
    assert "ETA" not in progress_line(10, 10, 0, 1.0)


def test_human_units() -> None:
    assert human_bytes(999) == "999 B" and human_bytes(1536) == "1.5 KB"
    assert human_duration(95) == "1m35s" and human_duration(3725) == "1h02m"


def test_expected_total_from_headers() -> None:
    assert expected_total({"Content-Range": "bytes 100-199/5000"}, 100) == 5000
    assert expected_total({"content-length": "400"}, 100) == 500
    assert expected_total({}, 0) is None


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_drawn_at_most_every_interval_and_only_on_a_terminal() -> None:
    now = [0.0]
    term = FakeTerminal(tty=True)
    progress = TerminalProgress(term, interval=1.0, clock=lambda: now[0])
    progress.on_total(1000, 0)
    for step in range(1, 11):
        now[0] = step * 0.25
        progress.on_progress(step * 100)
    progress.finish()
    frames = term.getvalue().split("\r\x1b[2K")[1:]
    # t=0.25 (first), 1.25, 2.25 and the last piece (done == total).
    assert len(frames) == 4
    assert frames[-1].startswith("1.0 KB / 1.0 KB  100%") and frames[-1].endswith("\n")

    piped = FakeTerminal(tty=False)
    quiet = TerminalProgress(piped, clock=lambda: now[0])
    quiet.on_total(1000, 0)
    quiet.on_progress(1000)
    quiet.finish()
    assert piped.getvalue() == ""
