# Placeholder: filled in by the firewall work of issue 5.
{ ... }:
{ }
