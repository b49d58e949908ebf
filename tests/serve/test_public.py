"""What a public endpoint needs, over real HTTP: bearer JWTs from a JWKS (and every kind of bad token
refused), readers who cannot see each other's threads, CORS for the site only, body and question
limits, a rate limit with Retry-After; on SQLite and Postgres."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm

from tests.serve.conftest import (
    SITE_URL,
    Served,
    answer_of,
    serve_settings,
    start_server,
    stop_server,
    user_input,
)

RATE = 4  # questions per minute and reader on this server


class Issuer:
    """Keys a test makes (EdDSA and RS256), published as a JWKS on 127.0.0.1, and tokens signed with them."""

    def __init__(self) -> None:
        self.ed = ed25519.Ed25519PrivateKey.generate()
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwks = {
            "keys": [
                {**json.loads(OKPAlgorithm.to_jwk(self.ed.public_key())), "kid": "ed1", "alg": "EdDSA"},
                {**json.loads(RSAAlgorithm.to_jwk(self.rsa.public_key())), "kid": "rsa1", "alg": "RS256"},
            ]
        }
        body = json.dumps(jwks).encode()
        self.fetches = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_GET(self) -> None:  # noqa: N802
                issuer.fetches += 1
                self.send_response(200 if self.path == "/api/auth/jwks" else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.jwks_url = f"{self.origin}/api/auth/jwks"

    def claims(self, sub: str, **over: Any) -> dict[str, Any]:
        now = int(time.time())
        return {"sub": sub, "iss": self.origin, "aud": self.origin, "iat": now, "exp": now + 300, **over}

    def token(self, sub: str, *, alg: str = "EdDSA", **over: Any) -> str:
        key: Any = self.ed if alg == "EdDSA" else self.rsa
        return jwt.encode(
            self.claims(sub, **over), key, algorithm=alg, headers={"kid": "ed1" if alg == "EdDSA" else "rsa1"}
        )

    def close(self) -> None:
        self.http.shutdown()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any], sign: Any = None) -> str:
    head = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    return head + "." + (_b64(sign(head.encode())) if sign else "")


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    made = Issuer()
    yield made
    made.close()


@pytest.fixture(scope="module")
def public(
    indexed_corpus, database: str, issuer: Issuer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    from bookctl.serve import ServeOptions, check_options

    settings = serve_settings(indexed_corpus, database, tmp_path_factory.mktemp("public") / "data")
    options = check_options(
        ServeOptions(auth="optional", jwks_url=issuer.jwks_url, rate_limit=f"{RATE}/minute")
    )
    url, thread, server = start_server(settings, options)
    yield Served(url, settings, database, thread, server)
    stop_server(thread, server)


def _as(served: Served, token: str | None) -> Any:
    return served.client(**({"Authorization": f"Bearer {token}"} if token else {}))


def test_each_reader_sees_only_their_own_threads(public: Served, issuer: Issuer) -> None:
    ada, grace, anonymous = (
        _as(public, issuer.token("ada")),
        _as(public, issuer.token("grace", alg="RS256")),
        _as(public, None),
    )
    events = ada.create("How do I run migrations?")
    thread_id = events[0]["thread"]["id"]
    assert answer_of(events)["text"]
    assert thread_id in [t["id"] for t in ada.request("threads.list", limit=50)["data"]]
    # grace (RS256) and an anonymous reader: the thread is not there for them, whatever they ask
    for other in (grace, anonymous):
        assert thread_id not in [t["id"] for t in other.request("threads.list", limit=50)["data"]]
        for body in (
            {"type": "threads.get_by_id", "params": {"thread_id": thread_id}},
            {"type": "items.list", "params": {"thread_id": thread_id}},
            {"type": "threads.update", "params": {"thread_id": thread_id, "title": "mine"}},
            {"type": "threads.delete", "params": {"thread_id": thread_id}},
            {
                "type": "items.feedback",
                "params": {"thread_id": thread_id, "item_ids": ["x"], "kind": "positive"},
            },
            {
                "type": "threads.add_user_message",
                "params": {"thread_id": thread_id, "input": user_input("hi")},
            },
        ):
            r = other.post(body)
            assert r.status_code == 404 and r.json()["type"] == "error", (body["type"], r.text)
    assert ada.request("threads.get_by_id", thread_id=thread_id)["title"] == "How do I run migrations?"
    # the session log knows whose it is
    from tests.serve.test_chatkit import _logged

    assert _logged(public, thread_id)["user"] == "ada"
    # an anonymous reader's own thread: reachable by its id, never listed
    mine = anonymous.create("What is a savepoint?")[0]["thread"]["id"]
    assert anonymous.request("threads.get_by_id", thread_id=mine)["id"] == mine
    assert anonymous.request("threads.list", limit=50)["data"] == []
    assert ada.post({"type": "threads.get_by_id", "params": {"thread_id": mine}}).status_code == 404
    for c in (ada, grace, anonymous):
        c.close()


def test_tokens_that_do_not_identify_a_reader_are_refused(public: Served, issuer: Issuer) -> None:
    other_key = ed25519.Ed25519PrivateKey.generate()
    rsa_public_pem = issuer.rsa.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    bad = {
        "forged (another key, same kid)": jwt.encode(
            issuer.claims("ada"), other_key, algorithm="EdDSA", headers={"kid": "ed1"}
        ),
        "expired": issuer.token("ada", exp=now - 300, iat=now - 600),
        "another audience": issuer.token("ada", aud="https://elsewhere.example"),
        "another issuer": issuer.token("ada", iss="https://elsewhere.example"),
        "alg none": _unsigned({"alg": "none", "typ": "JWT", "kid": "ed1"}, issuer.claims("ada")),
        "HS256 with the public key as secret": _unsigned(
            {"alg": "HS256", "typ": "JWT", "kid": "rsa1"},
            issuer.claims("ada"),
            lambda data: hmac.new(rsa_public_pem, data, hashlib.sha256).digest(),
        ),
        "RS256 header on the EdDSA key": _unsigned(
            {"alg": "RS256", "kid": "ed1"}, issuer.claims("ada"), lambda d: b"x" * 256
        ),
        "unknown kid": jwt.encode(
            issuer.claims("ada"), issuer.ed, algorithm="EdDSA", headers={"kid": "nope"}
        ),
        "no sub": jwt.encode(
            {k: v for k, v in issuer.claims("ada").items() if k != "sub"},
            issuer.ed,
            algorithm="EdDSA",
            headers={"kid": "ed1"},
        ),
        "not a JWT": "hello",
    }
    for name, token in bad.items():
        r = httpx.post(
            f"{public.url}/chatkit",
            content=json.dumps({"type": "threads.list", "params": {}}),
            headers={"Authorization": f"Bearer {token}", "content-type": "application/json"},
        )
        assert r.status_code == 401, (name, r.status_code, r.text)
        assert r.json()["type"] == "error" and r.json()["code"] == "auth.invalid", name
        assert r.headers["www-authenticate"].startswith("Bearer"), name
    r = httpx.post(f"{public.url}/chatkit", content=b"{}", headers={"Authorization": "Basic YTpi"})
    assert r.status_code == 401
    # a clock a little off is fine: 30 s past expiry is within the allowed skew
    ok = issuer.token("ada", exp=now - 30, iat=now - 330)
    r = _as(public, ok).post({"type": "threads.list", "params": {}})
    assert r.status_code == 200, r.text


def test_cors_answers_the_site_only_and_other_origins_are_refused(public: Served) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    ok = httpx.options(f"{public.url}/chatkit", headers={"Origin": SITE_URL, **preflight})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == SITE_URL
    assert "authorization" in ok.headers["access-control-allow-headers"].lower()
    evil = httpx.options(f"{public.url}/chatkit", headers={"Origin": "https://evil.example", **preflight})
    assert evil.status_code == 400 and "access-control-allow-origin" not in evil.headers
    body = json.dumps({"type": "threads.list", "params": {}})
    r = httpx.post(f"{public.url}/chatkit", content=body, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and r.json()["code"] == "origin.refused"
    assert "access-control-allow-origin" not in r.headers
    r = httpx.post(f"{public.url}/chatkit", content=body, headers={"Origin": SITE_URL})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == SITE_URL


def test_a_2_mb_body_is_refused_with_or_without_its_length(public: Served) -> None:
    big = json.dumps({"type": "threads.create", "params": {"input": user_input("x" * 2_000_000)}}).encode()
    r = httpx.post(f"{public.url}/chatkit", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "request.too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        for i in range(0, len(big), 65536):
            yield big[i : i + 65536]

    r = httpx.post(f"{public.url}/chatkit", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert httpx.get(f"{public.url}/healthz").status_code == 200


def test_a_question_too_long_is_an_error_event(public: Served, issuer: Issuer) -> None:
    client = _as(public, issuer.token("long-question"))
    events = client.create("why " * 1500)
    [error] = [e for e in events if e["type"] == "error"]
    assert "longer than 4000 characters" in error["message"]
    client.close()


def test_a_reader_over_the_rate_limit_is_told_when_to_come_back(public: Served, issuer: Issuer) -> None:
    eager, patient = _as(public, issuer.token("eager")), _as(public, issuer.token("patient"))
    for _ in range(RATE):
        assert "error" not in [e["type"] for e in eager.create("What is a savepoint?")]
    r = eager.post({"type": "threads.create", "params": {"input": user_input("again?")}})
    assert r.status_code == 429 and r.json()["code"] == "rate_limited"
    assert 1 <= int(r.headers["retry-after"]) <= 60
    # reading is not limited, and another reader is not affected
    assert eager.post({"type": "threads.list", "params": {}}).status_code == 200
    assert "error" not in [e["type"] for e in patient.create("What is a savepoint?")]
    eager.close()
    patient.close()
