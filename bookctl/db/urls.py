"""Database URLs as users paste them, turned into what SQLAlchemy + asyncpg accept.

- no URL: SQLite in the data dir (`sqlite+aiosqlite:///<data dir>/sessions.db`)
- `postgres://` / `postgresql://` (Neon's console form too) -> `postgresql+asyncpg://`
- `sslmode=require|verify-ca|verify-full` -> TLS required (asyncpg rejects `sslmode` as a keyword)
- `channel_binding=require` -> asyncpg cannot enforce it: we say so once and still require TLS
- a `-pooler` host (Neon) or `pgbouncer=true` -> PgBouncer in transaction mode: no prepared-statement
  cache, unique statement names
"""

from __future__ import annotations

import ssl
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bookctl.config import redact_url
from bookctl.errors import ConfigError

CONNECT_TIMEOUT_S = 10


@dataclass
class DatabaseTarget:
    url: str  # what SQLAlchemy gets
    dialect: str  # "sqlite" or "postgresql"
    connect_args: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # said once to the user (e.g. channel binding)
    pooled: bool = False

    @property
    def shown(self) -> str:
        return redact_url(self.url)


def resolve_database_url(raw: str | None, data_dir: Path) -> DatabaseTarget:
    if not raw:
        path = (data_dir / "sessions.db").resolve()
        return DatabaseTarget(f"sqlite+aiosqlite:///{path}", "sqlite")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme in {"sqlite", "sqlite+aiosqlite"}:
        return DatabaseTarget("sqlite+aiosqlite:" + raw.split(":", 1)[1], "sqlite")
    if scheme not in {
        "postgres",
        "postgresql",
        "postgresql+asyncpg",
        "postgresql+psycopg",
        "postgresql+psycopg2",
    }:
        raise ConfigError(
            f"unsupported database URL scheme {parts.scheme!r} in {redact_url(raw)}",
            fix="use postgresql://... or sqlite:///path (BOOKCTL_DATABASE_URL / DATABASE_URL)",
        )
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    connect_args: dict[str, Any] = {"timeout": CONNECT_TIMEOUT_S}
    notes: list[str] = []
    sslmode = query.pop("sslmode", None)
    channel_binding = query.pop("channel_binding", None)
    pgbouncer = query.pop("pgbouncer", "").lower() in {"1", "true", "yes"}
    query.pop("connect_timeout", None)
    if sslmode in {"require", "prefer", "allow"}:
        connect_args["ssl"] = "require" if sslmode == "require" else sslmode
    elif sslmode in {"verify-ca", "verify-full"}:
        context = ssl.create_default_context()
        context.check_hostname = sslmode == "verify-full"
        connect_args["ssl"] = context
    elif sslmode == "disable":
        connect_args["ssl"] = False
    elif sslmode is not None:
        raise ConfigError(
            f"unknown sslmode {sslmode!r} in the database URL",
            fix="use require, verify-ca, verify-full or disable",
        )
    if channel_binding == "require":
        notes.append(
            "channel_binding=require cannot be enforced by the asyncpg driver; TLS is required instead"
        )
        connect_args.setdefault("ssl", "require")
    host = parts.hostname or ""
    pooled = pgbouncer or "-pooler" in host
    if pooled:
        connect_args["statement_cache_size"] = 0
        connect_args["prepared_statement_cache_size"] = 0
        connect_args["prepared_statement_name_func"] = lambda: f"__bookctl_{uuid.uuid4().hex}__"
    url = urlunsplit(("postgresql+asyncpg", parts.netloc, parts.path, urlencode(query), parts.fragment))
    return DatabaseTarget(url, "postgresql", connect_args, notes, pooled)
