"""What the rest of bookctl (search command, agent, eval) sees of the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

SearchMode = Literal["hybrid", "dense", "sparse"]


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    score: float  # the ranking score of the mode used (RRF score for hybrid)
    doc_id: str
    anchor: str
    url: str
    chapter: str
    title: str
    heading_path: tuple[str, ...]
    text: str
    source: str = ""
    sidebar: str | None = None
    # Raw evidence, when the mode computed it: cosine of the dense match, BM25 score of the sparse one.
    dense_score: float | None = None
    sparse_score: float | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)
    # The view of the site the section belongs to; `version_label` is set when the index holds more
    # than one version, so a citation can say which one it quotes.
    instance: str = "default"
    version: str = "current"
    locale: str = "en"
    version_label: str = ""

    @property
    def breadcrumb(self) -> str:
        return " > ".join(p for p in (self.chapter, self.title, *self.heading_path) if p)

    @property
    def where(self) -> str:
        """The breadcrumb, and the version when the site has several: "Intro > Setup (version 0.22)"."""
        return f"{self.breadcrumb} (version {self.version_label})" if self.version_label else self.breadcrumb


class Searcher(Protocol):
    """Read side of an index. Opened with `bookctl.index.open_searcher(settings)`."""

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        mode: SearchMode = "hybrid",
        chapter: str | None = None,
        doc_id: str | None = None,
    ) -> list[Hit]: ...

    def section(self, doc_id: str, anchor: str) -> list[Hit]:
        """Every chunk of one section (anchor "" = the doc's intro), in document order."""
        ...

    def chapters(self) -> list[str]: ...

    def resolve_chapter(self, name: str) -> str:
        """The chapter label `name` stands for (an unambiguous case-insensitive prefix will do)."""
        ...

    def close(self) -> None: ...
