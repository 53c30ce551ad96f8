"""Check a whole audit log and name the first line that breaks the chain."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aistack.audit.chain import GENESIS_HASH, ChainError, check_link, parse_line

# Longest line accepted when verifying: the writer's largest record (1 MiB)
# plus the chain fields, with room to spare. Longer is reported, not read whole.
MAX_VERIFY_LINE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class VerifyResult:
    """``ok`` with the record count and head hash, or the first bad line and why."""

    ok: bool
    records: int
    head: str
    bad_line: int | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form, as ``aistack audit verify`` prints it."""
        out: dict[str, object] = {"ok": self.ok, "records": self.records, "head": self.head}
        if not self.ok:
            out |= {"line": self.bad_line, "reason": self.reason}
        return out


def verify_file(path: str | Path, max_line_bytes: int = MAX_VERIFY_LINE_BYTES) -> VerifyResult:
    """Verify every line of the log at ``path`` in one streaming pass.

    Raises ``OSError`` when the file cannot be opened (a usage problem, not
    tampering). An empty file is a valid, empty chain.
    """
    expected_prev, count = GENESIS_HASH, 0
    with open(path, "rb") as f:
        lineno = 0
        while True:
            raw = f.readline(max_line_bytes + 1)
            if not raw:
                return VerifyResult(ok=True, records=count, head=expected_prev)
            lineno += 1

            reason: str | None = None
            if not raw.endswith(b"\n"):
                if len(raw) > max_line_bytes:
                    reason = f"line longer than {max_line_bytes} bytes"
                else:
                    reason = "incomplete last line (no newline: a torn write never acknowledged)"
            else:
                try:
                    entry = parse_line(raw[:-1])
                    check_link(entry, count + 1, expected_prev)
                except ChainError as exc:
                    reason = str(exc)
            if reason is not None:
                return VerifyResult(
                    ok=False, records=count, head=expected_prev, bad_line=lineno, reason=reason
                )
            expected_prev, count = entry.hash, count + 1
