"""Title vectors: each doc's title and description, and each section's "doc title > heading",
embedded once, kept beside the index.

Hybrid search adds the cosine between the question and a chunk's doc title, and between the
question and its section's heading (see `bookctl.index.searcher`): questions often name what a
page or a section is about rather than the words in it. The vectors live in `index/titles.npz`
(keys, text hashes, vectors; a doc's key is its id, prefixed by its view on a site of several
(bookctl.chunking.doc_key), a section's is `section_key`), rewritten
atomically by an ingest that changes them. The file only steers ranking, so a missing or stale one
turns a signal off for the keys it lacks; it never hides a chunk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

TITLES_FILE = "titles.npz"
_DAMAGED = (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile)  # what a broken or cut file raises


def title_text(doc: Any) -> str:
    return f"{doc.title}\n\n{doc.description}".strip()


def section_key(doc_id: str, anchor: str) -> str:
    return f"{doc_id}\n{anchor}"  # no doc id (a path) or anchor (a slug) holds a line break


def section_text(title: str, heading_path: Iterable[str]) -> str:
    return " > ".join(p for p in (title, *heading_path) if p)


def _hash(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


def _load(data_dir: Path, *names: str) -> list[Any] | None:
    """The named arrays of the file, all of one length; None when it is missing or damaged."""
    import numpy as np

    try:
        with np.load(data_dir / "index" / TITLES_FILE, allow_pickle=False) as data:
            arrays = [data[name] for name in names]
    except _DAMAGED:
        return None
    return arrays if len({len(a) for a in arrays}) == 1 else None


def read_titles(data_dir: Path) -> dict[str, tuple[str, Any]]:
    """key -> (text hash, vector); empty when the file is missing or damaged."""
    arrays = _load(data_dir, "ids", "hashes", "vectors")
    if arrays is None:
        return {}
    ids, hashes, vectors = arrays
    return {str(i): (str(h), v) for i, h, v in zip(ids, hashes, vectors, strict=True)}


def update_titles(
    data_dir: Path,
    docs: Iterable[Any],
    model_id: str,
    embedder: Callable[[], Any],
    chunks: Iterable[Any] = (),
    *,
    model_for_locale: Callable[[str], tuple[str, Callable[[], Any]]] | None = None,
) -> int:
    """Bring the title vectors up to date with `docs` and the sections of `chunks`; returns how many
    keys got a new vector. `embedder()` gives the dense model, and is called only when something needs
    embedding; `model_for_locale(locale)`, when given, is the (model id, embedder) of a view's locale
    (each view's title and heading vectors by its own model)."""
    import numpy as np

    from bookctl.chunking import doc_key

    old = read_titles(data_dir)
    wanted = {doc_key(doc): title_text(doc) for doc in docs}  # keys unique across the site's views
    wanted |= {
        section_key(doc_key(c, c.doc_id), c.anchor): section_text(c.title, c.heading_path) for c in chunks
    }

    def model_of(key: str) -> tuple[str, Callable[[], Any]]:
        if model_for_locale is None or "\x00" not in key:  # the plain view: English
            return model_id, embedder
        return model_for_locale(key.split("\x00", 1)[0].rsplit("/", 1)[-1])

    models = {key: model_of(key) for key in wanted}
    hashes = {key: _hash(models[key][0], text) for key, text in wanted.items()}
    vectors = {key: old[key][1] for key in wanted if old.get(key, ("",))[0] == hashes[key]}  # unchanged
    todo = [key for key in wanted if key not in vectors]
    if not todo and set(old) == set(wanted):
        return 0
    for name in dict.fromkeys(models[key][0] for key in todo):
        keys = [key for key in todo if models[key][0] == name]
        texts = list(dict.fromkeys(wanted[key] for key in keys))  # a doc's intro section has its title
        by_text = dict(zip(texts, models[keys[0]][1]().embed_batch(texts), strict=True))
        vectors |= {key: by_text[wanted[key]] for key in keys}
    ids = sorted(wanted)
    folder = data_dir / "index"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".titles-", suffix=".npz")
    with os.fdopen(fd, "wb") as fh:
        np.savez(
            fh,
            ids=np.array(ids, dtype=str),
            hashes=np.array([hashes[d] for d in ids], dtype=str),
            vectors=np.stack([np.asarray(vectors[d], dtype=np.float32) for d in ids]),
        )
    os.replace(tmp, folder / TITLES_FILE)
    return len(todo)


class TitleVectors:
    """The title vectors of one index, for scoring questions against docs."""

    def __init__(self, data_dir: Path) -> None:
        import numpy as np

        # the arrays as stored (the hashes are for ingest): a big book has tens of thousands of sections
        arrays = _load(data_dir, "ids", "vectors")
        ids, matrix = arrays if arrays is not None else (np.zeros(0, str), np.zeros((0, 0), np.float32))
        self.matrix: Any = matrix
        self.row: dict[str, int] = {key: n for n, key in enumerate(ids.tolist())}

    def scores(self, query_vector: Any, keys: Iterable[str]) -> dict[str, float]:
        """Cosine between the question and each key's text (a doc id or a `section_key`); {} when
        any key is missing, so that nothing gets a bonus the others cannot (a stale file after an
        interrupted ingest, or an index from before section headings were embedded)."""
        import numpy as np

        wanted = list(dict.fromkeys(keys))
        if not wanted or any(d not in self.row for d in wanted):
            return {}
        rows = self.matrix[[self.row[d] for d in wanted]]
        return dict(zip(wanted, (rows @ np.asarray(query_vector, dtype=np.float32)).tolist(), strict=True))
