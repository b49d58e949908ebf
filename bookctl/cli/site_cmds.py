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
    from bookctl.site.loader import load_views
    from bookctl.site.model import views_to_oracle

    site = pick_site(site, site_option)
    settings = site_settings(site, docs, sidebars, route_base_path, base_url, exclude, verbose)
    views = load_views(settings)
    loaded = next(v for v in views if v.is_default_view)
    from rich.console import Console

    for warning in dict.fromkeys(w for v in views for w in v.warnings):  # on stderr: --json stays clean
        Console(stderr=True).print(f"[yellow]warning:[/] {warning}", highlight=False)
    if json_output:
        print(json.dumps(views_to_oracle(views), indent=2, ensure_ascii=False))
        return
    from bookctl.site.render import chapters_tree

    Console().print(chapters_tree(loaded))
