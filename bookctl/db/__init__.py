"""The session log: every conversation (session) and turn, in SQLite (default) or Postgres (Neon too).

Logging never breaks or loses an answer. A turn the database cannot take goes to a local
journal (`<data dir>/journal.jsonl`, one fsync'd JSON line per record); `sync()` (run by
`bookctl sessions sync`, at every open, and when the database answers again after a failure)
writes journaled records exactly once: rows are keyed by their ids, and an id already in the
database is skipped. After a failed write the database is tried again every `RETRY_AFTER_S`
seconds, not at every turn, so a conversation goes on at full speed while it is down.

`bookctl serve`'s ChatKit store writes its threads and items through the same path (`write`, record
kinds `chatkit_thread` and `chatkit_item`): into the database, or into this journal while it is
unreachable, and synced with the turns. Those records are states, not events: applying one again
(`_insert`) leaves the row as it was, so a sync that is cut and run again still writes them once.

On SQLite, every write of the process (turns, the agent's memory, the ChatKit store of `bookctl
serve`) goes through one writer (`SessionLog.writing()`): SQLite has one write lock per file, and a
transaction holds it across its awaits, so while the event loop runs other work (a turn's
embedding) the lock stays taken; concurrent writers then waited in SQLite's busy handler and, past
its timeout (5 s, which the Agents SDK's SQLAlchemySession sets on every connection), failed with
"database is locked". Queued on an asyncio lock instead, they wait their turn, without a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bookctl.config import Settings
from bookctl.db.urls import DatabaseTarget, resolve_database_url
from bookctl.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bookctl.db.memory import FallbackMemory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD_REVISION = "0005"  # the newest migration; tests/db checks it against Alembic's own head
RETRIES = (0.3, 1.0, 2.0)  # seconds between connection attempts: a suspended Neon compute wakes in ~1 s
WRITE_TIMEOUT_S = 5.0  # a write that takes longer goes to the journal
RETRY_AFTER_S = 10.0  # after a failed write, records go straight to the journal for this long
ORIGINS = ("cli", "web", "mcp", "python")  # where a session came from (bookctl_sessions.origin)


@dataclass
class TurnRecord:
    question: str
    answer: str
    model: str
    selection: str | None = None
    chapter: str | None = None
    citations: list[dict[str, Any]] = field(default_factory=list)
    retrieved: list[dict[str, Any]] = field(default_factory=list)
    latency_ms: dict[str, float] = field(default_factory=dict)
    usage: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    abstained: bool = False
    context: dict[str, Any] | None = None  # what the caller said about the turn (bookctl.chat.TurnContext)
    rewritten_query: str | None = None  # what the assistant searched with, when not the question itself
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


def _now() -> datetime:
    return datetime.now(UTC)


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


class Journal:
    """Append-only JSON lines, fsync'd, for records the database could not take."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, record: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def read(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        records = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by a crash: the record it held was never acknowledged
        return records

    def rewrite(self, records: list[dict[str, Any]]) -> None:
        if not records:
            self.path.unlink(missing_ok=True)
            return
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


