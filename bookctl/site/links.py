"""Links to other docs' files, resolved as Docusaurus resolves them.

A doc links to another by its file (`[setup](../setup.mdx#install)`); Docusaurus's
resolveMarkdownLinks turns each such link into that doc's route, among the docs of the same docs
instance (every version; a translation's files and the files they translate). The site model
records, for each doc, where each of its links leads (`Doc.links`: the destination as written ->
the permalink, `resolve_doc_links`); the text bookctl indexes keeps the links as written, so a doc
repeated across versions and locales is still one text, embedded once, and a search hit shows them
resolved (`apply_link_rewrites`), so what bookctl quotes carries a link a reader can follow, not a
path relative to a file they never see. The export (bookctl.export.markdown) uses the same
`LinkTargets`, with absolute URLs for readers outside the site.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urljoin

if TYPE_CHECKING:
    from markdown_it_pyrs import MarkdownIt

    from bookctl.site.model import Doc

DOC_FILE_SUFFIXES = (".md", ".mdx")
# A cheap first look for a link that may need rewriting; only Markdown that has one is parsed.
_MAYBE_LINK = re.compile(r"\]\((?:[#/@]|[^)\s]*\.mdx?[)#?\s])|\]:\s*(?:[#/@]|\S*\.mdx?)")


@cache
def markdown_parser() -> MarkdownIt:
    # markdown-it.rs (markdown-it-pyrs): markdown-it's CommonMark rules, with each node's byte range
    # in the source, so links are rewritten exactly where they are written; about 8x faster than
    # markdown-it-py.
    from markdown_it_pyrs import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def public_url(site_url: str | None, permalink: str) -> str:
    """The doc's address for readers: absolute when the site's `url` is known (permalinks already
    hold the baseUrl), else the permalink itself."""
    return urljoin(site_url, permalink) if site_url else permalink


class Resolver(Protocol):
    def resolve(self, href: str, linking_source: str, page_url: str) -> str | None: ...


@dataclass(frozen=True)
class LinkTargets:
    """Where a doc's links lead. A link to a doc's file resolves as Docusaurus's
    resolveMarkdownLinkPathname does: `@site/x.md` is the site folder's; `/x.md` is looked for in
    the docs folders (a translation's first), then the site folder; `./x.md` and `../x.md` beside
    the linking file only; `x.md` beside it, then in the docs folders, then the site folder. `#anchor`
    links lead to the page's own URL; site paths (`/img/y.png`) become absolute URLs when the site's
    `url` is known."""

    by_source: dict[str, str]  # site-relative source path -> URL
    docs_paths: tuple[str, ...]  # the docs folders, relative to the site folder (a translation's first)
    site_url: str | None = None

    @classmethod
    def of(
        cls,
        docs: Iterable[Doc],
        docs_paths: tuple[str, ...],
        url_of: Callable[[Doc], str],
        site_url: str | None,
    ) -> LinkTargets:
        by_source: dict[str, str] = {}
        for doc in docs:  # a translated doc is found by its own file and by the one it translates
            for source in (
                doc.source,
                getattr(doc, "i18n_source", None),
                getattr(doc, "default_locale_source", None),
            ):
                if source:
                    by_source.setdefault(posixpath.normpath(source), url_of(doc))
        return cls(by_source, tuple(p.strip("/") for p in docs_paths if p), site_url)

    def resolve(self, href: str, linking_source: str, page_url: str) -> str | None:
        if href.startswith("#"):
            return page_url.split("#", 1)[0] + href
        path, hash_, fragment = href.partition("#")
        path, mark, query = path.partition("?")
        path = unquote(path)
        if "://" in path or path.startswith(("mailto:", "pathname:")):
            return None
        if not path.endswith(DOC_FILE_SUFFIXES):
            return public_url(self.site_url, href) if href.startswith("/") and self.site_url else None
        here = posixpath.dirname(linking_source)
        if path.startswith("@site/"):
            candidates = [path.removeprefix("@site/")]
        elif path.startswith("/"):
            candidates = [*(posixpath.join(d, path.lstrip("/")) for d in self.docs_paths), path.lstrip("/")]
        elif path.startswith(("./", "../")):
            candidates = [posixpath.join(here, path)]
        else:
            candidates = [
                posixpath.join(here, path),
                *(posixpath.join(d, path) for d in self.docs_paths),
                path,
            ]
        for candidate in candidates:
            url = self.by_source.get(posixpath.normpath(candidate))
            if url is not None:
                return url + (mark + query if query else "") + (hash_ + fragment if fragment else "")
        return None


def rewrite_links(
    markdown: str,
    source: str,
    page_url: str,
    targets: Resolver,
    *,
    extra: Callable[[bytes, int, int], list[tuple[int, int, str]]] | None = None,
) -> str:
    """`markdown` with each link, image and link definition that `targets` resolves rewritten to
    where it leads; links that do not resolve stay as written. A Markdown parser finds them (never
    inside code) and where each destination is written; only that is replaced. `extra` (the raw
    text and a heading's byte range -> edits) lets the export change headings in the same pass."""
    if not _MAYBE_LINK.search(markdown) and extra is None:
        return markdown
    raw = markdown.encode("utf-8")
    edits: list[tuple[int, int, str]] = []
    for node in markdown_parser().tree(markdown).walk():
        span = node.srcmap
        if span is None:
            continue
        if node.name == "heading":
            if extra is not None:
                edits.extend(extra(raw, span[0], span[1]))
            continue
        if node.name in {"link", "image"}:
            href = node.meta.get("url")
            # the destination follows the link text: "[text](dest ...)"
            after = max((c.srcmap[1] for c in node.children if c.srcmap), default=span[0] + 1)
            where = (after, span[1])
        elif node.name == "definition":
            href, where = node.meta.get("destination"), span
        else:
            continue
        url = targets.resolve(href, source, page_url) if isinstance(href, str) else None
        if url is None or url == href:
            continue
        assert isinstance(href, str)
        at = raw.find(href.encode("utf-8"), where[0], where[1])
        if at >= 0:  # else not written as the parser gives it (it normalised it): left alone
            edits.append((at, at + len(href.encode("utf-8")), url))
    for begin, end, url in sorted(edits, reverse=True):
        raw = raw[:begin] + url.encode("utf-8") + raw[end:]
    return raw.decode("utf-8")


@dataclass(frozen=True)
class _Fixed:
    """A resolver that knows each destination already (a doc's `links`)."""

    rewrites: dict[str, str]

    def resolve(self, href: str, linking_source: str, page_url: str) -> str | None:
        return self.rewrites.get(href)


def link_rewrites(markdown: str, source: str, page_url: str, targets: Resolver) -> dict[str, str]:
    """Each link destination in `markdown` that `targets` resolves -> where it leads."""
    found: dict[str, str] = {}

    class _Recording:
        def resolve(self, href: str, linking_source: str, page_url: str) -> str | None:
            url = targets.resolve(href, linking_source, page_url)
            if url is not None and url != href:
                found[href] = url
            return None  # record only

    rewrite_links(markdown, source, page_url, _Recording())
    return found


def apply_link_rewrites(text: str, rewrites: dict[str, str]) -> str:
    """`text` (a doc's Markdown, or a part of it) with the destinations in `rewrites` rewritten,
    in links only (never in code)."""
    return rewrite_links(text, "", "", _Fixed(rewrites)) if rewrites else text


def resolve_doc_links(docs: list[Doc], docs_paths: tuple[str, ...], targets: LinkTargets) -> None:
    """Set each doc's `links`: its links to other docs' files -> those docs' permalinks, and its
    `#anchor` links -> its own permalink's, as the site serves them."""
    view_targets = LinkTargets(targets.by_source, docs_paths, targets.site_url)
    for doc in docs:
        if doc.markdown:
            doc.links = link_rewrites(doc.markdown, doc.source, doc.permalink, view_targets)
