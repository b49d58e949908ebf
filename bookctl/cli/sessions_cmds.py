"""`bookctl sessions ...` (the session log) and `bookctl doctor` (what is set up, what to fix)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from bookctl.config import Settings
    from bookctl.db import SessionLog

from bookctl.cli import app
from bookctl.cli.options import DataDirOpt, IndexSiteOpt, JsonOpt, VerboseOpt

T = TypeVar("T")

sessions_app = typer.Typer(
    help="The session log: list, show, export and sync sessions.", no_args_is_help=True
)
app.add_typer(sessions_app, name="sessions")


async def _with_log(settings: Settings, fn: Callable[[SessionLog], Awaitable[T]]) -> T:
    from bookctl.db import SessionLog

    log = await SessionLog.open(settings, required=True)
    try:
        return await fn(log)
    finally:
        await log.close()


def _settings(site: Path | None, data_dir: Path | None, verbose: bool) -> Settings:
    from bookctl.cli.options import settings_from

    return settings_from(site=site, data_dir=data_dir, verbose=verbose or None)


@sessions_app.command("list")
def list_sessions(
    limit: Annotated[int, typer.Option("--limit", help="How many, newest first.")] = 20,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            help="Only this reader's sessions (the user id: a signed-in reader's JWT `sub`).",
            show_default=False,
        ),
    ] = None,
    site: IndexSiteOpt = None,
    data_dir: DataDirOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """List sessions, newest first."""
    rows = asyncio.run(
        _with_log(_settings(site, data_dir, verbose), lambda log: log.list_sessions(limit, user=user))
    )
    if json_output:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Sessions", title_justify="left")
    for col in ("id", "started", "model", "turns"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["started_at"][:19], r["model"], str(r["turns"]))
    Console().print(table)


async def _session_or_fail(log: SessionLog, session_id: str) -> dict[str, Any]:
    from bookctl.errors import InputError

    session = await log.get_session(session_id)
    if session is None:
        raise InputError(f"no session {session_id!r}", fix="`bookctl sessions list` shows the ids")
    return session


@sessions_app.command("show")
def show_session(
    session_id: Annotated[str, typer.Argument(help="The session id.")],
    site: IndexSiteOpt = None,
    data_dir: DataDirOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Show one session with its turns."""
    session = asyncio.run(
        _with_log(_settings(site, data_dir, verbose), lambda log: _session_or_fail(log, session_id))
    )
    if json_output:
        print(json.dumps(session, indent=2, ensure_ascii=False))
        return
    from rich.markdown import Markdown
    from rich.markup import escape

    from bookctl.cli.ask_cmds import render_citations
    from bookctl.cli.output import console as make_console
    from bookctl.cli.output import printable

    console = make_console()
    console.print(
        f"[bold]Session {session['id']}[/] {session['started_at'][:19]} {session['model']} ({session['origin']})",
        highlight=False,
    )
    for t in session["turns"]:
        console.print(f"\n[bold cyan]Q{t['seq']}:[/] {escape(printable(t['question']))}", highlight=False)
        for label, value in (("chapter", t["chapter"]), ("selection", t["selection"])):
            if value:
                console.print(f"[dim]{label}: {escape(printable(value))}[/]", highlight=False)
        if t["answer"]:
            console.print(Markdown(t["answer"]))
        if t["error"]:
            console.print(f"[yellow]({escape(t['error'])})[/]", highlight=False)
        render_citations(console, t["citations"])


@sessions_app.command("export")
def export_sessions(
    fmt: Annotated[str, typer.Option("--format", help="jsonl (one session per line) or md.")] = "jsonl",
    session_id: Annotated[str | None, typer.Option("--session", help="Only this session.")] = None,
    site: IndexSiteOpt = None,
    data_dir: DataDirOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Export sessions with their turns, as JSON lines or Markdown."""
    from bookctl.errors import InputError

    if fmt not in {"jsonl", "md"}:
        raise InputError(f"unknown format {fmt!r}", fix="use --format jsonl or --format md")

    async def collect(log: Any) -> list[Any]:
        ids = [session_id] if session_id else [r["id"] for r in await log.list_sessions(100000)]
        return [await _session_or_fail(log, i) for i in ids]

    sessions = asyncio.run(_with_log(_settings(site, data_dir, verbose), collect))
    for s in sessions:
        if fmt == "jsonl":
            print(json.dumps(s, ensure_ascii=False))
            continue
        print(markdown_session(s))


def markdown_session(s: dict[str, Any]) -> str:
    """One session as Markdown: every turn (cancelled and failed ones too) with its chapter filter,
    selection, answer and sources."""
    lines = [
        f"# Session {s['id']}",
        "",
        f"{s['started_at']} · {s['origin']} · {s['provider']} · {s['model']}",
        "",
    ]
    for t in s["turns"]:
        lines += [f"## {t['seq']}. {t['question']}", ""]
        if t["chapter"]:
            lines += [f"Chapter: {t['chapter']}", ""]
        if t["selection"]:
            lines += ["Selection:", "", *(f"> {line}" for line in t["selection"].splitlines()), ""]
        if t["answer"]:
            lines += [t["answer"], ""]
        if t["error"]:
            lines += [f"*({t['error']})*", ""]
        lines += [f"- [{c.get('n', '')}] {c.get('where', '')} <{c['url']}>" for c in t["citations"]]
        lines.append("")
    return "\n".join(lines)


@sessions_app.command("sync")
def sync_sessions(
    site: IndexSiteOpt = None,
    data_dir: DataDirOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Write turns journaled while the database was unreachable (each exactly once)."""
    from bookctl.db import SessionLog

    settings = _settings(site, data_dir, verbose)

    async def main() -> dict[str, int]:
        log = await SessionLog.open(settings, sync=False, required=True)
        try:
            return await log.sync()
        finally:
            await log.close()

    counts = asyncio.run(main())
    if json_output:
        print(json.dumps(counts))
    else:
        print(
            f"written {counts['written']}, already there {counts['skipped']}, still pending {counts['pending']}"
        )


@app.command()
def doctor(
    site: IndexSiteOpt = None,
    data_dir: DataDirOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Check the model provider, the index and the database, and print the fix for each problem."""
    from bookctl.doctor import diagnose

    checks = asyncio.run(diagnose(_settings(site, data_dir, verbose)))
    if json_output:
        print(json.dumps([c.as_dict() for c in checks], indent=2, ensure_ascii=False))
    else:
        from rich.console import Console

        console = Console()
        for c in checks:
            mark = "[green]ok[/]" if c.ok else "[red]FAIL[/]"
            console.print(f"{mark}  [bold]{c.check}[/]: {c.detail}", highlight=False)
            if not c.ok and c.fix:
                console.print(f"      fix: {c.fix}", highlight=False)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)
