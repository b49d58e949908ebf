"""Learned fusion, leave one book out: does a ranker trained on two gold sets beat the shipped weights
on the third? (README, "Retrieval variants".)

Usage: .venv/bin/python scripts/learned_fusion.py

For each answerable question the candidates are what hybrid search scores (the top 50 of each list).
Features: cosine, BM25 / best BM25, title cosine, heading cosine, reciprocal dense and BM25 ranks,
ln(chunks in the doc), intro section, cosine to the doc's mean chunk vector. A linear pairwise
logistic ranker (the best chunk of an expected doc against the 20 hardest others) is trained on two
sets and measured on the third: recall@1 and MRR@10 at doc level. It reuses the corpora and the
embedding cache of scripts/retrieval_experiments.py.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import retrieval_experiments as R  # noqa: E402

from bookctl.evals import dedupe_docs, load_gold, rank_metrics  # noqa: E402

FEATURES = ["cosine", "bm25", "title", "heading", "rr_dense", "rr_bm25", "ln_size", "intro", "centroid"]
SHIPPED = np.array([R.DENSE_WEIGHT, 1 - R.DENSE_WEIGHT, R.TITLE_WEIGHT, R.HEADING_WEIGHT, 0, 0, 0, 0, 0])

Question = tuple[np.ndarray, np.ndarray, list[int], set[str]]  # features, labels, chunk rows, expected docs


def candidates(corpus: Any, question: str, qvec: np.ndarray, expected: set[str]) -> Question:
    dense = corpus.dense @ qvec
    sparse = corpus.bm25_scores(question)
    dense_order = list(np.argsort(-dense, kind="stable")[: R.CANDIDATES])
    sparse_order = [i for i in np.argsort(-sparse, kind="stable")[: R.CANDIDATES] if sparse[i] > 0]
    floor = float(sparse[sparse_order[-1]]) if len(sparse_order) == R.CANDIDATES else 0.0
    best = max(float(sparse.max()), 1e-9)
    title = dict(zip(corpus.docs, (corpus.doc_vectors @ qvec).tolist(), strict=True))
    dense_rank = {i: r for r, i in enumerate(dense_order)}
    sparse_rank = {i: r for r, i in enumerate(sparse_order)}
    rows = sorted(set(dense_order) | set(sparse_order))
    features = []
    for i in rows:
        chunk = corpus.chunks[i]
        features.append(
            [
                float(dense[i]),
                (float(sparse[i]) if i in sparse_rank else floor) / best,
                title[chunk.doc_id],
                float(corpus.heading_vectors[i] @ qvec),
                1 / (10 + dense_rank.get(i, R.CANDIDATES)),
                1 / (10 + sparse_rank.get(i, R.CANDIDATES)),
                math.log(corpus.doc_size[chunk.doc_id]),
                0.0 if chunk.heading_path else 1.0,
                float(corpus.centroids[chunk.doc_id] @ qvec),
            ]
        )
    labels = np.array([1.0 if corpus.chunks[i].doc_id in expected else 0.0 for i in rows])
    return np.array(features), labels, rows, expected


def measure(corpus: Any, questions: list[Question], weights: np.ndarray) -> tuple[float, float]:
    recall, mrr = [], []
    for features, _, rows, expected in questions:
        order = [rows[j] for j in np.argsort(-(features @ weights), kind="stable")]
        m = rank_metrics(dedupe_docs([corpus.chunks[i].doc_id for i in order[:30]]), expected, R.K)
        recall.append(m["recall_at_1"])
        mrr.append(m["mrr_at_10"])
    return round(float(np.mean(recall)), 3), round(float(np.mean(mrr)), 3)


def train(
    questions: list[Question], used: np.ndarray, l2: float, steps: int = 3000, rate: float = 0.5
) -> np.ndarray:
    pairs = []
    for features, labels, _, _ in questions:
        if labels.sum() in (0, len(labels)):
            continue
        pos, neg = features[labels == 1], features[labels == 0]
        neg = neg[np.argsort(-(neg @ SHIPPED))[:20]]  # the hardest others, by the shipped score
        pairs.append(pos[np.argmax(pos @ SHIPPED)][None, :] - neg)
    diffs = np.concatenate(pairs) * used
    weights = SHIPPED * used
    for _ in range(steps):
        margin = diffs @ weights
        grad = -(diffs * (1 / (1 + np.exp(margin)))[:, None]).mean(axis=0) + l2 * weights
        weights = weights - rate * grad
    return weights


def main() -> None:
    cache = R.EmbeddingCache()
    variant = next(v for v in R.VARIANTS if v.name == "shipped")
    corpora, data = {}, {}
    for name in R.CORPORA:
        corpus = corpora[name] = R.Corpus(name, variant, cache)
        answerable = [q for q in load_gold(R.GOLD[name]).questions if q.answerable]
        qvecs = cache.embed([q.question for q in answerable])
        data[name] = [
            candidates(corpus, q.question, v, {e.doc for e in q.expect})
            for q, v in zip(answerable, qvecs, strict=True)
        ]
    cache.save()
    print("shipped weights:", {n: measure(corpora[n], data[n], SHIPPED) for n in data})
    for used_names in (FEATURES[:4], FEATURES):
        used = np.array([f in used_names for f in FEATURES], dtype=float)
        for l2 in (1e-3, 1e-2):
            held_out = {}
            for held in data:
                weights = train([q for n in data if n != held for q in data[n]], used, l2)
                held_out[held] = measure(corpora[held], data[held], weights)
            everything = train([q for n in data for q in data[n]], used, l2)
            scaled = np.round(everything / everything[0] * R.DENSE_WEIGHT, 3).tolist()
            print(
                f"trained on the other two, {len(used_names)} features, l2={l2}:",
                held_out,
                "| weights from all three, cosine scaled to 0.7:",
                scaled,
            )


if __name__ == "__main__":
    main()
