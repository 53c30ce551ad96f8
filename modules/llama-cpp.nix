# Placeholder: filled in by the llama-cpp work of issue 5.
{ ... }:
{ }
