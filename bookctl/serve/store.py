"""ChatKit's Store on the session log's database (SQLAlchemy asyncio; SQLite or Postgres).

openai-chatkit defines the interface (chatkit.store.Store) but ships no database store. Threads,
items and attachments live in migration 0004's tables beside the session log; items are kept as
ChatKit serializes them and read back through its own types. A thread's id is also the id of its
bookctl session, so `bookctl sessions list` shows web conversations.

Who sees what (`RequestContext`): with auth off (a local run) every thread; otherwise a signed-in
reader sees only their own threads, and an anonymous one only threads without an owner, by id
(never in a list: ids are 96 random bits).

A turn never waits on the database being there: threads and items are written as session-log
records (`SessionLog.write`), into the database or, while it is unreachable, into the session log's
journal, synced with the turns when it answers again (bookctl.db: the same journal, retry and
exactly-once sync as `bookctl ask`). Meanwhile a thread this process has read or written is known
from memory, so its conversation goes on; what needs the database itself (lists, a thread's items,
a thread this process has not seen, deletes, feedback) is refused with `StoreUnavailable` (a 503)
rather than guessed. On SQLite every write goes through the session log's one writer.
"""

from __future__ import annotations

import collections
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from chatkit.store import NotFoundError, Store, StoreItemType
from chatkit.types import Attachment, Page, ThreadItem, ThreadMetadata
from pydantic import TypeAdapter
from sqlalchemy import delete, func, insert, select, update

from bookctl.db.tables import ChatKitAttachmentRow, ChatKitItemRow, ChatKitThreadRow, TurnRow

if TYPE_CHECKING:
    from bookctl.db import SessionLog

_ITEM = TypeAdapter[ThreadItem](ThreadItem)
_ATTACHMENT = TypeAdapter[Attachment](Attachment)
_PREFIXES = {"thread": "thr", "message": "msg", "tool_call": "tc", "workflow": "wf", "task": "tsk"}
_PREFIXES |= {"attachment": "atc", "sdk_hidden_context": "shcx"}
KNOWN_THREADS = 10_000  # threads kept in memory (owner + metadata) to go on while the database is down
_T = TypeVar("_T")


class StoreUnavailable(Exception):
    """The database is unreachable and what was asked needs it (the server answers 503)."""


@dataclass
class RequestContext:
    """What the server knows about one request: who asks (None: nobody signed in), whether they may
    see every thread (auth off), the request's metadata and languages, and the turns this request
    logged (assistant item id -> turn id, stored with the item)."""

    user: str | None = None
    see_all: bool = True
    metadata: dict[str, Any] = field(default_factory=dict)
    accept_language: str | None = None
    locale: str | None = None
    client: str | None = None
    turn_ids: dict[str, str] = field(default_factory=dict)


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


def _thread_data(thread: ThreadMetadata) -> dict[str, Any]:
    data = thread.model_dump(mode="json", exclude={"items"} if "items" in type(thread).model_fields else None)
    return data


