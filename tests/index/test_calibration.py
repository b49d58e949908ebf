"""The abstention floor's calibration: off-topic questions against each index."""

from __future__ import annotations

import numpy as np

from bookctl.embedding import dense_embedder
from bookctl.index import open_searcher, read_meta
from bookctl.index.calibration import VECTORS_FILE, off_topic_cosine, off_topic_questions, off_topic_vectors


def test_shipped_vectors_are_the_bundled_models() -> None:
    shipped = np.load(VECTORS_FILE)
    fresh = dense_embedder().embed_batch(off_topic_questions())
    assert shipped.shape == fresh.shape == (len(off_topic_questions()), 384)
    assert float(np.min(np.sum(shipped * fresh, axis=1))) > 0.999  # rows are unit vectors: cosines


def test_the_bundled_model_needs_no_embedding_and_others_do() -> None:
    asked: list[str] = []

    class Model:
        def embed_batch(self, texts: list[str]) -> np.ndarray:
            asked.extend(texts)
            return np.zeros((len(texts), 8), np.float32)

    off_topic_vectors("sentence-transformers/all-MiniLM-L6-v2", Model)
    assert asked == []
    assert off_topic_vectors("BAAI/bge-small-en-v1.5", Model).shape == (len(off_topic_questions()), 8)
    assert asked == off_topic_questions()


def test_each_index_gets_its_own_calibration(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    values = {}
    for name in ("kysely", "docusaurus"):
        settings, data_dir = indexed_corpus(name)
        stored = read_meta(data_dir).off_topic_cosine  # type: ignore[union-attr]
        searcher = open_searcher(settings)
        try:
            again = off_topic_cosine(
                searcher.store, off_topic_vectors(searcher.meta.dense_model, dense_embedder)
            )
        finally:
            searcher.close()
        assert stored == again and 0.1 < stored < 0.5  # type: ignore[operator]
        values[name] = stored
    assert values["kysely"] != values["docusaurus"]
