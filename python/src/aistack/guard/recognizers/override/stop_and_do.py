"""Stop what you are doing (the summary, the translation) and do something else."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="stop_and_do",
    category="override",
    weight=0.6,
    pattern=(
        r"(?:stop|cease|halt|abort|quit)~(?:what~you~are~doing|(?:your|the|all)~(?:current|"
        r"previous)?~(?:task|summar\w*|translation|analysis|work))~(?:and|\.|,|;)~(?:instead~)?"
        r"(?:say|respond|reply|answer|output|print|write|tell|do|follow|execute|run|send)"
    ),
    needles=("stop", "cease", "halt", "abort", "quit"),
)
