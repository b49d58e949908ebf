"""The chat tests use the session-log databases of tests/db: SQLite in a temp dir and Postgres."""

from tests.db.conftest import database_url, postgres_db  # noqa: F401
