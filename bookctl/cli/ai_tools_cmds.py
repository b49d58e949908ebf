"""The book for other AI tools: `bookctl mcp` (a Model Context Protocol server) and
`bookctl export llms-txt` (llms.txt, llms-full.txt and a .md per doc)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bookctl.cli import app
from bookctl.cli.options import (
    BaseUrlOpt,
    DataDirOpt,
    DocsOpt,
    ExcludeOpt,
    JsonOpt,
    RouteBasePathOpt,
    SidebarsOpt,
    SiteArg,
    SiteOpt,
    VerboseOpt,
    pick_site,
)
from bookctl.cli.site_cmds import site_settings

SiteUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--site-url",
        help="The site's public URL, e.g. https://example.com \\[default: the Docusaurus config's url] "
        "\\[env: BOOKCTL_SITE_URL].",
        show_default=False,
    ),
]

export_app = typer.Typer(
    name="export",
    help="Write the book as files for other AI tools.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(export_app)


@app.command()
def mcp(
    site: SiteArg = None,
    http: Annotated[
        bool, typer.Option("--http", help="Serve streamable HTTP at /mcp instead of stdio.")
    ] = False,
    host: Annotated[str, typer.Option("--host", help="With --http: the address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="With --http: the port to listen on (0: any free port).")
    ] = 8766,
    site_url: SiteUrlOpt = None,
    docs: DocsOpt = None,
    sidebars: SidebarsOpt = None,
    route_base_path: RouteBasePathOpt = None,
    base_url: BaseUrlOpt = None,
    exclude: ExcludeOpt = None,
    data_dir: DataDirOpt = None,
    verbose: VerboseOpt = False,
    site_option: SiteOpt = None,
) -> None:
    """Serve the book to AI assistants over the Model Context Protocol.

    Tools search_book, read_section and list_chapters, and each doc as a Markdown resource (bookctl://<version>/<doc id>).

    Over stdio by default: an assistant starts `bookctl mcp SITE` itself (the README has the JSON config); --http serves http://HOST:PORT/mcp. Needs an index: run `bookctl ingest SITE` first.
    """
    from bookctl.errors import InputError

    if not 0 <= port <= 65535:
        raise InputError(f"--port must be between 0 and 65535 (got {port})")
    settings = site_settings(
        pick_site(site, site_option),
        docs,
        sidebars,
        route_base_path,
        base_url,
        exclude,
        verbose,
        data_dir=data_dir,
        site_url=site_url,
    )
    if http:
        from bookctl.mcp import run_http

        run_http(settings, host=host, port=port)
    else:
        from bookctl.mcp import run_stdio

        run_stdio(settings)


@export_app.command("llms-txt")
def llms_txt(
    site: SiteArg = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="The folder to write to (the site's build folder: it is served at baseUrl)."
        ),
    ] = Path("build"),
    site_url: SiteUrlOpt = None,
    docs: DocsOpt = None,
    sidebars: SidebarsOpt = None,
    route_base_path: RouteBasePathOpt = None,
    base_url: BaseUrlOpt = None,
    exclude: ExcludeOpt = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help="The title \\[default: the config's title, else the folder's name].",
            show_default=False,
        ),
    ] = None,
    summary: Annotated[
        str | None,
        typer.Option(
            "--summary", help="The one-line summary \\[default: the config's tagline].", show_default=False
        ),
    ] = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
    site_option: SiteOpt = None,
) -> None:
    """Write llms.txt, llms-full.txt and one .md per doc (at its permalink + .md) into --out.

    llms.txt (llmstxt.org) lists the docs by sidebar category, in sidebar order, each with its one-line description; llms-full.txt holds every doc's clean Markdown (MDX rendered, partials inlined). Links are absolute when the site's url is known.
    """
    from rich.console import Console

    from bookctl.export import export_llms_txt

    settings = site_settings(
        pick_site(site, site_option),
        docs,
        sidebars,
        route_base_path,
        base_url,
        exclude,
        verbose,
        site_url=site_url,
    )
    result = export_llms_txt(settings, out, title=title, summary=summary)
    err = Console(stderr=True, highlight=False)
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/] {warning}")
    if json_output:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    Console(highlight=False).print(
        f"wrote {len(result.files)} files for {result.docs} docs to {result.out} in {result.seconds:.2f} s: "
        f"llms.txt, llms-full.txt and a .md per doc"
    )
