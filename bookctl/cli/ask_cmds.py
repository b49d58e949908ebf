"""`bookctl ask`: one question (streamed), or an interactive session."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bookctl.cli import app
from bookctl.cli.options import DataDirOpt, DocsVersionOpt, IndexSiteOpt, JsonOpt, LocaleOpt, VerboseOpt

if TYPE_CHECKING:
    from rich.console import Console

    from bookctl.agent import AskResult
    from bookctl.chat import Assistant, ChatSession
    from bookctl.config import Settings

HELP_TEXT = """Commands: /chapter NAME (or /chapter to clear), /selection TEXT|@FILE (or /selection to clear),
/sources (sources of the last answer), /new (new session), /help, /quit. Ctrl-C cancels an answer."""


def read_selection(value: str | None) -> str | None:
    from bookctl.errors import InputError

    if value is None:
        return None
    if value == "-":
        text = sys.stdin.read()
    elif value.startswith("@"):
        path = Path(value[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the selection file {path}: {exc}") from None
    else:
        text = value
    if not text.strip():
        raise InputError("the selection is empty", fix="pass the selected text, @FILE or - for stdin")
    return text.strip()


def render_sources(console: Console, result: AskResult, *, verbose: bool = False) -> None:
    if verbose and result.rewritten_query:
        from rich.markup import escape

        console.print(f"[dim]searched as: {escape(result.rewritten_query)}[/]", highlight=False)
    render_citations(console, list(result.citations))


def render_citations(console: Console, citations: list[Any]) -> None:
    """The numbered sources an answer's [n] markers point to."""
    if not citations:
        return
    from rich.markup import escape

    from bookctl.cli.output import printable

    console.print("\n[bold]Sources[/]")
    for c in citations:
        where = escape(printable(str(c.get("where", ""))))
        console.print(f"  \\[{c.get('n', '')}] {where}  [blue]{escape(c['url'])}[/]", highlight=False)


