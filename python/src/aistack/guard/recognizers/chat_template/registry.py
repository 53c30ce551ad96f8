"""The chat_template recognizers, in one list (imported on first scan)."""

from __future__ import annotations

from aistack.guard.recognizers.chat_template import (
    bing_system_marker,
    fake_turn,
    heading_role,
    im_start,
    inst_marker,
    role_token,
    sys_marker,
    system_label,
    turn_marker,
    xml_role_tag,
)

RECOGNIZERS = (
    bing_system_marker.RECOGNIZER,
    fake_turn.RECOGNIZER,
    heading_role.RECOGNIZER,
    im_start.RECOGNIZER,
    inst_marker.RECOGNIZER,
    role_token.RECOGNIZER,
    sys_marker.RECOGNIZER,
    system_label.RECOGNIZER,
    turn_marker.RECOGNIZER,
    xml_role_tag.RECOGNIZER,
)
