"""`bookctl serve` as a user starts it: the URL once it answers, one line for what is wrong, a clean stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.serve.conftest import serve_settings

BOOKCTL = str(Path(sys.executable).parent / "bookctl")


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BOOKCTL_") and k not in {"OPENAI_API_KEY", "DATABASE_URL"}
    }
    return {**env, "BOOKCTL_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}


def test_serve_prints_its_url_answers_and_stops_on_sigterm(indexed_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = serve_settings(indexed_corpus, f"sqlite:///{tmp_path / 'log.db'}", tmp_path / "data")
    proc = subprocess.Popen(
        [BOOKCTL, "serve", str(settings.site), "--port", "0", "--site-url", "https://kysely.dev/"],
        env=_env(settings.resolved_data_dir),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        m = re.match(
            r"bookctl serve: http://127\.0\.0\.1:(\d+)/chatkit \(citations at https://kysely\.dev; origins allowed: https://kysely\.dev\)",
            line,
        )
        assert m, line
        health = httpx.get(f"http://127.0.0.1:{m.group(1)}/healthz", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        assert time.monotonic() - started < 10
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_without_an_index_says_so_in_one_line(tmp_path: Path, corpora: Path) -> None:
    r = subprocess.run(
        [BOOKCTL, "serve", str(corpora / "kysely"), "--port", "0"],
        env=_env(tmp_path / "empty"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "ingest" in errors[0], r.stderr


def test_serve_refuses_bad_flags_in_one_line(corpora: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from bookctl.cli import app

    site = str(corpora / "kysely")
    for args, says in (
        (["--allow-origin", "https://a.example/path"], "--allow-origin"),
        (["--port", "70000"], "--port"),
        (["--auth", "required"], "--auth required needs --jwks-url"),
        (["--auth", "sometimes"], "--auth 'sometimes'"),
        (["--auth", "optional", "--jwks-url", "file:///etc/passwd"], "not an http(s) URL"),
        (["--rate-limit", "lots"], "--rate-limit 'lots' is not a rate"),
        (["--workers", "2"], "--workers 2 needs a Postgres database"),
    ):
        r = CliRunner().invoke(app, ["serve", site, "--data-dir", str(tmp_path), *args])
        assert r.exit_code == 2 and says in r.output and "Traceback" not in r.output, (args, r.output)
