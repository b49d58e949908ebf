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

import typer

from bookctl import __version__

app = typer.Typer(
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
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Turn a Docusaurus book into a grounded, cited study assistant."""


# Command modules register themselves on `app` when imported.
from bookctl.cli import (  # noqa: E402,F401
    ask_cmds,
    eval_cmds,
    index_cmds,
    sessions_cmds,
    site_cmds,
)


def _verbose_requested(argv: list[str]) -> bool:
    return "--verbose" in argv or "-v" in argv or os.environ.get("BOOKCTL_VERBOSE", "") in {"1", "true"}


def main() -> None:
    from bookctl.errors import BookctlError

    try:
        app()
    except BookctlError as exc:
        if _verbose_requested(sys.argv[1:]):
            import traceback

            traceback.print_exc()
        from rich.console import Console

        Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {exc}", markup=True,
                                                    soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
