"""A sentence addressing the AI by name, then an order ("Assistant: ignore ...")."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ai_vocative",
    category="indirect",
    weight=0.6,
    # Sentence start: fixed-width lookbehinds so the match starts at the word.
    pattern=(
        r"(?:^|(?<=[.!?:;\n\-(\[])|(?<=[.!?:;\n\-(\[][ \t])|(?<=[.!?:;\n\-(\[][ \t][ \t]))"
        r"(?:p\.?s\.?~)?(?:to~the~|dear~|hey~)?(?:ai|llm|assistant|"
        r"chatbot|bot|support~bot|model|gpt|chatgpt|claude|copilot|gemini|agent)s?~[,:]~"
        r"(?:please~)?(?:stop|ignore|forget|disregard|now|you~(?:must|should|will|are|have)|do~not|"
        r"don'?t|from~now~on|instead|reply|respond|say|print|write|output|tell|reveal|send)"
    ),
    needles=(
        "ai",
        "llm",
        "assistant",
        "bot",
        "model",
        "gpt",
        "claude",
        "copilot",
        "gemini",
        "agent",
    ),
)
