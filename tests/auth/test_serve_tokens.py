"""The real issuer and the real server together: readers signed up on the Better Auth service
(services/auth, Postgres) ask `bookctl serve --auth required --jwks-url <service>/api/auth/jwks` with
the JWTs the service hands out, as the site's widget does. Their threads are theirs, the session log
names them (`bookctl sessions list --user ID`), and what the service did not sign is refused."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.auth.service import AuthService, sign_up
from tests.serve.conftest import Served, answer_of, serve_settings, start_server, stop_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(
    indexed_corpus, auth_service: AuthService, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    from bookctl.serve import ServeOptions, check_options

    data = tmp_path_factory.mktemp("serve-auth") / "data"
    database = f"sqlite:///{tmp_path_factory.mktemp('serve-auth-db') / 'log.db'}"
    settings = serve_settings(indexed_corpus, database, data)
    options = check_options(ServeOptions(auth="required", jwks_url=auth_service.jwks_url, rate_limit=None))
    url, thread, server = start_server(settings, options)
    yield Served(url, settings, database, thread, server)
    stop_server(thread, server)


def _client(served: Served, token: str | None) -> Any:
    return served.client(**({"Authorization": f"Bearer {token}"} if token else {}))


def _sessions_of(served: Served, user: str) -> list[dict[str, Any]]:
    from bookctl.cli import app

    args = ["sessions", "list", "--json", "--data-dir", str(served.settings.data_dir), "--user", user]
    result = CliRunner().invoke(app, args, env={"BOOKCTL_DATABASE_URL": served.database_url})
    assert result.exit_code == 0, result.output
    return list(json.loads(result.output))


def test_readers_of_the_real_issuer_get_their_own_threads(served: Served, auth_service: AuthService) -> None:
    ada, grace = sign_up(auth_service, "Ada Lovelace"), sign_up(auth_service, "Grace Hopper")
    as_ada, as_grace = _client(served, ada.jwt(auth_service)), _client(served, grace.jwt(auth_service))
    events = as_ada.create("How do I run migrations?")
    thread_id = events[0]["thread"]["id"]
    answer = answer_of(events)
    assert answer["text"] and answer["annotations"], "an answer with its citations"
    assert thread_id in [t["id"] for t in as_ada.request("threads.list", limit=50)["data"]]
    assert thread_id not in [t["id"] for t in as_grace.request("threads.list", limit=50)["data"]]
    r = as_grace.post({"type": "items.list", "params": {"thread_id": thread_id}})
    assert r.status_code == 404, r.text
    # the author sees who asked: the Better Auth user id is the session's user
    ada_sessions = _sessions_of(served, ada.id)
    assert [s["id"] for s in ada_sessions] == [thread_id]
    assert _sessions_of(served, grace.id) == []
    as_ada.close()
    as_grace.close()


def _forged(token: str) -> str:
    """The service's token with its payload changed to another user (signature kept)."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_what_the_issuer_did_not_sign_is_refused(served: Served, auth_service: AuthService) -> None:
    reader = sign_up(auth_service, "Mallory")
    for name, token in (
        ("no token", None),
        ("the session token, not a JWT", reader.session_token),
        ("a JWT with its subject changed", _forged(reader.jwt(auth_service))),
    ):
        client = _client(served, token)
        r = client.post({"type": "threads.list", "params": {"limit": 5}})
        assert r.status_code == 401, (name, r.status_code, r.text)
        client.close()


def test_the_issuer_down_cached_keys_still_verify(
    indexed_corpus, auth_service: AuthService, tmp_path_factory: pytest.TempPathFactory
) -> None:  # type: ignore[no-untyped-def]
    """A second process of the issuer (same database and secret: the shared one stays up for the
    other tests), stopped mid-run: tokens it signed before still verify from the cached keys; a key
    the server has not seen is refused with 401 and a clear reason, not a 500."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from bookctl.serve import ServeOptions, check_options

    issuer = AuthService(dict(auth_service.env)).start()
    database = f"sqlite:///{tmp_path_factory.mktemp('issuer-down-db') / 'log.db'}"
    settings = serve_settings(indexed_corpus, database, tmp_path_factory.mktemp("issuer-down") / "data")
    options = check_options(ServeOptions(auth="required", jwks_url=issuer.jwks_url, rate_limit=None))
    url, thread, server = start_server(settings, options)
    served = Served(url, settings, database, thread, server)
    try:
        reader = sign_up(issuer, "Katherine Johnson")
        token = reader.jwt(issuer)
        client = _client(served, token)
        assert client.post({"type": "threads.list", "params": {"limit": 5}}).status_code == 200
        claims = jwt.decode(token, options={"verify_signature": False})
        issuer.stop()
        assert not issuer.alive()
        r = client.post({"type": "threads.list", "params": {"limit": 5}})
        assert r.status_code == 200, r.text  # the cached keys
        unseen = jwt.encode(
            claims, ed25519.Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "unseen"}
        )
        r = _client(served, unseen).post({"type": "threads.list", "params": {"limit": 5}})
        # 401 with its reason (the issuer's keys unavailable, or not refetched yet), never a 500
        assert r.status_code == 401 and r.json()["code"] == "auth.invalid", r.text
        assert r.json()["message"] in {
            "the token's key is not one of the issuer's",
            "the issuer's keys are unavailable (ConnectError)",
        }, r.text
        assert httpx_get(f"{url}/healthz") == 200, "the server goes on"
        client.close()
    finally:
        issuer.stop()
        stop_server(thread, server)


def httpx_get(url: str) -> int:
    import httpx

    return httpx.get(url, timeout=10).status_code
