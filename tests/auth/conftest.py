"""The real auth service (Node, Better Auth, services/auth/) on the machine's Postgres.

`make test` installs its npm packages (`npm ci` in services/auth). Each test session gets databases
of its own, dropped at the end; the service listens on a free port on 127.0.0.1.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.auth.service import SERVICE, AuthService, Databases, service_env


@pytest.fixture(scope="session")
def databases() -> Iterator[Databases]:
    dbs = Databases()
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def node_service() -> Path:
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH; the auth service needs Node 20+")
    if not (SERVICE / "node_modules" / "better-auth").is_dir():
        pytest.fail("services/auth has no node_modules: `make test` installs them (npm ci in services/auth)")
    return SERVICE


@pytest.fixture(scope="session")
def auth_database(databases: Databases) -> str:
    return databases.create()


@pytest.fixture(scope="session")
def auth_service(node_service: Path, auth_database: str) -> Iterator[AuthService]:
    """The service on the pg driver, migrated, rate limiting off (tests sign in many times)."""
    service = AuthService(service_env(auth_database)).start()
    yield service
    service.stop()
