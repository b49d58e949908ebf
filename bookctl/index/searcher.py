"""Search over a store: dense, BM25 and hybrid, plus whole sections and the chapter list for the
agent's tools.

Hybrid scores each candidate (the top 50 of each list) on our side, so both engines rank alike:
    0.7 x cosine + 0.3 x BM25 / (the question's best BM25 score) + 0.2 x cosine(question, doc title)
    + 0.2 x cosine(question, "doc title > section heading")
Cosines are exact for every candidate (BM25 hits come back with their dense vectors); a chunk
outside BM25's top 50 gets the 50th BM25 score. Results keep the best part of each section, so
the top k are k different sections. The weights won on all three gold sets (README, "Retrieval
variants"; reproduce with scripts/retrieval_experiments.py). On a Chinese or Japanese view the
dense share is CJK_DENSE_WEIGHT instead of 0.7 (BM25 gets the rest)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bookctl.config import Settings
from bookctl.errors import InputError
from bookctl.index.base import Hit, SearchMode
from bookctl.index.store import DENSE, SPARSE, ScoredId, Store
from bookctl.site.links import apply_link_rewrites

if TYPE_CHECKING:
    from bookctl.index import IndexMeta, Scope
    from bookctl.index.titles import TitleVectors

DENSE_WEIGHT = 0.7  # BM25, scaled to the question's best BM25 score, gets 1 - DENSE_WEIGHT
# The dense share on a view in Chinese or Japanese (bookctl.site.languages.CJK_LANGUAGES, by the
# searched view's locale): all-MiniLM-L6-v2 is an English model, its cosines between texts in those
# languages are near noise, while BM25 reads them (character bigrams). Chosen on the tune half of
# yew-site's ja / zh-Hans / zh-Hant headings (README, "The fusion on Chinese and Japanese views";
# scripts/cjk_fusion.py): 0.1 and 0.0 tied there, held half 0.766 -> 0.892 recall@1 against 0.7.
CJK_DENSE_WEIGHT = 0.1
# The dense share on a Chinese or Japanese view embedded with multilingual-e5-small (translations_model,
# bookctl.embedding.view_model): e5 reads them, so its cosines weigh more. Chosen on the tune half of
# yew-site's paraphrased ja / zh-Hans / zh-Hant questions (README, "The dense model per locale";
# scripts/multilingual_questions.py): 0.5, tune recall@1 0.628 (0.7: 0.617, 0.1: 0.574).
E5_CJK_DENSE_WEIGHT = 0.5
TITLE_WEIGHT = 0.2  # cosine between the question and the chunk's doc title + description
HEADING_WEIGHT = 0.2  # cosine between the question and "doc title > section heading"
CANDIDATES = 50  # per list, before fusion


def to_hit(
    point: ScoredId,
    score: float,
    *,
    dense: float | None = None,
    sparse: float | None = None,
    labels: dict[tuple[str, str], str] | None = None,
) -> Hit:
    """`labels`: (instance, version) -> label, for an index of several versions."""
    p = point.payload
    instance, version = str(p.get("instance", "default")), str(p.get("version", "current"))
    return Hit(
        chunk_id=point.id,
        score=score,
        doc_id=p.get("doc_id", ""),
        anchor=p.get("anchor", ""),
        url=p.get("url", ""),
        chapter=p.get("chapter", ""),
        title=p.get("title", ""),
        heading_path=tuple(p.get("heading_path") or ()),
        # links as the site serves them (the index keeps them as written: bookctl.site.links)
        text=apply_link_rewrites(str(p.get("text", "")), p.get("links") or {}),
        source=p.get("source", ""),
        sidebar=p.get("sidebar"),
        dense_score=dense,
        sparse_score=sparse,
        extra={"line_start": p.get("line_start"), "line_end": p.get("line_end"), "ordinal": p.get("ordinal")},
        instance=instance,
        version=version,
        locale=str(p.get("locale", "en")),
        version_label=(labels or {}).get((instance, version), ""),
    )


def _best_per_section(hits: list[Hit], k: int) -> list[Hit]:
    """The first k hits of different sections (a long section's other parts add nothing new)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for h in hits:
        if (h.doc_id, h.anchor) not in seen:
            seen.add((h.doc_id, h.anchor))
            kept.append(h)
            if len(kept) == k:
                break
    return kept


def resolve_chapter(name: str, chapters: list[str]) -> str:
    """See IndexSearcher.resolve_chapter."""
    if name in chapters:
        return name
    wanted = " ".join(name.split()).casefold()
    for matches in (
        [c for c in chapters if c.casefold() == wanted],
        [c for c in chapters if wanted and c.casefold().startswith(wanted)],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InputError(
                f"chapter {name!r} is ambiguous",
                fix="it starts " + ", ".join(repr(c) for c in matches) + "; give more of the name",
            )
    raise InputError(
        f"unknown chapter {name!r}",
        fix="chapters: " + ", ".join(repr(c) for c in chapters) + " (a prefix of one is enough)",
    )


class IndexSearcher:
    def __init__(
        self,
        store: Store,
        meta: IndexMeta,
        settings: Settings,
        snapshot: Path | None = None,
        scope: Scope | None = None,
    ) -> None:
        from bookctl.index import Scope

        self.store = store
        self.meta = meta
        self.settings = settings
        self.snapshot = snapshot  # the private copy of the index it reads (a Path), deleted by close()
        self.scope = scope or Scope({})  # the view it reads: every query is filtered to it
        self._chapters: list[str] | None = None
        self._titles: TitleVectors | None = None
        # The dense model of the view it reads (views in other languages have their own,
        # bookctl.embedding.view_model): questions are embedded by it, and the abstention calibration
        # (meta.off_topic_cosine, read by the assistant) is that model's.
        self.dense_model = next(
            (str(v["dense_model"]) for v in self.scope.views if v.get("dense_model")), meta.dense_model
        )
        if self.dense_model in meta.off_topic_cosines:
            import dataclasses

            self.meta = dataclasses.replace(meta, off_topic_cosine=meta.off_topic_cosines[self.dense_model])
        versions = {v["version"] for v in meta.views}
        self.labels: dict[tuple[str, str], str] = (
            {(v["instance"], v["version"]): str(v.get("label") or v["version"]) for v in meta.views}
            if len(versions) > 1
            else {}
        )

    def _hit(self, point: ScoredId, score: float, **scores: float | None) -> Hit:
        return to_hit(point, score, labels=self.labels, **scores)

    def resolve_chapter(self, name: str) -> str:
        """The chapter `name` means: its exact label, else the one label it matches case-insensitively,
        else the one label it is a case-insensitive prefix of ("module 1" for "Module 1: ROS 2").
        Anything else is an InputError listing the chapters."""
        return resolve_chapter(name, self.chapters())

    def _where(self, chapter: str | None, doc_id: str | None) -> dict[str, object] | None:
        where: dict[str, object] = dict(self.scope.where)
        if chapter is not None:
            where["chapter"] = self.resolve_chapter(chapter)
        if doc_id is not None:
            self._check_doc(doc_id)
            where["doc_id"] = doc_id
        return where or None

    def _check_doc(self, doc_id: str) -> None:
        scoped = {**self.scope.where, "doc_id": doc_id}
        if next(iter(self.store.scroll(["doc_id"], where=scoped)), None) is not None:
            return
        import difflib

        known = sorted(
            {
                p.payload.get("doc_id", "")
                for p in self.store.scroll(["doc_id"], where=self.scope.where or None)
            }
            - {""}
        )
        close = difflib.get_close_matches(doc_id, known, n=3, cutoff=0.5)
        raise InputError(
            f"unknown doc {doc_id!r}",
            fix=("did you mean " + ", ".join(repr(c) for c in close) + "? " if close else "")
            + "`bookctl chapters --json` lists the doc ids",
        )

    def dense_vector(self, query: str) -> list[float]:
        from bookctl.embedding import dense_embedder, embed_queries

        return embed_queries(dense_embedder(self.dense_model), [query])[0].tolist()

    def sparse_vector(self, query: str) -> tuple[list[int], list[float]]:
        from bookctl.embedding import bm25

        v = bm25().embed_query(query)
        return v.indices, v.values

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        mode: SearchMode = "hybrid",
        chapter: str | None = None,
        doc_id: str | None = None,
    ) -> list[Hit]:
        if not query.strip():
            raise InputError("the query is empty", fix="ask a question or give search words")
        if k < 1:
            raise InputError(f"-k must be at least 1 (got {k})")
        if mode not in ("hybrid", "dense", "sparse"):
            raise InputError(f"unknown mode {mode!r}", fix="use hybrid, dense or sparse")
        where = self._where(chapter, doc_id)
        limit = max(k, CANDIDATES)
        query_vector = self.dense_vector(query) if mode in ("hybrid", "dense") else []
        dense = self.store.query(DENSE, query_vector, limit=limit, where=where) if query_vector else []
        sparse_vec = self.sparse_vector(query)
        sparse = (
            self.store.query(SPARSE, sparse_vec, limit=limit, where=where, with_dense=mode == "hybrid")
            if mode in ("hybrid", "sparse") and sparse_vec[0]
            else []
        )
        dense_scores = {p.id: p.score for p in dense}
        sparse_scores = {p.id: p.score for p in sparse}
        if mode == "dense":
            return _best_per_section(
                [self._hit(p, p.score, dense=p.score, sparse=sparse_scores.get(p.id)) for p in dense], k
            )
        if mode == "sparse":
            return _best_per_section(
                [self._hit(p, p.score, dense=dense_scores.get(p.id), sparse=p.score) for p in sparse], k
            )
        import numpy as np

        q = np.asarray(query_vector, dtype=np.float32)
        for p in sparse:  # exact cosines for BM25 hits outside the dense top 50
            if p.id not in dense_scores and p.dense is not None:
                dense_scores[p.id] = float(np.dot(q, np.asarray(p.dense, dtype=np.float32)))
        points = {p.id: p for p in (*dense, *sparse)}
        best_bm25 = sparse[0].score if sparse else 0.0
        bm25_floor = sparse[-1].score if len(sparse) == limit else 0.0
        from bookctl.chunking import payload_doc_key
        from bookctl.index.titles import section_key

        doc_of = {i: payload_doc_key(p.payload) for i, p in points.items()}
        section_of = {i: section_key(doc_of[i], p.payload.get("anchor", "")) for i, p in points.items()}
        titles = self.title_vectors().scores(q, doc_of.values())
        headings = self.title_vectors().scores(q, section_of.values())
        dense_weight = self.dense_weight()
        fused = {
            i: dense_weight * dense_scores.get(i, 0.0)
            + (1 - dense_weight) * (sparse_scores.get(i, bm25_floor) / best_bm25 if best_bm25 > 0 else 0.0)
            + TITLE_WEIGHT * titles.get(doc_of[i], 0.0)
            + HEADING_WEIGHT * headings.get(section_of[i], 0.0)
            for i in points
        }
        order = sorted(fused, key=lambda i: (-fused[i], i))
        return _best_per_section(
            [
                self._hit(points[i], fused[i], dense=dense_scores.get(i), sparse=sparse_scores.get(i))
                for i in order
            ],
            k,
        )

    def dense_weight(self) -> float:
        """The dense share of the fusion: on a view in Chinese or Japanese, E5_CJK_DENSE_WEIGHT when it
        is embedded with multilingual-e5-small, else CJK_DENSE_WEIGHT (MiniLM reads English only)."""
        from bookctl.embedding import MULTILINGUAL_MODEL
        from bookctl.site.languages import CJK_LANGUAGES, language_of

        locale = self.scope.locale
        if not locale or language_of(locale) not in CJK_LANGUAGES:
            return DENSE_WEIGHT
        return E5_CJK_DENSE_WEIGHT if self.dense_model == MULTILINGUAL_MODEL else CJK_DENSE_WEIGHT

    def title_vectors(self) -> TitleVectors:
        if self._titles is None:
            from bookctl.index.titles import TitleVectors

            self._titles = TitleVectors(self.snapshot or self.settings.resolved_data_dir)
        return self._titles

    def section(self, doc_id: str, anchor: str) -> list[Hit]:
        points = list(self.store.scroll(where={**self.scope.where, "doc_id": doc_id, "anchor": anchor}))
        points.sort(key=lambda p: p.payload.get("ordinal", 0))
        return [self._hit(p, 1.0) for p in points]

    def chapters(self) -> list[str]:
        if self._chapters is None:
            if self.scope.views:
                self._chapters = self.scope.chapters
            elif self.meta.chapters:
                self._chapters = [c for c in self.meta.chapters if c]
            else:
                self._chapters = sorted(
                    {p.payload.get("chapter", "") for p in self.store.scroll(["chapter"])} - {""}
                )
        return self._chapters

    def close(self) -> None:
        try:
            self.store.close()
        finally:
            if self.snapshot is not None:
                import shutil

                shutil.rmtree(self.snapshot, ignore_errors=True)
