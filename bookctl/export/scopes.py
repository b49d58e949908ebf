"""Which docs go into which llms.txt: one for what a reader lands on at each locale's root, one per
other docs version (at that version's path), as Docusaurus serves them.

The site model comes in two shapes while its versions and translations land: one docs folder
(`site.options`), or every docs instance x version x locale (`site.contents`, `site.config`). Both
are read here, in this one place, until the second is the only one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from bookctl.site.model import Doc, Site


@dataclass
class Scope:
    """The docs behind one llms.txt."""

    root: str  # the URL path of the folder holding its llms.txt: "/", "/fr/", "/docs/next/"
    label: str  # "" for the site's default scope; else the locale and/or version ("Français", "Next")
    about: str  # what it holds, for the root llms.txt's list: "the docs in Français", "docs version Next"
    docs: list[Doc]
    sidebars: dict[str, list[dict[str, Any]]]
    docs_paths: tuple[str, ...]  # the folders its docs come from, relative to the site folder
    default: bool = False  # the site's root scope (default locale, last versions)
    others: list[Scope] = field(default_factory=list)  # for the root scope: every other scope


def site_layout(site: Site) -> tuple[str, str]:
    """(baseUrl, docs folder relative to the site folder) of the docs a reader lands on."""
    options = getattr(site, "options", None)
    if options is not None:
        return str(options.base_url), str(options.path)
    config: Any = getattr(site, "config")  # noqa: B009 - the attribute exists in the second shape only
    default = next((i for i in config.instances if i.id == "default"), config.instances[0])
    return str(config.base_url), str(default.path)


def _relative(path: Any, site: Site) -> str | None:
    return None if path is None else os.path.relpath(path, site.root).replace(os.sep, "/")


def scopes(site: Site) -> list[Scope]:
    """Every llms.txt of the site, the root one first (it lists the others)."""
    contents: Any = getattr(site, "contents", None)
    if contents is None:
        base_url, docs_path = site_layout(site)
        root = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
        return [Scope(root, "", "the docs", list(site.docs), dict(site.sidebars), (docs_path,), default=True)]
    locales = {c.locale.locale for c in contents}
    out: list[Scope] = []
    seen: set[str] = set()

    def paths(group: list[Any]) -> tuple[str, ...]:
        found = [
            _relative(p, site) for c in group for p in (c.meta.content_path_localized, c.meta.content_path)
        ]
        return tuple(dict.fromkeys(p for p in found if p))

    def add(scope: Scope) -> None:
        if scope.root not in seen:  # two scopes at one path cannot both have its llms.txt: the first keeps it
            seen.add(scope.root)
            out.append(scope)

    by_locale: dict[str, list[Any]] = {}
    for content in contents:
        by_locale.setdefault(content.locale.locale, []).append(content)
    for group in by_locale.values():
        locale = group[0].locale
        last = [c for c in group if c.meta.is_last]
        sidebars: dict[str, list[dict[str, Any]]] = {}
        for c in last:
            sidebars.update(c.sidebars)
        name = str(locale.label or locale.locale)
        label = name if len(locales) > 1 and not locale.is_default else ""
        add(
            Scope(
                "/" + locale.base_url.strip("/") + "/" if locale.base_url.strip("/") else "/",
                label,
                f"the docs in {label}" if label else "the docs",
                [d for c in last for d in c.docs],
                sidebars,
                paths(last),
                default=bool(locale.is_default),
            )
        )
        for c in group:
            if c.meta.is_last:
                continue
            name = str(locale.label or locale.locale)
            in_locale = f" in {name}" if len(locales) > 1 and not locale.is_default else ""
            instance = "" if c.meta.instance == "default" else f"{c.meta.instance} "
            add(
                Scope(
                    str(c.meta.path).rstrip("/") + "/",
                    f"{instance}{c.meta.label}" + (f", {name}" if in_locale else ""),
                    f"{instance}docs version {c.meta.label}{in_locale}",
                    list(c.docs),
                    dict(c.sidebars),
                    paths([c]),
                )
            )
    out.sort(key=lambda s: not s.default)
    out[0].default = True
    out[0].others = out[1:]
    return out
