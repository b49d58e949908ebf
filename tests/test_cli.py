"""The CLI shell: help for every command, version, fast start-up, errors as one line."""

from __future__ import annotations

import subprocess
import sys

import click
import typer
from typer.testing import CliRunner

from bookctl import __version__
from bookctl.cli import app

runner = CliRunner()


def _all_commands() -> list[list[str]]:
    root = typer.main.get_command(app)
    found: list[list[str]] = []

    def walk(cmd: click.Command, path: list[str]) -> None:
        # typer vendors its own click: a group is whatever has subcommands
        subcommands = getattr(cmd, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, [*path, name])
        else:
            found.append(path)

    walk(root, [])
    assert len(found) > 10, found  # every command, not just the root
    return found


def test_root_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    assert "study assistant" in result.output


def test_every_command_has_help_text() -> None:
    commands = _all_commands()
    for path in commands:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        cmd = typer.main.get_command(app)
        for part in path:
            cmd = cmd.commands[part]  # type: ignore[attr-defined]
        assert (cmd.help or "").strip(), f"bookctl {' '.join(path)} has no help text"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from bookctl.cli import app; "
        "heavy = [m for m in ('qdrant_client', 'fastembed', 'onnxruntime', 'agents', 'sqlalchemy', "
        "'openai', 'qdrant_edge', 'quickjs') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported at start-up: {out.stdout.strip()}"


def test_bad_setting_is_one_line_exit_2() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bookctl", "chapters"],
        capture_output=True,
        text=True,
        env={"BOOKCTL_BATCH_SIZE": "nope", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert "BOOKCTL_BATCH_SIZE" in out.stderr


def test_help_texts_keep_their_bracketed_parts() -> None:
    """Rich markup once ate '[env: ...]' and '[eval]' from help texts, leaving 'BOOKCTL_BASE_URL .'."""
    import re

    for path in _all_commands():
        out = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "250"}).output
        assert not re.search(r"\S \.(\s|│|$)", out, re.M), (path, out)
    assert "[env: BOOKCTL_MODEL]" in runner.invoke(app, ["ask", "--help"], env={"COLUMNS": "250"}).output
    ingest_help = runner.invoke(app, ["ingest", "--help"], env={"COLUMNS": "250"}).output
    assert (
        "[env: BOOKCTL_DOCS]" in ingest_help
        and "--site-base-url" in ingest_help
        and "--base-url" in ingest_help
    )


def test_one_rule_for_the_site_argument() -> None:
    """--site on every command that reads a site or its data; chapters, ingest and eval also take it first."""
    from pathlib import Path

    root = typer.main.get_command(app)
    for path in _all_commands():
        cmd = root
        for part in path:
            cmd = cmd.commands[part]  # type: ignore[attr-defined]
        opts = {opt for p in cmd.params for opt in getattr(p, "opts", [])}
        assert "--site" in opts, f"bookctl {' '.join(path)} has no --site"
    kysely = str(Path(__file__).resolve().parent / "corpora" / "kysely")
    positional = runner.invoke(app, ["chapters", kysely, "--json"])
    option = runner.invoke(app, ["chapters", "--site", kysely, "--json"])
    assert positional.exit_code == 0 and positional.stdout == option.stdout
    both = runner.invoke(app, ["chapters", kysely, "--site", "/elsewhere"])
    assert both.exit_code == 2 and "two sites given" in both.output


def test_the_old_llm_url_variable_still_works_with_a_note() -> None:
    from bookctl.config import load_settings

    old = load_settings({}, env={"BOOKCTL_BASE_URL": "http://127.0.0.1:9/v1"})
    assert old.llm_base_url == "http://127.0.0.1:9/v1"
    assert old.notes == ["BOOKCTL_BASE_URL is now BOOKCTL_LLM_BASE_URL; the old name still works"]
    new = load_settings({}, env={"BOOKCTL_LLM_BASE_URL": "http://127.0.0.1:8/v1", "BOOKCTL_BASE_URL": "x"})
    assert new.llm_base_url == "http://127.0.0.1:8/v1" and new.notes == []
