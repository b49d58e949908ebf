"""parse > chunk > diff > embed new/changed > upsert in batches > delete removed > record > publish.

The diff is taken against what the store really holds (each point carries the hash of
its text and of its metadata), not against a side file, so an ingest killed at any
moment converges on the next run to exactly the state of a clean ingest. `meta.json`
is written last and atomically. One ingest at a time per data dir (a lock file).
All of it happens in a new index generation that replaces the live one atomically at
the end (bookctl.index.generations): searches meanwhile use the old index, whole.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bookctl.chunking import Chunk, chunk_stats, chunk_views
from bookctl.config import Settings
from bookctl.errors import IndexStateError

if TYPE_CHECKING:
    from bookctl.index.store import Store
    from bookctl.site.model import Site

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def meta_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def stored_payload(chunk: Chunk) -> dict[str, Any]:
    payload = chunk.payload()
    payload["meta_hash"] = meta_hash(payload)
    return payload


@dataclass
class Plan:
    add: list[Chunk] = field(default_factory=list)
    update: list[Chunk] = field(default_factory=list)  # text changed: re-embed
    relabel: list[Chunk] = field(default_factory=list)  # only metadata changed: no embedding
    remove: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def to_embed(self) -> list[Chunk]:
        return self.add + self.update


@dataclass
class IngestResult:
    site: str
    data_dir: str
    engine: str
    docs: int
    chunks: int
    added: int
    updated: int
    relabeled: int
    removed: int
    unchanged: int
    tokens_embedded: int
    reused: int  # chunks to add or update whose text the index (or this run) already embedded
    seconds: float
    dry_run: bool
    full: bool
    stats: dict[str, Any]
    timings: dict[str, float]
    warnings: list[str]

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)

    def to_embed_count(self) -> int:
        """Chunks a run would add, update, relabel or remove (0: the index is up to date)."""
        return self.added + self.updated + self.relabeled + self.removed


def plan_changes(chunks: list[Chunk], existing: dict[str, tuple[str, str]]) -> Plan:
    plan = Plan()
    wanted = set()
    for chunk in chunks:
        wanted.add(chunk.id)
        have = existing.get(chunk.id)
        if have is None:
            plan.add.append(chunk)
        elif have[0] != chunk.content_hash:
            plan.update.append(chunk)
        elif have[1] != meta_hash(chunk.payload()):
            plan.relabel.append(chunk)
        else:
            plan.unchanged += 1
    plan.remove = sorted(set(existing) - wanted)
    return plan


def ingest_running(data_dir: Path) -> str | None:
    """The process holding the data dir's ingest lock (a running ingest), or None."""
    path = data_dir / "ingest.lock"
    if not path.exists():
        return None
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            return fh.read().strip() or "another process"
        fcntl.flock(fh, fcntl.LOCK_UN)
    return None


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "ingest.lock"
    fh = open(path, "a+")  # noqa: SIM115 - held for the whole ingest
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "another process"
        fh.close()
        raise IndexStateError(
            f"the data dir {data_dir} is in use by process {holder} (another bookctl ingest)",
            fix="wait for it to finish, or use another --data-dir",
        ) from None
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    try:
        yield
    finally:
        fh.seek(0)
        fh.truncate()
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def ingest(
    settings: Settings, *, full: bool = False, dry_run: bool = False, progress: Progress = _no_progress
) -> IngestResult:
    """Bring the index of `settings` up to date with the site."""
    import shutil

    from bookctl.index import (
        SCHEMA_VERSION,
        IndexMeta,
        check_compatible,
        check_same_site,
        engine_name,
        open_store,
        read_meta,
        write_meta,
    )
    from bookctl.index.generations import (
        begin,
        collect_garbage,
        live_index,
        mark_resumable,
        publish,
        snapshot,
    )
    from bookctl.site.loader import load_views
    from bookctl.site.model import default_view

    started = time.perf_counter()
    timings: dict[str, float] = {}
    views = load_views(settings)  # every docs instance x version x locale of the site
    site = default_view(views)
    all_docs = [doc for view in views for doc in view.docs]
    data_dir = settings.resolved_data_dir
    cache = _read_chunk_cache(data_dir)
    from bookctl.embedding import canonical_model, view_model

    main_model = canonical_model(settings.embedding_model)

    def model_of(locale: str) -> str:  # each view's dense model: by its language (view_model)
        return view_model(locale, settings.embedding_model, settings.translations_model)

    chunks = [keyed_by_model(c, model_of(c.locale), main_model) for c in chunk_views(views, cache=cache)]
    timings["parse_chunk"] = time.perf_counter() - started
    progress("parse", len(all_docs), len(all_docs))
    meta = (
        None if full else read_meta(data_dir)
    )  # --full needs nothing of the old index, not even a sound meta.json
    if meta is not None:
        check_compatible(meta, settings)
        check_same_site(meta, site.root, data_dir)
    rebuild = full or meta is None

    def result(plan: Plan, tokens: int, reused: int) -> IngestResult:
        return IngestResult(
            site=str(site.root),
            data_dir=str(data_dir),
            engine=engine_name(settings),
            docs=len(all_docs),
            chunks=len(chunks),
            added=len(plan.add),
            updated=len(plan.update),
            relabeled=len(plan.relabel),
            removed=len(plan.remove),
            unchanged=plan.unchanged,
            tokens_embedded=tokens,
            reused=reused,
            seconds=round(time.perf_counter() - started, 3),
            dry_run=dry_run,
            full=full,
            stats=chunk_stats(chunks),
            timings={k: round(v, 3) for k, v in timings.items()},
            warnings=list(dict.fromkeys(w for view in views for w in view.warnings)),
        )

    if dry_run:
        existing: dict[str, tuple[str, str]] = {}
        snap = None if rebuild else snapshot(data_dir)  # a private copy: the live index is never opened
        if snap is not None:
            try:
                store = open_store(settings, snap, dim=meta.dim, create=False)  # type: ignore[union-attr]
                existing = _existing(store)
                store.close()
            finally:
                shutil.rmtree(snap, ignore_errors=True)
        plan = plan_changes(chunks, existing)
        embed, _ = split_reuse(plan.to_embed, {h for h, _ in existing.values()})
        return result(plan, sum(c.token_count for c in embed), len(plan.to_embed) - len(embed))

    from bookctl.embedding import bm25, dense_embedder

    with ingest_lock(data_dir):
        # Build a new generation (or resume the one a killed ingest left) and publish it at the end;
        # readers keep the live one meanwhile (see bookctl.index.generations).
        live = live_index(data_dir)
        meta = (
            read_meta(live.parent) if live is not None and not full else None
        )  # under the lock: what we build on
        if meta is not None:
            check_compatible(meta, settings)
            check_same_site(meta, site.root, data_dir)
        rebuild = full or meta is None
        # The model loads only when something needs embedding (or the index is new).
        dense = dense_embedder(settings.embedding_model) if rebuild else None
        dim = dense.dim if dense else meta.dim  # type: ignore[union-attr]
        base = None if rebuild else live
        work = {
            "engine": engine_name(settings),
            "schema_version": SCHEMA_VERSION,
            "dim": dim,
            "dense_model": dense.model_id if dense else meta.dense_model,  # type: ignore[union-attr]
        }
        root, resumed = begin(data_dir, base=base, work=work, resume=not full and not settings.qdrant_url)
        store = open_store(settings, root, dim=dim, create=rebuild and not resumed)
        try:
            if not resumed:
                mark_resumable(root, base=base, work=work)
            existing = _existing(store)
            plan = plan_changes(chunks, existing)
            # Identical text is embedded once: a chunk whose text the index already holds (the same
            # section in another version) copies that point's vectors; of several new chunks with one
            # text, one is embedded and the others share its vectors.
            embed, copies = split_reuse(plan.to_embed, {h for h, _ in existing.values()})
            stored = _vectors_by_hash(store, existing, {c.content_hash for c in copies})
            from bookctl.index.store import StoredPoint

            reusable = [c for c in copies if c.content_hash in stored]
            for start in range(0, len(reusable), 1000):
                store.upsert(
                    [
                        StoredPoint(c.id, *stored[c.content_hash], stored_payload(c))
                        for c in reusable[start : start + 1000]
                    ]
                )
            embed += [c for c in copies if c.content_hash not in stored]  # lost meanwhile: embed it
            embed, shared = split_reuse(embed, set())
            # shortest first, across the whole plan: each batch holds texts of like length, so the model
            # pads least (the bare model's best order; per-batch sorting alone left ~5% on the table);
            # one model per batch (the views in other languages have their own, see view_model)
            groups: dict[str, list[Chunk]] = {}
            for c in sorted(embed, key=lambda c: c.token_count):
                groups.setdefault(model_of(c.locale), []).append(c)
            todo = [c for group in groups.values() for c in group]
            models: dict[str, Any] = {main_model: dense} if dense is not None else {}

            def load(name: str) -> Any:  # a model loads only when something needs it
                if name not in models:
                    models[name] = dense_embedder(name)
                return models[name]

            batch = max(1, settings.batch_size)
            batches = [(n, g[i : i + batch]) for n, g in groups.items() for i in range(0, len(g), batch)]
            sparse = bm25()
            t_embed = t_upsert = 0.0
            progress("embed", 0, len(todo))
            embedded: dict[str, tuple[list[float], list[int], list[float]]] = {}
            done = 0
            for name, part in batches:
                t0 = time.perf_counter()
                vectors = load(name).embed_batch([c.text for c in part])
                sparse_vectors = sparse.embed_documents([c.text for c in part])
                t1 = time.perf_counter()
                points = [
                    StoredPoint(c.id, v.tolist(), s.indices, s.values, stored_payload(c))
                    for c, v, s in zip(part, vectors, sparse_vectors, strict=True)
                ]
                store.upsert(points)
                embedded |= {
                    c.content_hash: (p.dense, p.sparse_indices, p.sparse_values)
                    for c, p in zip(part, points, strict=True)
                }
                t_embed += t1 - t0
                t_upsert += time.perf_counter() - t1
                done += len(part)
                progress("embed", done, len(todo))
            for start in range(0, len(shared), 1000):
                store.upsert(
                    [
                        StoredPoint(c.id, *embedded[c.content_hash], stored_payload(c))
                        for c in shared[start : start + 1000]
                    ]
                )
            for chunk in plan.relabel:
                store.set_payload(chunk.id, stored_payload(chunk))
            store.delete(plan.remove)
            store.flush()
            timings["embed"], timings["upsert"] = t_embed, t_upsert

            from bookctl.index.titles import update_titles

            # title and heading vectors by each view's model, loaded only if a title or heading changed
            update_titles(
                root, all_docs, main_model, lambda: load(main_model), chunks,
                model_for_locale=lambda locale: (model_of(locale), lambda: load(model_of(locale))),
            )  # fmt: skip
            from bookctl.index.calibration import off_topic_cosine, off_topic_vectors

            # the abstention calibration per model, over the views of that model (all of them when
            # the index has one model: as before)
            by_model: dict[str, list[str]] = {}
            for view in views:
                by_model.setdefault(model_of(view.locale), []).append(view.locale)
            off_topic_cosines = {
                name: off_topic_cosine(
                    store,
                    off_topic_vectors(name, lambda name=name: load(name)),  # type: ignore[misc]
                    locales=sorted(set(locales)) if len(by_model) > 1 else None,
                )
                for name, locales in sorted(by_model.items())
            }
            off_topic = off_topic_cosines.get(main_model, next(iter(off_topic_cosines.values()), None))
            chapters = Counter(c.chapter for c in chunks if c.latest and c.locale == site.locale)
            write_meta(
                root,
                IndexMeta(
                    schema_version=SCHEMA_VERSION,
                    engine=engine_name(settings),
                    dense_model=main_model,
                    dim=dense.dim if dense else meta.dim,  # type: ignore[union-attr]
                    sparse_model=sparse.model_id,
                    sparse_tokenizer=sparse.tokenizer,
                    site=str(site.root.resolve()),
                    last_ingest=datetime.now(UTC).isoformat(timespec="seconds"),
                    chunks=len(chunks),
                    docs=len(all_docs),
                    chapters=dict(sorted(chapters.items())),
                    off_topic_cosine=off_topic,
                    off_topic_cosines={k: v for k, v in off_topic_cosines.items() if v is not None},
                    views=view_summaries(views, chunks, model_of),
                ),
            )
            _write_chunk_cache(root, cache)
        finally:
            store.close()
        publish(data_dir, root)
        collect_garbage(data_dir)
    return result(plan, sum(c.token_count for c in todo), len(plan.to_embed) - len(todo))


