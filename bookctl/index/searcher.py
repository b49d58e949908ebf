"""Search over a store: dense, BM25 and hybrid (reciprocal rank fusion on our side, so both
engines rank alike), plus whole sections and the chapter list for the agent's tools."""

from __future__ import annotations

from typing import Any

from bookctl.errors import InputError
from bookctl.index.base import Hit, SearchMode
from bookctl.index.store import DENSE, SPARSE, ScoredId

RRF_K = 10  # chosen by the fusion comparison in the README (bookctl eval on all three gold sets)
CANDIDATES = 50  # per list, before fusion


def to_hit(point: ScoredId, score: float, *, dense: float | None = None, sparse: float | None = None) -> Hit:
    p = point.payload
    return Hit(chunk_id=point.id, score=score, doc_id=p.get("doc_id", ""), anchor=p.get("anchor", ""),
               url=p.get("url", ""), chapter=p.get("chapter", ""), title=p.get("title", ""),
               heading_path=tuple(p.get("heading_path") or ()), text=p.get("text", ""),
               source=p.get("source", ""), sidebar=p.get("sidebar"), dense_score=dense, sparse_score=sparse,
               extra={"line_start": p.get("line_start"), "line_end": p.get("line_end"), "ordinal": p.get("ordinal")})


class IndexSearcher:
    def __init__(self, store: Any, meta: Any, settings: Any) -> None:
        self.store = store
        self.meta = meta
        self.settings = settings
        self._chapters: list[str] | None = None

    def _where(self, chapter: str | None, doc_id: str | None) -> dict[str, str] | None:
        where: dict[str, str] = {}
        if chapter is not None:
            if chapter not in self.chapters():
                import difflib

                close = difflib.get_close_matches(chapter, self.chapters(), n=3, cutoff=0.3)
                raise InputError(f"unknown chapter {chapter!r}",
                                 fix="chapters: " + ", ".join(repr(c) for c in (close or self.chapters())))
            where["chapter"] = chapter
        if doc_id is not None:
            where["doc_id"] = doc_id
        return where or None

    def dense_vector(self, query: str) -> list[float]:
        from bookctl.embedding import dense_embedder

        return dense_embedder(self.meta.dense_model).embed_batch([query])[0].tolist()

    def sparse_vector(self, query: str) -> tuple[list[int], list[float]]:
        from bookctl.embedding import bm25

        v = bm25().embed_query(query)
        return v.indices, v.values

    def search(self, query: str, *, k: int = 5, mode: SearchMode = "hybrid",
               chapter: str | None = None, doc_id: str | None = None) -> list[Hit]:
        if not query.strip():
            raise InputError("the query is empty", fix="ask a question or give search words")
        if k < 1:
            raise InputError(f"-k must be at least 1 (got {k})")
        if mode not in ("hybrid", "dense", "sparse"):
            raise InputError(f"unknown mode {mode!r}", fix="use hybrid, dense or sparse")
        where = self._where(chapter, doc_id)
        dense = self.store.query(DENSE, self.dense_vector(query), limit=max(k, CANDIDATES), where=where) \
            if mode in ("hybrid", "dense") else []
        sparse_vec = self.sparse_vector(query)
        sparse = self.store.query(SPARSE, sparse_vec, limit=max(k, CANDIDATES), where=where) \
            if mode in ("hybrid", "sparse") and sparse_vec[0] else []
        dense_scores = {p.id: p.score for p in dense}
        sparse_scores = {p.id: p.score for p in sparse}
        if mode == "dense":
            return [to_hit(p, p.score, dense=p.score, sparse=sparse_scores.get(p.id)) for p in dense[:k]]
        if mode == "sparse":
            return [to_hit(p, p.score, dense=dense_scores.get(p.id), sparse=p.score) for p in sparse[:k]]
        fused: dict[str, float] = {}
        points: dict[str, ScoredId] = {}
        for ranking in (dense, sparse):
            for rank, p in enumerate(ranking):
                fused[p.id] = fused.get(p.id, 0.0) + 1.0 / (RRF_K + rank + 1)
                points.setdefault(p.id, p)
        order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        return [to_hit(points[i], fused[i], dense=dense_scores.get(i), sparse=sparse_scores.get(i)) for i in order]

    def section(self, doc_id: str, anchor: str) -> list[Hit]:
        points = list(self.store.scroll(where={"doc_id": doc_id, "anchor": anchor}))
        points.sort(key=lambda p: p.payload.get("ordinal", 0))
        return [to_hit(p, 1.0) for p in points]

    def chapters(self) -> list[str]:
        if self._chapters is None:
            if self.meta.chapters:
                self._chapters = [c for c in self.meta.chapters if c]
            else:
                self._chapters = sorted({p.payload.get("chapter", "") for p in self.store.scroll(["chapter"])} - {""})
        return self._chapters

    def close(self) -> None:
        self.store.close()
