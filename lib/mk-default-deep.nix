# mkDefaultDeep: a value for a module option with every leaf at mkDefault
# priority, so a host's plain assignment replaces exactly that leaf (a list as
# a whole) and never needs mkForce. A derivation, an already prioritised or
# conditional value, and an endpoint (an attrset with `kind`: unix or tcp)
# are single leaves: a host's endpoint replaces the default whole, never a
# mix of a socket path and a port.
{ lib }:
let
  isLeaf =
    value:
    !(builtins.isAttrs value)
    || value ? _type
    || lib.isDerivation value
    || value ? kind;
  mkDefaultDeep = value: if isLeaf value then lib.mkDefault value else lib.mapAttrs (_: mkDefaultDeep) value;
in
mkDefaultDeep
