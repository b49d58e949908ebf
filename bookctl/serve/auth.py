"""Who is asking: `Authorization: Bearer <JWT>` verified against a JWKS (the readers' accounts service,
Better Auth, publishes one at /api/auth/jwks).

Only asymmetric algorithms are accepted, each with its own key type: EdDSA (an OKP key) and RS256
(an RSA key); `alg: none`, HS256 (also when signed with the public key as the secret) and any other
algorithm are refused before a key is looked at. The issuer and audience must match (both default
to the JWKS URL's origin, which is what Better Auth uses), `exp` and `sub` are required and the
clock skew allowed is 60 s. Keys are cached for 5 minutes and fetched again when a token names a
`kid` not in the cache (at most every 30 s, so unknown kids cannot make us hammer the issuer).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import jwt
from jwt import PyJWK

LEEWAY_S = 60
CACHE_S = 300
REFETCH_S = 30
KEY_TYPES = {"EdDSA": "OKP", "RS256": "RSA"}


class AuthError(Exception):
    """A token that does not identify a reader (the message says why; shown to the client)."""


@dataclass
class AuthSettings:
    mode: str = "off"  # "off", "optional", "required"
    jwks_url: str | None = None
    issuer: str | None = None
    audience: str | None = None


class JwksVerifier:
    def __init__(self, jwks_url: str, *, issuer: str, audience: str) -> None:
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.audience = audience
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def _fetch(self) -> None:
        import httpx

        async with httpx.AsyncClient(timeout=5, follow_redirects=False) as client:
            response = await client.get(self.jwks_url)
            response.raise_for_status()
            data = response.json()
        keys: dict[str, PyJWK] = {}
        for jwk in data.get("keys", []) if isinstance(data, dict) else []:
            if not isinstance(jwk, dict) or jwk.get("kty") not in KEY_TYPES.values():
                continue
            try:
                key = PyJWK(jwk)
            except jwt.PyJWTError:
                continue
            keys[str(jwk.get("kid", ""))] = key
        self._keys = keys
        self._fetched_at = time.monotonic()

    async def _key(self, kid: str) -> PyJWK | None:
        async with self._lock:
            age = time.monotonic() - self._fetched_at
            if age > CACHE_S or (kid not in self._keys and age > REFETCH_S):
                try:
                    await self._fetch()
                except Exception as exc:  # network, HTTP status, JSON
                    if not self._keys:
                        raise AuthError(f"the issuer's keys are unavailable ({type(exc).__name__})") from None
            return self._keys.get(kid)

    async def verify(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthError("the bearer token is not a JWT") from None
        alg = header.get("alg")
        if alg not in KEY_TYPES:
            raise AuthError(f"tokens signed with {alg!r} are not accepted (EdDSA or RS256)")
        key = await self._key(str(header.get("kid", "")))
        if key is None:
            raise AuthError("the token's key is not one of the issuer's")
        if key.key_type != KEY_TYPES[alg]:  # an RSA key for an EdDSA token, or the other way round
            raise AuthError(f"the token's key does not go with {alg}")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_S,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("the token has expired: sign in again") from None
        except jwt.InvalidAudienceError:
            raise AuthError("the token is for another audience") from None
        except jwt.InvalidIssuerError:
            raise AuthError("the token is from another issuer") from None
        except jwt.PyJWTError as exc:
            raise AuthError(f"the token is invalid: {exc}") from None
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise AuthError("the token names no user (sub)")
        return claims
