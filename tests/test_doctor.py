"""`bookctl doctor` asks a real model endpoint, briefly, before saying it is fine; a failing model is one line."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.config import load_settings
from bookctl.doctor import PROBE_TIMEOUT_S, check_model

runner = CliRunner()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the socket goes


class FakeOpenAI(BaseHTTPRequestHandler):
    """GET /v1/models as an OpenAI-compatible server answers it; `mode` picks how."""

    mode = "ok"

    def log_message(self, *args: object) -> None:
        return None

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if type(self).mode == "hang":
            time.sleep(PROBE_TIMEOUT_S + 2)
            return
        if type(self).mode == "unauthorized":
            body, status = {"error": {"message": "Incorrect API key", "type": "invalid_request_error"}}, 401
        else:
            body, status = (
                {
                    "object": "list",
                    "data": [{"id": "llama3", "object": "model", "created": 0, "owned_by": "me"}],
                },
                200,
            )
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@pytest.fixture
def fake_openai() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        FakeOpenAI.mode = "ok"
        server.shutdown()


def _model_check(
    tmp_path: Path, url: str, model: str, key: str | None = None
) -> tuple[bool, str, str | None, float]:
    env = {"BOOKCTL_LLM_BASE_URL": url, **({"OPENAI_API_KEY": key} if key else {})}
    settings = load_settings({"site": tmp_path, "data_dir": tmp_path / "state", "model": model}, env=env)
    import agents  # noqa: F401 - imported before the clock starts: it is the probe that is timed

    started = time.monotonic()
    check = asyncio.run(check_model(settings))
    return check.ok, check.detail, check.fix, time.monotonic() - started


def test_an_endpoint_nobody_listens_on_fails_fast_with_the_offline_fix(tmp_path: Path) -> None:
    ok, detail, fix, seconds = _model_check(
        tmp_path, f"http://127.0.0.1:{_closed_port()}/v1", "m", key="sk-test"
    )
    assert not ok and "cannot connect" in detail and seconds < PROBE_TIMEOUT_S + 2
    assert fix and "--model offline" in fix
    out = runner.invoke(
        app,
        ["doctor", "--json", "--data-dir", str(tmp_path / "state")],
        env={"BOOKCTL_LLM_BASE_URL": f"http://127.0.0.1:{_closed_port()}/v1", "BOOKCTL_MODEL": "m"},
    )
    assert out.exit_code == 1
    model = next(c for c in json.loads(out.stdout) if c["check"] == "model")
    assert not model["ok"] and "--model offline" in model["fix"]


def test_a_compatible_server_that_answers(tmp_path: Path, fake_openai: str) -> None:
    ok, detail, _, _ = _model_check(tmp_path, fake_openai, "llama3")
    assert ok and detail == f"openai-compatible (llama3) at {fake_openai}, answering"
    ok, detail, _, _ = _model_check(tmp_path, fake_openai, "gpt-9")
    assert not ok and "does not serve the model 'gpt-9' (it lists llama3)" in detail
    FakeOpenAI.mode = "unauthorized"
    ok, detail, _, _ = _model_check(tmp_path, fake_openai, "llama3", key="sk-wrong")
    assert not ok and "refused the API key" in detail and "sk-wrong" not in detail
    FakeOpenAI.mode = "hang"
    ok, detail, _, seconds = _model_check(tmp_path, fake_openai, "llama3")
    assert not ok and f"no answer within {PROBE_TIMEOUT_S:g} s" in detail and seconds < PROBE_TIMEOUT_S + 2


def test_a_failing_model_is_one_line_that_suggests_offline(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    """The SDK logs 'Error getting response' before raising; the user sees only bookctl's line."""
    _, data_dir = indexed_corpus("kysely")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bookctl",
            "ask",
            "How do I run migrations?",
            "--model",
            "m",
            "--data-dir",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(data_dir),
            "BOOKCTL_LLM_BASE_URL": f"http://127.0.0.1:{_closed_port()}/v1",
        },
    )
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the model failed"), out.stderr
    assert "--model offline" in lines[0] and "Error getting response" not in out.stderr
