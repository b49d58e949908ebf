"""Options shared by several commands, and the one way a command gets its settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from bookctl.config import Settings

# The site: `--site SITE` on every command (the one rule); the commands that read the site itself
# (chapters, ingest, eval) also take it as their first argument, as they always did.
SiteArg = Annotated[
    Path | None,
    typer.Argument(
        help="Docusaurus site root, or a folder with docs/ and sidebars.*; default: this folder "
        "(the same as --site).",
        show_default=False,
    ),
]
SiteOpt = Annotated[
    Path | None,
    typer.Option(
        "--site",
        help="Docusaurus site root, or a folder with docs/ and sidebars.* \\[default: this folder].",
        show_default=False,
    ),
]
DocsOpt = Annotated[
    Path | None,
    typer.Option(
        "--docs", help="Docs folder (overrides the site's) \\[env: BOOKCTL_DOCS].", show_default=False
    ),
]
SidebarsOpt = Annotated[
    Path | None,
    typer.Option(
        "--sidebars",
        help="Sidebars file (.js/.cjs/.mjs/.ts/.json) \\[env: BOOKCTL_SIDEBARS].",
        show_default=False,
    ),
]
RouteBasePathOpt = Annotated[
    str | None,
    typer.Option(
        "--route-base-path",
        help="Docs plugin routeBasePath \\[env: BOOKCTL_ROUTE_BASE_PATH].",
        show_default=False,
    ),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--site-base-url",
        "--base-url",
        help="The site's Docusaurus baseUrl (--base-url: its old name) \\[env: BOOKCTL_SITE_BASE_URL].",
        show_default=False,
    ),
]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        help="Glob of docs to leave out (repeatable); replaces the default excludes.",
        show_default=False,
    ),
]
DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where the index and logs live \\[default: .bookctl/ beside the site] \\[env: BOOKCTL_DATA_DIR].",
        show_default=False,
    ),
]
IndexSiteOpt = Annotated[
    Path | None,
    typer.Option(
        "--site", help="The site whose index and logs to use \\[default: this folder].", show_default=False
    ),
]
DocsVersionOpt = Annotated[
    str | None,
    typer.Option(
        "--version",
        help="Docs version to read: its name or label (0.22, current, Next) \\[default: the one readers "
        "land on: each docs instance's last release] \\[env: BOOKCTL_DOCS_VERSION].",
        show_default=False,
    ),
]
LocaleOpt = Annotated[
    str | None,
    typer.Option(
        "--locale",
        help="Locale of the docs to read (ja, zh-Hans) \\[default: search and ask read the locale of "
        "the question's language when the site has one, else the site's default locale] \\[env: BOOKCTL_LOCALE].",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Show tracebacks and where settings came from.")
]


def pick_site(positional: Path | None, option: Path | None) -> Path | None:
    """The site of a command that takes it both ways (SITE and --site)."""
    if positional is not None and option is not None and positional != option:
        from bookctl.errors import InputError

        raise InputError(
            f"two sites given: {positional} and --site {option}", fix="give the site once (SITE or --site)"
        )
    return positional if positional is not None else option


def settings_from(**flags: Any) -> Settings:
    """Resolve settings from this command's flags (None = not given); see bookctl.config."""
    from bookctl.config import load_settings

    settings = load_settings(flags)
    if settings.verbose or settings.notes:
        from rich.console import Console

        err = Console(stderr=True)
        for note in settings.notes:
            err.print(f"[yellow]note:[/] {note}", highlight=False)
    if settings.verbose:
        for name, shown, source in settings.describe():
            err.print(f"[dim]setting {name} = {shown}  ({source})[/]", highlight=False)
    return settings


@contextmanager
def stage_lines(enabled: bool, every_s: float = 5.0) -> Iterator[Callable[[str, int, int], None]]:
    """Progress for a pipe or a log: one stderr line per stage when it starts and ends, and at most one
    every `every_s` seconds in between ("embed 3200/9000")."""
    import sys
    import time

    last: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        first = stage not in last
        if first or done >= total or now - last[stage] >= every_s:
            last[stage] = now
            print(f"{stage} {done}/{total}", file=sys.stderr, flush=True)

    yield progress if enabled else (lambda stage, done, total: None)


@contextmanager
def stage_bars(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """Progress bars on stderr, one per stage, gone when done; `progress(stage, done, total)`.
    Disabled (a no-op) for --json, dry runs and when stderr is not a terminal."""
    if not enabled:
        yield lambda stage, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bars = Progress(
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total or 1)
        bars.update(tasks[stage], completed=done if total else 1, total=total or 1)

    with bars:
        yield progress
