# mkDefaultDeep: a value for a module option with every leaf at mkDefault
# priority, so a host's plain assignment replaces exactly that leaf (a list as
# a whole) and never needs mkForce. A derivation, an already prioritised or
# conditional value, and a tagged union (an attrset with `kind` or `mode`:
# an endpoint, a vector store) are single leaves: a host's value replaces
# them whole, never a mix of two variants.
{ lib }:
let
  isLeaf =
    value:
    !(builtins.isAttrs value)
    || value ? _type
    || lib.isDerivation value
    || value ? kind
    || value ? mode;
  mkDefaultDeep = value: if isLeaf value then lib.mkDefault value else lib.mapAttrs (_: mkDefaultDeep) value;
in
mkDefaultDeep
