"""The offline model's sentence vectors, cached in the process.

A sentence's vector is a pure function of (model, text), and MiniLM gives a text the same vector
bit for bit whatever batch it is embedded in (checked by tests/agent/test_vectors.py), so a cached
vector is exactly the one compose would compute: answers do not change. A server answers many
questions from the same sections (each answer embeds up to compose.MAX_CANDIDATES of their
sentences), and a reader's follow-up reads the same sections again; those turns skip the model.

Bounded: least recently used entries go first once the cache holds BOOKCTL_VECTOR_CACHE_MB
(default 16 MiB, about 10,000 vectors of 384 floats); 0 turns it off. Identical texts within one
call are embedded once. Safe from several threads (the compose workers).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from bookctl.embedding import DenseEmbedder

DEFAULT_MB = 16.0
ENTRY_OVERHEAD = 200  # bytes per entry besides the vector: the key, the dict slot, the array header


def _budget_mb() -> float:
    raw = os.environ.get("BOOKCTL_VECTOR_CACHE_MB", "")
    try:
        return max(0.0, float(raw)) if raw.strip() else DEFAULT_MB
    except ValueError:
        return DEFAULT_MB


class VectorCache:
    """(model id, text) -> its vector, least recently used dropped first, at most `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple[str, bytes], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def embed(self, model: DenseEmbedder, texts: list[str]) -> np.ndarray:
        """The vectors of `texts` (one row each, in order), as `model.embed_batch(texts)` gives them."""
        import numpy as np

        model_id = str(getattr(model, "model_id", type(model).__name__))
        keys = [(model_id, hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest()) for t in texts]
        rows: list[Any] = [None] * len(texts)
        missing: dict[tuple[str, bytes], list[int]] = {}
        with self._lock:
            for i, key in enumerate(keys):
                found = self._entries.get(key)
                if found is not None:
                    self._entries.move_to_end(key)
                    rows[i] = found
                else:
                    missing.setdefault(key, []).append(i)
            self.hits += len(texts) - sum(len(v) for v in missing.values())
            self.misses += len(missing)
        if missing:
            firsts = [positions[0] for positions in missing.values()]
            vectors = model.embed_batch([texts[i] for i in firsts])
            with self._lock:
                for (key, positions), vector in zip(missing.items(), vectors, strict=True):
                    vector = vector.copy()  # its own buffer: a row would keep the whole batch alive
                    vector.flags.writeable = False  # shared by every caller
                    for i in positions:
                        rows[i] = vector
                    self._store(key, vector)
        if not texts:
            return np.zeros((0, model.dim), dtype=np.float32)
        return np.vstack(rows)

    def _store(self, key: tuple[str, bytes], vector: np.ndarray) -> None:
        size = vector.nbytes + ENTRY_OVERHEAD
        if size > self.max_bytes or key in self._entries:
            return
        self._entries[key] = vector
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.bytes -= dropped.nbytes + ENTRY_OVERHEAD


CACHE = VectorCache(int(_budget_mb() * 1024 * 1024))


def embed(texts: list[str], model: DenseEmbedder | None = None) -> np.ndarray:
    """The bundled model's (or `model`'s) vectors of `texts`, through the process's cache."""
    if model is None:
        from bookctl.embedding import dense_embedder

        model = dense_embedder()
    return CACHE.embed(model, texts)
