"""`bookctl doctor` as a library call: what is set up, and the fix for each problem."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bookctl.config import Settings
from bookctl.errors import BookctlError


@dataclass
class Check:
    check: str  # "model", "index" or "database"
    ok: bool
    detail: str
    fix: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


async def diagnose(settings: Settings) -> list[Check]:
    """Check the model provider, the index and the session log's database."""
    return [_model(settings), _index(settings), await _database(settings)]


def _model(settings: Settings) -> Check:
    from bookctl.agent import choose_provider

    try:
        p = choose_provider(settings)
    except BookctlError as exc:
        return Check("model", False, exc.message, exc.fix)
    detail = f"{p.name} ({p.model})"
    if p.name == "openai-compatible":
        detail += f" at {settings.llm_base_url}"
    return Check("model", True, detail)


def _index(settings: Settings) -> Check:
    from bookctl.index import open_searcher

    try:
        searcher = open_searcher(settings)  # fails with the fix when there is no index
    except BookctlError as exc:
        return Check("index", False, exc.message, exc.fix)
    try:
        meta = searcher.meta
        n = searcher.store.count()
    finally:
        searcher.close()
    return Check(
        "index",
        True,
        f"{meta.engine} with {n} chunks of {meta.docs} docs, model {meta.dense_model}, built {meta.last_ingest}",
    )


async def _database(settings: Settings) -> Check:
    from bookctl.db import SessionLog
    from bookctl.db.urls import resolve_database_url

    try:
        target = resolve_database_url(settings.database_url, settings.resolved_data_dir)
        log = await SessionLog.open(settings, sync=False, required=True)
    except BookctlError as exc:
        return Check("database", False, exc.message, exc.fix)
    pending = len(log.journal.read())
    await log.close()
    detail = f"{target.shown} (migrations current)"
    if target.notes:
        detail += "; " + "; ".join(target.notes)
    if pending:
        return Check(
            "database", False, f"{detail}; {pending} journaled records", "run `bookctl sessions sync`"
        )
    return Check("database", True, detail)
