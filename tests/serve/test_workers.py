"""`bookctl serve --workers 2` on one Postgres: either worker answers any request of a conversation,
and nothing is lost between them."""

from __future__ import annotations

import json
import re
import signal
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.serve.conftest import parse_sse, serve_settings, user_input
from tests.serve.test_cli_serve import BOOKCTL, _env


def _turn(url: str, body: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """One streamed request on a connection of its own (so any worker may take it)."""
    with httpx.Client(timeout=60) as http:
        with http.stream("POST", f"{url}/chatkit", content=json.dumps(body)) as r:
            assert r.status_code == 200
            return r.headers["x-bookctl-worker"], parse_sse(r.iter_lines())


def test_two_workers_share_one_postgres(indexed_corpus, postgres_db: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.serve.test_chatkit import _logged

    settings = serve_settings(indexed_corpus, postgres_db, tmp_path / "data")
    env = {**_env(settings.resolved_data_dir), "BOOKCTL_DATABASE_URL": postgres_db}
    proc = subprocess.Popen(
        [
            BOOKCTL,
            "serve",
            str(settings.site),
            "--port",
            "0",
            "--workers",
            "2",
            "--site-url",
            "https://kysely.dev",
        ],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        m = re.match(r"bookctl serve: http://127\.0\.0\.1:(\d+)/chatkit .*; 2 workers\)", line)
        assert m, line
        url = f"http://127.0.0.1:{m.group(1)}"
        for _ in range(300):  # both workers up
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
        created_by, events = _turn(
            url, {"type": "threads.create", "params": {"input": user_input("How do I run migrations?")}}
        )
        thread_id = events[0]["thread"]["id"]
        # concurrent follow-ups in other threads keep one worker busy, so the other takes requests too
        workers = {created_by}
        asked = 1
        with ThreadPoolExecutor(4) as pool:
            for _ in range(6):
                if len(workers) > 1:
                    break
                jobs = [
                    pool.submit(
                        _turn,
                        url,
                        {"type": "threads.create", "params": {"input": user_input("What is a savepoint?")}},
                    )
                    for _ in range(3)
                ]
                jobs.append(
                    pool.submit(
                        _turn,
                        url,
                        {
                            "type": "threads.add_user_message",
                            "params": {"thread_id": thread_id, "input": user_input("In what order?")},
                        },
                    )
                )
                asked += 1
                for job in jobs:
                    worker, got = job.result()
                    assert "error" not in [e["type"] for e in got]
                    workers.add(worker)
        assert len(workers) == 2, f"one worker answered everything: {workers}"
        with httpx.Client(timeout=30) as http:
            items = http.post(
                f"{url}/chatkit",
                content=json.dumps({"type": "items.list", "params": {"thread_id": thread_id, "limit": 100}}),
            ).json()["data"]
        assert len(items) == 2 * asked
        assert len(_logged(settings_for_log(settings, postgres_db), thread_id)["turns"]) == asked
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def settings_for_log(settings: Any, database_url: str) -> Any:
    from tests.serve.conftest import Served

    return Served("", settings, database_url, None, None)  # type: ignore[arg-type]


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """A database of its own: the rate limit's counts of 127.0.0.1 must not be other tests'."""
    import uuid

    from tests.db.conftest import _admin_dsn, admin_sql

    name = f"bookctl_rate_{uuid.uuid4().hex[:8]}"
    admin_sql(f'CREATE DATABASE "{name}"')
    yield f"{_admin_dsn().rsplit('/', 1)[0]}/{name}"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_workers_share_the_rate_limit(indexed_corpus, fresh_postgres: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Two workers (as `--workers 2` makes them: the same options, one Postgres) allow a reader 3
    questions a minute between them, not 3 each: questions alternate between the workers."""
    from bookctl.serve import ServeOptions
    from tests.serve.conftest import start_server, stop_server

    servers = [
        start_server(
            serve_settings(indexed_corpus, fresh_postgres, tmp_path / f"data{n}"),
            ServeOptions(workers=2, rate_limit="3/minute"),
        )
        for n in range(2)
    ]
    try:
        statuses = []
        for n in range(5):
            url = servers[n % 2][0]
            body = {"type": "threads.create", "params": {"input": user_input("What is a savepoint?")}}
            with httpx.Client(timeout=60) as http:
                with http.stream("POST", f"{url}/chatkit", content=json.dumps(body)) as r:
                    r.read()
                    statuses.append((r.status_code, r.headers.get("retry-after")))
        assert [s for s, _ in statuses] == [200, 200, 200, 429, 429], statuses
        assert all(int(retry) >= 1 for s, retry in statuses if s == 429)
    finally:
        for _, thread, server in servers:
            stop_server(thread, server)
