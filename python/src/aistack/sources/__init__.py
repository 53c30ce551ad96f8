"""Knowledge sources: read ``knowledge-sources.yaml``, fetch each source (local
directory, URLs through the SSRF guard, a shallow git clone) and hand the
documents to the knowledge service's ``POST /documents``."""
