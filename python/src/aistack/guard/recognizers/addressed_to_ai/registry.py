"""The addressed_to_ai recognizers, in one list (imported on first scan)."""

from __future__ import annotations

from aistack.guard.recognizers.addressed_to_ai import (
    ai_address,
    ai_address_multi,
    ai_reading_this,
    ai_subject_directive,
    ai_vocative,
    every_answer_append,
    if_you_are_ai,
    not_for_the_human,
    note_to_ai,
    note_to_ai_romance,
    note_to_ai_zh,
    regardless_of_user,
    reply_must_begin,
    respond_only_with,
    summarizer_directive,
    vocative_when_you,
)

RECOGNIZERS = (
    ai_address.RECOGNIZER,
    ai_address_multi.RECOGNIZER,
    ai_reading_this.RECOGNIZER,
    ai_subject_directive.RECOGNIZER,
    ai_vocative.RECOGNIZER,
    every_answer_append.RECOGNIZER,
    if_you_are_ai.RECOGNIZER,
    not_for_the_human.RECOGNIZER,
    note_to_ai.RECOGNIZER,
    note_to_ai_romance.RECOGNIZER,
    note_to_ai_zh.RECOGNIZER,
    regardless_of_user.RECOGNIZER,
    reply_must_begin.RECOGNIZER,
    respond_only_with.RECOGNIZER,
    summarizer_directive.RECOGNIZER,
    vocative_when_you.RECOGNIZER,
)
