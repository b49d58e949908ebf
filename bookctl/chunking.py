"""Doc -> section chunks, each under exactly one heading.

A chunk is the text under one heading (h2 to h6) up to the next heading of any level; the part of a
doc before its first h2 is a chunk of its own (anchor ""). Its `heading_path` is the path of headings
down to the one its text sits under (("Install", "On Linux") for an h3 under an h2), its anchor and
URL that heading's, so a citation links to the exact heading. Its text starts with a breadcrumb line
(chapter > doc title > headings) so that both the embedding and BM25 see where it sits. A section
longer than the model's window splits at block boundaries (paragraphs, lists, code fences, tables)
with a small overlap; sections never merge, so no text is filed under another heading's name. A
heading with no text of its own (an h3 followed at once by its h4s) makes no chunk: its children
carry it in their heading path (an empty heading without subheadings keeps a breadcrumb-only chunk). Ids are uuid5(view, doc id, anchor, part), so editing one section leaves
the others' ids alone; the view (docs instance, version, locale) is part of the id except for the
plain one (the default instance's docs/ folder in English), whose ids are what they were before
sites had views.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bookctl.models import MAX_TOKENS, tokenizer
from bookctl.site.model import Doc, Site

CHUNK_NAMESPACE = uuid.UUID("6f1c7d3e-2b7a-5c1e-9a55-0b00c7b1d001")
CHUNKER_VERSION = 2  # 2: a chunk per heading (h2-h6), none merged; part of every doc's cache key
OVERLAP_TOKENS = 48  # the last block of a part is repeated at the start of the next when this small


@dataclass(frozen=True)
class Chunk:
    """One retrievable piece of a doc: the text under one heading, or part of a long one."""

    id: str  # deterministic: uuid5 of view + doc id + anchor + part
    doc_id: str
    title: str  # the doc's title
    chapter: str  # top-level sidebar category label; "" when the doc is in no sidebar
    category_path: tuple[str, ...]
    sidebar: str | None
    heading_path: tuple[str, ...]  # headings down to the one the text sits under: ("Install", "On Linux")
    anchor: str  # the anchor of the last heading of heading_path; "" for the part before the first h2
    url: str  # permalink, plus "#anchor" when there is one
    source: str  # path relative to the site folder
    line_start: int
    line_end: int
    text: str  # what is embedded: breadcrumb line, then the section text
    token_count: int
    content_hash: str  # sha256 of `text`: equal hashes mean an equal embedding
    ordinal: int  # position of the chunk within its doc
    # The view of the site it belongs to (bookctl.site.loader.load_views).
    instance: str = "default"
    version: str = "current"
    locale: str = "en"
    # Its version is the one readers land on for its docs instance (what search covers by default);
    # set by the ingest, which knows every view.
    latest: bool = True
    # Where the links in `text` lead (the doc's `links` that occur in it: destination as written ->
    # URL). `text` keeps them as written, so a doc repeated in several versions and locales is one
    # text, embedded once; a search hit shows them resolved (bookctl.site.links).
    links: dict[str, str] = field(default_factory=dict)

    @property
    def breadcrumb(self) -> str:
        return " > ".join(p for p in (self.chapter, self.title, *self.heading_path) if p)

    def payload(self) -> dict[str, Any]:
        return {
            "chunk_id": self.id,
            "doc_id": self.doc_id,
            "title": self.title,
            "chapter": self.chapter,
            "category_path": list(self.category_path),
            "sidebar": self.sidebar,
            "heading_path": list(self.heading_path),
            "anchor": self.anchor,
            "url": self.url,
            "source": self.source,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "text": self.text,
            "token_count": self.token_count,
            "content_hash": self.content_hash,
            "ordinal": self.ordinal,
            "instance": self.instance,
            "version": self.version,
            "locale": self.locale,
            "latest": "yes" if self.latest else "no",  # a keyword: the embedded engine matches no booleans
            **({"links": self.links} if self.links else {}),
        }

    @property
    def doc_key(self) -> str:
        return view_prefix(self.instance, self.version, self.locale) + self.doc_id


PLAIN_VIEW = ("default", "current", "en")


def view_prefix(instance: str, version: str, locale: str) -> str:
    """What makes a doc id unique across the views of a site: "" for the plain view (the default
    instance's docs/ folder in English: the ids of an index built before sites had views), else
    "instance/version/locale" and a NUL (no doc id holds one)."""
    if (instance, version, locale) == PLAIN_VIEW:
        return ""
    return f"{instance}/{version}/{locale}\x00"


def payload_doc_key(payload: dict[str, Any]) -> str:
    """doc_key of a stored point's payload (points written before views count as the plain view)."""
    return view_prefix(
        str(payload.get("instance", "default")),
        str(payload.get("version", "current")),
        str(payload.get("locale", "en")),
    ) + str(payload.get("doc_id", ""))


def doc_key(doc: Doc, doc_id: str | None = None) -> str:
    """A doc's id, unique across all the views of a site (see view_prefix). Also for a Chunk, with
    its `doc_id` given (anything carrying instance / version / locale; those lacking them: the plain view)."""
    view = (
        getattr(doc, "instance", "default"),
        getattr(doc, "version", "current"),
        getattr(doc, "locale", "en"),
    )
    return view_prefix(*view) + (doc.id if doc_id is None else doc_id)


@dataclass
class _Block:
    lines: list[str]
    first: int  # markdown line index
    last: int
    tokens: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class _Section:
    path: tuple[str, ...]  # () for the intro
    anchor: str
    blocks: list[_Block]
    line: int = 1  # source line of its heading (1-based), for a section with no text


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING_LINE = re.compile(r"^(#{1,6}) (.*)$")  # the MDX cleanup writes every heading this way


def _blocks(lines: list[str], start: int) -> list[_Block]:
    """Split lines into blocks at blank lines; a code fence is one block, whatever its blank lines."""
    blocks: list[_Block] = []
    current: list[str] = []
    first = start
    fence: str | None = None
    for offset, line in enumerate(lines):
        index = start + offset
        m = _FENCE.match(line)
        if fence is None and m:
            if current:
                blocks.append(_Block(current, first, index - 1))
            current, first, fence = [line], index, m.group(1)
            continue
        if fence is not None:
            current.append(line)
            if line.strip().startswith(fence) and set(line.strip()) <= {fence[0]}:
                blocks.append(_Block(current, first, index))
                current, fence = [], None
            continue
        if not line.strip():
            if current:
                blocks.append(_Block(current, first, index - 1))
                current = []
            continue
        if not current:
            first = index
        current.append(line)
    if current:
        blocks.append(_Block(current, first, start + len(lines) - 1))
    return blocks


def _sections(doc: Doc) -> list[_Section]:
    """The doc's text cut at every heading line (outside code), each part under its heading path."""
    lines = doc.markdown.split("\n")
    headings = iter(doc.headings)  # in the order the MDX cleanup wrote their lines
    sections: list[_Section] = []
    stack: list[tuple[int, str]] = []  # (level, text) of the headings above the current line
    path: tuple[str, ...] = ()
    anchor, start, heading_line = "", 0, 1
    fence: str | None = None
    for index, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            continue
        if fence is not None:
            if line.strip().startswith(fence) and set(line.strip()) <= {fence[0]}:
                fence = None
            continue
        h = _HEADING_LINE.match(line)
        if not h:
            continue
        heading = next(headings, None)
        level = len(h.group(1))
        if level == 1:  # the doc's own `# title` (in the breadcrumb already) or a stray h1: a line, no cut
            continue
        sections.append(_Section(path, anchor, _blocks(lines[start:index], start), heading_line))
        while stack and stack[-1][0] >= level:
            stack.pop()
        text = heading.text if heading is not None and heading.level == level else h.group(2).strip()
        stack.append((level, text))
        path = tuple(t for _, t in stack)
        anchor = heading.anchor if heading is not None and heading.level == level else ""
        heading_line = heading.line if heading is not None else 1
        start = index + 1
    sections.append(_Section(path, anchor, _blocks(lines[start:], start), heading_line))
    for section in sections:  # the doc's own `# title` is in the breadcrumb already
        section.blocks = [
            b for b in section.blocks if not (len(b.lines) == 1 and _HEADING_LINE.match(b.lines[0]))
        ]
    # A heading with no text of its own makes no chunk when its subheadings follow (they carry it in
    # their path); one with no text and no subheadings (its content was a component) keeps the
    # breadcrumb, so the section can still be found and cited.
    kept = [
        s
        for s, after in zip(sections, [*sections[1:], None], strict=True)
        if s.blocks or (s.path and not (after and after.path[: len(s.path)] == s.path))
    ]
    return kept or sections[:1]  # a doc of headings only still gets its intro chunk (the breadcrumb)


def _count(texts: list[str]) -> list[int]:
    if not texts:
        return []
    return [len(e.ids) for e in tokenizer().encode_batch(texts)]


def _split_long_block(block: _Block, budget: int) -> list[_Block]:
    """A block over the window: split it at line boundaries (inside code only when unavoidable)."""
    pieces: list[_Block] = []
    current: list[str] = []
    start = block.first
    lines: list[tuple[int, str]] = []  # (offset in block, text); a line over the budget splits at words
    for offset, (line, n) in enumerate(zip(block.lines, _count(block.lines), strict=True)):
        lines.extend((offset, part) for part in (_split_line(line, budget) if n > budget else [line]))
    counts = _count([t for _, t in lines])
    used = 0
    last_offset = 0
    for (offset, line), n in zip(lines, counts, strict=True):
        if current and used + n > budget:
            pieces.append(_Block(current, start, block.first + last_offset, used))
            current, used, start = [], 0, block.first + offset
        current.append(line)
        used += n
        last_offset = offset
    if current:
        pieces.append(_Block(current, start, block.last, used))
    return pieces


def _split_line(line: str, budget: int) -> list[str]:
    words = line.split(" ")
    counts = _count(words)
    if any(n - 2 > budget - 2 for n in counts):  # a "word" over the window (a long URL, >>>>...): cut it
        size = max(1, (budget - 2) // 2)  # characters per piece: at most two tokens per character
        words = [
            piece
            for w, n in zip(words, counts, strict=True)
            for piece in ([w[i : i + size] for i in range(0, len(w), size)] if n - 2 > budget - 2 else [w])
        ]
        counts = _count(words)
    out: list[str] = []
    current: list[str] = []
    used = 0
    for word, n in zip(words, counts, strict=True):
        n = max(n - 2, 1)  # [CLS]/[SEP] are counted once per piece, not per word
        if current and used + n > budget - 2:
            out.append(" ".join(current))
            current, used = [], 0
        current.append(word)
        used += n
    if current:
        out.append(" ".join(current))
    return out


def chunk_doc(doc: Doc, *, max_tokens: int = MAX_TOKENS) -> list[Chunk]:
    sections = _sections(doc)
    blocks = [b for s in sections for b in s.blocks]
    for block, n in zip(blocks, _count([b.text for b in blocks]), strict=True):
        block.tokens = n
    chunks: list[Chunk] = []
    for section in sections:
        heading_path = section.path
        crumb = " > ".join(p for p in (doc.chapter, doc.title, *heading_path) if p)
        budget = max_tokens - _count([crumb])[0] - 2
        parts = _pack(section.blocks, budget)
        for part_index, part in enumerate(parts):
            body = "\n\n".join(b.text for b in part)
            text = f"{crumb}\n\n{body}" if body else crumb
            first_line = doc.markdown_lines[part[0].first] if part and doc.markdown_lines else section.line
            last_line = (
                doc.markdown_lines[min(part[-1].last, len(doc.markdown_lines) - 1)]
                if part and doc.markdown_lines
                else first_line
            )
            url = doc.permalink + (f"#{section.anchor}" if section.anchor else "")
            chunks.append(
                Chunk(
                    id=str(
                        uuid.uuid5(CHUNK_NAMESPACE, f"{doc_key(doc)}\x00{section.anchor}\x00{part_index}")
                    ),
                    doc_id=doc.id,
                    title=doc.title,
                    chapter=doc.chapter,
                    category_path=tuple(doc.category_path),
                    sidebar=doc.sidebar,
                    heading_path=heading_path,
                    anchor=section.anchor,
                    url=url,
                    source=doc.source,
                    line_start=first_line,
                    line_end=last_line,
                    text=text,
                    token_count=0,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    ordinal=len(chunks),
                    instance=doc.instance,
                    version=doc.version,
                    locale=doc.locale,
                    links={href: url for href, url in doc.links.items() if href in text},
                )
            )
    counts = _count([c.text for c in chunks])
    return [_with_tokens(c, n) for c, n in zip(chunks, counts, strict=True)]


def _with_tokens(chunk: Chunk, n: int) -> Chunk:
    from dataclasses import replace

    return replace(chunk, token_count=n)


def _pack(blocks: list[_Block], budget: int) -> list[list[_Block]]:
    """Greedy packing of blocks into parts of at most `budget` tokens, with a small overlap."""
    pieces: list[_Block] = []
    for block in blocks:
        pieces.extend(_split_long_block(block, budget) if block.tokens > budget else [block])
    parts: list[list[_Block]] = []
    current: list[_Block] = []
    used = 0
    for block in pieces:
        cost = block.tokens + 1
        if current and used + cost > budget:
            parts.append(current)
            tail = current[-1]
            keep = (
                [tail]
                if tail.tokens <= OVERLAP_TOKENS
                and tail.tokens + cost <= budget
                and not _FENCE.match(tail.lines[0])
                else []
            )
            current, used = list(keep), sum(b.tokens + 1 for b in keep)
        current.append(block)
        used += cost
    if current or not parts:
        parts.append(current)
    return parts


def cache_key(doc: Doc, max_tokens: int) -> str:
    """Everything a doc's chunks depend on: equal keys give equal chunks."""
    import json

    parts = [
        doc.instance,
        doc.version,
        doc.locale,
        doc.id,
        doc.title,
        doc.chapter,
        doc.category_path,
        doc.sidebar,
        doc.permalink,
        doc.source,
        doc.markdown,
        doc.markdown_lines,
        [(h.text, h.level, h.anchor) for h in doc.headings],
        doc.links,
        max_tokens,
        CHUNKER_VERSION,
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def chunk_site(
    site: Site, *, max_tokens: int = MAX_TOKENS, cache: dict[str, list[dict[str, Any]]] | None = None
) -> list[Chunk]:
    """All chunks of a site (one view). `cache` (doc key -> chunk fields) skips re-chunking unchanged
    docs; it is updated in place to hold exactly the current docs."""
    return chunk_views([site], max_tokens=max_tokens, cache=cache)


def chunk_views(
    sites: list[Site], *, max_tokens: int = MAX_TOKENS, cache: dict[str, list[dict[str, Any]]] | None = None
) -> list[Chunk]:
    """All chunks of every view of a site, in order, with one cache for all of them (see chunk_site).
    A chunk is `latest` when its view's version is the one its docs instance lands on."""
    from dataclasses import replace

    landing = landing_versions(sites)
    chunks: list[Chunk] = []
    fresh: dict[str, list[dict[str, Any]]] = {}
    for site in sites:
        for doc in site.docs:
            key = cache_key(doc, max_tokens)
            cached = cache.get(key) if cache is not None else None
            if cached is not None:
                doc_chunks = [
                    Chunk(
                        **{
                            **c,
                            "category_path": tuple(c["category_path"]),
                            "heading_path": tuple(c["heading_path"]),
                        }
                    )
                    for c in cached
                ]
            else:
                doc_chunks = chunk_doc(doc, max_tokens=max_tokens)
            fresh[key] = (
                cached
                if cached is not None
                else [{f: getattr(c, f) for f in Chunk.__dataclass_fields__} for c in doc_chunks]
            )
            latest = landing.get(doc.instance, doc.version) == doc.version
            chunks.extend(c if c.latest == latest else replace(c, latest=latest) for c in doc_chunks)
    if cache is not None:
        cache.clear()
        cache.update(fresh)
    return chunks


def landing_versions(sites: list[Site]) -> dict[str, str]:
    """Docs instance -> the version a reader lands on at its docs root (Docusaurus's lastVersion,
    `Site.is_last_version`)."""
    out: dict[str, str] = {}
    for site in sites:
        if site.is_last_version or site.instance not in out:
            out.setdefault(site.instance, site.version)
            if site.is_last_version:
                out[site.instance] = site.version
    return out


def _percentiles(values: Iterable[int]) -> dict[str, int]:
    data = sorted(values)
    if not data:
        return {"p50": 0, "p95": 0, "max": 0}
    p95 = data[min(len(data) - 1, round(0.95 * (len(data) - 1)))]
    return {"p50": int(statistics.median_low(data)), "p95": p95, "max": data[-1]}


def chunk_stats(chunks: list[Chunk]) -> dict[str, Any]:
    """Docs, chunks and token percentiles, overall and per chapter (for `ingest --dry-run`)."""
    by_chapter: dict[str, list[Chunk]] = defaultdict(list)
    for c in chunks:
        by_chapter[c.chapter].append(c)
    return {
        "docs": len({c.doc_id for c in chunks}),
        "chunks": len(chunks),
        "tokens": {
            "total": sum(c.token_count for c in chunks),
            **_percentiles(c.token_count for c in chunks),
        },
        "over_window": sum(1 for c in chunks if c.token_count > MAX_TOKENS),
        "chapters": [
            {
                "chapter": name,
                "docs": len({c.doc_id for c in group}),
                "chunks": len(group),
                **_percentiles(c.token_count for c in group),
            }
            for name, group in by_chapter.items()
        ],
    }
