"""Ignore previous instructions (French)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_fr",
    category="override",
    weight=0.88,
    pattern=(
        r"(?:ignore[rsz]?|oublie[rsz]?|neglige[rz]?|ne~(?:tiens|tenez|tenir)~(?:pas|plus)~compte|"
        r"fai(?:s|tes)~abstraction|ecarte[rz]?|passe[rz]?~outre|ne~(?:suis|suivez)~(?:pas|plus)|"
        r"desobei[sr]|desobeissez|annule[rz]?)~(?:(?:de|des|du|d'|a|aux|toutes|tous|toute|tout|"
        r"les|la|le|l'|vos|tes|ton|votre|ta|ces|ce|precedentes?|precedents?|anterieures?|"
        r"initiales?|ci-dessus|dessus)~){1,5}(?:instructions?|consignes?|directives?|regles?|"
        r"ordres|commandes|indications|prompts?|politiques?|ce~qui~(?:precede|a~ete~dit)|"
        r"(?:ce~)?qu'on~t'a~dit)"
    ),
    needles=(
        (
            "ignor",
            "oubli",
            "neglig",
            "compte",
            "abstraction",
            "ecart",
            "outre",
            "suis",
            "desob",
            "annul",
        )
    ),
)
