"""docs/options.md is exactly what docs/options.nix renders from the options module."""

from __future__ import annotations

import re

from conftest import REPO_ROOT

OPTIONS_MD = REPO_ROOT / "docs" / "options.md"


def test_options_doc_has_not_drifted(nix_eval) -> None:
    """Any option added, removed or redescribed without regenerating fails here."""
    expected = nix_eval('import (repo + "/docs/options.nix") { inherit lib; }')
    assert OPTIONS_MD.read_text(encoding="utf-8") == expected, (
        "docs/options.md is stale: run python3 docs/generate_options.py"
    )


def test_options_doc_lists_the_derived_defaults(nix_eval) -> None:
    """Each derived option is documented with what it is derived from, not a value
    computed on the machine that generated the file."""
    text = OPTIONS_MD.read_text(encoding="utf-8")
    for name in (
        "tier",
        "model",
        "llamaCpp.threads",
        "llamaCpp.contextSize",
        "llamaCpp.gpuLayers",
        "monitoring.enable",
        "webui.enable",
        "services.knowledge.enable",
    ):
        section = text.split(f"## `services.aistack.{name}`", 1)[1].split("\n## ", 1)[0]
        assert re.search(r"\*Default:\* derived from `services\.aistack\.facts`", section), name


def test_drift_check_sees_a_changed_option(nix_eval, tmp_path) -> None:
    """The same rendering of a copy of the options module with one description
    changed differs from the committed file: the comparison can fail."""
    source = (REPO_ROOT / "modules" / "options.nix").read_text(encoding="utf-8")
    changed = source.replace("Hardware tier of this host.", "Hardware class of this host.")
    assert changed != source
    copy = tmp_path / "options.nix"
    copy.write_text(changed.replace("../lib", str(REPO_ROOT / "lib")), encoding="utf-8")
    rendered = nix_eval(
        f"""
        let
          eval = lib.evalModules {{ modules = [ {copy} ]; }};
          docs = lib.optionAttrSetToDocList eval.options;
        in (lib.findFirst (o: o.name == "services.aistack.tier") null docs).description
        """
    )
    assert rendered.startswith("Hardware class")
    assert "Hardware class" not in OPTIONS_MD.read_text(encoding="utf-8")
