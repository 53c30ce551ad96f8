# Placeholder: filled in by the apparmor work of issue 5.
{ ... }:
{ }
