"""Calibration of the abstention rule, per index: how close do questions the book cannot answer get?

With all-MiniLM-L6-v2 an off-topic question still reaches cosine 0.2-0.4 with some chunk, and how
high depends on the book. At each ingest, 40 everyday off-topic questions (bookctl/models/off_topic/)
are run against the new index; the 90th percentile of their best cosine is stored in meta.json as
`off_topic_cosine`. The offline model treats a match no better than that as no semantic evidence
(bookctl.agent.offline.is_weak). For the bundled models the questions' vectors ship precomputed
(regenerate: python -m bookctl.index.calibration), so an unchanged re-ingest still loads no model. An index whose views in other languages have their own
model (bookctl.embedding.view_model) is calibrated per model, over that model's views
(`off_topic_cosines` in meta.json; a searcher reads its view's model's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bookctl.models import HERE

if TYPE_CHECKING:
    from bookctl.index.store import Store

OFF_TOPIC_DIR = HERE / "off_topic"
QUESTIONS_FILE = OFF_TOPIC_DIR / "questions.txt"
VECTORS_FILE = OFF_TOPIC_DIR / "all-MiniLM-L6-v2.npy"  # the bundled model's vectors of the questions
# the bundled models' vectors of the questions (e5's as questions: `query: `), by model id
SHIPPED_VECTORS = {
    "sentence-transformers/all-MiniLM-L6-v2": VECTORS_FILE,
    "intfloat/multilingual-e5-small": OFF_TOPIC_DIR / "multilingual-e5-small.npy",
}
QUANTILE = 0.9


def off_topic_questions() -> list[str]:
    return [line.strip() for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def off_topic_vectors(model_id: str, embedder: Callable[[], Any]) -> Any:
    """The questions' vectors under `model_id`: shipped for the bundled model, else embedded now."""
    import numpy as np

    from bookctl.embedding import canonical_model, embed_queries

    questions = off_topic_questions()
    shipped = SHIPPED_VECTORS.get(canonical_model(model_id))
    if shipped is not None and shipped.exists():
        vectors = np.load(shipped, allow_pickle=False)
        if len(vectors) == len(questions):
            return vectors
    return embed_queries(embedder(), questions)


def off_topic_cosine(store: Store, vectors: Any, *, locales: list[str] | None = None) -> float | None:
    """The 90th percentile of the best cosine each off-topic question reaches in `store` (among the
    points of `locales` when given: the views of one model)."""
    from bookctl.index.store import DENSE

    wheres: list[dict[str, Any] | None] = [{"locale": loc} for loc in locales] if locales else [None]
    tops = []
    for v in vectors:
        query = [float(x) for x in v]
        best = [hits[0].score for w in wheres if (hits := store.query(DENSE, query, limit=1, where=w))]
        if best:
            tops.append(max(best))
    tops.sort()
    if not tops:
        return None
    return round(tops[round(QUANTILE * (len(tops) - 1))], 4)


if __name__ == "__main__":  # regenerate the shipped vectors of the bundled models
    import numpy as np

    from bookctl.embedding import dense_embedder, embed_queries

    for model_id, path in SHIPPED_VECTORS.items():
        np.save(path, embed_queries(dense_embedder(model_id), off_topic_questions()).astype(np.float32))
        print(path)
