"""Where a service keeps its relational state (gaps, feedback links, ledgers, interactions).

SQLite (WAL) on one machine; PostgreSQL when several hosts share one store.
Secrets are file paths only (systemd ``LoadCredential=``), never values.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from aistack.config.common import StrictModel


class SqliteStateStore(StrictModel):
    """A SQLite database file in WAL mode; the default."""

    kind: Literal["sqlite"]
    path: str = Field(pattern=r"^/")


class PostgresStateStore(StrictModel):
    """A PostgreSQL database (``services.postgresql``), reached with psycopg 3.

    Either ``dsn_file`` (a file holding a libpq connection string) or
    ``host``/``dbname``/``user``; ``host`` may be a Unix socket directory.
    The password, when one is needed, comes from ``password_file``.
    """

    kind: Literal["postgresql"]
    dsn_file: str | None = Field(default=None, pattern=r"^/")
    host: str | None = Field(default=None, min_length=1)
    port: int | None = Field(default=None, ge=1, le=65535)
    dbname: str | None = Field(default=None, min_length=1)
    user: str | None = Field(default=None, min_length=1)
    password_file: str | None = Field(default=None, pattern=r"^/")
    connect_timeout_s: int = Field(default=5, ge=1, le=300)

    @model_validator(mode="after")
    def _one_way_to_connect(self) -> PostgresStateStore:
        parts = (self.host, self.dbname, self.user)
        if self.dsn_file is None and not all(parts):
            raise ValueError("give dsn_file, or host, dbname and user")
        if self.dsn_file is not None and any(p is not None for p in (*parts, self.port)):
            raise ValueError("dsn_file and host/port/dbname/user are exclusive; give one")
        return self


StateStoreConfig = Annotated[SqliteStateStore | PostgresStateStore, Field(discriminator="kind")]
