"""Vector stores: one small interface, two engines.

- `EdgeStore`: Qdrant's own engine in-process (qdrant-edge-py), files under the data dir.
  The default: measured on this machine it upserts 10k points in ~0.2 s and answers a
  filtered query in a few ms, where qdrant-client's local mode takes minutes and ~300 ms.
- `QdrantStore`: qdrant-client, for Qdrant server / Qdrant Cloud (`QDRANT_URL`), and its
  local mode (`local:PATH`, same client API) which the tests use in place of a server.

Both hold named vectors `dense` (cosine) and `bm25` (sparse, IDF modifier) and payload
indexes on doc_id, chapter and sidebar. Filters are plain {field: value} dicts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

from bookctl.config import redact_url
from bookctl.errors import IndexStateError, ServiceError

DENSE = "dense"
SPARSE = "bm25"
INDEXED_FIELDS = ("doc_id", "chapter", "sidebar", "anchor", "instance", "version", "locale", "latest")
COLLECTION = "bookctl"


@dataclass
class StoredPoint:
    id: str
    dense: list[float]
    sparse_indices: list[int]
    sparse_values: list[float]
    payload: dict[str, Any]


@dataclass
class ScoredId:
    id: str
    score: float
    payload: dict[str, Any]
    dense: list[float] | None = None  # the point's dense vector, when the query asked for it


class Store(Protocol):
    engine: str

    def upsert(self, points: list[StoredPoint]) -> None: ...
    def delete(self, ids: list[str]) -> None: ...
    def set_payload(self, point_id: str, payload: dict[str, Any]) -> None: ...
    def vectors(self, ids: list[str]) -> dict[str, tuple[list[float], list[int], list[float]]]:
        """id -> (dense, sparse indices, sparse values) of the points that exist."""
        ...

    def query(
        self,
        using: str,
        vector: Any,
        *,
        limit: int,
        where: dict[str, Any] | None = None,
        with_dense: bool = False,
    ) -> list[ScoredId]: ...
    def scroll(
        self, fields: list[str] | None = None, where: dict[str, Any] | None = None
    ) -> Iterator[ScoredId]: ...
    def count(self) -> int: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...


def _vectors_of(vectors: Any) -> tuple[list[float], list[int], list[float]] | None:
    """(dense, sparse indices, sparse values) out of a point's named vectors."""
    if not isinstance(vectors, dict) or vectors.get(DENSE) is None or vectors.get(SPARSE) is None:
        return None
    sparse = vectors[SPARSE]
    return list(vectors[DENSE]), list(sparse.indices), list(sparse.values)


def _dense_of(vectors: Any) -> list[float] | None:
    """The dense vector out of a point's named vectors (both engines return a dict)."""
    value = vectors.get(DENSE) if isinstance(vectors, dict) else None
    return list(value) if value is not None else None


# --- qdrant-edge ----------------------------------------------------------------------------------


class EdgeStore:
    engine = "edge"

    def __init__(self, path: Path, *, dim: int, create: bool) -> None:
        import qdrant_edge as q

        self.q = q
        self.path = path
        config = q.EdgeConfig(
            vectors={DENSE: q.EdgeVectorParams(size=dim, distance=q.Distance.Cosine)},
            sparse_vectors={SPARSE: q.EdgeSparseVectorParams(modifier=q.Modifier.Idf)},
        )
        try:
            if create:
                path.mkdir(parents=True, exist_ok=True)
                self.shard = q.EdgeShard.create(str(path), config)
                for name in INDEXED_FIELDS:
                    self.shard.update(q.UpdateOperation.create_field_index(name, q.PayloadSchemaType.Keyword))
            else:
                self.shard = q.EdgeShard.load(str(path))
        except Exception as exc:  # the engine raises its own error types
            raise IndexStateError(
                f"the index at {path} cannot be opened ({_first_line(exc)})",
                fix="rebuild it with `bookctl ingest --full`",
            ) from None

    def _filter(self, where: dict[str, Any] | None) -> Any:
        if not where:
            return None
        q = self.q
        return q.Filter(must=[q.FieldCondition(key=k, match=q.MatchValue(v)) for k, v in where.items()])

    def upsert(self, points: list[StoredPoint]) -> None:
        q = self.q
        self.shard.update(
            q.UpdateOperation.upsert_points(
                [
                    q.Point(
                        id=p.id,
                        vector={DENSE: p.dense, SPARSE: q.SparseVector(p.sparse_indices, p.sparse_values)},
                        payload=p.payload,
                    )
                    for p in points
                ]
            )
        )

    def delete(self, ids: list[str]) -> None:
        if ids:
            self.shard.update(self.q.UpdateOperation.delete_points(list(ids)))

    def set_payload(self, point_id: str, payload: dict[str, Any]) -> None:
        self.shard.update(self.q.UpdateOperation.overwrite_payload([point_id], payload))

    def vectors(self, ids: list[str]) -> dict[str, tuple[list[float], list[int], list[float]]]:
        out = {}
        for start in range(0, len(ids), 1000):
            for r in self.shard.retrieve(list[int | UUID | str](ids[start : start + 1000]), False, True):
                found = _vectors_of(r.vector)
                if found is not None:
                    out[str(r.id)] = found
        return out

    def query(
        self,
        using: str,
        vector: Any,
        *,
        limit: int,
        where: dict[str, Any] | None = None,
        with_dense: bool = False,
    ) -> list[ScoredId]:
        q = self.q
        if using == SPARSE:
            vector = q.SparseVector(vector[0], vector[1])
        result = self.shard.query(
            q.QueryRequest(
                limit=limit,
                query=q.Query.Nearest(vector, using=using),
                filter=self._filter(where),
                with_payload=True,
                with_vector=[DENSE] if with_dense else None,
            )
        )
        return [
            ScoredId(
                str(p.id), float(p.score), dict(p.payload or {}), _dense_of(p.vector) if with_dense else None
            )
            for p in result
        ]

    def scroll(
        self, fields: list[str] | None = None, where: dict[str, Any] | None = None
    ) -> Iterator[ScoredId]:
        q = self.q
        offset = None
        while True:
            records, offset = self.shard.scroll(
                q.ScrollRequest(
                    offset=offset,
                    limit=1000,
                    filter=self._filter(where),
                    with_payload=fields if fields is not None else True,
                )
            )
            for r in records:
                yield ScoredId(str(r.id), 0.0, dict(r.payload or {}))
            if offset is None:
                return

    def count(self) -> int:
        return int(self.shard.count(self.q.CountRequest(exact=True)))

    def flush(self) -> None:
        self.shard.flush()

    def close(self) -> None:
        self.shard.close()


