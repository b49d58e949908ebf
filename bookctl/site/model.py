"""The site model: what Docusaurus knows about a docs site, field for field.

Sidebar items are kept as plain dicts in exactly the shape of `oracle.json`
(see ../shared/corpora/README.md), so `Site.to_oracle()` is a direct dump and
conformance tests compare like with like.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bookctl.site.npm2yarn import Npm2Yarn


@dataclass(frozen=True)
class Heading:
    """A rendered heading of a doc: its text as shown, level (1-6), anchor and source line (1-based)."""

    text: str
    level: int
    anchor: str
    line: int


@dataclass
class DocsOptions:
    """Docs-plugin and site options that change ids and URLs."""

    path: str = "docs"
    route_base_path: str = "docs"
    base_url: str = "/"
    include: list[str] = field(default_factory=lambda: ["**/*.{md,mdx}"])
    exclude: list[str] = field(
        default_factory=lambda: [
            "**/_*.{js,jsx,ts,tsx,md,mdx}",
            "**/_*/**",
            "**/*.test.{js,jsx,ts,tsx}",
            "**/__tests__/**",
        ]
    )
    number_prefix_parser: bool = True
    sidebar_collapsed: bool = True
    sidebar_collapsible: bool = True
    tags_base_path: str = "tags"
    tags_file: str | None = "tags.yml"  # see bookctl.site.siteconfig.DocsInstance
    tags_file_required: bool = False
    npm2yarn: Npm2Yarn | None = None  # code blocks shown for every package manager (bookctl.site.npm2yarn)


@dataclass
class Doc:
    id: str
    title: str
    description: str
    source: str  # relative to the site folder, e.g. "docs/guides/intro.md" (as in oracle.json)
    source_dir_name: str
    slug: str
    permalink: str
    path: Path  # absolute path of the file
    sidebar_position: int | float | None = None
    sidebar: str | None = None
    sidebar_label: str | None = None
    draft: bool = False
    unlisted: bool = False
    front_matter: dict[str, Any] = field(default_factory=dict)
    previous: dict[str, str] | None = None
    next: dict[str, str] | None = None
    # From the MDX cleanup (bookctl.site.mdx): clean Markdown and the headings with their anchors.
    markdown: str = ""
    headings: list[Heading] = field(default_factory=list)
    markdown_lines: list[int] = field(default_factory=list)  # file line of each markdown line
    # From the sidebar: the top-level category label (the "chapter") and the category labels down to the doc.
    chapter: str = ""
    category_path: list[str] = field(default_factory=list)
    # Which view of the site the doc belongs to: docs plugin id, Docusaurus version name
    # ("current" = the docs/ folder, else e.g. "0.22") and locale code.
    instance: str = "default"
    version: str = "current"
    locale: str = "en"
    # Translations: whether the file read is the locale's own (translated) or the default locale's
    # (fallback, in a non-default locale), and both candidate files (relative to the site folder).
    translated: bool = False
    fallback: bool = False
    default_locale_source: str = ""
    i18n_source: str | None = None
    route_path: str = ""  # the served path: the permalink after the site's trailingSlash setting
    tags: list[dict[str, Any]] = field(default_factory=list)
    # The doc's local imports of partials (bookctl.site.partials): import name -> where it points.
    partials: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Where its links to other docs' files lead (bookctl.site.links): destination as written -> URL.
    links: dict[str, str] = field(default_factory=dict)

    def oracle_fields(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "source": self.source,
            "sourceDirName": self.source_dir_name,
            "slug": self.slug,
            "permalink": self.permalink,
            "sidebar_position": self.sidebar_position,
            "sidebar": self.sidebar,
            "sidebar_label": self.sidebar_label,
            "draft": self.draft,
            "unlisted": self.unlisted,
            "frontMatterKeys": list(self.front_matter.keys()),
            "frontMatter": self.front_matter,
            "previous": self.previous,
            "next": self.next,
            "routePath": self.route_path or self.permalink,
            "tags": self.tags,
            "pluginId": self.instance,
            "version": self.version,
            "locale": self.locale,
            "translated": self.translated,
            "fallback": self.fallback,
            "defaultLocaleSource": self.default_locale_source or self.source,
            "i18nSource": self.i18n_source,
            "partials": self.partials,
        }


@dataclass
class Site:
    root: Path  # the folder that holds docs/ and the sidebars file (the "corpus folder")
    docs_dir: Path
    sidebars_file: Path | None
    options: DocsOptions
    docs: list[Doc]  # sorted by source path, as in oracle.json
    sidebars: dict[str, list[dict[str, Any]]]  # sidebar id -> resolved items (oracle shape)
    generated_indices: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The view: docs plugin instance x version x locale (see bookctl.site.loader.load_views).
    instance: str = "default"
    version: str = "current"
    locale: str = "en"
    version_label: str = "Next"
    # True for the view a reader lands on at the docs root: the last version, default locale and instance.
    is_default_view: bool = True
    # True for the instance's last version (Docusaurus's lastVersion: served at its routeBasePath).
    is_last_version: bool = True
    # The modules the config code asked for that were stood in for (bookctl.site.js), for --verbose.
    stand_ins: list[str] = field(default_factory=list)
    # The version and locale as the v2 oracle describes them (bookctl.site.loader fills these in).
    version_info: dict[str, Any] = field(default_factory=dict)
    locale_info: dict[str, Any] = field(default_factory=dict)
    instance_info: dict[str, Any] = field(default_factory=dict)

    def doc(self, doc_id: str) -> Doc | None:
        return next((d for d in self.docs if d.id == doc_id), None)

    def to_oracle(self, *, with_headings: bool = True) -> dict[str, Any]:
        docs = []
        for d in self.docs:
            row = d.oracle_fields()
            if with_headings:
                row["headings"] = [{"text": h.text, "level": h.level, "anchor": h.anchor} for h in d.headings]
            docs.append(row)
        return {
            "counts": {
                "docs": len(self.docs),
                "sidebars": len(self.sidebars),
                "generatedIndices": len(self.generated_indices),
            },
            "docs": docs,
            "generatedIndices": self.generated_indices,
            "sidebars": self.sidebars,
        }


def default_view(views: list[Site]) -> Site:
    """The view a reader lands on (last version, default locale and instance), else the first."""
    return next((v for v in views if v.is_default_view), views[0])


def views_to_oracle(views: list[Site], *, with_headings: bool = True) -> dict[str, Any]:
    """Every view in the shape of oracle.json schema v2 (`locales[L].instances[id].versions[i]`), with
    the default view also at the top level in the v1 shape."""
    default = default_view(views)
    out: dict[str, Any] = {
        "schema_version": 2,
        **default.to_oracle(with_headings=with_headings),
        "locales": {},
    }
    for view in views:
        locale = out["locales"].setdefault(view.locale, {**view.locale_info, "instances": {}})
        instance = locale["instances"].setdefault(view.instance, {**view.instance_info, "versions": []})
        body = view.to_oracle(with_headings=with_headings)
        instance["versions"].append(
            {
                **view.version_info,
                "counts": {
                    "docs": len(view.docs),
                    "translated": sum(d.translated for d in view.docs),
                    "fallback": sum(d.fallback for d in view.docs),
                    "sidebars": len(view.sidebars),
                    "generatedIndices": len(view.generated_indices),
                },
                "docs": body["docs"],
                "generatedIndices": body["generatedIndices"],
                "sidebars": body["sidebars"],
            }
        )
    return out
