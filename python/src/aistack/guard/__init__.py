"""Guards for untrusted text, outbound requests and tool calls.

One small module per guard; importing this package imports none of them, so
``import aistack.guard`` stays cheap (no FastAPI, Redis, httpx or pydantic):

- :mod:`aistack.guard.sanitize` -- strip control, bidi and zero-width characters; NFKC.
- :mod:`aistack.guard.injection` -- prompt-injection scanner for text placed in a prompt.
- :mod:`aistack.guard.secrets` -- find and redact secrets as ``[REDACTED:<kind>]``, in
  layers: the project's rules (``secrets_rules``), the optional betterleaks engine
  (``secrets_engine``), one placeholder filter (``secrets_placeholder``), one merge
  (``secrets_merge``).
- :mod:`aistack.guard.ssrf` -- refuse outbound requests to internal addresses.
- :mod:`aistack.guard.ratelimit` -- per-key, per-tool rate limits in Redis.
- :mod:`aistack.guard.risk` -- tool risk tiers and the high-risk acknowledgement.
- :mod:`aistack.guard.identity` -- keyed hash of an API key (the caller identity).
- :mod:`aistack.guard.deps` -- FastAPI dependencies: rate limit and risk acknowledgement.

The audit log (records, writer, verification) is :mod:`aistack.audit`.
"""
