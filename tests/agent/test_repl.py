"""The interactive session, driven through a real terminal (a pty) as a reader would use it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pexpect

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def _repl(data_dir: Path) -> tuple[pexpect.spawn, str]:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bookctl", "ask", "--data-dir", str(data_dir)],
        cwd=str(CORPORA / "kysely"),
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 200),
        # pexpect is not a terminal emulator: it never answers cursor-position requests
        env={
            "PATH": "/usr/bin:/bin",
            "TERM": "xterm",
            "HOME": str(data_dir),
            "PROMPT_TOOLKIT_NO_CPR": "1",
            "NO_COLOR": "1",
        },
    )
    child.expect(r"session ([0-9a-f-]{8,}),")
    session_id = child.match.group(1)
    child.expect("ask>")
    return child, session_id


def test_repl_answers_with_commands_and_memory(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    _, data_dir = indexed_corpus("kysely")
    child, session_id = _repl(data_dir)
    child.sendline("How do I run migrations?")
    child.expect("Sources")
    child.expect(r"/docs/migrations#")
    child.expect("ask>")
    child.sendline("/sources")  # the last answer's sources again
    child.expect(r"\[1\] ")
    child.expect("ask>")
    child.sendline("/help")
    child.expect("/chapter NAME")
    child.expect("ask>")
    child.sendline("/chapter Nope")  # refused with the list, the chapter stays as it was
    child.expect("unknown chapter 'Nope'")
    child.expect("'Recipes'")
    child.expect("ask>")
    child.sendline("/chapter recip")  # an unambiguous prefix, any case
    child.expect("chapter: Recipes")
    child.expect("ask>")
    child.sendline("What is the best pizza in Naples?")
    child.expect_exact("The book does not mention Naples.")  # a specific term the book never mentions
    child.expect("ask>")
    child.sendcontrol("c")  # Ctrl-C at the prompt cancels the line, not the session
    child.expect("ask>")
    child.sendline("/bogus")
    child.expect("unknown command /bogus")
    child.expect("ask>")
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before

    # both turns are in one logged session, with the chapter filter of the second
    from typer.testing import CliRunner

    from bookctl.cli import app

    shown = json.loads(
        CliRunner()
        .invoke(app, ["sessions", "show", session_id, "--json", "--data-dir", str(data_dir)])
        .stdout
    )
    questions = [t["question"] for t in shown["turns"]]
    assert questions == ["How do I run migrations?", "What is the best pizza in Naples?"]
    assert shown["turns"][1]["chapter"] == "Recipes"


def test_repl_new_session_and_eof(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    _, data_dir = indexed_corpus("kysely")
    child, first = _repl(data_dir)
    child.sendline("/new")
    child.expect(r"new session ([0-9a-f-]{8,})")
    assert child.match.group(1) != first
    child.expect("ask>")
    child.sendeof()  # Ctrl-D ends the session cleanly
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_cancels_the_answer_not_the_session(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    """A model that streams one word and then stalls: Ctrl-C stops that answer, the session goes on."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class StallingChat(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            event = {
                "id": "c0",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "delta": {"role": "assistant", "content": "Thinking "},
                        "finish_reason": None,
                    }
                ],
            }
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.flush()
            time.sleep(20)  # stalls: only Ctrl-C ends this answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), StallingChat)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _, data_dir = indexed_corpus("kysely")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bookctl", "ask", "--data-dir", str(data_dir), "--model", "slow"],
        cwd=str(CORPORA / "kysely"),
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
        env={
            "PATH": "/usr/bin:/bin",
            "TERM": "xterm",
            "HOME": str(data_dir),
            "PROMPT_TOOLKIT_NO_CPR": "1",
            "NO_COLOR": "1",
            "BOOKCTL_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}/v1",
        },
    )
    try:
        child.expect(r"session ([0-9a-f-]{8,}),")
        session_id = child.match.group(1)
        child.expect("ask>")
        child.sendline("How do I run migrations?")
        child.expect("Thinking")
        started = time.monotonic()
        child.sendcontrol("c")
        child.expect("cancelled")
        assert time.monotonic() - started < 10  # not the 20 s stall
        child.expect("ask>")
        child.sendline("/help")  # the session is still there
        child.expect("/chapter NAME")
        child.expect("ask>")
        child.sendline("/quit")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    finally:
        child.close(force=True)
        server.shutdown()
    from typer.testing import CliRunner

    from bookctl.cli import app

    shown = json.loads(
        CliRunner()
        .invoke(app, ["sessions", "show", session_id, "--json", "--data-dir", str(data_dir)])
        .stdout
    )
    assert [(t["question"], t["error"]) for t in shown["turns"]] == [
        ("How do I run migrations?", "cancelled")
    ]


def test_banner_shows_the_session_id_as_typed_whatever_its_digits() -> None:
    """A 12-hex session id is now and then all digits (or digits-e-digits); Rich would style it as a
    number, splitting it from its comma with escape codes, and the session line would not read back."""
    import io

    from rich.console import Console

    from bookctl.cli.ask_cmds import print_banner

    for session_id in ("123456789012", "1234e5678901", "a1b2c3d4e5f6"):
        out = io.StringIO()
        print_banner(
            Console(file=out, force_terminal=True, color_system="standard", width=200), session_id, "m"
        )
        assert f"session {session_id}, model m." in out.getvalue()