class SessionLog:
    def __init__(self, target: DatabaseTarget, data_dir: Path) -> None:
        self.target = target
        self.data_dir = data_dir
        self.journal = Journal(data_dir / "journal.jsonl")
        self.engine: AsyncEngine | None = None
        self.available = False
        self.last_error: str | None = None
        self._pending_sessions: set[str] = set()
        self._seq: dict[str, int] = {}
        self._retry_at: float | None = None  # set after a failed write: journal until then
        self._lock = asyncio.Lock()  # one write (and sync) at a time: concurrent sessions share the log

    # --- opening -----------------------------------------------------------------------------------

    @classmethod
    async def open(cls, settings: Settings, *, sync: bool = True, required: bool = False) -> SessionLog:
        """Open (and migrate) the database; with `required=False` an unreachable one only
        switches logging to the journal."""
        data_dir = settings.resolved_data_dir
        target = resolve_database_url(settings.database_url, data_dir)
        log = cls(target, data_dir)
        try:
            await log._connect()
        except ServiceError as exc:
            if required:
                raise
            log.last_error = str(exc)
            return log
        if sync:
            await log.sync()
        return log

    async def _connect(self) -> None:
        from sqlalchemy.ext.asyncio import create_async_engine

        if self.target.dialect == "sqlite":
            path = Path(self.target.url.split("///", 1)[1])
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            self.target.url, connect_args=self.target.connect_args, pool_pre_ping=True
        )
        self.engine = engine
        if self.target.dialect == "sqlite":
            from sqlalchemy import event

            @event.listens_for(engine.sync_engine, "connect")
            def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
                # WAL: readers never block the writer; NORMAL sync is safe against process crashes
                cursor = dbapi_conn.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.close()

        last: BaseException | None = None
        for delay in (0.0, *RETRIES):
            if delay:
                await asyncio.sleep(delay)
            try:
                async with engine.begin() as conn:
                    if await _schema_revision(conn) != HEAD_REVISION:
                        await conn.run_sync(_migrate)
                self.available = True
                return
            except Exception as exc:  # driver errors vary: OSError, asyncpg, sqlite
                last = exc
                if _is_permanent(exc):
                    break
        await engine.dispose()
        self.engine = None
        raise ServiceError(
            f"cannot use the database {self.target.shown}: {_first_line(last)}",
            fix="check BOOKCTL_DATABASE_URL / DATABASE_URL, or unset it to log to SQLite",
        )

    async def close(self) -> None:
        if self.engine is not None:
            await self.engine.dispose()
            self.engine = None

    # --- writing -----------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Around a write transaction on this log's engine from outside SessionLog (the agent's
        memory, the ChatKit store): on SQLite, the process's one writer; on Postgres nothing (its
        row locks let writers run concurrently)."""
        if self.target.dialect != "sqlite":
            yield
            return
        async with self._lock:
            yield

    async def start_session(
        self,
        *,
        site: str,
        provider: str,
        model: str,
        user: str | None = None,
        session_id: str | None = None,
        origin: str = "cli",
        exists: bool = False,
    ) -> str:
        """Log a new session (or return `session_id` when the log already holds it; `exists`: the
        caller has just looked)."""
        sid = session_id or uuid.uuid4().hex[:12]
        if session_id and (exists or await self._session_exists(sid)):
            return sid
        record = {
            "kind": "session",
            "id": sid,
            "started_at": _now().isoformat(),
            "site": site,
            "provider": provider,
            "model": model,
            "user": user,
            "origin": origin,
        }
        if not await self._write([record]):
            self._pending_sessions.add(sid)
        return sid

    async def record_turn(self, session_id: str, turn: TurnRecord) -> str:
        """Store a turn; never raises for database trouble (the turn goes to the journal)."""
        self._seq[session_id] = self._seq.get(session_id, await self._count_turns(session_id)) + 1
        record = {"kind": "turn", "session_id": session_id, "seq": self._seq[session_id], **asdict(turn)}
        if session_id in self._pending_sessions:
            self.journal.append(record)
        else:
            await self._write([record])
        return turn.id

    @property
    def journaling(self) -> bool:
        """Whether writes go to the journal now (the database failed less than RETRY_AFTER_S ago,
        or was never reached)."""
        return self.engine is None or self._retry_at is not None

    def failed(self, exc: BaseException) -> None:
        """A read of the database failed (the ChatKit store's): journal writes until it answers."""
        self.last_error = _first_line(exc) if str(exc) else type(exc).__name__
        self._retry_at = time.monotonic() + RETRY_AFTER_S

    async def reconnect(self) -> bool:
        """Whether the database takes writes again; after RETRY_AFTER_S the journal is synced first."""
        if self.engine is None:
            return False
        if self._retry_at is None:
            return True
        if time.monotonic() < self._retry_at:
            return False
        async with self._lock:
            return await self._database_back()

    async def write(self, records: list[dict[str, Any]]) -> bool:
        """Write records (kinds `chatkit_thread`, `chatkit_item`: see the module) to the database,
        or to the journal when it cannot take them; True when they are in the database."""
        return await self._write(records)

    async def _write(self, records: list[dict[str, Any]]) -> bool:
        async with self._lock:
            if self.engine is not None and await self._database_back():
                try:
                    await asyncio.wait_for(self._insert_all(records), WRITE_TIMEOUT_S)
                    return True
                except Exception as exc:  # driver errors vary; a timeout too
                    self.last_error = _first_line(exc) if str(exc) else type(exc).__name__
                    self._retry_at = time.monotonic() + RETRY_AFTER_S
            for record in records:
                self.journal.append(record)
            return False

    async def _insert_all(self, records: list[dict[str, Any]]) -> None:
        assert self.engine is not None
        async with self.engine.begin() as conn:
            for record in records:
                await _insert(conn, record)

    async def _database_back(self) -> bool:
        """Whether to write to the database now: yes unless a write failed less than RETRY_AFTER_S ago;
        after that, the journal is synced first (so sessions go in before their turns)."""
        if self._retry_at is None:
            return True
        if time.monotonic() < self._retry_at:
            return False
        counts = await self._sync_journal()
        if counts["pending"]:
            self._retry_at = time.monotonic() + RETRY_AFTER_S
            return False
        self._retry_at = None
        self.last_error = None  # it answers again (/healthz says so)
        return True

    async def sync(self) -> dict[str, int]:
        """Write journaled records to the database, each exactly once."""
        async with self._lock:
            return await self._sync_journal()

    async def _sync_journal(self) -> dict[str, int]:
        records = self.journal.read()
        if not records or self.engine is None:
            return {"written": 0, "skipped": 0, "pending": len(records)}
        written = skipped = 0
        order = {"session": 0, "chatkit_thread": 1}
        records.sort(key=lambda r: order.get(r["kind"], 2))  # sessions and threads before their turns, items
        engine = self.engine
        try:
            async with engine.begin() as conn:
                for record in records:
                    if await _insert(conn, record, skip_existing=True):
                        written += 1
                    else:
                        skipped += 1
        except Exception as exc:
            self.last_error = _first_line(exc) if str(exc) else type(exc).__name__
            return {"written": 0, "skipped": 0, "pending": len(records)}
        self.journal.rewrite([])
        self._pending_sessions.clear()
        return {"written": written, "skipped": skipped, "pending": 0}

    # --- reading -----------------------------------------------------------------------------------

    async def has_session(self, sid: str) -> bool:
        """Whether the log (database, or the journal while it is unreachable) holds this session."""
        return await self._session_exists(sid)

    async def session_user(self, sid: str) -> tuple[bool, str | None]:
        """(whether the log holds this session, the user it belongs to)."""
        for r in self.journal.read():
            if r["kind"] == "session" and r["id"] == sid:
                return True, r.get("user")
        if self.engine is None or self._retry_at is not None:
            return False, None
        from sqlalchemy import select

        from bookctl.db.tables import SessionRow

        try:
            async with self.engine.connect() as conn:
                row = (await conn.execute(select(SessionRow.user).where(SessionRow.id == sid))).first()
        except Exception:
            return False, None
        return (True, row[0]) if row is not None else (False, None)

    async def _session_exists(self, sid: str) -> bool:
        return (await self.session_user(sid))[0]

    async def _count_turns(self, sid: str) -> int:
        journaled = sum(1 for r in self.journal.read() if r["kind"] == "turn" and r["session_id"] == sid)
        if self.engine is None or self._retry_at is not None:
            return journaled
        from sqlalchemy import func, select

        from bookctl.db.tables import TurnRow

        try:
            async with self.engine.connect() as conn:
                n = (
                    await conn.execute(
                        select(func.count()).select_from(TurnRow).where(TurnRow.session_id == sid)
                    )
                ).scalar_one()
            return int(n) + journaled
        except Exception:
            return journaled

    async def list_sessions(self, limit: int = 50, *, user: str | None = None) -> list[dict[str, Any]]:
        """Sessions, newest first (only `user`'s when given)."""
        from sqlalchemy import func, select

        from bookctl.db.tables import SessionRow, TurnRow

        engine = self._require()
        turns = (
            select(TurnRow.session_id, func.count().label("turns")).group_by(TurnRow.session_id).subquery()
        )
        query = (
            select(SessionRow, func.coalesce(turns.c.turns, 0).label("n_turns"))
            .outerjoin(turns, turns.c.session_id == SessionRow.id)
            .order_by(SessionRow.started_at.desc())
            .limit(limit)
        )
        if user is not None:
            query = query.where(SessionRow.user == user)
        async with engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            {
                "id": r.id,
                "started_at": r.started_at.isoformat(),
                "site": r.site,
                "provider": r.provider,
                "model": r.model,
                "user": r.user,
                "origin": r.origin,
                "turns": int(r.n_turns),
            }
            for r in rows
        ]

    async def get_session(self, sid: str) -> dict[str, Any] | None:
        from sqlalchemy import select

        from bookctl.db.tables import SessionRow, TurnRow

        engine = self._require()
        async with engine.connect() as conn:
            row = (await conn.execute(select(SessionRow).where(SessionRow.id == sid))).first()
            if row is None:
                return None
            turns = (
                await conn.execute(select(TurnRow).where(TurnRow.session_id == sid).order_by(TurnRow.seq))
            ).all()
        session = {
            "id": row.id,
            "started_at": row.started_at.isoformat(),
            "site": row.site,
            "provider": row.provider,
            "model": row.model,
            "user": row.user,
            "origin": row.origin,
        }
        session["turns"] = [
            {
                "id": t.id,
                "seq": t.seq,
                "created_at": t.created_at.isoformat(),
                "question": t.question,
                "selection": t.selection,
                "chapter": t.chapter,
                "answer": t.answer,
                "abstained": t.abstained,
                "model": t.model,
                "citations": t.citations,
                "retrieved": t.retrieved,
                "latency_ms": t.latency_ms,
                "usage": t.usage,
                "error": t.error,
                "context": t.context,
                "rewritten_query": t.rewritten_query,
                "feedback": t.feedback,
            }
            for t in turns
        ]
        return session

    def _require(self) -> AsyncEngine:
        if self.engine is None:
            raise ServiceError(
                f"the database {self.target.shown} is unreachable ({self.last_error})",
                fix="check BOOKCTL_DATABASE_URL; turns are kept in the journal meanwhile",
            )
        return self.engine

    def memory(self, session_id: str) -> FallbackMemory:
        """The Agents SDK session (multi-turn memory) on the same database (migration 0002's tables),
        with a copy in process that carries the conversation on when the database fails."""
        from bookctl.db.memory import FallbackMemory

        if self.engine is None or self._retry_at is not None:
            return FallbackMemory(session_id, None)
        from agents.extensions.memory.sqlalchemy_session import SQLAlchemySession

        from bookctl.db.tables import AGENT_MESSAGES_TABLE, AGENT_SESSIONS_TABLE

        primary = SQLAlchemySession(
            session_id,
            engine=self.engine,
            sessions_table=AGENT_SESSIONS_TABLE,
            messages_table=AGENT_MESSAGES_TABLE,
        )
        _share_tables(primary)
        return FallbackMemory(session_id, primary, writing=self.writing)


