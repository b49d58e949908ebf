"""CLI misuse, as a table: each case exits 2 with one line on stderr naming the problem, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parent.parent / "corpora"

CASES = [
    # (what, arguments, words the one line must contain)
    (
        "unknown chapter (ask)",
        ["ask", "How do I run migrations?", "--chapter", "Nope"],
        "unknown chapter 'Nope'",
    ),
    ("unknown chapter (search)", ["search", "migrations", "--chapter", "Nope"], "unknown chapter 'Nope'"),
    (
        "unknown session (ask)",
        ["ask", "How do I run migrations?", "--session", "no-such-id"],
        "unknown session 'no-such-id'",
    ),
    ("unknown session (show)", ["sessions", "show", "no-such-id"], "no-such-id"),
    ("unknown session (export)", ["sessions", "export", "--session", "no-such-id"], "no-such-id"),
    ("empty question", ["ask", ""], "the question is empty"),
    ("blank question", ["ask", "   "], "the question is empty"),
    ("empty search", ["search", ""], "the query is empty"),
    ("-k 0", ["search", "migrations", "-k", "0"], "-k must be at least 1"),
    ("negative -k", ["search", "migrations", "-k", "-3"], "-k must be at least 1"),
    (
        "-k 0 in eval",
        ["eval", ".", "-k", "0", "--gold", str(CORPORA.parent / "gold" / "kysely.yaml")],
        "-k must be at least 1",
    ),
    (
        "selection with chapter",
        ["ask", "Why?", "--selection", "Some text.", "--chapter", "Recipes"],
        "--selection and --chapter do not go together",
    ),
    ("empty selection", ["ask", "Why?", "--selection", ""], "the selection is empty"),
    (
        "missing selection file",
        ["ask", "Why?", "--selection", "@/no/such/file.txt"],
        "cannot read the selection file",
    ),
    ("selection from stdin, question from stdin", ["ask", "--selection", "-"], "a question must be given"),
    ("unknown search mode", ["search", "migrations", "--mode", "fuzzy"], "unknown mode 'fuzzy'"),
    ("unknown eval mode", ["eval", ".", "--mode", "fuzzy"], "unknown mode"),
    ("unknown export format", ["sessions", "export", "--format", "xml"], "unknown format 'xml'"),
    ("bad setting value", ["search", "migrations", "--batch-size", "x"], ""),
]


@pytest.mark.parametrize(("what", "args", "needle"), CASES, ids=[c[0] for c in CASES])
def test_misuse_is_one_line_and_exit_2(indexed_corpus, what: str, args: list[str], needle: str) -> None:  # type: ignore[no-untyped-def]
    _, data_dir = indexed_corpus("kysely")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOKCTL_", "OPENAI_"))}
    out = subprocess.run(
        [sys.executable, "-m", "bookctl", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=CORPORA / "kysely",
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 2, (what, out.returncode, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr + out.stdout
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    if needle:  # our own errors: exactly one line
        assert len(lines) == 1, lines
        assert needle in lines[0], lines
    else:  # an option the parser rejects: click's usage message, still exit 2 and no traceback
        assert lines
