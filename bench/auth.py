"""Bearer-token verification in `bookctl serve` (issue 19's target: <= 1 ms per request with cached
keys). The keys are made here (EdDSA, as Better Auth signs by default, and RS256) and published as a
JWKS on 127.0.0.1; the server's own verifier (bookctl.serve.auth.JwksVerifier) fetches them once and
then verifies Better-Auth-shaped tokens (iss = aud = the issuer's origin, 5-minute expiry)."""

from __future__ import annotations

import asyncio
import json
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def bench_token_verification(n: int = 2000) -> dict[str, Any]:
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    from bookctl.serve.auth import JwksVerifier

    ed = ed25519.Ed25519PrivateKey.generate()
    rs = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    keys = []
    for kid, key, alg in (("ed1", ed, "EdDSA"), ("rsa1", rs, "RS256")):
        jwk = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(key.public_key()))
        keys.append({**jwk, "kid": kid, "alg": alg})
    body = json.dumps({"keys": keys}).encode()
    fetches = 0

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            nonlocal fetches
            fetches += 1
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        verifier = JwksVerifier(f"{origin}/api/auth/jwks", issuer=origin, audience=origin)
        now = int(time.time())
        claims = {"sub": "reader", "iss": origin, "aud": origin, "iat": now, "exp": now + 300}
        row: dict[str, Any] = {}
        for kid, key, alg in (("ed1", ed, "EdDSA"), ("rsa1", rs, "RS256")):
            token = jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})

            async def run(token: str = token) -> list[float]:
                await verifier.verify(token)  # the first one fetches the keys
                times = []
                for _ in range(n):
                    started = time.perf_counter()
                    await verifier.verify(token)
                    times.append((time.perf_counter() - started) * 1000)
                return times

            times = sorted(asyncio.run(run()))
            row[f"{alg.lower()}_p50_ms"] = round(statistics.median(times), 3)
            row[f"{alg.lower()}_p95_ms"] = round(times[int(len(times) * 0.95)], 3)
        row["jwks_fetches"] = fetches
        row["verifications"] = 2 * (n + 1)
        return row
    finally:
        server.shutdown()


if __name__ == "__main__":
    print(json.dumps(bench_token_verification(), indent=2))
