"""Retrieval variants measured on every gold set, in one run (the README's comparison tables).

Usage: .venv/bin/python scripts/retrieval_experiments.py [--only NAME,NAME] [--json OUT] [--grid] [--model DIR]

Each variant chunks the three sites (our book and the two shared corpora), embeds with the bundled
model and scores BM25 exactly as the index does (fastembed's Qdrant/bm25 with Qdrant's IDF), then
retrieves in memory, so a variant needs no re-ingest. The variant `shipped` is what
`bookctl.index.searcher` does (it takes its weights from there); its figures equal `bookctl eval`'s.
Cells: recall@1 / MRR@10 / section hit@5, answerable questions, k = 5. Embeddings are cached per
text in .bookctl-experiments/ so reruns are quick.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bookctl.chunking import Chunk, chunk_doc  # noqa: E402
from bookctl.config import load_settings  # noqa: E402
from bookctl.embedding import bm25, dense_embedder  # noqa: E402
from bookctl.evals import covers_section, dedupe_docs, load_gold, mean, rank_metrics  # noqa: E402
from bookctl.index.titles import section_text, title_text  # noqa: E402
from bookctl.site.loader import load_site  # noqa: E402

CORPORA = {
    "book": REPO,
    "docusaurus": REPO / "tests/corpora/docusaurus",
    "kysely": REPO / "tests/corpora/kysely",
}
GOLD = {name: REPO / f"tests/gold/{name}.yaml" for name in CORPORA}
CACHE = REPO / ".bookctl-experiments"
CANDIDATES = 50
K = 5


# --- embeddings, cached by text ---------------------------------------------------------------------


class SentenceTransformerModel:
    """--model DIR: another embedding model, a sentence-transformers folder (needs torch and
    sentence-transformers installed; used to compare base models, never by bookctl itself)."""

    def __init__(self, folder: Path) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(folder), device="cpu")
        self.model.max_seq_length = 256  # the window bookctl's chunks are cut for

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, batch_size=32, normalize_embeddings=True).astype(np.float32)


class EmbeddingCache:
    def __init__(self, model_dir: Path | None = None) -> None:
        CACHE.mkdir(exist_ok=True)
        self.model_dir = model_dir
        self.path = CACHE / ("dense.npz" if model_dir is None else f"dense-{model_dir.name}.npz")
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            data = np.load(self.path)
            self.vectors = {k: data[k] for k in data.files}
        self.dirty = False

    def embed(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}.items())
        if missing:
            model = dense_embedder() if self.model_dir is None else SentenceTransformerModel(self.model_dir)
            order = sorted(range(len(missing)), key=lambda i: len(missing[i][1]))
            for start in range(0, len(order), 64):
                batch = [missing[i] for i in order[start : start + 64]]
                for (k, _), v in zip(batch, model.embed_batch([t for _, t in batch]), strict=True):
                    self.vectors[k] = v
            self.dirty = True
        return np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)

    def save(self) -> None:
        if self.dirty:
            np.savez(self.path, **self.vectors)


# --- a variant --------------------------------------------------------------------------------------


@dataclass
class Variant:
    name: str
    note: str
    max_tokens: int = 256
    dense_text: str = "chunk"  # chunk (breadcrumb + body) | body | title_heading_body
    sparse_text: str = "chunk"  # chunk | title_x2 (breadcrumb repeated: title terms weigh double)
    fusion: str = "rrf"  # rrf | convex
    rrf_k: int = 10
    sparse_weight: float = 1.0
    alpha: float = 0.5  # convex: alpha * dense + (1 - alpha) * bm25 / max bm25
    title_list: float = 0.0  # weight of a third RRF list: docs ranked by their title + description
    title_cos: float = (
        0.0  # convex: weight of the cosine between the question and the doc's title + description
    )
    doc_agg: float = 0.0  # each chunk also gets this share of the best other chunk of its doc
    section_dedup: bool = False  # keep only the best part of each section (doc + anchor)
    title_text: str = "title_desc"  # title_desc | path_desc (chapter > categories > title, then description)
    size_prior: float = 0.0  # convex: minus this x ln(number of chunks of the doc)
    centroid_cos: float = (
        0.0  # convex: weight of the cosine between the question and the doc's mean chunk vector
    )
    heading_cos: float = (
        0.0  # convex: weight of the cosine between the question and "title > section heading"
    )
    exact_scores: str = "both"  # both | dense (a chunk outside BM25's top 50 gets its 50th score) | none
    extra: dict[str, Any] = field(default_factory=dict)


from bookctl.index.searcher import DENSE_WEIGHT, HEADING_WEIGHT, TITLE_WEIGHT  # noqa: E402

VARIANTS = [
    Variant("rrf-k10 (before)", "what bookctl shipped before: reciprocal rank fusion, k=10"),
    Variant("dense-only", "dense list alone", fusion="dense"),
    Variant("bm25-only", "BM25 list alone", fusion="sparse"),
    Variant("rrf-k60", "RRF k=60 (the common default)", rrf_k=60),
    Variant(
        "no-breadcrumb",
        "rrf-k10 on chunks without the breadcrumb line",
        dense_text="body",
        sparse_text="body",
    ),
    Variant("title-x2-bm25", "rrf-k10, BM25 counts the breadcrumb twice", sparse_text="title_x2"),
    Variant(
        "title-list-0.5", "rrf-k10 + a third list: docs by title + description, weight 0.5", title_list=0.5
    ),
    Variant(
        "title-list-1.0", "rrf-k10 + a third list: docs by title + description, weight 1.0", title_list=1.0
    ),
    Variant("rrf+doc-agg", "rrf-k10, plus 0.3 x the best other chunk of the same doc", doc_agg=0.3),
    Variant("rrf+section-dedup", "rrf-k10, best part per section", section_dedup=True),
    Variant("convex-0.5", "score fusion: 0.5 cosine + 0.5 BM25/max", fusion="convex", alpha=0.5),
    Variant("convex-0.6", "score fusion: 0.6 cosine + 0.4 BM25/max", fusion="convex", alpha=0.6),
    Variant("convex-0.7", "score fusion: 0.7 cosine + 0.3 BM25/max", fusion="convex", alpha=0.7),
    Variant("convex-0.8", "score fusion: 0.8 cosine + 0.2 BM25/max", fusion="convex", alpha=0.8),
    Variant(
        "convex-0.7+title-x2",
        "convex-0.7, BM25 counts the breadcrumb twice",
        fusion="convex",
        alpha=0.7,
        sparse_text="title_x2",
    ),
    Variant(
        "convex-0.7+doc-agg",
        "convex-0.7, plus 0.3 x the best other chunk of the same doc",
        fusion="convex",
        alpha=0.7,
        doc_agg=0.3,
    ),
    Variant(
        "convex-0.7+title-0.1",
        "convex-0.7 + 0.1 x cosine(question, doc title + description)",
        fusion="convex",
        alpha=0.7,
        title_cos=0.1,
    ),
    Variant(
        "convex-0.7+title-0.2", "convex-0.7 + 0.2 x title cosine", fusion="convex", alpha=0.7, title_cos=0.2
    ),
    Variant(
        "convex-0.7+title-0.3", "convex-0.7 + 0.3 x title cosine", fusion="convex", alpha=0.7, title_cos=0.3
    ),
    Variant(
        "convex-0.6+title-0.2", "convex-0.6 + 0.2 x title cosine", fusion="convex", alpha=0.6, title_cos=0.2
    ),
    Variant(
        "convex-0.8+title-0.2", "convex-0.8 + 0.2 x title cosine", fusion="convex", alpha=0.8, title_cos=0.2
    ),
    Variant(
        "convex-0.7+title-0.2+dedup",
        "the above, best part per section",
        fusion="convex",
        alpha=0.7,
        title_cos=0.2,
        section_dedup=True,
    ),
    Variant(
        "title-fusion (before)",
        "the above with the scores a store returns: exact cosines (BM25 hits "
        "bring their vectors), BM25 outside its top 50 = its 50th score",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
    ),
    Variant(
        "title-fusion, no vectors",
        "the same if cosines outside the dense top 50 were also floored",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        section_dedup=True,
        exact_scores="none",
    ),
    Variant(
        "title-fusion+title-x2",
        "title-fusion, BM25 counts the breadcrumb twice",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
        sparse_text="title_x2",
    ),
    Variant(
        "title-fusion+title-path",
        "title-fusion, the title vector embeds chapter > categories > title",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
        title_text="path_desc",
    ),
    Variant(
        "title-fusion+title-toc",
        "title-fusion, the title vector also embeds the doc's h2 headings",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
        title_text="toc",
    ),
    *[
        Variant(
            f"title-fusion+size-{g}",
            f"title-fusion, minus {g} x ln(chunks in the doc)",
            fusion="convex",
            alpha=DENSE_WEIGHT,
            title_cos=TITLE_WEIGHT,
            section_dedup=True,
            exact_scores="dense",
            size_prior=g,
        )
        for g in (0.01, 0.02)
    ],
    *[
        Variant(
            f"title-fusion+centroid-{g}",
            f"title-fusion, plus {g} x cosine(question, the doc's mean chunk vector)",
            fusion="convex",
            alpha=DENSE_WEIGHT,
            title_cos=TITLE_WEIGHT,
            section_dedup=True,
            exact_scores="dense",
            centroid_cos=g,
        )
        for g in (0.1, 0.2)
    ],
    *[
        Variant(
            f"title-fusion+heading-{g}",
            f"title-fusion, plus {g} x cosine(question, doc title > section heading)",
            fusion="convex",
            alpha=DENSE_WEIGHT,
            title_cos=TITLE_WEIGHT,
            section_dedup=True,
            exact_scores="dense",
            heading_cos=g,
        )
        for g in (0.1, 0.3, 0.4)
    ],
    Variant(
        "shipped",
        "title-fusion + 0.2 x cosine(question, doc title > section heading)",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        heading_cos=HEADING_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
    ),
    Variant(
        "shipped-intro-title",
        "shipped, a doc's intro section (no heading) uses the title vector",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        heading_cos=HEADING_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
        extra={"intro_is_title": True},
    ),
    Variant(
        "shipped+subheadings",
        "shipped, the heading vector also embeds the part's own h3 headings",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        heading_cos=HEADING_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
        extra={"subheadings": True},
    ),
    *[
        Variant(
            f"shipped+prf-{b}",
            f"shipped, then again with the question moved {b} x toward its top 3 "
            "chunks (pseudo-relevance feedback)",
            fusion="convex",
            alpha=DENSE_WEIGHT,
            title_cos=TITLE_WEIGHT,
            heading_cos=HEADING_WEIGHT,
            section_dedup=True,
            exact_scores="dense",
            extra={"prf": b},
        )
        for b in (0.3, 0.6)
    ],
    Variant(
        "shipped+minmax",
        "shipped, cosine and BM25 both min-max scaled over the candidates",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        heading_cos=HEADING_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
        extra={"minmax": True},
    ),
    *[
        Variant(
            f"shipped-common-{f}",
            f"shipped, the question without words that over {f:.0%} of the chunks hold",
            fusion="convex",
            alpha=DENSE_WEIGHT,
            title_cos=TITLE_WEIGHT,
            heading_cos=HEADING_WEIGHT,
            section_dedup=True,
            exact_scores="dense",
            extra={"strip_common": f},
        )
        for f in (0.3, 0.5)
    ],
    Variant(
        "shipped+statement",
        'shipped, the question vector averaged with its statement form ("How do I '
        'cut a new version?" + "cut a new version")',
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        heading_cos=HEADING_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
        extra={"statement": True},
    ),
    Variant(
        "shipped+title-category",
        "shipped, the title vector embeds the doc's category > title",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        heading_cos=HEADING_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
        title_text="cat",
    ),
    Variant(
        "shipped-no-breadcrumb",
        "shipped on chunks without the breadcrumb line (title and heading "
        "reach the score only through their own vectors)",
        fusion="convex",
        alpha=DENSE_WEIGHT,
        title_cos=TITLE_WEIGHT,
        heading_cos=HEADING_WEIGHT,
        section_dedup=True,
        exact_scores="dense",
        dense_text="body",
        sparse_text="body",
    ),
    *[
        Variant(
            f"shipped+passage-{g}",
            f"shipped, plus {g} x the best cosine of the chunk's paragraphs",
            fusion="convex",
            alpha=DENSE_WEIGHT,
            title_cos=TITLE_WEIGHT,
            heading_cos=HEADING_WEIGHT,
            section_dedup=True,
            exact_scores="dense",
            extra={"passage": g},
        )
        for g in (0.1, 0.2, 0.3)
    ],
    *[
        Variant(
            f"shipped+heading-bm25-{g}",
            f"shipped, plus {g} x BM25(question, title > heading) / its max",
            fusion="convex",
            alpha=DENSE_WEIGHT,
            title_cos=TITLE_WEIGHT,
            heading_cos=HEADING_WEIGHT,
            section_dedup=True,
            exact_scores="dense",
            extra={"heading_bm25": g},
        )
        for g in (0.05, 0.1, 0.2)
    ],
    *[
        Variant(
            f"shipped+doc-agg-{g}",
            f"shipped, plus {g} x the best other part of the same doc",
            fusion="convex",
            alpha=DENSE_WEIGHT,
            title_cos=TITLE_WEIGHT,
            heading_cos=HEADING_WEIGHT,
            section_dedup=True,
            exact_scores="dense",
            doc_agg=g,
        )
        for g in (0.05, 0.1)
    ],
    *[
        Variant(
            f"shipped-chunks-{n}",
            f"shipped on section chunks <= {n} tokens",
            fusion="convex",
            alpha=DENSE_WEIGHT,
            title_cos=TITLE_WEIGHT,
            heading_cos=HEADING_WEIGHT,
            section_dedup=True,
            exact_scores="dense",
            max_tokens=n,
        )
        for n in (192, 128)
    ],
    Variant("chunks-192", "rrf-k10 on section chunks <= 192 tokens", max_tokens=192),
    Variant("chunks-128", "rrf-k10 on section chunks <= 128 tokens", max_tokens=128),
]


GRID = [  # --grid: the three weights of `shipped` around their values
    Variant(
        f"grid a={a} t={t} h={h}",
        "weights grid",
        fusion="convex",
        alpha=a,
        title_cos=t,
        heading_cos=h,
        section_dedup=True,
        exact_scores="dense",
    )
    for a in (0.6, 0.7, 0.8)
    for t in (0.1, 0.2, 0.3)
    for h in (0.1, 0.2, 0.3, 0.4)
]


def _texts(chunks: list[Chunk], how: str) -> list[str]:
    if how == "chunk":
        return [c.text for c in chunks]
    bodies = [c.text.split("\n\n", 1)[1] if "\n\n" in c.text else c.text for c in chunks]
    if how == "body":
        return bodies
    if how == "title_x2":
        return [f"{c.breadcrumb}\n{c.text}" for c in chunks]
    raise ValueError(how)


@dataclass
class Hit:  # what evals.covers_section reads
    doc_id: str
    anchor: str
    heading_path: tuple[str, ...]
    text: str


class Corpus:
    """One site chunked and indexed in memory for one variant."""

    def __init__(self, name: str, variant: Variant, cache: EmbeddingCache) -> None:
        settings = load_settings({"site": CORPORA[name]}, env={})
        site = load_site(settings)
        self.chunks = [c for doc in site.docs for c in chunk_doc(doc, max_tokens=variant.max_tokens)]
        self.dense = cache.embed(_texts(self.chunks, variant.dense_text))
        sparse = bm25().embed_documents(_texts(self.chunks, variant.sparse_text))
        self.sparse = [dict(zip(v.indices, v.values, strict=True)) for v in sparse]
        df: dict[int, int] = {}
        for v in self.sparse:
            for t in v:
                df[t] = df.get(t, 0) + 1
        n = len(self.sparse)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.docs = sorted({c.doc_id for c in self.chunks})
        by_id = {d.id: d for d in site.docs}

        def title(doc: Any) -> str:
            if variant.title_text == "title_desc":
                return title_text(doc)  # what bookctl embeds
            if variant.title_text == "toc":  # the doc's section headings, like a table of contents
                return title_text(doc) + "\n\n" + "; ".join(h.text for h in doc.headings if h.level == 2)
            path = (
                doc.category_path[-1:] if variant.title_text == "cat" else (doc.chapter, *doc.category_path)
            )
            head = " > ".join(p for p in (*path, doc.title) if p)
            return f"{head}\n\n{doc.description}".strip()

        n_chunks: dict[str, int] = {}
        sums: dict[str, np.ndarray] = {}
        for c, vec in zip(self.chunks, self.dense, strict=True):
            n_chunks[c.doc_id] = n_chunks.get(c.doc_id, 0) + 1
            sums[c.doc_id] = sums.get(c.doc_id, 0) + vec
        self.doc_size = n_chunks

        def heading(c: Chunk) -> str:
            if not c.heading_path and variant.extra.get("intro_is_title"):
                return title_text(by_id[c.doc_id])
            text = section_text(c.title, c.heading_path)  # what bookctl embeds
            if variant.extra.get(
                "subheadings"
            ):  # the part's own h3-h6 headings, like a small table of contents
                subs = [line.lstrip("#").strip() for line in c.text.splitlines() if line.startswith("###")]
                if subs:
                    text += " > " + "; ".join(subs)
            return text

        self.heading_vectors = cache.embed([heading(c) for c in self.chunks]) if variant.heading_cos else None
        self.passages: list[np.ndarray] = []
        if variant.extra.get("passage"):  # each paragraph of a chunk, embedded under its section's name
            owners, texts = [], []
            for i, c in enumerate(self.chunks):
                body = c.text.split("\n\n", 1)[1] if "\n\n" in c.text else c.text
                for para in [p for p in body.split("\n\n") if len(p.split()) >= 5] or [body]:
                    owners.append(i)
                    texts.append(f"{section_text(c.title, c.heading_path)}\n\n{para}")
            vecs = cache.embed(texts)
            groups: dict[int, list[np.ndarray]] = {}
            for i, v in zip(owners, vecs, strict=True):
                groups.setdefault(i, []).append(v)
            self.passages = [np.stack(groups[i]) for i in range(len(self.chunks))]
        self.heading_sparse = None
        if variant.extra.get("heading_bm25"):
            hs = bm25().embed_documents([section_text(c.title, c.heading_path) for c in self.chunks])
            self.heading_sparse = [dict(zip(v.indices, v.values, strict=True)) for v in hs]
        self.centroids = {d: v / np.linalg.norm(v) for d, v in sums.items()}
        self.doc_vectors = (
            cache.embed([title(by_id[d]) for d in self.docs])
            if variant.title_list or variant.title_cos
            else None
        )

    def bm25_scores(self, query: str) -> np.ndarray:
        q = bm25().embed_query(query).indices
        return np.array([sum(self.idf.get(t, 0.0) * v.get(t, 0.0) for t in q) for v in self.sparse])


def rank(corpus: Corpus, variant: Variant, qvec: np.ndarray, question: str) -> list[int]:
    if variant.extra.get("prf"):  # pseudo-relevance feedback: move the question toward its top 3 results
        first = rank(corpus, Variant(**{**variant.__dict__, "extra": {}}), qvec, question)[:3]
        moved = qvec + variant.extra["prf"] * corpus.dense[first].mean(axis=0)
        qvec = moved / np.linalg.norm(moved)
    dense = corpus.dense @ qvec
    sparse = corpus.bm25_scores(question)
    dense_order = list(np.argsort(-dense, kind="stable")[:CANDIDATES])
    sparse_order = [i for i in np.argsort(-sparse, kind="stable")[:CANDIDATES] if sparse[i] > 0]
    if variant.fusion == "dense":
        return dense_order
    if variant.fusion == "sparse":
        return sparse_order
    fused: dict[int, float] = {}
    if variant.fusion == "convex":
        top = max(float(sparse.max()), 1e-9)
        title = {}
        if corpus.doc_vectors is not None and variant.title_cos:
            title = dict(zip(corpus.docs, (corpus.doc_vectors @ qvec).tolist(), strict=True))
        if variant.exact_scores != "both":  # what a store returns: scores of its own top 50 only
            sparse_floor = float(sparse[sparse_order[-1]]) if len(sparse_order) == CANDIDATES else 0.0
            sparse = np.where(np.isin(np.arange(len(sparse)), sparse_order), sparse, sparse_floor)
        if variant.exact_scores == "none":
            dense_floor = float(dense[dense_order[-1]])
            dense = np.maximum(np.where(np.isin(np.arange(len(dense)), dense_order), dense, -1), dense_floor)
        candidates = set(dense_order) | set(sparse_order)
        if variant.extra.get("minmax"):  # both lists min-max scaled over the candidates
            ids = list(candidates)
            for arr in (dense, sparse):
                lo, hi = float(arr[ids].min()), float(arr[ids].max())
                arr[ids] = (arr[ids] - lo) / max(hi - lo, 1e-9)
            top = 1.0
        for i in candidates:
            fused[i] = (
                variant.alpha * float(dense[i])
                + (1 - variant.alpha) * float(sparse[i]) / top
                + variant.title_cos * title.get(corpus.chunks[i].doc_id, 0.0)
            )
            doc = corpus.chunks[i].doc_id
            if variant.size_prior:
                fused[i] -= variant.size_prior * math.log(corpus.doc_size[doc])
            if variant.heading_cos:
                fused[i] += variant.heading_cos * float(corpus.heading_vectors[i] @ qvec)
            if variant.centroid_cos:
                fused[i] += variant.centroid_cos * float(corpus.centroids[doc] @ qvec)
            if variant.extra.get("passage"):
                fused[i] += variant.extra["passage"] * float((corpus.passages[i] @ qvec).max())
        if corpus.heading_sparse is not None:
            q = bm25().embed_query(question).indices
            hb = {
                i: sum(corpus.idf.get(t, 0.0) * corpus.heading_sparse[i].get(t, 0.0) for t in q)
                for i in fused
            }
            htop = max(max(hb.values(), default=0.0), 1e-9)
            for i in fused:
                fused[i] += variant.extra["heading_bm25"] * hb[i] / htop
    else:
        for weight, order in ((1.0, dense_order), (variant.sparse_weight, sparse_order)):
            for r, i in enumerate(order):
                fused[i] = fused.get(i, 0.0) + weight / (variant.rrf_k + r + 1)
        if corpus.doc_vectors is not None:
            doc_rank = {corpus.docs[j]: r for r, j in enumerate(np.argsort(-(corpus.doc_vectors @ qvec)))}
            for i in fused:
                fused[i] += variant.title_list / (variant.rrf_k + doc_rank[corpus.chunks[i].doc_id] + 1)
    if variant.doc_agg:
        best: dict[str, list[float]] = {}
        for i, score in fused.items():
            best.setdefault(corpus.chunks[i].doc_id, []).append(score)
        top2 = {d: sorted(v, reverse=True)[:2] for d, v in best.items()}
        for i, score in list(fused.items()):
            others = [x for x in top2[corpus.chunks[i].doc_id] if x != score] or [0.0]
            fused[i] = score + variant.doc_agg * others[0]
    order = sorted(fused, key=lambda i: (-fused[i], corpus.chunks[i].id))
    if variant.section_dedup:
        seen: set[tuple[str, str]] = set()
        kept = []
        for i in order:
            key = (corpus.chunks[i].doc_id, corpus.chunks[i].anchor)
            if key not in seen:
                seen.add(key)
                kept.append(i)
        order = kept
    return order


def measure(name: str, variant: Variant, cache: EmbeddingCache) -> dict[str, float]:
    corpus = Corpus(name, variant, cache)
    gold = load_gold(GOLD[name])
    questions = [q for q in gold.questions if q.answerable]
    texts = [q.question for q in questions]
    if variant.extra.get("strip_common"):  # drop words most of the book holds (its own name, mostly)
        df: dict[str, int] = {}
        for c in corpus.chunks:
            for stem in set(bm25().tokens(c.text)):
                df[stem] = df.get(stem, 0) + 1
        common = {stem for stem, n in df.items() if n > variant.extra["strip_common"] * len(corpus.chunks)}

        def strip(text: str) -> str:
            kept = [w for w in text.split() if not (set(bm25().tokens(w)) & common)]
            return " ".join(kept) or text

        texts = [strip(t) for t in texts]
    qvecs = cache.embed(texts)
    if variant.extra.get(
        "statement"
    ):  # average with the question cut to its statement: "cut a new version..."
        import re

        frame = re.compile(
            r"^(how (do|can|should|would) (i|we|you)|how to|what (is|are|does|do)|where (do|can) "
            r"(i|we)|which|why (does|do|is)|can (i|we)|is there a way to|when (do|should) (i|we))\s+",
            re.IGNORECASE,
        )
        cut = [frame.sub("", t).rstrip("?") for t in texts]
        both = qvecs + cache.embed(cut)
        qvecs = both / np.linalg.norm(both, axis=1, keepdims=True)
    sums: dict[str, list[float]] = {
        "recall_at_1": [],
        "mrr_at_10": [],
        "hit_at_k": [],
        "section_hit_at_k": [],
    }
    for q, text, qvec in zip(questions, texts, qvecs, strict=True):
        order = rank(corpus, variant, qvec, text)
        hits = [
            Hit(
                corpus.chunks[i].doc_id,
                corpus.chunks[i].anchor,
                corpus.chunks[i].heading_path,
                corpus.chunks[i].text,
            )
            for i in order[:30]
        ]
        m = rank_metrics(dedupe_docs([h.doc_id for h in hits]), {e.doc for e in q.expect}, K)
        m["section_hit_at_k"] = 1.0 if any(covers_section(h, e) for h in hits[:K] for e in q.expect) else 0.0
        for key in sums:
            sums[key].append(m[key])
    return {key: mean(values) for key, values in sums.items()} | {"chunks": len(corpus.chunks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated variant names")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--grid", action="store_true", help="measure the weights grid instead of the variants"
    )
    parser.add_argument(
        "--model",
        type=Path,
        help="embed with this sentence-transformers folder instead of the "
        "bundled model (needs torch and sentence-transformers)",
    )
    args = parser.parse_args()
    wanted = set(args.only.split(",")) if args.only else None
    cache = EmbeddingCache(args.model)
    results: dict[str, dict[str, dict[str, float]]] = {}
    print("| variant | " + " | ".join(CORPORA) + " | note |")
    print("| --- | " + " | ".join("---" for _ in CORPORA) + " | --- |")
    for variant in GRID if args.grid else VARIANTS:
        if wanted and variant.name not in wanted:
            continue
        results[variant.name] = {name: measure(name, variant, cache) for name in CORPORA}
        cache.save()
        cells = [
            f"{r['recall_at_1']:.3f} / {r['mrr_at_10']:.3f} / {r['section_hit_at_k']:.3f}"
            for r in results[variant.name].values()
        ]
        print(f"| {variant.name} | " + " | ".join(cells) + f" | {variant.note} |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
