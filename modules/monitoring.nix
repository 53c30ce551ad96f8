# Placeholder: filled in by the monitoring work of issue 5.
{ ... }:
{ }
