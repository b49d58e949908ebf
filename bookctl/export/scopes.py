"""Which docs go into which llms.txt: one for what a reader lands on at each locale's root, one per
other docs version (at that version's path), as Docusaurus serves them. The views come from
`bookctl.site.loader.load_views` (every docs instance x version x locale).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bookctl.site.model import Doc, Site, default_view


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
    return str(site.options.base_url), str(site.options.path)


def _root(base_url: str) -> str:
    return "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"


def _paths(views: list[Site]) -> tuple[str, ...]:
    """The folders the views' docs come from, relative to the site folder (translations first)."""
    found = [view.version_info.get(key) for view in views for key in ("contentPathLocalized", "contentPath")]
    return tuple(dict.fromkeys(str(p) for p in found if p)) or tuple(
        dict.fromkeys(str(view.options.path) for view in views)
    )


def scopes(views: list[Site]) -> list[Scope]:
    """Every llms.txt of the site, the root one first (it lists the others)."""
    default = default_view(views)
    by_locale: dict[str, list[Site]] = {}
    for view in views:
        by_locale.setdefault(view.locale, []).append(view)
    several_locales = len(by_locale) > 1
    out: list[Scope] = []
    seen: set[str] = set()

    def add(scope: Scope) -> None:
        if scope.root not in seen:  # two scopes at one path cannot both have its llms.txt: the first keeps it
            seen.add(scope.root)
            out.append(scope)

    for locale, group in by_locale.items():
        is_default_locale = locale == default.locale
        name = str(group[0].locale_info.get("label") or locale)
        label = name if several_locales and not is_default_locale else ""
        last = [v for v in group if v.is_last_version] or group[:1]
        sidebars: dict[str, list[dict[str, Any]]] = {}
        for view in last:
            sidebars.update(view.sidebars)
        base_url = str(group[0].locale_info.get("baseUrl") or group[0].options.base_url)
        add(
            Scope(
                _root(base_url),
                label,
                f"the docs in {label}" if label else "the docs",
                [d for view in last for d in view.docs],
                sidebars,
                _paths(last),
                default=is_default_locale,
            )
        )
        for view in group:
            if view in last:
                continue
            in_locale = f" in {name}" if label else ""
            instance = "" if view.instance == "default" else f"{view.instance} "
            version_path = str(view.version_info.get("path") or "/")
            add(
                Scope(
                    version_path.rstrip("/") + "/",
                    f"{instance}{view.version_label}" + (f", {name}" if in_locale else ""),
                    f"{instance}docs version {view.version_label}{in_locale}",
                    list(view.docs),
                    dict(view.sidebars),
                    _paths([view]),
                )
            )
    out.sort(key=lambda s: not s.default)
    out[0].default = True
    out[0].others = out[1:]
    return out
