"""Commands that read the site: `bookctl chapters`."""

from __future__ import annotations

import json

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
    from bookctl.site.loader import load_site

    site = pick_site(site, site_option)
    settings = site_settings(site, docs, sidebars, route_base_path, base_url, exclude, verbose)
    loaded = load_site(settings)
    from rich.console import Console

    for warning in loaded.warnings:  # on stderr, so --json output stays clean
        Console(stderr=True).print(f"[yellow]warning:[/] {warning}", highlight=False)
    if json_output:
        print(json.dumps(loaded.to_oracle(), indent=2, ensure_ascii=False))
        return
    from bookctl.site.render import chapters_tree

    Console().print(chapters_tree(loaded))
