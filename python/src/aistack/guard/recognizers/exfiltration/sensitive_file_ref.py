"""Paths of credential files: ~/.ssh, id_rsa, /etc/shadow, .aws/credentials."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="sensitive_file_ref",
    category="exfiltration",
    weight=0.3,
    pattern=(
        r"(?:~/\.ssh|\bid_rsa|\bid_ed25519|/etc/shadow|\.aws/credentials|\.npmrc|\.netrc|"
        r"\.git-credentials)"
    ),
    needles=("ssh", "id_", "shadow", "aws", "npmrc", "netrc", "credentials"),
    latin=False,
    anchors=(
        "id_rsa",
        "id_ed25519",
        "shadow",
        "npmrc",
        "netrc",
        "aws",
        "git-credentials",
    ),
    reach=NEAR_REACH,
)
