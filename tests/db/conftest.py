"""Databases for the session-log tests: SQLite in a temp dir and a throwaway Postgres database.

The machine's PostgreSQL (127.0.0.1:5432, database `test`) must be up: when it is not, these
tests fail, they never skip.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL


def _admin_dsn() -> str:
    return POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")


def admin_sql(sql: str) -> None:
    """Run one statement (CREATE / DROP DATABASE) on the machine's Postgres."""
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(_admin_dsn(), timeout=10)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def postgres_db() -> str:
    """A fresh database on the machine's Postgres for this test session; dropped at the end."""
    name = f"bookctl_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin_sql(f'CREATE DATABASE "{name}"')
    except OSError as exc:  # unreachable: fail loudly, CI must have Postgres
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is unreachable ({exc}); the session-log tests need it")
    base = _admin_dsn().rsplit("/", 1)[0]
    yield f"{base}/{name}"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'log.db'}"
    return request.getfixturevalue("postgres_db")
