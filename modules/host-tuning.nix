# Placeholder: filled in by the host-tuning work of issue 5.
{ ... }:
{ }
