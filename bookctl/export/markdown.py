"""One doc as published Markdown: what `<url>.md`, `llms-full.txt` and the MCP resources hold.

The Markdown is the site model's clean Markdown (bookctl.site.mdx: MDX components rendered or
removed, partials inlined, admonitions as labelled text), with three changes a reader outside the
site needs: the doc's title as its first heading, its public URL under it, and links to other docs'
files (`./setup.mdx#install`) turned into those docs' URLs, as Docusaurus turns them into routes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin

if TYPE_CHECKING:
    from markdown_it_pyrs import MarkdownIt

    from bookctl.site.model import Doc

DOC_FILE_SUFFIXES = (".md", ".mdx")
# A cheap first look for a link that may need rewriting or a heading with a "<"; only docs that
# have one are parsed.
_MAYBE_WORK = re.compile(
    r"\]\((?:[#/@]|[^)\s]*\.mdx?[)#?\s])|\]:\s*(?:[#/@]|\S*\.mdx?)|^#{1,6} [^\n]*<", re.M
)


@cache
def _parser() -> MarkdownIt:
    # markdown-it.rs (markdown-it-pyrs): markdown-it's CommonMark rules, with each node's byte range
    # in the source, so links are rewritten exactly where they are written; about 8x faster than
    # markdown-it-py, which is most of an export's time.
    from markdown_it_pyrs import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def public_url(site_url: str | None, permalink: str) -> str:
    """The doc's address for readers: absolute when the site's `url` is known (permalinks already
    hold the baseUrl), else the permalink itself."""
    return urljoin(site_url, permalink) if site_url else permalink


def markdown_path(permalink: str) -> str:
    """Where a doc's Markdown is served: `<permalink>.md`, or `<permalink>index.md` for a permalink
    that ends in `/` (llmstxt.org: URLs without a file name get `index.html.md`)."""
    return permalink + "index.md" if permalink.endswith("/") else permalink + ".md"


@dataclass(frozen=True)
class LinkTargets:
    """Where a doc's links lead, for a reader outside the site: links to other docs' files resolve as
    Docusaurus resolves them (relative to the linking file, then to the docs folder; `@site/` is the
    site folder) to those docs' URLs; `#anchor` links to the page's own URL; site paths (`/docs/x`,
    `/img/y.png`) to absolute URLs when the site's `url` is known."""

    by_source: dict[str, str]  # site-relative source path -> public URL
    docs_paths: tuple[str, ...]  # the docs folders, relative to the site folder (a translation's first)
    site_url: str | None = None

    @classmethod
    def of(
        cls, docs: list[Doc], docs_paths: tuple[str, ...], url_of: Callable[[Doc], str], site_url: str | None
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
        return cls(by_source, tuple(p.strip("/") for p in docs_paths), site_url)

    def resolve(self, href: str, linking_source: str, page_url: str) -> str | None:
        if href.startswith("#"):
            return page_url.split("#", 1)[0] + href
        path, hash_, fragment = href.partition("#")
        path = unquote(path.split("?", 1)[0])
        if "://" in path or path.startswith(("mailto:", "pathname:")):
            return None
        if not path.endswith(DOC_FILE_SUFFIXES):
            return public_url(self.site_url, href) if href.startswith("/") and self.site_url else None
        if path.startswith("@site/"):
            candidates = [path.removeprefix("@site/")]
        elif path.startswith("/"):
            candidates = [path.lstrip("/"), *(posixpath.join(d, path.lstrip("/")) for d in self.docs_paths)]
        else:
            here = posixpath.dirname(linking_source)
            candidates = [posixpath.join(here, path), *(posixpath.join(d, path) for d in self.docs_paths)]
        for candidate in candidates:
            url = self.by_source.get(posixpath.normpath(candidate))
            if url is not None:
                return url + (hash_ + fragment if fragment else "")
        return None


def publishable(markdown: str, source: str, page_url: str, targets: LinkTargets) -> str:
    """The doc's clean Markdown as a reader outside the site needs it.

    Links: see `LinkTargets`; links that do not resolve stay as written. A Markdown parser finds the
    links and images (never inside code) and where each destination is written; only that is
    replaced. Headings: the site model writes them as the plain text Docusaurus shows
    ("<Root>" for "`<Root>`"), so a "<" in one is escaped, lest it read as an HTML tag."""
    if not _MAYBE_WORK.search(markdown):
        return markdown
    raw = markdown.encode("utf-8")
    edits: list[tuple[int, int, str]] = []
    for node in _parser().tree(markdown).walk():
        span = node.srcmap
        if span is None:
            continue
        if node.name == "heading":
            line_end = raw.find(b"\n", span[0])
            line = raw[span[0] : len(raw) if line_end < 0 else line_end]
            edits.extend((span[0] + i, span[0] + i + 1, "\\<") for i, c in enumerate(line) if c == ord("<"))
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


def doc_markdown(doc: Doc, url: str, targets: LinkTargets | None = None) -> str:
    """The doc as one Markdown page: `# title`, `Source: url`, then the body."""
    body = doc.markdown
    if targets is not None:
        body = publishable(body, doc.source, url, targets)
    lines = body.split("\n")
    if doc.headings and doc.headings[0].level == 1 and lines and lines[0].startswith("# "):
        title, rest = lines[0], "\n".join(lines[1:]).strip("\n")
    else:
        title, rest = f"# {doc.title}", body.strip("\n")
    return f"{title}\n\nSource: {url}\n" + (f"\n{rest}\n" if rest else "")


@dataclass(frozen=True)
class Section:
    """A heading of a doc and the Markdown under it, down to the next heading of its level or above."""

    anchor: str
    heading: str
    level: int
    markdown: str


def sections(doc: Doc, markdown: str | None = None) -> list[Section]:
    """The doc's headings with their Markdown (anchor "" = the whole doc), cut from `markdown` (the
    doc's clean Markdown, or a publishable copy of it). A Markdown parser finds the headings, in
    order; they are matched one for one to the site model's, which carry Docusaurus's anchors."""
    markdown = doc.markdown if markdown is None else markdown
    raw = markdown.encode("utf-8")
    starts = [
        raw.count(b"\n", 0, node.srcmap[0])
        for node in _parser().tree(markdown).walk()
        if node.name == "heading" and node.srcmap
    ]
    lines = markdown.split("\n")
    out = [Section("", doc.title, 0, markdown.strip("\n"))]
    if len(starts) != len(doc.headings):  # not the same headings: offer the whole doc only
        return out
    for i, (start, heading) in enumerate(zip(starts, doc.headings, strict=True)):
        end = next(
            (
                s
                for s, h in zip(starts[i + 1 :], doc.headings[i + 1 :], strict=True)
                if h.level <= heading.level
            ),
            len(lines),
        )
        out.append(
            Section(heading.anchor, heading.text, heading.level, "\n".join(lines[start:end]).strip("\n"))
        )
    return out
