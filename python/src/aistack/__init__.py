"""nixos-ai-stack services and tooling.

One package, one sub-package per service (``coordinator``, ``embeddings``,
``knowledge``), the shared JSON contract (``config``), and the command line
(``cli``).
"""

__version__ = "0.1.0"
