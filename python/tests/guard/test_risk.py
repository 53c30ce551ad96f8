"""Tool risk tiers from names, overrides, and the high-risk acknowledgement."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from aistack.guard.risk import (
    HIGH_KEYWORDS,
    LOW_KEYWORDS,
    MEDIUM_KEYWORDS,
    REASON_RISK_ACK_INVALID,
    REASON_RISK_ACK_REQUIRED,
    RISK_ACK_VALUE,
    RiskSettings,
    classify_tool,
    risk_ack_refusal,
    tool_name_parts,
)

REQUIRED_HIGH = [
    "shell",
    "exec",
    "run",
    "write",
    "delete",
    "deploy",
    "patch",
    "overwrite",
    "truncate",
    "drop",
    "migrate",
    "format",
    "reload",
    "restart",
]


def test_every_keyword_the_issue_names_is_high() -> None:
    assert set(REQUIRED_HIGH) <= HIGH_KEYWORDS
    # The three tiers do not overlap, so a word has one meaning.
    assert not (HIGH_KEYWORDS & MEDIUM_KEYWORDS)
    assert not (HIGH_KEYWORDS & LOW_KEYWORDS)
    assert not (MEDIUM_KEYWORDS & LOW_KEYWORDS)


@pytest.mark.parametrize(
    "name",
    [
        "run_shell_command",
        "deleteFile",
        "db-migrate",
        "ExecScript",
        "service.reload",
        "restartService",
        "write_file",
        "overwrite-config",
        "truncateTable",
        "drop_index",
        "format_disk",
        "deploy",
        "patchFile",
        "RUN",
        "git_push_and_deploy",
        "deletes_row",
        "kubectlExec",
        "HTTPDelete",
    ],
)
def test_high_risk_names(name: str) -> None:
    assert classify_tool(name) == "high"


@pytest.mark.parametrize(
    "name",
    ["create_issue", "sendEmail", "http-post", "upload_file", "fetch_url", "updateRecord"],
)
def test_medium_risk_names(name: str) -> None:
    assert classify_tool(name) == "medium"


@pytest.mark.parametrize(
    "name",
    [
        "read_file",
        "get_weather",
        "list-documents",
        "searchKnowledgeBase",
        "query_db",
        # Documented decisions: derived words are not the verb.
        "formatter_info",
        "truncated_search",
        "deleted_items_list",
        "running_jobs_list",
    ],
)
def test_low_risk_names(name: str) -> None:
    assert classify_tool(name) == "low"


def test_highest_tier_of_any_part_wins() -> None:
    assert classify_tool("get_and_delete") == "high"
    assert classify_tool("list_then_send") == "medium"
    assert classify_tool("fetchAndRun") == "high"


def test_unknown_names_take_the_configured_tier() -> None:
    assert classify_tool("frobnicate") == "medium"
    assert classify_tool("frobnicate", RiskSettings(unknown_tier="high")) == "high"
    assert classify_tool("", RiskSettings(unknown_tier="low")) == "low"


def test_override_beats_keywords() -> None:
    settings = RiskSettings(overrides={"run_report": "low", "lookup_user": "high"})
    assert classify_tool("run_report", settings) == "low"
    assert classify_tool("lookup_user", settings) == "high"
    # Overrides are exact names, not keywords.
    assert classify_tool("run_report_v2", settings) == "high"


def test_settings_reject_unknown_fields_and_tiers() -> None:
    with pytest.raises(ValidationError):
        RiskSettings(overides={})  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        RiskSettings(overrides={"x": "critical"})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("run_shell_command", ["run", "shell", "command"]),
        ("deleteFile", ["delete", "file"]),
        ("db-migrate", ["db", "migrate"]),
        ("HTTPFetch", ["http", "fetch"]),
        ("getURLContents2", ["get", "url", "contents", "2"]),
        ("svc.reload now", ["svc", "reload", "now"]),
    ],
)
def test_name_parts(name: str, parts: list[str]) -> None:
    assert tool_name_parts(name) == parts


_words = st.lists(
    st.sampled_from([*sorted(HIGH_KEYWORDS | MEDIUM_KEYWORDS | LOW_KEYWORDS), "file", "db", "x"]),
    min_size=1,
    max_size=4,
)


@given(_words)
def test_case_style_does_not_change_the_tier(words: list[str]) -> None:
    snake = "_".join(words)
    kebab = "-".join(words)
    camel = words[0] + "".join(w.capitalize() for w in words[1:])
    pascal = "".join(w.capitalize() for w in words)
    tiers = {classify_tool(n) for n in (snake, kebab, camel, pascal, snake.upper())}
    assert len(tiers) == 1, (words, tiers)


def test_risk_ack() -> None:
    assert risk_ack_refusal("high", None) == REASON_RISK_ACK_REQUIRED
    assert risk_ack_refusal("high", "") == REASON_RISK_ACK_REQUIRED
    assert risk_ack_refusal("high", "yes") == REASON_RISK_ACK_INVALID
    assert risk_ack_refusal("high", RISK_ACK_VALUE.lower()) == REASON_RISK_ACK_INVALID
    assert risk_ack_refusal("high", RISK_ACK_VALUE) is None
    assert risk_ack_refusal("medium", None) is None
    assert risk_ack_refusal("low", "nonsense") is None
