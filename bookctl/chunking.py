"""Doc -> chapter / subtopic chunks (filled in by the foundation issue, §4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Chunk:
    """One retrievable piece of a doc: a section (h2 with its h3s) or part of a long one."""

    id: str  # deterministic: uuid5 of doc id + anchor + ordinal
    doc_id: str
    title: str  # the doc's title
    chapter: str  # top-level sidebar category label; "" when the doc is in no sidebar
    category_path: tuple[str, ...]
    sidebar: str | None
    heading_path: tuple[str, ...]  # section headings under the doc title, e.g. ("Install", "On Linux")
    anchor: str  # "" for the part of a doc before its first h2
    url: str  # permalink, plus "#anchor" when there is one
    source: str  # path relative to the site folder
    line_start: int
    line_end: int
    text: str  # what is embedded: breadcrumb line, then the section text
    token_count: int
    content_hash: str  # sha256 of `text` and the metadata that the index stores
    ordinal: int  # position of the chunk within its doc

    @property
    def breadcrumb(self) -> str:
        return " > ".join(p for p in (self.chapter, self.title, *self.heading_path) if p)

    def payload(self) -> dict[str, Any]:
        return {
            "chunk_id": self.id, "doc_id": self.doc_id, "title": self.title, "chapter": self.chapter,
            "category_path": list(self.category_path), "sidebar": self.sidebar,
            "heading_path": list(self.heading_path), "anchor": self.anchor, "url": self.url,
            "source": self.source, "line_start": self.line_start, "line_end": self.line_end,
            "text": self.text, "token_count": self.token_count, "content_hash": self.content_hash,
            "ordinal": self.ordinal,
        }
