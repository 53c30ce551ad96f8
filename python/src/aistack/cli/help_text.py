"""Help text as a terminal shows it: docstrings without reStructuredText markup.

Command modules reuse their docstrings as ``--help`` descriptions; the roles
and literals that make them good Sphinx input (``:func:`x```, double
backquotes) are noise on a terminal.
"""

from __future__ import annotations

import argparse
import re

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def plain(text: str | None) -> str | None:
    """``text`` with reST roles and inline literals reduced to their content (pure)."""
    if text is None:
        return None
    return _LITERAL.sub(r"\1", _ROLE.sub(r"\1", text))


def plain_parser(parser: argparse.ArgumentParser) -> None:
    """Strip reST markup from a parser's texts and every sub-command's, in place."""
    parser.description = plain(parser.description)
    parser.epilog = plain(parser.epilog)
    for action in parser._actions:
        if action.help not in (None, argparse.SUPPRESS):
            action.help = plain(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = plain(choice.help)
            for sub in dict.fromkeys(action.choices.values()):
                plain_parser(sub)
