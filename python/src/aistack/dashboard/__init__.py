"""The dashboard service: health probes of every unit, AI internals, one local page."""
