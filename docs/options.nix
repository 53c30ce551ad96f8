# docs/options.md as a string: every services.aistack option of the options
# module (lib.evalModules + lib.optionAttrSetToDocList; no pkgs needed).
# `python3 docs/generate_options.py` writes the file and a test fails when
# the committed one differs. On a connected machine the flake's `options-doc`
# check also renders the whole NixOS module with nixpkgs' nixosOptionsDoc.
{ lib }:
let
  eval = lib.evalModules { modules = [ ../modules/options.nix ]; };
  root = toString ../. + "/";

  shown = o: o.visible != false && !o.internal && lib.hasPrefix "services.aistack." o.name;
  docs = lib.filter shown (lib.optionAttrSetToDocList eval.options);

  code = text: if lib.hasInfix "\n" text then "\n\n```nix\n${lib.removeSuffix "\n" text}\n```" else " `${text}`";
  value =
    v:
    if v._type or null == "literalMD" then
      " ${v.text}"
    else if v._type or null == "literalExpression" then
      code v.text
    else
      code (lib.generators.toPretty { } v);

  entry =
    o:
    lib.concatStringsSep "\n\n" (
      [
        "## `${o.name}`"
        (lib.removeSuffix "\n" o.description)
        "*Type:* ${o.type}"
      ]
      ++ lib.optional (o ? default) "*Default:*${value o.default}"
      ++ lib.optional (o ? example) "*Example:*${value o.example}"
      ++ lib.optional o.readOnly "*Read only.*"
      ++ [
        "*Declared in:* ${lib.concatMapStringsSep ", " (d: "`${lib.removePrefix root (toString d)}`") o.declarations}"
      ]
    );
in
''
  # services.aistack options

  Generated from `modules/options.nix` by `python3 docs/generate_options.py`
  (do not edit; a test fails when this file and the options differ). Values
  marked "derived from `services.aistack.facts`" are computed for each host;
  `nix eval .#nixosConfigurations.HOST.config.services.aistack.plan` shows them.

  ${lib.concatMapStringsSep "\n\n" entry docs}
''