class SqlStore(Store[RequestContext]):
    def __init__(self, log: SessionLog) -> None:
        assert log.engine is not None, "the store needs the session log's database"
        self.log = log
        self.engine = log.engine
        # thread id -> (owner, ThreadMetadata as JSON): what this process has read or written
        self._threads: collections.OrderedDict[str, tuple[str | None, dict[str, Any]]] = (
            collections.OrderedDict()
        )
        self._generated: set[str] = set()  # thread ids made here and not saved yet (threads.create)

    def _remember(self, thread_id: str, owner: str | None, data: dict[str, Any]) -> None:
        self._threads[thread_id] = (owner, data)
        self._threads.move_to_end(thread_id)
        while len(self._threads) > KNOWN_THREADS:
            self._threads.popitem(last=False)

    async def _read(self, query: Callable[[Any], Awaitable[_T]]) -> _T:
        """Run a read on the database, or raise StoreUnavailable (and have the session log journal
        writes) when it cannot answer."""
        if not await self.log.reconnect():
            raise StoreUnavailable(f"the database is unreachable ({self.log.last_error})")
        try:
            async with self.engine.connect() as conn:
                return await query(conn)
        except NotFoundError:
            raise
        except Exception as exc:  # driver errors vary: OSError, asyncpg, sqlite
            self.log.failed(exc)
            raise StoreUnavailable(f"the database is unreachable ({self.log.last_error})") from exc

    async def _transaction(self, work: Callable[[Any], Awaitable[_T]]) -> _T:
        """A write only the database can take (a delete, feedback): in one transaction, under the
        session log's writer, or StoreUnavailable."""
        if not await self.log.reconnect():
            raise StoreUnavailable(f"the database is unreachable ({self.log.last_error})")
        try:
            async with self.log.writing(), self.engine.begin() as conn:
                return await work(conn)
        except NotFoundError:
            raise
        except Exception as exc:
            self.log.failed(exc)
            raise StoreUnavailable(f"the database is unreachable ({self.log.last_error})") from exc

    async def _owner(self, thread_id: str) -> tuple[bool, str | None]:
        """(whether the thread exists, its owner): from the database, else from memory; a thread this
        process has not seen cannot be told apart from none while the database is down. An owner never
        changes, so a thread this process knows is not read again (a turn writes three times)."""
        if thread_id in self._threads:
            return True, self._threads[thread_id][0]
        try:
            found = await self._read(
                lambda conn: _first(
                    conn, select(ChatKitThreadRow.user).where(ChatKitThreadRow.id == thread_id)
                )
            )
        except StoreUnavailable:
            if thread_id in self._threads:
                return True, self._threads[thread_id][0]
            if thread_id in self._generated:
                return False, None
            raise
        return (True, found[0]) if found is not None else (False, None)

    # --- ids ---------------------------------------------------------------------------------------

    def generate_thread_id(self, context: RequestContext) -> str:
        thread_id = _new_id("thr")
        self._generated.add(thread_id)
        return thread_id

    def generate_item_id(
        self, item_type: StoreItemType, thread: ThreadMetadata, context: RequestContext
    ) -> str:
        return _new_id(_PREFIXES.get(item_type, "itm"))

    # --- access ------------------------------------------------------------------------------------

    @staticmethod
    def _visible(owner: str | None, context: RequestContext) -> bool:
        return context.see_all or owner == context.user

    async def _owned_thread(self, conn: Any, thread_id: str, context: RequestContext) -> ChatKitThreadRow:
        row = (await conn.execute(select(ChatKitThreadRow).where(ChatKitThreadRow.id == thread_id))).first()
        if row is None or not self._visible(row.user, context):
            raise NotFoundError(f"thread {thread_id} not found")
        return row

    async def thread_owner(self, thread_id: str) -> tuple[bool, str | None]:
        return await self._owner(thread_id)

    # --- threads -----------------------------------------------------------------------------------

    async def load_thread(self, thread_id: str, context: RequestContext) -> ThreadMetadata:
        try:
            row = await self._read(lambda conn: self._owned_thread(conn, thread_id, context))
        except StoreUnavailable:
            known = self._threads.get(thread_id)
            if known is None:
                raise
            if not self._visible(known[0], context):
                raise NotFoundError(f"thread {thread_id} not found") from None
            return ThreadMetadata.model_validate(known[1])
        self._remember(thread_id, row.user, row.data)
        return ThreadMetadata.model_validate(row.data)

    async def save_thread(self, thread: ThreadMetadata, context: RequestContext) -> None:
        data = _thread_data(thread)
        exists, owner = await self._owner(thread.id)
        if exists and not self._visible(owner, context):
            raise NotFoundError(f"thread {thread.id} not found")
        user = owner if exists else context.user
        record = {"kind": "chatkit_thread", "id": thread.id, "user": user, "data": data, "at": _now()}
        await self.log.write([record])
        self._generated.discard(thread.id)
        self._remember(thread.id, user, data)

    async def load_threads(
        self, limit: int, after: str | None, order: str, context: RequestContext
    ) -> Page[ThreadMetadata]:
        query = select(ChatKitThreadRow)
        if not context.see_all:
            if context.user is None:
                return Page(data=[], has_more=False, after=None)
            query = query.where(ChatKitThreadRow.user == context.user)
        desc = order == "desc"
        key = (ChatKitThreadRow.created_at, ChatKitThreadRow.id)

        async def read(conn: Any) -> list[Any]:
            nonlocal query
            if after:
                mark = (
                    await conn.execute(
                        select(ChatKitThreadRow.created_at, ChatKitThreadRow.id).where(
                            ChatKitThreadRow.id == after
                        )
                    )
                ).first()
                if mark is not None:
                    from sqlalchemy import tuple_

                    cmp = tuple_(*key) < tuple_(*mark) if desc else tuple_(*key) > tuple_(*mark)
                    query = query.where(cmp)
            query = query.order_by(*(k.desc() if desc else k.asc() for k in key)).limit(limit + 1)
            return list((await conn.execute(query)).all())

        rows = await self._read(read)
        page = [ThreadMetadata.model_validate(r.data) for r in rows[:limit]]
        return Page(data=page, has_more=len(rows) > limit, after=page[-1].id if page else None)

    async def delete_thread(self, thread_id: str, context: RequestContext) -> None:
        async def work(conn: Any) -> None:
            await self._owned_thread(conn, thread_id, context)
            await conn.execute(delete(ChatKitItemRow).where(ChatKitItemRow.thread_id == thread_id))
            await conn.execute(delete(ChatKitThreadRow).where(ChatKitThreadRow.id == thread_id))

        await self._transaction(work)
        self._threads.pop(thread_id, None)

    # --- items -------------------------------------------------------------------------------------

    async def load_thread_items(
        self, thread_id: str, after: str | None, limit: int, order: str, context: RequestContext
    ) -> Page[ThreadItem]:
        desc = order == "desc"

        async def read(conn: Any) -> list[Any]:
            await self._owned_thread(conn, thread_id, context)
            query = select(ChatKitItemRow.id, ChatKitItemRow.data).where(
                ChatKitItemRow.thread_id == thread_id
            )
            if after:
                mark = (
                    await conn.execute(
                        select(ChatKitItemRow.seq).where(
                            ChatKitItemRow.id == after, ChatKitItemRow.thread_id == thread_id
                        )
                    )
                ).scalar()
                if mark is not None:
                    query = query.where(ChatKitItemRow.seq < mark if desc else ChatKitItemRow.seq > mark)
            order_by = ChatKitItemRow.seq.desc() if desc else ChatKitItemRow.seq.asc()
            return list((await conn.execute(query.order_by(order_by).limit(limit + 1))).all())

        rows = await self._read(read)
        items = [_ITEM.validate_python(r.data) for r in rows[:limit]]
        return Page(data=items, has_more=len(rows) > limit, after=items[-1].id if items else None)

    async def add_thread_item(self, thread_id: str, item: ThreadItem, context: RequestContext) -> None:
        await self.save_item(thread_id, item, context)

    async def save_item(self, thread_id: str, item: ThreadItem, context: RequestContext) -> None:
        """Insert or update the item; an id of another thread's item is left alone (bookctl.db's upsert:
        ids are made here, so only a forged request could name one)."""
        exists, owner = await self._owner(thread_id)
        if not exists or not self._visible(owner, context):
            raise NotFoundError(f"thread {thread_id} not found")
        record = {
            "kind": "chatkit_item",
            "id": item.id,
            "thread_id": thread_id,
            "type": item.type,
            "turn_id": context.turn_ids.get(item.id),
            "data": item.model_dump(mode="json"),
            "at": _now(),
        }
        await self.log.write([record])

    async def load_item(self, thread_id: str, item_id: str, context: RequestContext) -> ThreadItem:
        async def read(conn: Any) -> Any:
            await self._owned_thread(conn, thread_id, context)
            return await _first(
                conn,
                select(ChatKitItemRow.data).where(
                    ChatKitItemRow.id == item_id, ChatKitItemRow.thread_id == thread_id
                ),
            )

        row = await self._read(read)
        if row is None:
            raise NotFoundError(f"item {item_id} not found in thread {thread_id}")
        return _ITEM.validate_python(row[0])

    async def delete_thread_item(self, thread_id: str, item_id: str, context: RequestContext) -> None:
        async def work(conn: Any) -> None:
            await self._owned_thread(conn, thread_id, context)
            await conn.execute(
                delete(ChatKitItemRow).where(
                    ChatKitItemRow.id == item_id, ChatKitItemRow.thread_id == thread_id
                )
            )

        await self._transaction(work)

    async def add_feedback(
        self, thread_id: str, item_ids: list[str], kind: str, context: RequestContext
    ) -> int:
        """Store the reader's feedback on the items and on the turns that produced them; returns how
        many items took it."""

        async def work(conn: Any) -> int:
            await self._owned_thread(conn, thread_id, context)
            where = (ChatKitItemRow.thread_id == thread_id) & ChatKitItemRow.id.in_(item_ids)
            turns = [
                t for (t,) in (await conn.execute(select(ChatKitItemRow.turn_id).where(where))).all() if t
            ]
            n = (await conn.execute(update(ChatKitItemRow).where(where).values(feedback=kind))).rowcount
            if turns:
                await conn.execute(update(TurnRow).where(TurnRow.id.in_(turns)).values(feedback=kind))
            return int(n or 0)

        return await self._transaction(work)

    async def count_items(self, thread_id: str) -> int:
        async def read(conn: Any) -> int:
            return int(
                (
                    await conn.execute(
                        select(func.count())
                        .select_from(ChatKitItemRow)
                        .where(ChatKitItemRow.thread_id == thread_id)
                    )
                ).scalar_one()
            )

        return await self._read(read)

    # --- attachments (metadata only: bookctl serve takes no uploads) -------------------------------

    async def save_attachment(self, attachment: Attachment, context: RequestContext) -> None:
        data = attachment.model_dump(mode="json")

        async def work(conn: Any) -> None:
            await conn.execute(delete(ChatKitAttachmentRow).where(ChatKitAttachmentRow.id == attachment.id))
            await conn.execute(
                insert(ChatKitAttachmentRow).values(id=attachment.id, user=context.user, data=data)
            )

        await self._transaction(work)

    async def load_attachment(self, attachment_id: str, context: RequestContext) -> Attachment:
        row = await self._read(
            lambda conn: _first(
                conn, select(ChatKitAttachmentRow).where(ChatKitAttachmentRow.id == attachment_id)
            )
        )
        if row is None or not self._visible(row.user, context):
            raise NotFoundError(f"attachment {attachment_id} not found")
        return _ATTACHMENT.validate_python(row.data)

    async def delete_attachment(self, attachment_id: str, context: RequestContext) -> None:
        async def work(conn: Any) -> None:
            await conn.execute(
                delete(ChatKitAttachmentRow).where(
                    ChatKitAttachmentRow.id == attachment_id,
                    ChatKitAttachmentRow.user.is_(None)
                    if context.user is None
                    else ChatKitAttachmentRow.user == context.user,
                )
            )

        await self._transaction(work)


async def _first(conn: Any, query: Any) -> Any:
    return (await conn.execute(query)).first()


def _now() -> str:
    return datetime.now(UTC).isoformat()