def keyed_by_model(chunk: Chunk, model: str, main_model: str) -> Chunk:
    """`chunk` with its content hash keyed by the dense model of its view when that is not the index's
    main model: the reuse of vectors by text hash and the plan's "text changed" are then by (model,
    text), and a view's chunks are re-embedded when its model changes. Chunks of the main model's
    views keep the plain hash of their text (the hashes of an index from before models per view)."""
    if model == main_model:
        return chunk
    import dataclasses

    return dataclasses.replace(
        chunk, content_hash=hashlib.sha256(f"{model}\x00{chunk.content_hash}".encode()).hexdigest()
    )


def split_reuse(chunks: list[Chunk], known: set[str]) -> tuple[list[Chunk], list[Chunk]]:
    """(chunks to embed, chunks whose vectors can be copied): a chunk is copied when its text's hash
    is in `known` or an earlier chunk of the list has the same text."""
    embed: list[Chunk] = []
    copies: list[Chunk] = []
    seen = set(known)
    for chunk in chunks:
        (copies if chunk.content_hash in seen else embed).append(chunk)
        seen.add(chunk.content_hash)
    return embed, copies


def _vectors_by_hash(
    store: Store, existing: dict[str, tuple[str, str]], hashes: set[str]
) -> dict[str, tuple[list[float], list[int], list[float]]]:
    """content hash -> the vectors of a stored point with that text."""
    point_of: dict[str, str] = {}
    for point_id, (content_hash, _) in existing.items():
        if content_hash in hashes:
            point_of.setdefault(content_hash, point_id)
    vectors = store.vectors(sorted(point_of.values()))
    return {h: vectors[i] for h, i in point_of.items() if i in vectors}


