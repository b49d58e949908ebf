"""The reliability tests use the session-log databases of tests/db (this run's own Postgres database)."""

from tests.db.conftest import postgres_db  # noqa: F401
