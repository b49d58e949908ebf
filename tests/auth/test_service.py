"""The auth service (services/auth/, Better Auth on Node) over HTTP, on the machine's Postgres.

Every test talks to a real service started by the fixtures or by the test: sign-up, sign-in, the
bearer token, JWTs verified against the service's JWKS with PyJWT, CORS, rate limiting, settings
refused with one line, Better Auth's tables beside bookctl's in one database.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import jwt
import pytest

from tests.auth.service import (
    SITE,
    AuthService,
    Databases,
    http,
    run_service,
    service_env,
    sign_in,
    sign_up,
    sql,
)

BETTER_AUTH_TABLES = {"auth_user", "auth_session", "auth_account", "auth_verification", "auth_jwks"}


def verify(token: str, service: AuthService) -> dict[str, object]:
    """What a resource server does: the key by kid from the JWKS, EdDSA only, issuer and audience."""
    key = jwt.PyJWKClient(service.jwks_url).get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        key,
        algorithms=["EdDSA"],
        issuer=service.url,
        audience=service.url,
        options={"require": ["exp", "iat", "sub", "iss", "aud"]},
    )


def test_sign_up_sign_in_and_a_jwt_that_verifies_against_the_jwks(auth_service: AuthService) -> None:
    reader = sign_up(auth_service, name="Ada Lovelace")
    r = sign_in(auth_service, reader.email, reader.password)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["id"] == reader.id
    session_token = r.headers["set-auth-token"]  # the bearer plugin

    session = http.get(
        f"{auth_service.api}/get-session", headers={"Authorization": f"Bearer {session_token}"}
    )
    assert session.json()["user"]["name"] == "Ada Lovelace"

    token = http.get(f"{auth_service.api}/token", headers={"Authorization": f"Bearer {session_token}"})
    assert token.status_code == 200, token.text
    claims = verify(token.json()["token"], auth_service)
    assert claims["sub"] == reader.id
    assert claims["iss"] == claims["aud"] == auth_service.url
    assert claims["name"] == "Ada Lovelace" and claims["email"] == reader.email
    assert int(claims["exp"]) - int(claims["iat"]) == 300  # AUTH_JWT_LIFETIME's default: 5 minutes

    header = jwt.get_unverified_header(token.json()["token"])
    keys = http.get(auth_service.jwks_url).json()["keys"]
    assert header["alg"] == "EdDSA"
    assert [(k["kid"], k["kty"], k["crv"]) for k in keys] == [(header["kid"], "OKP", "Ed25519")]
    assert all("d" not in k for k in keys)  # public halves only

    # getSession also hands the JWT over in a header the site may read (CORS exposes it)
    jwt_header = session.headers.get("set-auth-jwt")
    assert jwt_header and verify(jwt_header, auth_service)["sub"] == reader.id


def test_wrong_password_unknown_reader_and_taken_email_are_refused(auth_service: AuthService) -> None:
    reader = sign_up(auth_service)
    assert sign_in(auth_service, reader.email, reader.password + "x").status_code == 401
    assert sign_in(auth_service, "nobody@example.org", reader.password).status_code == 401
    again = http.post(
        f"{auth_service.api}/sign-up/email",
        json={"email": reader.email, "password": "another password", "name": "Mallory"},
        headers={"Origin": SITE},
    )
    assert again.status_code == 422, again.text
    short = http.post(
        f"{auth_service.api}/sign-up/email",
        json={"email": "short@example.org", "password": "1234567", "name": "Short"},
        headers={"Origin": SITE},
    )
    assert short.status_code == 400 and "short" in short.text.lower()
    assert http.get(f"{auth_service.api}/token").status_code == 401  # no session, no JWT
    bogus = http.get(f"{auth_service.api}/token", headers={"Authorization": "Bearer not-a-session"})
    assert bogus.status_code == 401


def test_cors_and_trusted_origins_are_the_site_only(auth_service: AuthService) -> None:
    preflight = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}
    ok = http.options(f"{auth_service.api}/token", headers={"Origin": SITE, **preflight})
    assert ok.headers["access-control-allow-origin"] == SITE
    assert ok.headers["access-control-allow-credentials"] == "true"
    assert "authorization" in ok.headers["access-control-allow-headers"].lower()
    assert {"set-auth-token", "set-auth-jwt"} <= set(ok.headers["access-control-expose-headers"].split(","))
    other = http.options(f"{auth_service.api}/token", headers={"Origin": "http://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers

    reader = sign_up(auth_service)
    forged = sign_in(auth_service, reader.email, reader.password, Origin="http://evil.example")
    assert forged.status_code == 403 and "origin" in forged.text.lower()
    # with the site's session cookie, a cross-site request from another origin is refused too
    cookie = sign_in(auth_service, reader.email, reader.password).headers["set-cookie"].split(";")[0]
    out = http.post(
        f"{auth_service.api}/sign-out", json={}, headers={"Origin": "http://evil.example", "Cookie": cookie}
    )
    assert out.status_code == 403


def test_sign_out_ends_the_session_but_a_jwt_already_issued_lives_until_it_expires(
    auth_service: AuthService,
) -> None:
    reader = sign_up(auth_service)
    token = reader.jwt(auth_service)
    out = http.post(
        f"{auth_service.api}/sign-out",
        json={},
        headers={"Authorization": f"Bearer {reader.session_token}", "Origin": SITE},
    )
    assert out.status_code == 200, out.text
    again = http.get(f"{auth_service.api}/token", headers={"Authorization": f"Bearer {reader.session_token}"})
    assert again.status_code == 401  # no new JWTs for a signed-out reader ...
    assert verify(token, auth_service)["sub"] == reader.id  # ... but this one is valid until exp (README)


def test_healthz(auth_service: AuthService) -> None:
    r = http.get(f"{auth_service.url}/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "issuer": auth_service.url}


def test_keys_survive_a_restart_with_the_same_secret(
    node_service: Path, databases: Databases, auth_database: str
) -> None:
    env = service_env(databases.schema(auth_database))
    first = AuthService(env).start()
    try:
        reader = sign_up(first)
        token = reader.jwt(first)
        kid = jwt.get_unverified_header(token)["kid"]
    finally:
        first.stop()
    second = AuthService(env).start()  # another port, same database and secret
    try:
        assert [k["kid"] for k in http.get(second.jwks_url).json()["keys"]] == [kid]
        again = reader.jwt(second)  # the session survives too; the same key signs
        assert jwt.get_unverified_header(again)["kid"] == kid
        assert not any("migrated" in line for line in second.output)  # nothing left to migrate
    finally:
        second.stop()
    # another secret cannot decrypt the stored keys: it says so at start, not at every /token
    other = run_service({**env, "BETTER_AUTH_SECRET": "another-secret-" + "x" * 32}, "--port", "0")
    assert other.returncode == 1
    assert "the signing keys in auth_jwks were encrypted with another BETTER_AUTH_SECRET" in other.stderr


def test_rate_limited_sign_in_by_the_socket_address_and_social_providers_off_unless_configured(
    auth_service: AuthService, auth_database: str
) -> None:
    env = service_env(
        auth_database,
        BETTER_AUTH_SECRET=auth_service.env["BETTER_AUTH_SECRET"],  # the keys there are encrypted with it
        AUTH_RATE_LIMIT="1",
        AUTH_GITHUB_CLIENT_ID="bookctl-test-client",
        AUTH_GITHUB_CLIENT_SECRET="bookctl-test-secret",
    )
    service = AuthService(env).start()
    try:
        reader = sign_up(service)
        # Better Auth allows 3 sign-in attempts per 10 s per client; a forged X-Forwarded-For
        # does not make a new client (the address comes from the socket)
        codes = [
            sign_in(
                service, reader.email, "wrong password", **{"X-Forwarded-For": f"203.0.113.{n}"}
            ).status_code
            for n in range(5)
        ]
        assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429], codes
        limited = sign_in(service, reader.email, reader.password)
        assert limited.status_code == 429 and int(limited.headers["x-retry-after"]) > 0

        github = http.post(
            f"{service.api}/sign-in/social", json={"provider": "github"}, headers={"Origin": SITE}
        )
        assert github.status_code == 200, github.text
        url = httpx.URL(github.json()["url"])
        assert (url.host, url.params["client_id"]) == ("github.com", "bookctl-test-client")
        assert url.params["redirect_uri"] == f"{service.api}/callback/github"
    finally:
        service.stop()
    # the shared service has no social provider configured
    off = http.post(
        f"{auth_service.api}/sign-in/social", json={"provider": "github"}, headers={"Origin": SITE}
    )
    assert off.status_code == 404 and "provider" in off.text.lower()


@pytest.mark.parametrize(
    ("change", "exit_code", "says"),
    [
        ({"BETTER_AUTH_SECRET": ""}, 2, "BETTER_AUTH_SECRET is not set"),
        ({"BETTER_AUTH_SECRET": "short"}, 2, "BETTER_AUTH_SECRET is 5 characters"),
        ({"AUTH_SITE_ORIGINS": ""}, 2, "AUTH_SITE_ORIGINS is not set"),
        ({"AUTH_SITE_ORIGINS": "book.example.org"}, 2, "AUTH_SITE_ORIGINS: book.example.org is not a URL"),
        ({"DATABASE_URL": ""}, 2, "DATABASE_URL is not set"),
        ({"DATABASE_URL": "sqlite:///tmp/x.db"}, 2, "DATABASE_URL uses sqlite"),
        ({"DATABASE_DRIVER": "mysql"}, 2, "DATABASE_DRIVER=mysql is not known"),
        ({"AUTH_JWT_LIFETIME": "forever"}, 2, "AUTH_JWT_LIFETIME=forever is not a duration"),
        (
            {"AUTH_GITHUB_CLIENT_ID": "x"},
            2,
            "AUTH_GITHUB_CLIENT_ID and AUTH_GITHUB_CLIENT_SECRET go together",
        ),
        (
            {"DATABASE_URL": "postgresql://postgres:hunter2-canary@127.0.0.1:9/nowhere"},
            1,
            "the database pg postgresql://postgres:***@127.0.0.1:9/nowhere is unreachable",
        ),
    ],
)
def test_bad_settings_stop_the_service_with_one_line(
    node_service: Path, auth_database: str, change: dict[str, str], exit_code: int, says: str
) -> None:
    env = service_env(auth_database, **change)
    result = run_service(env, "--port", "0")
    assert result.returncode == exit_code, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("bookctl-auth: ") and says in lines[0], lines
    assert "hunter2-canary" not in result.stderr + result.stdout
    assert "    at " not in result.stderr  # no stack trace without --verbose


def test_dev_mode_runs_without_a_secret_and_says_so(
    node_service: Path, databases: Databases, auth_database: str
) -> None:
    env = service_env(databases.schema(auth_database), BETTER_AUTH_SECRET="")
    del env["BETTER_AUTH_SECRET"]
    service = AuthService(env, ["--dev"]).start()
    try:
        assert any("development mode with the built-in secret" in line for line in service.output)
        assert sign_up(service).jwt(service)
    finally:
        service.stop()
    unknown = run_service(env, "--bogus")
    assert unknown.returncode == 2 and "unknown option --bogus" in unknown.stderr


def test_better_auth_tables_do_not_collide_with_bookctls(
    node_service: Path, databases: Databases, tmp_path: Path
) -> None:
    """One database for both: bookctl's migrations (session log, and whatever else its Alembic head
    creates), the Agents SDK's memory tables, then Better Auth's migration, then bookctl again."""
    from bookctl.config import load_settings
    from bookctl.db import SessionLog, TurnRecord
    from bookctl.db.tables import AGENT_MESSAGES_TABLE, AGENT_SESSIONS_TABLE

    url = databases.create()
    settings = load_settings({"site": tmp_path, "data_dir": tmp_path / "state", "database_url": url}, env={})

    async def use_bookctl(n: int) -> None:
        log = await SessionLog.open(settings, required=True)
        sid = await log.start_session(site="book", provider="offline", model="m", user="reader-1")
        await log.record_turn(sid, TurnRecord(question=f"q{n}", answer="a", model="m"))
        await log.memory(sid).add_items([{"role": "user", "content": f"q{n}"}])
        assert [t["question"] for t in (await log.get_session(sid))["turns"]] == [f"q{n}"]
        await log.close()

    def columns() -> dict[str, list[tuple[object, ...]]]:
        rows = sql(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
            url,
        )
        out: dict[str, list[tuple[object, ...]]] = {}
        for r in rows:
            out.setdefault(str(r["table_name"]), []).append(
                (r["column_name"], r["data_type"], r["is_nullable"])
            )
        return out

    asyncio.run(use_bookctl(1))
    bookctl_tables = columns()
    assert {"bookctl_sessions", "bookctl_turns", AGENT_SESSIONS_TABLE, AGENT_MESSAGES_TABLE} <= set(
        bookctl_tables
    )
    assert not set(bookctl_tables) & BETTER_AUTH_TABLES

    migrated = run_service(service_env(url), "--migrate-only")
    assert migrated.returncode == 0, migrated.stderr
    # Better Auth found none of its tables already there and created all of its own ...
    assert "created auth_user, auth_session, auth_account, auth_verification, auth_jwks" in migrated.stderr
    assert "columns added" not in migrated.stderr
    after = columns()
    assert set(after) == set(bookctl_tables) | BETTER_AUTH_TABLES
    # ... and left bookctl's exactly as they were; bookctl still works beside them
    assert {name: after[name] for name in bookctl_tables} == bookctl_tables
    asyncio.run(use_bookctl(2))
    assert columns() == after