@app.command()
def ask(
    question: Annotated[
        str | None,
        typer.Argument(help="Your question; leave it out for an interactive session.", show_default=False),
    ] = None,
    chapter: Annotated[str | None, typer.Option("--chapter", help="Search only this chapter.")] = None,
    selection: Annotated[
        str | None,
        typer.Option(
            "--selection",
            help="Answer only from this passage: TEXT, @FILE, or - for stdin (no search).",
            show_default=False,
        ),
    ] = None,
    session: Annotated[str | None, typer.Option("--session", help="Continue this session id.")] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="offline, an OpenAI model, or a model of the "
            "server at BOOKCTL_LLM_BASE_URL \\[env: BOOKCTL_MODEL].",
            show_default=False,
        ),
    ] = None,
    site: IndexSiteOpt = None,
    data_dir: DataDirOpt = None,
    version: DocsVersionOpt = None,
    locale: LocaleOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Ask the book. Answers cite the exact sections; offline without an API key.

    Every session and turn is logged (SQLite in the data dir, or BOOKCTL_DATABASE_URL).
    """
    from bookctl.cli.options import settings_from
    from bookctl.errors import InputError

    settings = settings_from(
        site=site,
        data_dir=data_dir,
        model=model,
        docs_version=version,
        locale=locale,
        verbose=verbose or None,
    )
    if question is None and selection == "-":
        raise InputError("--selection - reads stdin, so a question must be given on the command line")
    selected = read_selection(selection)
    if question is not None and not question.strip():
        raise InputError(
            "the question is empty", fix='ask something, e.g. bookctl ask "What is a ROS 2 node?"'
        )
    if selected is not None and chapter is not None:
        raise InputError(
            "--selection and --chapter do not go together",
            fix="a selection is answered from the passage alone, without searching any chapter",
        )
    if session is not None and not session.strip():
        raise InputError("--session is empty", fix="`bookctl sessions list` shows the ids")
    asyncio.run(
        _ask_main(
            settings,
            question,
            chapter=chapter,
            selection=selected,
            session_id=session,
            json_output=json_output,
        )
    )


async def _ask_main(
    settings: Settings,
    question: str | None,
    *,
    chapter: str | None,
    selection: str | None,
    session_id: str | None,
    json_output: bool,
) -> None:
    from rich.console import Console

    from bookctl.chat import Assistant

    assistant = await Assistant.open(settings, need_index=selection is None)
    try:
        err = Console(stderr=True)
        for note in assistant.notes:
            err.print(f"[yellow]note:[/] {note}", highlight=False)
        session = await assistant.session(session_id, create=False, origin="cli")
        if chapter is not None:
            chapter = await assistant.resolve_chapter(chapter)  # an unknown chapter fails here, once
        if question is not None:
            await _one_shot(session, question, chapter, selection, json_output)
        elif not sys.stdin.isatty():
            for line in sys.stdin:
                if line.strip():
                    await _one_shot(session, line.strip(), chapter, selection, json_output)
        else:
            await _repl(assistant, session, chapter, selection)
    finally:
        await assistant.close()


async def _one_shot(
    session: ChatSession, question: str, chapter: str | None, selection: str | None, json_output: bool
) -> None:
    if json_output:
        r = await session.ask(question, chapter=chapter, selection=selection)
        print(
            json.dumps(
                {
                    "question": question,
                    "answer": r.answer,
                    "abstained": r.abstained,
                    "citations": r.citations,
                    "session_id": r.session_id,
                    "turn_id": r.turn_id,
                    "model": r.model,
                    "provider": r.provider,
                    "latency_ms": r.latency_ms,
                    "rewritten_query": r.rewritten_query,
                },
                ensure_ascii=False,
            )
        )
        return
    from bookctl.cli.output import console

    await _streamed(session, console(), question, chapter, selection)


async def _streamed(
    session: ChatSession, console: Console, question: str, chapter: str | None, selection: str | None
) -> None:
    from contextlib import aclosing

    from rich.live import Live
    from rich.markdown import Markdown

    from bookctl.chat import TextDelta, TurnDone

    if console.is_terminal:
        text: list[str] = []
        with Live(Markdown(""), console=console, refresh_per_second=12, transient=False) as live:
            async with aclosing(session.stream(question, chapter=chapter, selection=selection)) as events:
                async for event in events:
                    if isinstance(event, TextDelta):
                        text.append(event.text)
                        live.update(Markdown("".join(text)))
                    elif isinstance(event, TurnDone):
                        result = event.result
    else:
        result = await session.ask(question, chapter=chapter, selection=selection)
        console.print(Markdown(result.answer))
    render_sources(console, result, verbose=session.assistant.settings.verbose)


def print_banner(console: Console, session_id: str, model: str) -> None:
    # highlight=False: Rich would style an all-digit session id (a 12-hex id is one now and then) as a number
    console.print(
        f"[dim]bookctl ask — session {session_id}, model {model}. /help for commands.[/]", highlight=False
    )


async def _repl(
    assistant: Assistant, session: ChatSession, chapter: str | None, selection: str | None
) -> None:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    from bookctl.cli.output import console as make_console
    from bookctl.errors import BookctlError

    console = make_console()
    data_dir = assistant.settings.resolved_data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(history=FileHistory(str(data_dir / "ask_history")))
    print_banner(console, session.id, assistant.provider.model)
    while True:
        try:
            line = (await prompt.prompt_async("ask> ")).strip()
        except KeyboardInterrupt:
            continue
        except EOFError:
            return
        if not line:
            continue
        if line.startswith("/"):
            cmd, _, arg = line.partition(" ")
            if cmd in {"/quit", "/exit"}:
                return
            if cmd == "/help":
                console.print(HELP_TEXT)
            elif cmd == "/chapter":
                try:
                    chapter = await assistant.resolve_chapter(arg.strip()) if arg.strip() else None
                    console.print(f"chapter: {chapter or 'all'}", highlight=False)
                except BookctlError as exc:  # the chapter stays as it was
                    console.print(f"[red]error:[/] {exc}", highlight=False)
            elif cmd == "/selection":
                try:
                    selection = read_selection(arg.strip()) if arg.strip() else None
                except BookctlError as exc:
                    console.print(f"[red]error:[/] {exc}")
                console.print("answering from the selection" if selection else "selection cleared")
            elif cmd == "/sources":
                if session.last is not None:
                    render_sources(console, session.last, verbose=assistant.settings.verbose)
            elif cmd == "/new":
                session = await assistant.session(origin="cli")
                console.print(f"new session {session.id}", highlight=False)
            else:
                console.print(f"unknown command {cmd}; /help lists them")
            continue
        # Ctrl-C at the prompt is a key (prompt_toolkit reads raw input). While an answer streams it
        # is SIGINT, which asyncio would turn into cancelling the whole session: here it cancels the answer.
        answer = asyncio.ensure_future(
            _streamed(session, console, line, None if selection else chapter, selection)
        )
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, answer.cancel)
        try:
            await answer
        except asyncio.CancelledError:
            if not answer.cancelled():
                raise  # the session itself is being cancelled, not just this answer
            console.print("[dim](cancelled)[/]")
        except BookctlError as exc:
            console.print(f"[red]error:[/] {exc}")
        finally:
            loop.remove_signal_handler(signal.SIGINT)
