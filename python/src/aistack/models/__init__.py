"""Model files: a bounded GGUF reader, safety checks and provenance records.

- :mod:`aistack.models.gguf_reader` parses untrusted GGUF headers without
  trusting any count or length in them.
- :mod:`aistack.models.safety` flags smuggled pickles/bytecode, checks sha256
  and source repo; :func:`~aistack.models.safety.verify_model` is the one call.
- :mod:`aistack.models.provenance` keeps ``provenance.json`` (atomic writes).

Nothing here imports third-party packages.
"""
