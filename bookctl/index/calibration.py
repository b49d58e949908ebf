"""Calibration of the abstention rule, per index: how close do questions the book cannot answer get?

With all-MiniLM-L6-v2 an off-topic question still reaches cosine 0.2-0.4 with some chunk, and how
high depends on the book. At each ingest, 40 everyday off-topic questions (bookctl/models/off_topic/)
are run against the new index; the 90th percentile of their best cosine is stored in meta.json as
`off_topic_cosine`. The offline model treats a match no better than that as no semantic evidence
(bookctl.agent.offline.is_weak). For the bundled model the questions' vectors ship precomputed, so
an unchanged re-ingest still loads no model.
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
QUANTILE = 0.9


def off_topic_questions() -> list[str]:
    return [line.strip() for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def off_topic_vectors(model_id: str, embedder: Callable[[], Any]) -> Any:
    """The questions' vectors under `model_id`: shipped for the bundled model, else embedded now."""
    import numpy as np

    from bookctl.embedding import _DEFAULT_ALIASES, DEFAULT_MODEL

    questions = off_topic_questions()
    if (model_id in _DEFAULT_ALIASES or model_id == DEFAULT_MODEL) and VECTORS_FILE.exists():
        vectors = np.load(VECTORS_FILE, allow_pickle=False)
        if len(vectors) == len(questions):
            return vectors
    return embedder().embed_batch(questions)


def off_topic_cosine(store: Store, vectors: Any) -> float | None:
    """The 90th percentile of the best cosine each off-topic question reaches in `store`."""
    from bookctl.index.store import DENSE

    tops = sorted(
        hits[0].score for v in vectors if (hits := store.query(DENSE, [float(x) for x in v], limit=1))
    )
    if not tops:
        return None
    return round(tops[round(QUANTILE * (len(tops) - 1))], 4)
