"""From now on / henceforth you will act, respond or behave differently."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="from_now_on",
    category="role",
    weight=0.45,
    pattern=(
        r"(?:from~now~on|from~this~(?:point|moment)~(?:on|forward)|henceforth|starting~now|"
        r"for~the~rest~of~(?:this|the)~conversation)~,?~"
        r"(?:you~(?:are|will|must|shall|should|have to|"
        r"'re|re|can|may)|act|respond|reply|answer|behave|pretend|speak|talk|ignore|only|always|never)"
    ),
    needles=("now", "henceforth", "point", "moment", "rest of"),
)
