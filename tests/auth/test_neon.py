"""The auth service on Neon's serverless driver: its WebSocket Pool reaches the machine's Postgres
through a WebSocket-to-TCP proxy on 127.0.0.1 (tests/auth/wsproxy.py), as it reaches Neon through
Neon's proxy. Better Auth migrates, signs readers up and issues JWTs over it.

The driver's HTTP `neon()` query function needs Neon's own SQL-over-HTTP endpoint; the service does
not use it (Better Auth needs a Pool for transactions), so nothing here stands in for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from tests.auth.service import AuthService, Databases, http, service_env, sign_in, sign_up, sql
from tests.auth.test_service import BETTER_AUTH_TABLES, verify
from tests.auth.wsproxy import WebSocketTcpProxy

# what the probe measured for a local Postgres with trust auth
NEON_LOCAL = {"NEON_USE_SECURE_WEBSOCKET": "0", "NEON_PIPELINE_CONNECT": "0"}


@pytest.fixture
def ws_proxy() -> Iterator[WebSocketTcpProxy]:
    proxy = WebSocketTcpProxy(("127.0.0.1", 5432)).start()
    yield proxy
    proxy.close()


def test_better_auth_over_the_neon_driver_in_a_schema_of_its_own(
    node_service: Path, databases: Databases, auth_database: str, ws_proxy: WebSocketTcpProxy
) -> None:
    url = databases.schema(auth_database)
    schema = url.rsplit("%3D", 1)[1]
    env = service_env(url, DATABASE_DRIVER="neon", NEON_WS_PROXY=ws_proxy.ws_proxy, **NEON_LOCAL)
    service = AuthService(env).start()
    try:
        assert any("migrated (created auth_user" in line for line in service.output)
        tables = sql(
            f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}'", auth_database
        )
        assert {str(t["table_name"]) for t in tables} == BETTER_AUTH_TABLES
        reader = sign_up(service, name="Grace Hopper")
        assert sign_in(service, reader.email, reader.password).status_code == 200
        claims = verify(reader.jwt(service), service)
        assert claims["sub"] == reader.id and claims["name"] == "Grace Hopper"
        # every query went through the WebSocket proxy, to the address in the URL
        assert ws_proxy.requested and set(ws_proxy.requested) == {"127.0.0.1:5432"}
        assert set(ws_proxy.paths) == {"/v2"}
        users = sql(f'SELECT email FROM "{schema}".auth_user', auth_database)
        assert [u["email"] for u in users] == [reader.email]

        # the database goes away: clear errors, no crash; it comes back: so does the service
        ws_proxy.stop()
        health = http.get(f"{service.url}/healthz")
        assert health.status_code == 503 and health.json()["database"].startswith("unreachable")
        down = sign_in(service, reader.email, reader.password)
        assert down.status_code >= 500 and service.alive()
        assert "    at " not in down.text
        ws_proxy.resume()
        assert http.get(f"{service.url}/healthz").status_code == 200
        assert sign_in(service, reader.email, reader.password).status_code == 200
        assert verify(reader.jwt(service), service)["sub"] == reader.id
    finally:
        service.stop()


def test_a_neon_console_url_pasted_verbatim_picks_the_neon_driver(
    node_service: Path, databases: Databases, ws_proxy: WebSocketTcpProxy
) -> None:
    database = databases.create().rsplit("/", 1)[1]
    host = "ep-quiet-fog-a1b2c3d4.us-east-2.aws.neon.tech"
    url = f"postgresql://postgres:npg_canary5ecret@{host}/{database}?sslmode=require&channel_binding=require"
    env = service_env(url, NEON_WS_PROXY=ws_proxy.ws_proxy, **NEON_LOCAL)  # no DATABASE_DRIVER
    service = AuthService(env).start()
    try:
        assert f"database neon postgresql://postgres:***@{host}/" in service.banner
        reader = sign_up(service)
        token = reader.jwt(service)
        assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
        assert verify(token, service)["sub"] == reader.id
    finally:
        service.stop()
    # the proxy was asked for the Neon endpoint (Neon's proxy routes by it); the password is never shown
    assert set(ws_proxy.requested) == {f"{host}:5432"}
    assert "npg_canary5ecret" not in "".join(service.output) + service.banner
