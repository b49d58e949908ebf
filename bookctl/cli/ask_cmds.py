"""`bookctl ask`: one question (streamed), or an interactive session."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from bookctl.cli import app
from bookctl.cli.options import DataDirOpt, IndexSiteOpt, JsonOpt, VerboseOpt

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


class Session:
    """One ask session: searcher, provider, session log and memory, reused across turns."""

    def __init__(self, settings: Any, *, session_id: str | None, need_index: bool) -> None:
        self.settings = settings
        self.session_id_wanted = session_id
        self.need_index = need_index
        self.searcher: Any = None
        self.log: Any = None
        self.session_id: str | None = None
        self.last: Any = None

    async def open(self) -> None:
        from bookctl.agent import choose_provider
        from bookctl.db import SessionLog

        self.provider = choose_provider(self.settings)
        if self.need_index:
            from bookctl.index import open_searcher

            self.searcher = open_searcher(self.settings)
        self.log = await SessionLog.open(self.settings)
        if self.log.last_error:
            from rich.console import Console

            Console(stderr=True).print(
                f"[yellow]warning:[/] session log unavailable, turns are journaled "
                f"locally: {self.log.last_error}",
                highlight=False,
            )
        for note in self.log.target.notes:
            from rich.console import Console

            Console(stderr=True).print(f"[yellow]note:[/] {note}", highlight=False)
        wanted = self.session_id_wanted
        if wanted is not None and not self.log.last_error and not await self.log.has_session(wanted):
            from bookctl.errors import InputError

            raise InputError(
                f"unknown session {wanted!r}",
                fix="`bookctl sessions list` shows the ids; leave out --session to start a new one",
            )
        await self.new_session(wanted)

    async def new_session(self, session_id: str | None = None) -> None:
        self.session_id = await self.log.start_session(
            site=str(self.settings.site_root.resolve()),
            provider=self.provider.name,
            model=self.provider.model,
            session_id=session_id,
        )
        self.memory = self.log.memory(self.session_id)

    async def ask(
        self, question: str, *, chapter: str | None, selection: str | None, on_delta: Any = None
    ) -> Any:
        from bookctl.agent import AskResult, run_turn
        from bookctl.db import TurnRecord
        from bookctl.errors import BookctlError, InputError

        if not question.strip():
            raise InputError(
                "the question is empty", fix='ask something, e.g. bookctl ask "What is a ROS 2 node?"'
            )
        if selection is None and self.searcher is None:
            from bookctl.index import open_searcher

            self.searcher = open_searcher(self.settings)
        error = None
        try:
            result = await run_turn(
                question,
                settings=self.settings,
                searcher=self.searcher,
                provider=self.provider,
                memory=self.memory,
                chapter=chapter,
                selection=selection,
                on_delta=on_delta,
            )
        except BookctlError:
            raise
        except asyncio.CancelledError:  # Ctrl-C during the answer: the question is still logged
            await self.log.record_turn(
                self.session_id,
                TurnRecord(
                    question=question,
                    answer="",
                    model=self.provider.model,
                    selection=selection,
                    chapter=chapter,
                    citations=[],
                    retrieved=[],
                    latency_ms={},
                    usage={},
                    error="cancelled by the reader",
                    abstained=False,
                ),
            )
            raise
        except Exception as exc:  # a provider failure: logged, then shown as one line
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            result = AskResult(
                answer="",
                abstained=False,
                citations=[],
                sources=[],
                model=self.provider.model,
                provider=self.provider.name,
                latency_ms={},
                error=error,
            )
        started = asyncio.get_running_loop().time()
        result.session_id = self.session_id
        result.turn_id = await self.log.record_turn(
            self.session_id,
            TurnRecord(
                question=question,
                answer=result.answer,
                model=result.model,
                selection=selection,
                chapter=chapter,
                citations=result.citations,
                retrieved=[{"chunk_id": s["chunk_id"], "score": s["score"]} for s in result.sources],
                latency_ms=result.latency_ms,
                usage=result.usage,
                error=error,
                abstained=result.abstained,
            ),
        )
        result.latency_ms["log"] = round((asyncio.get_running_loop().time() - started) * 1000, 1)
        self.last = result
        if error:
            from bookctl.errors import ServiceError

            raise ServiceError(f"the model failed: {error}", fix="run `bookctl doctor`; the turn was logged")
        return result

    async def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        if self.log is not None:
            await self.log.close()


def render_sources(console: Any, result: Any) -> None:
    if not result.citations:
        return
    console.print("\n[bold]Sources[/]")
    for c in result.citations:
        console.print(f"  [{c['n']}] {c['where']}  [blue]{c['url']}[/]", highlight=False, markup=True)


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
            "server at BOOKCTL_BASE_URL [env: BOOKCTL_MODEL].",
            show_default=False,
        ),
    ] = None,
    site: IndexSiteOpt = None,
    data_dir: DataDirOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Ask the book. Answers cite the exact sections; offline without an API key.

    Every session and turn is logged (SQLite in the data dir, or BOOKCTL_DATABASE_URL).
    """
    from bookctl.cli.options import settings_from
    from bookctl.errors import InputError

    settings = settings_from(site=site, data_dir=data_dir, model=model, verbose=verbose or None)
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
    settings: Any,
    question: str | None,
    *,
    chapter: str | None,
    selection: str | None,
    session_id: str | None,
    json_output: bool,
) -> None:
    from rich.console import Console

    s = Session(settings, session_id=session_id, need_index=selection is None)
    try:
        await s.open()
        if chapter is not None and s.searcher is not None:
            s.searcher.search("chapter check", k=1, chapter=chapter)  # an unknown chapter fails here, once
        if question is not None:
            await _one_shot(s, question, chapter, selection, json_output)
        elif not sys.stdin.isatty():
            for line in sys.stdin:
                if line.strip():
                    await _one_shot(s, line.strip(), chapter, selection, json_output)
        else:
            await _repl(s, chapter, selection)
    finally:
        await s.close()
    del Console


