"""The offline model's sentence-vector cache (bookctl/agent/offline/vectors.py): a cached vector is
exactly the one the model computes, so the answers are the same with the cache, without it and
through a cache too small to hold a turn."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import numpy as np
import pytest

from bookctl.agent.offline import vectors
from bookctl.agent.offline.compose import compose, units_of
from bookctl.embedding import dense_embedder

BOOK = Path(__file__).resolve().parents[2] / "content"


def _sentences() -> list[str]:
    texts: list[str] = []
    for path in sorted(BOOK.rglob("*.md*"))[:6]:
        for unit in units_of(path.read_text(encoding="utf-8"), 1, howto=True):
            texts.append(unit.sentence + " " + unit.attached[:300])
    assert len(texts) > 40
    return texts


def test_a_text_gets_the_same_vector_in_any_batch() -> None:
    """What makes the cache exact: MiniLM's vector of a text does not depend on what it is batched with."""
    model = dense_embedder()
    texts = _sentences()[:60]
    together = model.embed_batch(texts)
    alone = np.vstack([model.embed_batch([t]) for t in texts[::7]])
    assert np.array_equal(together[::7], alone)
    assert np.array_equal(model.embed_batch(texts[1::2]), together[1::2])


def test_cached_vectors_are_the_model_s_and_repeats_skip_it() -> None:
    model = dense_embedder()
    texts = _sentences()[:30]
    cache = vectors.VectorCache(8 * 1024 * 1024)
    first = cache.embed(model, texts[:20])
    assert (cache.hits, cache.misses) == (0, 20)
    again = cache.embed(model, texts[10:30] + texts[:2] + texts[:2])  # 12 cached, 10 new, two repeated
    assert (cache.hits, cache.misses) == (12 + 2, 20 + 10)
    assert np.array_equal(again[:10], first[10:20])
    assert np.array_equal(again, model.embed_batch(texts[10:30] + texts[:2] + texts[:2]))
    assert cache.embed(model, []).shape == (0, model.dim)


def test_the_cache_stays_within_its_bound() -> None:
    model = dense_embedder()
    texts = _sentences()[:40]
    entry = model.dim * 4 + vectors.ENTRY_OVERHEAD
    cache = vectors.VectorCache(10 * entry)
    cache.embed(model, texts)
    assert len(cache) == 10 and cache.bytes <= 10 * entry
    cache.embed(model, texts[-10:])  # the most recent ones were kept
    assert cache.hits == 10
    off = vectors.VectorCache(0)
    assert np.array_equal(off.embed(model, texts[:5]), model.embed_batch(texts[:5]))
    assert len(off) == 0


def test_threads_share_one_cache() -> None:
    model = dense_embedder()
    texts = _sentences()[:24]
    cache = vectors.VectorCache(8 * 1024 * 1024)
    expected = model.embed_batch(texts)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        outs = list(pool.map(lambda i: cache.embed(model, texts[i % 3 :] + texts[: i % 3]), range(12)))
    for i, out in enumerate(outs):
        k = i % 3
        assert np.array_equal(out, np.vstack([expected[k:], expected[:k]]))
    assert len(cache) == len(set(texts))


@pytest.mark.parametrize("budget", [0, 2 * 1024, 16 * 1024 * 1024])
def test_answers_are_the_same_with_or_without_the_cache(monkeypatch: pytest.MonkeyPatch, budget: int) -> None:
    """compose on retrieved sections of the book, against compose with the model called directly."""
    results = []
    for n, path in enumerate(sorted(BOOK.rglob("*.md*"))[:4], 1):
        results.append({"n": n, "text": path.read_text(encoding="utf-8")[:2400], "doc_id": path.stem})
    questions = ["How do ROS 2 nodes communicate?", "How do I install the simulator?", "What is a robot?"]

    def direct(texts: list[str], model: object = None) -> np.ndarray:
        return dense_embedder().embed_batch(texts)

    monkeypatch.setattr(vectors, "embed", direct)
    expected = [compose(q, results) for q in questions]
    monkeypatch.undo()
    monkeypatch.setattr(vectors, "CACHE", vectors.VectorCache(budget))
    for _ in range(2):  # the second round reads the cache (when it holds anything)
        assert [compose(q, results) for q in questions] == expected
