"""Commands over the index: `bookctl ingest`, `bookctl search`, `bookctl status`."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from bookctl.cli import app
from bookctl.cli.options import (
    BaseUrlOpt,
    DataDirOpt,
    DocsOpt,
    DocsVersionOpt,
    ExcludeOpt,
    IndexSiteOpt,
    JsonOpt,
    LocaleOpt,
    RouteBasePathOpt,
    SidebarsOpt,
    SiteArg,
    SiteOpt,
    VerboseOpt,
    pick_site,
    stage_bars,
    stage_lines,
)
from bookctl.cli.site_cmds import site_settings


def _stats_table(stats: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(title="Chunks per chapter", title_justify="left")
    for col in ("chapter", "docs", "chunks", "tokens p50", "p95", "max"):
        table.add_column(col, justify="left" if col == "chapter" else "right")
    for row in stats["chapters"]:
        table.add_row(
            row["chapter"] or "(no chapter)",
            str(row["docs"]),
            str(row["chunks"]),
            str(row["p50"]),
            str(row["p95"]),
            str(row["max"]),
        )
    t = stats["tokens"]
    table.add_row(
        "[bold]all[/]", str(stats["docs"]), str(stats["chunks"]), str(t["p50"]), str(t["p95"]), str(t["max"])
    )
    return table


@app.command()
def ingest(
    site: SiteArg = None,
    docs: DocsOpt = None,
    sidebars: SidebarsOpt = None,
    route_base_path: RouteBasePathOpt = None,
    base_url: BaseUrlOpt = None,
    exclude: ExcludeOpt = None,
    data_dir: DataDirOpt = None,
    full: Annotated[bool, typer.Option("--full", help="Rebuild the index from scratch.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan and chunk statistics; embed nothing.")
    ] = False,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size",
            help="Chunks embedded and upserted per batch \\[env: BOOKCTL_BATCH_SIZE].",
            show_default=False,
        ),
    ] = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
    site_option: SiteOpt = None,
) -> None:
    """Index the book: parse, chunk, embed what changed, upsert in batches, drop what was removed.

    Re-running on an unchanged site embeds nothing; an edit re-embeds only the sections it touches.
    """
    from rich.console import Console

    from bookctl.ingest import ingest as run_ingest

    settings = site_settings(
        pick_site(site, site_option),
        docs,
        sidebars,
        route_base_path,
        base_url,
        exclude,
        verbose,
        data_dir=data_dir,
        batch_size=batch_size,
    )
    err = Console(stderr=True)
    shown = not json_output and not dry_run
    bars = stage_bars(shown) if sys.stderr.isatty() else stage_lines(shown)  # bars, or lines into a pipe
    with bars as progress:
        result = run_ingest(settings, full=full, dry_run=dry_run, progress=progress)
    if json_output:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    console = Console()
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)
    summary = Table(
        title=("Plan (dry run)" if dry_run else "Ingest") + f": {result.site}",
        title_justify="left",
        show_header=False,
    )
    summary.add_column(justify="left")
    summary.add_column(justify="right")
    for label, value in (
        ("docs", result.docs),
        ("chunks", result.chunks),
        ("added", result.added),
        ("updated", result.updated),
        ("metadata only", result.relabeled),
        ("removed", result.removed),
        ("unchanged", result.unchanged),
        ("tokens to embed" if dry_run else "tokens embedded", result.tokens_embedded),
        ("time", f"{result.seconds:.2f} s"),
        ("index", f"{result.engine} in {result.data_dir}"),
    ):
        summary.add_row(label, str(value))
    console.print(summary)
    if dry_run:
        console.print(_stats_table(result.stats))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    chapter: Annotated[
        str | None, typer.Option("--chapter", help="Only this chapter (top-level category).")
    ] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="Only this doc id.")] = None,
    k: Annotated[int, typer.Option("-k", help="How many sections.")] = 5,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, dense or sparse.")] = "hybrid",
    site: IndexSiteOpt = None,
    data_dir: DataDirOpt = None,
    version: DocsVersionOpt = None,
    locale: LocaleOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Search the indexed book: ranked sections with breadcrumb, URL and a snippet."""
    from bookctl.cli.options import settings_from
    from bookctl.errors import InputError
    from bookctl.index import open_searcher

    if k < 1:
        raise InputError(f"-k must be at least 1 (got {k})")
    settings = settings_from(
        site=site, data_dir=data_dir, docs_version=version, locale=locale, verbose=verbose or None
    )
    searcher = open_searcher(settings, question=query)  # with no --locale: the query's language's locale
    try:
        hits = searcher.search(query, k=k, mode=mode, chapter=chapter, doc_id=doc)  # type: ignore[arg-type]
    finally:
        searcher.close()
    if json_output:
        print(
            json.dumps(
                [
                    {
                        "chunk_id": h.chunk_id,
                        "doc_id": h.doc_id,
                        "anchor": h.anchor,
                        "url": h.url,
                        "chapter": h.chapter,
                        "title": h.title,
                        "heading_path": list(h.heading_path),
                        "score": h.score,
                        "dense_score": h.dense_score,
                        "sparse_score": h.sparse_score,
                        "text": h.text,
                    }
                    for h in hits
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    from rich.markup import escape

    from bookctl.cli.output import console as make_console
    from bookctl.cli.output import printable

    console = make_console()
    if not hits:
        console.print("No matching sections.")
    for n, h in enumerate(hits, 1):
        body = h.text.split("\n\n", 1)[-1].replace("\n", " ")
        snippet = printable(body[:220] + ("…" if len(body) > 220 else ""))
        crumb = escape(printable(h.breadcrumb))
        console.print(f"[bold]{n}. {crumb}[/]  [dim]score {h.score:.3f}[/]", highlight=False)
        console.print(f"   [blue]{escape(h.url)}[/]", highlight=False)
        console.print(f"   {snippet}", highlight=False, markup=False)


@app.command()
def status(
    site: IndexSiteOpt = None,
    data_dir: DataDirOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """What is indexed: site, models, engine, data dir, chunks per chapter, last ingest."""
    from dataclasses import asdict

    from bookctl.cli.options import settings_from
    from bookctl.index import engine_name, read_meta
    from bookctl.ingest import ingest_running

    settings = settings_from(site=site, data_dir=data_dir, verbose=verbose or None)
    meta = read_meta(settings.resolved_data_dir)
    info: dict[str, Any] = {
        "data_dir": str(settings.resolved_data_dir),
        "engine": engine_name(settings),
        "indexed": meta is not None,
        "ingest_running": ingest_running(settings.resolved_data_dir),  # the process id, or None
    }
    if meta is not None:
        info.update(asdict(meta))
    if json_output:
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    from bookctl.cli.output import console as make_console

    console = make_console()
    if meta is None:
        if info["ingest_running"]:
            console.print(
                f"No index in {info['data_dir']} yet: an ingest is running (process {info['ingest_running']}).",
                highlight=False,
            )
        else:
            console.print(f"No index in {info['data_dir']}: run `bookctl ingest`.", highlight=False)
        return
    table = Table(show_header=False, title="Index", title_justify="left")
    for key in ("site", "data_dir", "engine", "dense_model", "sparse_model", "docs", "chunks", "last_ingest"):
        table.add_row(key, str(info[key]))
    console.print(table)
    chapters = Table(title="Chunks per chapter", title_justify="left")
    chapters.add_column("chapter")
    chapters.add_column("chunks", justify="right")
    for name, n in meta.chapters.items():
        chapters.add_row(name or "(no chapter)", str(n))
    console.print(chapters)
    if len(meta.views) > 1:
        views = Table(title="Docs per instance, version and locale", title_justify="left")
        for column in ("instance", "version", "locale"):
            views.add_column(column)
        views.add_column("docs", justify="right")
        views.add_column("chunks", justify="right")
        for v in meta.views:
            label = str(v.get("label") or "")
            version = str(v["version"]) + (f" ({label})" if label and label != v["version"] else "")
            views.add_row(
                str(v["instance"]),
                version + (" *" if v.get("default") else ""),
                str(v["locale"]),
                str(v.get("docs", "")),
                str(v.get("chunks", "")),
            )
        views.caption = "* what a reader lands on; search, ask and eval default to it (--version, --locale)"
        console.print(views)