async def _one_shot(
    s: Session, question: str, chapter: str | None, selection: str | None, json_output: bool
) -> None:
    from rich.console import Console

    console = Console()
    if json_output:
        r = await s.ask(question, chapter=chapter, selection=selection)
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
                },
                ensure_ascii=False,
            )
        )
        return
    await _streamed(s, console, question, chapter, selection)


async def _streamed(
    s: Session, console: Any, question: str, chapter: str | None, selection: str | None
) -> None:
    from rich.live import Live
    from rich.markdown import Markdown

    text: list[str] = []
    if console.is_terminal:
        with Live(Markdown(""), console=console, refresh_per_second=12, transient=False) as live:

            def on_delta(delta: str) -> None:
                text.append(delta)
                live.update(Markdown("".join(text)))

            await s.ask(question, chapter=chapter, selection=selection, on_delta=on_delta)
    else:
        result = await s.ask(question, chapter=chapter, selection=selection)
        console.print(Markdown(result.answer))
    render_sources(console, s.last)


def print_banner(console: Any, session_id: str, model: str) -> None:
    # highlight=False: Rich would style an all-digit session id (a 12-hex id is one now and then) as a number
    console.print(
        f"[dim]bookctl ask — session {session_id}, model {model}. /help for commands.[/]", highlight=False
    )


async def _repl(s: Session, chapter: str | None, selection: str | None) -> None:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from rich.console import Console

    from bookctl.errors import BookctlError

    console = Console()
    s.settings.resolved_data_dir.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(
        history=FileHistory(str(s.settings.resolved_data_dir / "ask_history"))
    )
    assert s.session_id is not None  # set by Session.open()
    print_banner(console, s.session_id, s.provider.model)
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
                chapter = arg.strip() or None
                console.print(f"chapter: {chapter or 'all'}")
            elif cmd == "/selection":
                try:
                    selection = read_selection(arg.strip()) if arg.strip() else None
                except BookctlError as exc:
                    console.print(f"[red]error:[/] {exc}")
                console.print("answering from the selection" if selection else "selection cleared")
            elif cmd == "/sources":
                if s.last is not None:
                    render_sources(console, s.last)
            elif cmd == "/new":
                await s.new_session()
                console.print(f"new session {s.session_id}", highlight=False)
            else:
                console.print(f"unknown command {cmd}; /help lists them")
            continue
        # Ctrl-C at the prompt is a key (prompt_toolkit reads raw input). While an answer streams it
        # is SIGINT, which asyncio would turn into cancelling the whole session: here it cancels the answer.
        answer = asyncio.ensure_future(_streamed(s, console, line, chapter, selection))
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
