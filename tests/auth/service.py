"""Helpers for the auth tests: throwaway databases, the real auth service (services/auth/) as a
subprocess, and a reader signed up over HTTP."""

from __future__ import annotations

import asyncio
import os
import queue
import re
import secrets
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import IO

import httpx
import pytest

from tests.conftest import POSTGRES_URL, REPO

SERVICE = REPO / "services" / "auth"
SITE = "http://127.0.0.1:3000"
_LISTENING = re.compile(r"listening on (\S+)")
# One client for the tests' requests, keeping no cookies (each request says who it is); a generous
# timeout: password hashing (scrypt) is slow on a busy machine.
http = httpx.Client(timeout=60, cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])))


def admin_dsn() -> str:
    return POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")


def sql(statement: str, dsn: str | None = None) -> list[dict[str, object]]:
    import asyncpg

    async def run() -> list[dict[str, object]]:
        conn = await asyncpg.connect(dsn or admin_dsn(), timeout=10)
        try:
            return [dict(r) for r in await conn.fetch(statement)]
        finally:
            await conn.close()

    return asyncio.run(run())


class Databases:
    """Creates throwaway databases on the machine's Postgres and drops them all at the end."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def create(self) -> str:
        name = f"bookctl_auth_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        try:
            sql(f'CREATE DATABASE "{name}"')
        except OSError as exc:
            pytest.fail(f"PostgreSQL at {POSTGRES_URL} is unreachable ({exc}); the auth tests need it")
        self.names.append(name)
        return admin_dsn().rsplit("/", 1)[0] + f"/{name}"

    def schema(self, database_url: str) -> str:
        """A new schema in that database; the URL that makes it the connection's search_path."""
        name = f"auth_{uuid.uuid4().hex[:8]}"
        sql(f'CREATE SCHEMA "{name}"', database_url)
        return f"{database_url}?options=-c%20search_path%3D{name}"

    def drop_all(self) -> None:
        for name in self.names:
            sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def service_env(database_url: str, **extra: str) -> dict[str, str]:
    """A clean environment for the service: a fresh secret, our site, rate limiting off."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "BETTER_AUTH_SECRET": secrets.token_urlsafe(32),
        "AUTH_SITE_ORIGINS": SITE,
        "DATABASE_URL": database_url,
        "AUTH_RATE_LIMIT": "0",
    }
    env.update(extra)
    return env


def run_service(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the service's command to completion (--migrate-only, or a start that must fail)."""
    return subprocess.run(
        ["node", "src/server.js", *args],
        cwd=SERVICE,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@dataclass
class AuthService:
    """One running `node services/auth/src/server.js --port 0`."""

    env: dict[str, str]
    args: list[str] = field(default_factory=list)
    url: str = ""
    banner: str = ""  # the line it prints when listening
    process: subprocess.Popen[str] | None = None
    output: list[str] = field(default_factory=list)  # everything it printed, stdout and stderr

    def start(self, timeout: float = 60) -> AuthService:
        # stderr into stdout: one stream, in the order the service wrote it
        self.process = subprocess.Popen(
            ["node", "src/server.js", "--port", "0", *self.args],
            cwd=SERVICE,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._pump, args=(self.process.stdout, lines), daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    time.sleep(0.2)
                    raise AssertionError(f"the auth service exited: {''.join(self.output)}") from None
                continue
            if m := _LISTENING.search(line):
                self.url, self.banner = m.group(1), line
                return self
        raise AssertionError(f"the auth service did not start in {timeout} s: {''.join(self.output)}")

    def _pump(self, stream: IO[str], lines: queue.Queue[str]) -> None:
        for line in stream:
            self.output.append(line)
            lines.put(line)

    @property
    def api(self) -> str:
        return f"{self.url}/api/auth"

    @property
    def jwks_url(self) -> str:
        return f"{self.api}/jwks"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@dataclass
class Reader:
    email: str
    password: str
    name: str
    id: str
    session_token: str  # the bearer plugin's token (the set-auth-token header)

    def jwt(self, service: AuthService) -> str:
        """A fresh JWT from /api/auth/token, as the site's widget gets one."""
        r = http.get(f"{service.api}/token", headers={"Authorization": f"Bearer {self.session_token}"})
        assert r.status_code == 200, r.text
        return str(r.json()["token"])


def sign_up(service: AuthService, name: str = "Ada Lovelace") -> Reader:
    email = f"{uuid.uuid4().hex[:10]}@example.org"
    password = secrets.token_urlsafe(12)
    r = http.post(
        f"{service.api}/sign-up/email",
        json={"email": email, "password": password, "name": name},
        headers={"Origin": SITE},
    )
    assert r.status_code == 200, r.text
    return Reader(email, password, name, r.json()["user"]["id"], r.headers["set-auth-token"])


def sign_in(service: AuthService, email: str, password: str, **headers: str) -> httpx.Response:
    return http.post(
        f"{service.api}/sign-in/email",
        json={"email": email, "password": password},
        headers={"Origin": SITE, **headers},
    )