# The first SQLAlchemySession's MetaData and Table objects, which every later one of the process uses.
_AGENT_TABLES: list[Any] = []


def _share_tables(memory: Any) -> None:
    """Each SQLAlchemySession declares its own MetaData and Table objects, and statements on other
    Table objects are other entries of the engine's compiled-statement cache: every conversation
    compiled the memory's statements again and added them there (tracemalloc over 100 turns of 10
    new conversations: +1.06 MiB of Python objects, nearly all SQLAlchemy's). The tables are the
    same (migration 0002's), so all sessions of the process share the first one's. An SDK that
    names these attributes otherwise just keeps its own tables."""
    names = ("_metadata", "_sessions", "_messages")
    if not all(hasattr(memory, n) for n in names):
        return
    if not _AGENT_TABLES:
        _AGENT_TABLES.extend(getattr(memory, n) for n in names)
    elif memory._sessions.name == _AGENT_TABLES[1].name and memory._messages.name == _AGENT_TABLES[2].name:
        for n, shared in zip(names, _AGENT_TABLES, strict=True):
            setattr(memory, n, shared)


async def _schema_revision(conn: Any) -> str | None:
    """The applied migration, read directly (importing Alembic costs a few hundred ms)."""
    from sqlalchemy import text

    try:
        async with conn.begin_nested():
            row = (await conn.execute(text("SELECT version_num FROM bookctl_alembic_version"))).first()
    except Exception:
        return None
    return row[0] if row else None


