"""uvicorn's log lines become stable event names in the JSON log."""

from __future__ import annotations

import io
import json
import logging

from aistack.common.events import configure_json_logging, log_event
from aistack.common.uvicorn_events import uvicorn_event


def test_known_uvicorn_lines_have_stable_names() -> None:
    assert uvicorn_event("Started server process [4242]") == ("server_started", {"pid": "4242"})
    assert uvicorn_event("Application startup complete.") == ("app_startup_complete", {})
    assert uvicorn_event("Uvicorn running on unix socket /run/a.sock (Press CTRL+C to quit)")[
        0
    ] == ("server_listening")
    assert uvicorn_event("Received SIGTERM, exiting.") == (
        "server_signal_received",
        {"signal": "SIGTERM"},
    )
    assert uvicorn_event("something new in a later uvicorn") == ("uvicorn_log", {})


def test_the_json_handler_names_uvicorn_records_and_leaves_others() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_json_logging("info", stream)
        logging.getLogger("uvicorn.error").info("Finished server process [%d]", 7)
        log_event(logging.getLogger("aistack.test"), "thing_done", n=1)
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
    uvicorn_line, ours = (json.loads(line) for line in stream.getvalue().splitlines())
    assert uvicorn_line["event"] == "server_finished" and uvicorn_line["pid"] == "7"
    assert uvicorn_line["message"] == "Finished server process [7]"
    assert ours["event"] == "thing_done" and ours["n"] == 1
