"""Doc title vectors: each doc's title and description, embedded once, kept beside the index.

Hybrid search adds the cosine between the question and a chunk's doc title (see
`bookctl.index.searcher`): questions often name what a page is about rather than the words in
one of its sections. The vectors live in `index/titles.npz` (doc ids, text hashes, vectors),
rewritten atomically by an ingest that changes them. The file only steers ranking, so a missing
or stale one turns the signal off for the docs it lacks; it never hides a chunk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

TITLES_FILE = "titles.npz"


def title_text(doc: Any) -> str:
    return f"{doc.title}\n\n{doc.description}".strip()


def _hash(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


def read_titles(data_dir: Path) -> dict[str, tuple[str, Any]]:
    """doc id -> (text hash, vector); empty when the file is missing or damaged."""
    import numpy as np

    try:
        with np.load(data_dir / "index" / TITLES_FILE, allow_pickle=False) as data:
            ids, hashes, vectors = data["ids"], data["hashes"], data["vectors"]
    except (OSError, KeyError, ValueError):
        return {}
    if len(ids) != len(hashes) or len(ids) != len(vectors):
        return {}
    return {str(i): (str(h), v) for i, h, v in zip(ids, hashes, vectors, strict=True)}


def update_titles(data_dir: Path, docs: Iterable[Any], model_id: str,
                  embedder: Callable[[], Any]) -> int:
    """Bring the title vectors up to date with `docs`; returns how many were embedded.
    `embedder()` gives the dense model, and is called only when something needs embedding."""
    import numpy as np

    old = read_titles(data_dir)
    wanted = {doc.id: title_text(doc) for doc in docs}
    hashes = {doc_id: _hash(model_id, text) for doc_id, text in wanted.items()}
    todo = [doc_id for doc_id in wanted if old.get(doc_id, ("",))[0] != hashes[doc_id]]
    if not todo and set(old) == set(wanted):
        return 0
    vectors = {doc_id: old[doc_id][1] for doc_id in wanted if doc_id not in todo}
    if todo:
        for doc_id, vector in zip(todo, embedder().embed_batch([wanted[d] for d in todo]), strict=True):
            vectors[doc_id] = vector
    ids = sorted(wanted)
    folder = data_dir / "index"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".titles-", suffix=".npz")
    with os.fdopen(fd, "wb") as fh:
        np.savez(fh, ids=np.array(ids, dtype=str), hashes=np.array([hashes[d] for d in ids], dtype=str),
                 vectors=np.stack([np.asarray(vectors[d], dtype=np.float32) for d in ids]))
    os.replace(tmp, folder / TITLES_FILE)
    return len(todo)


class TitleVectors:
    """The title vectors of one index, for scoring questions against docs."""

    def __init__(self, data_dir: Path) -> None:
        import numpy as np

        titles = read_titles(data_dir)
        self.row = {doc_id: n for n, doc_id in enumerate(titles)}
        self.matrix = np.stack([v for _, v in titles.values()]) if titles else np.zeros((0, 0), np.float32)

    def scores(self, query_vector: Any, doc_ids: Iterable[str]) -> dict[str, float]:
        """Cosine between the question and each doc's title; {} when any doc is missing, so that
        no doc gets a bonus the others cannot (a stale file after an interrupted ingest)."""
        import numpy as np

        wanted = list(dict.fromkeys(doc_ids))
        if not wanted or any(d not in self.row for d in wanted):
            return {}
        rows = self.matrix[[self.row[d] for d in wanted]]
        return dict(zip(wanted, (rows @ np.asarray(query_vector, dtype=np.float32)).tolist(), strict=True))