def _migrate(sync_conn: Any) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = sync_conn
    command.upgrade(cfg, "head")


async def _insert(conn: Any, record: dict[str, Any], *, skip_existing: bool = False) -> bool:
    from sqlalchemy import insert, select

    from bookctl.db.tables import SessionRow, TurnRow

    if record["kind"] in ("chatkit_thread", "chatkit_item"):
        return await _upsert_chatkit(conn, record)
    table = SessionRow if record["kind"] == "session" else TurnRow
    if skip_existing and (await conn.execute(select(table.id).where(table.id == record["id"]))).first():
        return False
    values = {k: v for k, v in record.items() if k != "kind"}
    if table is SessionRow:
        values["started_at"] = _parse_time(values["started_at"])
        if not (await conn.execute(select(SessionRow.id).where(SessionRow.id == values["id"]))).first():
            await conn.execute(insert(SessionRow).values(**values))
            return True
        return False
    values["created_at"] = _parse_time(values["created_at"])
    await conn.execute(insert(TurnRow).values(**values))
    return True


async def _upsert_chatkit(conn: Any, record: dict[str, Any]) -> bool:
    """A ChatKit thread or item as the record holds it (inserted, or its row updated); an item whose id
    belongs to another thread is left alone (False)."""
    from sqlalchemy import insert, select, update

    from bookctl.db.tables import ChatKitItemRow, ChatKitThreadRow

    at = _parse_time(record["at"])
    if record["kind"] == "chatkit_thread":
        found = (
            await conn.execute(select(ChatKitThreadRow.id).where(ChatKitThreadRow.id == record["id"]))
        ).first()
        if found is None:
            await conn.execute(
                insert(ChatKitThreadRow).values(
                    id=record["id"], user=record["user"], created_at=at, updated_at=at, data=record["data"]
                )
            )
        else:
            await conn.execute(
                update(ChatKitThreadRow)
                .where(ChatKitThreadRow.id == record["id"])
                .values(data=record["data"], updated_at=at)
            )
        return True
    thread = (
        await conn.execute(select(ChatKitThreadRow.id).where(ChatKitThreadRow.id == record["thread_id"]))
    ).first()
    if thread is None:  # deleted meanwhile (by another worker): nothing to add it to
        return False
    found = (
        await conn.execute(select(ChatKitItemRow.thread_id).where(ChatKitItemRow.id == record["id"]))
    ).first()
    if found is None:
        await conn.execute(
            insert(ChatKitItemRow).values(
                id=record["id"],
                thread_id=record["thread_id"],
                type=record["type"],
                turn_id=record.get("turn_id"),
                data=record["data"],
            )
        )
    elif found[0] == record["thread_id"]:
        values: dict[str, Any] = {"data": record["data"], "type": record["type"]}
        if record.get("turn_id") is not None:
            values["turn_id"] = record["turn_id"]
        await conn.execute(update(ChatKitItemRow).where(ChatKitItemRow.id == record["id"]).values(**values))
    else:
        return False
    await conn.execute(
        update(ChatKitThreadRow).where(ChatKitThreadRow.id == record["thread_id"]).values(updated_at=at)
    )
    return True


def _is_permanent(exc: BaseException) -> bool:
    """Errors not worth the retries: bad credentials or names, and a port nobody listens on (a suspended
    Neon compute is woken by its proxy, which does listen)."""
    if isinstance(exc, ConnectionRefusedError):
        return True
    text = str(exc).lower()
    return any(
        s in text
        for s in (
            "password authentication failed",
            "does not exist",
            "permission denied",
            "no pg_hba.conf entry",
            "invalid authorization",
        )
    )


def _first_line(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    from bookctl.config import redact_url

    lines = str(exc).strip().splitlines()
    return redact_url(lines[0][:240]) if lines else type(exc).__name__
