"""The relational state store: SQLite (WAL) by default, PostgreSQL by option.

One async interface (:class:`StateStore`) over both; each component (the
knowledge base, the coordinator, ...) brings its own versioned migrations,
which :func:`open_state_store` applies at start. SQL is written once with
``?`` placeholders and portable types; a migration may give PostgreSQL its
own statements where the dialects differ.
"""

from aistack.statestore.base import Row, StateStore, StateStoreError, Transaction
from aistack.statestore.migrations import Migration, apply_migrations
from aistack.statestore.open import open_state_store

__all__ = [
    "Migration",
    "Row",
    "StateStore",
    "StateStoreError",
    "Transaction",
    "apply_migrations",
    "open_state_store",
]
