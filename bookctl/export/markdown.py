"""One doc as published Markdown: what `<url>.md`, `llms-full.txt` and the MCP resources hold.

The Markdown is the site model's clean Markdown (bookctl.site.mdx: MDX components rendered or
removed, partials inlined, admonitions as labelled text), with three changes a reader outside the
site needs: the doc's title as its first heading, its public URL under it, and links to other docs'
files (`./setup.mdx#install`) turned into those docs' URLs, as Docusaurus turns them into routes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bookctl.site.links import LinkTargets, markdown_parser, public_url, rewrite_links

if TYPE_CHECKING:
    from bookctl.site.model import Doc

__all__ = ["LinkTargets", "doc_markdown", "markdown_path", "public_url", "publishable", "sections"]

# A cheap first look for a link that may need rewriting or a heading with a "<"; only docs that
# have one are parsed.
_MAYBE_WORK = re.compile(
    r"\]\((?:[#/@]|[^)\s]*\.mdx?[)#?\s])|\]:\s*(?:[#/@]|\S*\.mdx?)|^#{1,6} [^\n]*<", re.M
)


def markdown_path(permalink: str) -> str:
    """Where a doc's Markdown is served: `<permalink>.md`, or `<permalink>index.md` for a permalink
    that ends in `/` (llmstxt.org: URLs without a file name get `index.html.md`)."""
    return permalink + "index.md" if permalink.endswith("/") else permalink + ".md"


def _escape_heading(raw: bytes, begin: int, _end: int) -> list[tuple[int, int, str]]:
    line_end = raw.find(b"\n", begin)
    line = raw[begin : len(raw) if line_end < 0 else line_end]
    return [(begin + i, begin + i + 1, "\\<") for i, c in enumerate(line) if c == ord("<")]


def publishable(markdown: str, source: str, page_url: str, targets: LinkTargets) -> str:
    """The doc's clean Markdown as a reader outside the site needs it.

    Links: see `LinkTargets` (bookctl.site.links); links that do not resolve stay as written.
    Headings: the site model writes them as the plain text Docusaurus shows ("<Root>" for
    "`<Root>`"), so a "<" in one is escaped, lest it read as an HTML tag."""
    if not _MAYBE_WORK.search(markdown):
        return markdown
    return rewrite_links(markdown, source, page_url, targets, extra=_escape_heading)


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
        for node in markdown_parser().tree(markdown).walk()
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
