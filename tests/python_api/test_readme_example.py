"""The README's "Python API" example runs as it is written, and every command works from Python."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bookctl

REPO = Path(__file__).resolve().parent.parent.parent


def _readme_example() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(
        r"<!-- python-api-example: begin -->\n```python\n(.*?)```\n<!-- python-api-example: end -->",
        readme,
        re.S,
    )
    assert m, "the README has no Python API example"
    return m.group(1)


def test_the_readme_example_runs_verbatim(tmp_path: Path) -> None:
    # the example's paths are the repository's: run it in a copy of the parts it uses
    shutil.copytree(REPO / "tests" / "corpora" / "kysely", tmp_path / "tests" / "corpora" / "kysely")
    out = subprocess.run(
        [sys.executable, "-c", _readme_example()], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert re.fullmatch(r"\d+ docs, \d+ chunks", lines[0])
    assert "savepoint" in " ".join(lines[1:4]).lower()
    assert re.search(r"^\[1\] /docs/migrations", out.stdout, re.M)
    m = re.search(r"session ([0-9a-f]{12}), turn ([0-9a-f]{32})", out.stdout)
    assert m, out.stdout
    # its turns were logged: both sessions, origin python, as `bookctl sessions` shows them
    data_dir = tmp_path / "tests" / "corpora" / "kysely" / ".bookctl"
    listed = subprocess.run(
        [sys.executable, "-m", "bookctl", "sessions", "list", "--json", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    sessions = json.loads(listed.stdout)
    assert len(sessions) == 2 and {s["origin"] for s in sessions} == {"python"}
    assert {s["turns"] for s in sessions} == {1}
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "bookctl",
            "sessions",
            "show",
            m.group(1),
            "--json",
            "--data-dir",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    [turn] = json.loads(shown.stdout)["turns"]
    assert turn["id"] == m.group(2) and turn["chapter"] == "Examples"  # "examples" is the chapter's prefix


def test_the_public_names_load_on_first_use() -> None:
    code = (
        "import sys, bookctl; assert 'bookctl.chat' not in sys.modules and 'agents' not in sys.modules; "
        "from bookctl import Book, Settings, AskResult, BookctlError, TurnDone; "
        "assert 'bookctl.chat' in sys.modules; print(Book.__module__, Settings.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["bookctl.book", "bookctl.config"]
    assert sorted(bookctl.__all__) == sorted(["__version__", *bookctl._EXPORTS])
    for name in bookctl._EXPORTS:
        assert getattr(bookctl, name) is not None
    with pytest.raises(AttributeError):
        bookctl.Nope  # noqa: B018


def test_every_command_works_from_python(indexed_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ingest, search, chapters, ask, sessions, doctor and eval, with no Typer in sight."""
    from bookctl import Book
    from bookctl.doctor import diagnose
    from bookctl.evals import run_eval

    settings, data_dir = indexed_corpus("kysely")
    book = Book.open(settings.site, data_dir=data_dir)
    with book:
        assert book.ingest(dry_run=True).to_embed_count() == 0
        assert book.search("savepoints", k=2)[0].doc_id.startswith("examples/transactions/")
        assert "Examples" in book.chapters() and book.site().docs
        report = run_eval(book.settings, REPO / "tests" / "gold" / "kysely.yaml", modes=("sparse",))
        assert report["modes"]["sparse"]["recall_at_1"] > 0.5
        snapshot = book.searcher().snapshot
    assert snapshot is not None and not snapshot.exists()  # closing the book removed its copy of the index
    checks = asyncio.run(diagnose(book.settings))
    assert [(c.check, c.ok) for c in checks] == [("model", True), ("index", True), ("database", True)]

    async def conversation() -> None:
        async with Book.open(settings.site, data_dir=data_dir) as book:
            first = await book.ask("How do I run migrations?", user="ada")
            chat = await book.chat(first.session_id, user="ada", create=False)
            again = await chat.ask("What is a savepoint?")
            assert again.session_id == first.session_id
            log = (await book.assistant()).log
            logged = await log.get_session(first.session_id)
            assert logged is not None and [t["seq"] for t in logged["turns"]] == [1, 2]
            assert logged["origin"] == "python" and logged["user"] == "ada"

    asyncio.run(conversation())