def view_summaries(
    views: list[Site], chunks: list[Chunk], model_of: Callable[[str], str] | None = None
) -> list[dict[str, Any]]:
    """What meta.json says of each view (bookctl.index.IndexMeta.views); `model_of(locale)`: the
    view's dense model (recorded as "dense_model")."""
    per_view: dict[tuple[str, str, str], Counter[str]] = {}
    for c in chunks:
        per_view.setdefault((c.instance, c.version, c.locale), Counter())[c.chapter] += 1
    from bookctl.chunking import landing_versions

    landing = landing_versions(views)
    return [
        {
            "instance": v.instance,
            "version": v.version,
            "label": v.version_label,
            "locale": v.locale,
            "latest": landing.get(v.instance) == v.version,
            "default": v.is_default_view,
            "docs": len(v.docs),
            "chunks": sum(per_view.get((v.instance, v.version, v.locale), Counter()).values()),
            "chapters": dict(per_view.get((v.instance, v.version, v.locale), Counter())),
        }
        | ({"dense_model": model_of(v.locale)} if model_of is not None else {})
        for v in views
    ]


CHUNK_CACHE = "chunks-cache.json"


def _read_chunk_cache(data_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Chunks of unchanged docs from the last ingest; a missing or damaged cache is just empty."""
    path = data_dir / "index" / CHUNK_CACHE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if (
        isinstance(data, dict)
        and data.get("version") == 1
        and isinstance(data.get("docs"), dict)
        and _valid_cache(data["docs"])
    ):
        return data["docs"]
    return {}


def _valid_cache(docs: dict[str, Any]) -> bool:
    fields = set(Chunk.__dataclass_fields__)
    return all(
        isinstance(v, list) and all(isinstance(c, dict) and set(c) == fields for c in v)
        for v in docs.values()
    )


def _write_chunk_cache(data_dir: Path, cache: dict[str, list[dict[str, Any]]]) -> None:
    import tempfile

    folder = data_dir / "index"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".chunks-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        # dumps, not dump: json.dump streams through the pure-Python encoder, dumps uses the C one
        # (the same text, several times faster; every ingest writes the whole cache)
        fh.write(json.dumps({"version": 1, "docs": cache}, ensure_ascii=False))
    os.replace(tmp, folder / CHUNK_CACHE)


def _existing(store: Store) -> dict[str, tuple[str, str]]:
    return {
        p.id: (p.payload.get("content_hash", ""), p.payload.get("meta_hash", ""))
        for p in store.scroll(["content_hash", "meta_hash"])
    }