# --- qdrant-client (server, Cloud, or local mode) ---------------------------------------------------


class QdrantStore:
    engine = "qdrant"

    def __init__(
        self, url: str, *, api_key: str | None, dim: int, create: bool, collection: str = COLLECTION
    ) -> None:
        from qdrant_client import QdrantClient, models

        self.models = models
        self.collection = collection
        self.url = url
        try:
            if url.startswith("local:"):
                self.client = QdrantClient(path=url.removeprefix("local:"))
            elif url == ":memory:":
                self.client = QdrantClient(location=":memory:")
            else:
                self.client = QdrantClient(url=url, api_key=api_key, timeout=10)
            exists = self.client.collection_exists(collection)
        except Exception as exc:
            raise ServiceError(
                f"cannot reach Qdrant at {redact_url(url)} ({_first_line(exc)})",
                fix="check QDRANT_URL / QDRANT_API_KEY, or unset QDRANT_URL to use the embedded index",
            ) from None
        if create:
            if exists:
                self.client.delete_collection(collection)
            self.client.create_collection(
                collection,
                vectors_config={DENSE: models.VectorParams(size=dim, distance=models.Distance.COSINE)},
                sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
            )
            for name in INDEXED_FIELDS:
                self.client.create_payload_index(collection, name, models.PayloadSchemaType.KEYWORD)
        elif not exists:
            raise IndexStateError(
                f"no '{collection}' collection in Qdrant at {url}", fix="build it with `bookctl ingest`"
            )

    def _filter(self, where: dict[str, Any] | None) -> Any:
        if not where:
            return None
        m = self.models
        return m.Filter(must=[m.FieldCondition(key=k, match=m.MatchValue(value=v)) for k, v in where.items()])

    def upsert(self, points: list[StoredPoint]) -> None:
        m = self.models
        self.client.upsert(
            self.collection,
            points=[
                m.PointStruct(
                    id=p.id,
                    payload=p.payload,
                    vector={
                        DENSE: p.dense,
                        SPARSE: m.SparseVector(indices=p.sparse_indices, values=p.sparse_values),
                    },
                )
                for p in points
            ],
            wait=True,
        )

    def delete(self, ids: list[str]) -> None:
        if ids:
            self.client.delete(
                self.collection, points_selector=self.models.PointIdsList(points=list(ids)), wait=True
            )

    def set_payload(self, point_id: str, payload: dict[str, Any]) -> None:
        self.client.overwrite_payload(self.collection, payload=payload, points=[point_id], wait=True)

    def vectors(self, ids: list[str]) -> dict[str, tuple[list[float], list[int], list[float]]]:
        out = {}
        for start in range(0, len(ids), 1000):
            records = self.client.retrieve(
                self.collection, ids=ids[start : start + 1000], with_payload=False, with_vectors=True
            )
            for r in records:
                found = _vectors_of(r.vector)
                if found is not None:
                    out[str(r.id)] = found
        return out

    def query(
        self,
        using: str,
        vector: Any,
        *,
        limit: int,
        where: dict[str, Any] | None = None,
        with_dense: bool = False,
    ) -> list[ScoredId]:
        m = self.models
        if using == SPARSE:
            vector = m.SparseVector(indices=vector[0], values=vector[1])
        result = self.client.query_points(
            self.collection,
            query=vector,
            using=using,
            limit=limit,
            query_filter=self._filter(where),
            with_payload=True,
            with_vectors=[DENSE] if with_dense else False,
        ).points
        return [
            ScoredId(
                str(p.id), float(p.score), dict(p.payload or {}), _dense_of(p.vector) if with_dense else None
            )
            for p in result
        ]

    def scroll(
        self, fields: list[str] | None = None, where: dict[str, Any] | None = None
    ) -> Iterator[ScoredId]:
        offset = None
        while True:
            records, offset = self.client.scroll(
                self.collection,
                scroll_filter=self._filter(where),
                limit=1000,
                offset=offset,
                with_payload=fields if fields is not None else True,
            )
            for r in records:
                yield ScoredId(str(r.id), 0.0, dict(r.payload or {}))
            if offset is None:
                return

    def count(self) -> int:
        return int(self.client.count(self.collection, exact=True).count)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.client.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
