"""The command line: a thin skin over the library.

Each command module parses options, makes one or two library calls and renders
with Rich. `main` is the one place that turns errors into a red line and an exit
code (see `bookctl.errors`); a traceback only with `--verbose`.
Heavy libraries (qdrant, fastembed, the agents SDK) are imported inside the
commands that need them, so `bookctl --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from bookctl import __version__


def _verbose_requested(argv: list[str]) -> bool:
    return "--verbose" in argv or "-v" in argv or os.environ.get("BOOKCTL_VERBOSE", "") in {"1", "true"}


class BookctlGroup(TyperGroup):
    """The one place that turns a BookctlError into a red line and its exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click Context (private module)
        from bookctl.errors import BookctlError

        try:
            return super().invoke(ctx)
        except BookctlError as exc:
            if _verbose_requested(sys.argv[1:]):
                import traceback

                traceback.print_exc()
            from rich.console import Console
            from rich.markup import escape

            # escape: a message may hold brackets ("[eval]", a file's "[1]") that are not markup
            Console(stderr=True, highlight=False).print(
                f"[bold red]error:[/] {escape(str(exc))}", markup=True, soft_wrap=True
            )
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=BookctlGroup,
    name="bookctl",
    help="Turn a Docusaurus book into a grounded, cited study assistant.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bookctl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Turn a Docusaurus book into a grounded, cited study assistant."""


# Command modules register themselves on `app` when imported.
from bookctl.cli import (  # noqa: E402,F401
    ai_tools_cmds,
    ask_cmds,
    eval_cmds,
    index_cmds,
    serve_cmds,
    sessions_cmds,
    site_cmds,
)

# Read-only commands that close their index and session log themselves. After them, tearing the
# interpreter down (module by module, with the agents SDK, pydantic and onnxruntime loaded) takes
# about 0.6 s that nobody waits for usefully, so they end with os._exit once everything is flushed.
FAST_EXIT_COMMANDS = {"ask", "search"}


def _command_of(argv: list[str]) -> str | None:
    return next((arg for arg in argv if not arg.startswith("-")), None)


def _exit_now(code: int) -> None:
    import atexit
    import threading

    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()  # logging, and the trace exporter when tracing is on
    if threading.active_count() == 1:  # a live thread may still be writing: then exit normally
        os._exit(code)


def main() -> None:
    if not _verbose_requested(sys.argv[1:]):
        import logging

        # The Agents SDK logs a failed model call ("Error getting response ...") before raising it; with
        # no logging set up Python prints that to stderr, beside the one line `main` shows for the error.
        logging.getLogger("openai.agents").addHandler(logging.NullHandler())
    try:
        app()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except SystemExit as exc:
        if _command_of(sys.argv[1:]) in FAST_EXIT_COMMANDS and isinstance(exc.code, int | None):
            _exit_now(exc.code or 0)
        raise
