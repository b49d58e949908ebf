"""The naive baseline `bookctl eval --baseline` measures against: what a bolt-on RAG would do."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bookctl.index.base import Hit
    from bookctl.site.model import Site

BASELINE_CHARS = 1000
RETRIEVE_CHUNKS = 30  # chunks fetched per question, enough for 10 distinct docs


class BaselineSearch:
    """search(question) -> chunks, best first; close() when done."""

    def __init__(self, store: Any, model: Any) -> None:
        self.store = store
        self.model = model

    def __call__(self, question: str) -> list[Hit]:
        from bookctl.index.base import Hit
        from bookctl.index.store import DENSE

        vector = self.model.embed_batch([question])[0].tolist()
        return [
            Hit(
                chunk_id=p.id,
                score=p.score,
                doc_id=p.payload["doc_id"],
                anchor=p.payload["anchor"],
                url=p.payload["url"],
                chapter="",
                title=p.payload["title"],
                heading_path=(p.payload["heading"],) if p.payload["heading"] else (),
                text=p.payload["text"],
            )
            for p in self.store.query(DENSE, vector, limit=RETRIEVE_CHUNKS)
        ]

    def close(self) -> None:
        self.store.close()


def baseline_search(site: Site, workdir: Path) -> BaselineSearch:
    """Fixed 1000-character chunks of each doc, dense only: what a bolt-on RAG would do."""
    from bookctl.embedding import dense_embedder
    from bookctl.index.store import EdgeStore, StoredPoint

    model = dense_embedder()
    pieces: list[dict[str, Any]] = []
    for doc in site.docs:
        text = doc.markdown
        heading_at: list[tuple[int, str, str]] = []
        offset = 0
        h2 = iter([h for h in doc.headings if h.level >= 2])
        for line in text.split("\n"):
            if line.startswith("## ") or line.startswith("### "):
                h = next(h2, None)
                if h is not None:
                    heading_at.append((offset, h.text, h.anchor))
            offset += len(line) + 1
        for start in range(0, max(len(text), 1), BASELINE_CHARS):
            section = [(t, a) for o, t, a in heading_at if o <= start]
            title, anchor = section[-1] if section else ("", "")
            pieces.append(
                {
                    "doc_id": doc.id,
                    "text": text[start : start + BASELINE_CHARS],
                    "anchor": anchor,
                    "heading": title,
                    "url": doc.permalink,
                    "title": doc.title,
                }
            )
    store = EdgeStore(workdir / "baseline", dim=model.dim, create=True)
    import uuid

    for start in range(0, len(pieces), 64):
        batch = pieces[start : start + 64]
        vectors = model.embed_batch([p["text"] for p in batch])
        store.upsert(
            [
                StoredPoint(str(uuid.uuid4()), v.tolist(), [0], [0.0], p)
                for p, v in zip(batch, vectors, strict=True)
            ]
        )

    return BaselineSearch(store, model)
