"""Tamper-evident audit log of tool calls.

Services never write the log file themselves. Each tool call becomes an
:class:`~aistack.audit.record.AuditRecord`, which the service sends with
:class:`~aistack.audit.client.AuditClient` over a Unix socket to one writer
process (:mod:`aistack.audit.writer`, ``aistack serve audit``). The writer
validates it, appends it as a JSON line that carries the hash of the line
before (:mod:`aistack.audit.chain`), fsyncs, and only then acknowledges.
``aistack audit verify FILE`` (:mod:`aistack.audit.verify`) names the first line
that was edited, deleted, inserted or moved.

Importing this package imports none of its modules.
"""
