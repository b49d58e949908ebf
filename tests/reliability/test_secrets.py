"""Canary secrets (API keys, database passwords) never appear in any output, log or file we write."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
KEY = "sk-canary-KEY-7d1f"
QDRANT_KEY = "canary-QDRANT-5b2e"
PASSWORD = "canary-PW-91ac"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "bookctl", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in out.stderr or "--verbose" in args
    return out.stdout + out.stderr


def _secrets_in(text: str) -> list[str]:
    return [s for s in (KEY, QDRANT_KEY, PASSWORD) if s in text]


@pytest.mark.parametrize("database", ["unreachable", "postgres"])
def test_canaries_never_leak(indexed_corpus, request, tmp_path: Path, database: str) -> None:  # type: ignore[no-untyped-def]
    _, index_dir = indexed_corpus("kysely")
    data_dir = tmp_path / "state"
    shutil.copytree(
        index_dir, data_dir, ignore=shutil.ignore_patterns("sessions.db*", "journal*", "ask_history")
    )
    if database == "unreachable":
        db_url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{_closed_port()}/test"
    else:  # this run's own database on the machine's Postgres
        db_name = request.getfixturevalue("postgres_db").rsplit("/", 1)[1]
        db_url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/{db_name}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOKCTL_", "OPENAI_", "QDRANT_"))}
    env.update(
        {
            "OPENAI_API_KEY": KEY,  # the model is a closed local port: every call fails, and must not show the key
            "BOOKCTL_LLM_BASE_URL": f"http://127.0.0.1:{_closed_port()}/v1",
            "QDRANT_API_KEY": QDRANT_KEY,
            # the machine's Postgres trusts local connections, so a password in the URL is accepted and ignored
            "BOOKCTL_DATABASE_URL": db_url,
        }
    )
    data = ["--data-dir", str(data_dir)]
    commands = [
        ["status"],
        ["status", "--json"],
        ["status", "--verbose"],
        ["doctor"],
        ["doctor", "--json"],
        ["doctor", "--verbose"],
        ["search", "migrations", "--verbose"],
        ["ask", "How do I run migrations?"],
        ["ask", "How do I run migrations?", "--json"],
        ["ask", "How do I run migrations?", "--verbose"],
        ["ask", "What does this say?", "--selection", "Migrations run in order.", "--verbose"],
        ["ask", "How do I run migrations?", "--model", "offline", "--json", "--verbose"],
        ["sessions", "list"],
        ["sessions", "list", "--json", "--verbose"],
        ["sessions", "export"],
        ["sessions", "export", "--format", "md"],
        ["sessions", "sync", "--verbose"],
    ]
    # Fresh processes dominate this test: these run two at a time; the two that take the ingest lock
    # (ingest, eval) run after them, one by one.
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = pool.map(lambda a: (" ".join(a), _run([*a, *data], env, CORPORA / "kysely")), commands)
        outputs = dict(runs)
    for a in (
        ["ingest", ".", "--dry-run", "--verbose"],
        ["eval", ".", "--gold", str(CORPORA.parent / "gold" / "kysely.yaml"), "--json", "--verbose"],
    ):
        outputs[" ".join(a)] = _run([*a, *data], env, CORPORA / "kysely")
    leaks = {cmd: _secrets_in(text) for cmd, text in outputs.items() if _secrets_in(text)}
    assert not leaks, leaks
    # the answers were logged (to the database or, when it is down, to the journal) and some failed:
    # the errors and the log must not carry the secrets either
    assert any("the model failed" in text for text in outputs.values())
    written = {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
    if database == "unreachable":  # the turns went to the local journal
        assert any(p.name.startswith("journal") for p in written)
    leaked_files = [
        str(p) for p, body in written.items() if any(s.encode() in body for s in (KEY, QDRANT_KEY, PASSWORD))
    ]
    assert not leaked_files, leaked_files
    if database == "postgres":
        rows = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                db_name,
                "-At",
                "-c",
                "select count(*) from bookctl_turns where concat_ws(' ', question, answer, error, "
                "citations::text, retrieved::text) like '%canary%'",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert rows.returncode == 0, rows.stderr
        assert rows.stdout.strip() == "0"
