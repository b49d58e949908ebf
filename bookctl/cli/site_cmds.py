"""Commands that read the site: `bookctl chapters`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from bookctl.cli import app
from bookctl.cli.options import (
    BaseUrlOpt,
    DocsOpt,
    ExcludeOpt,
    JsonOpt,
    RouteBasePathOpt,
    SidebarsOpt,
    SiteArg,
    SiteOpt,
    VerboseOpt,
    pick_site,
    settings_from,
)

if TYPE_CHECKING:
    from rich.table import Table

    from bookctl.site.model import Site


def site_settings(site, docs, sidebars, route_base_path, base_url, exclude, verbose, **extra):  # type: ignore[no-untyped-def]
    """Settings from the site options every site-reading command shares."""
    return settings_from(
        site=site,
        docs=docs,
        sidebars=sidebars,
        route_base_path=route_base_path,
        site_base_url=base_url,
        exclude=exclude,
        verbose=verbose or None,
        **extra,
    )


@app.command()
def chapters(
    site: SiteArg = None,
    docs: DocsOpt = None,
    sidebars: SidebarsOpt = None,
    route_base_path: RouteBasePathOpt = None,
    base_url: BaseUrlOpt = None,
    exclude: ExcludeOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
    site_option: SiteOpt = None,
) -> None:
    """Show the book as Docusaurus sees it: sidebars > categories > docs > sections.

    --json prints every doc's metadata, the resolved sidebars and generated index
    pages (the oracle.json schema), plus each doc's headings with their anchors.
    """
    from bookctl.site.loader import load_views
    from bookctl.site.model import views_to_oracle

    site = pick_site(site, site_option)
    settings = site_settings(site, docs, sidebars, route_base_path, base_url, exclude, verbose)
    views = load_views(settings, markdown=json_output)
    loaded = next(v for v in views if v.is_default_view)
    from rich.console import Console

    for warning in dict.fromkeys(w for v in views for w in v.warnings):  # on stderr: --json stays clean
        Console(stderr=True).print(f"[yellow]warning:[/] {warning}", highlight=False)
    if verbose and loaded.stand_ins:
        Console(stderr=True).print(
            "config: inert stand-ins for " + ", ".join(loaded.stand_ins), highlight=False, markup=False
        )
    if json_output:
        print(json.dumps(views_to_oracle(views), indent=2, ensure_ascii=False))
        return
    from bookctl.site.render import chapters_tree

    console = Console()
    if len(views) > 1:
        console.print(views_table(views))
        console.print(
            f"The tree below is the default view ({loaded.instance} docs, version {loaded.version_label}, "
            f"{loaded.locale}); --json prints every view.",
            highlight=False,
        )
    console.print(chapters_tree(loaded))


def views_table(views: list[Site]) -> Table:
    """Every docs instance x version x locale of the site: its docs (translated ones) and URL."""
    from rich.table import Table

    table = Table(title="Docs instances, versions and locales", title_justify="left")
    for column, justify in (("instance", "left"), ("version", "left"), ("locale", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    table.add_column("docs", justify="right")
    table.add_column("translated", justify="right")
    table.add_column("path", overflow="fold")
    for view in views:
        version = (
            view.version if view.version_label == view.version else f"{view.version} ({view.version_label})"
        )
        translated = sum(d.translated for d in view.docs)
        table.add_row(
            view.instance,
            version + (" *" if view.is_default_view else ""),
            view.locale,
            str(len(view.docs)),
            str(translated) if view.locale_info and not view.locale_info.get("isDefaultLocale") else "",
            str(view.version_info.get("path", "")),
        )
    table.caption = "* the default view: what a reader lands on at the docs root"
    return table
