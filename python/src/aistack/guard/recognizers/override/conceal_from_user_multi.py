"""Do not tell the user (Spanish, French, German)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="conceal_from_user_multi",
    category="override",
    weight=0.55,
    pattern=(
        r"(?:no~(?:le~)?(?:digas|cuentes|menciones|informes)~(?:nada~)?(?:al|a~los)~usuario|"
        r"ne~(?:dis|dites)~(?:rien~)?(?:pas~)?a~l'?utilisateur|"
        r"(?:teile|sage|sag|erzahle?)~(?:[^\W_]+[\W_]{1,4})?(?:dem|den)~(?:nutzer|benutzer|anwender)\w*~"
        r"(?:[^\W_]+[\W_]{1,4})?nicht|non~dire~(?:nulla~)?all'?utente|nao~(?:diga|conte)~(?:nada~)?ao~usuario)"
    ),
    needles=("no", "ne", "teile", "sage", "sag", "erzahl", "non", "nao"),
    anchors=("usuario", "utilisateur", "nutzer", "benutzer", "anwender", "utente"),
    reach=NEAR_REACH,
)
