"""ChatKit's Store on the session log's database (SQLAlchemy asyncio; SQLite or Postgres).

openai-chatkit defines the interface (chatkit.store.Store) but ships no database store. Threads,
items and attachments live in migration 0004's tables beside the session log; items are kept as
ChatKit serializes them and read back through its own types. A thread's id is also the id of its
bookctl session, so `bookctl sessions list` shows web conversations.

Who sees what (`RequestContext`): with auth off (a local run) every thread; otherwise a signed-in
reader sees only their own threads, and an anonymous one only threads without an owner, by id
(never in a list: ids are 96 random bits).

Every write transaction runs under `writing` (the session log's `SessionLog.writing`: on SQLite the
process's one writer, shared with the turns and the agent's memory; see bookctl.db).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chatkit.store import NotFoundError, Store, StoreItemType
from chatkit.types import Attachment, Page, ThreadItem, ThreadMetadata
from pydantic import TypeAdapter
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bookctl.db.tables import ChatKitAttachmentRow, ChatKitItemRow, ChatKitThreadRow, TurnRow

_ITEM = TypeAdapter[ThreadItem](ThreadItem)
_ATTACHMENT = TypeAdapter[Attachment](Attachment)
_PREFIXES = {"thread": "thr", "message": "msg", "tool_call": "tc", "workflow": "wf", "task": "tsk"}
_PREFIXES |= {"attachment": "atc", "sdk_hidden_context": "shcx"}


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
    def __init__(
        self,
        engine: AsyncEngine,
        writing: Callable[[], AbstractAsyncContextManager[None]] = contextlib.nullcontext,
    ) -> None:
        self.engine = engine
        self.writing = writing

    @contextlib.asynccontextmanager
    async def _write(self) -> AsyncIterator[Any]:
        """A write transaction, begun once the writer is ours."""
        async with self.writing(), self.engine.begin() as conn:
            yield conn

    # --- ids ---------------------------------------------------------------------------------------

    def generate_thread_id(self, context: RequestContext) -> str:
        return _new_id("thr")

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
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(select(ChatKitThreadRow.user).where(ChatKitThreadRow.id == thread_id))
            ).first()
        return (True, row[0]) if row is not None else (False, None)

    # --- threads -----------------------------------------------------------------------------------

    async def load_thread(self, thread_id: str, context: RequestContext) -> ThreadMetadata:
        async with self.engine.connect() as conn:
            row = await self._owned_thread(conn, thread_id, context)
        return ThreadMetadata.model_validate(row.data)

    async def save_thread(self, thread: ThreadMetadata, context: RequestContext) -> None:
        data = _thread_data(thread)
        now = datetime.now(UTC)
        async with self._write() as conn:
            row = (
                await conn.execute(select(ChatKitThreadRow.user).where(ChatKitThreadRow.id == thread.id))
            ).first()
            if row is None:
                await conn.execute(
                    insert(ChatKitThreadRow).values(
                        id=thread.id, user=context.user, created_at=now, updated_at=now, data=data
                    )
                )
            elif self._visible(row[0], context):
                await conn.execute(
                    update(ChatKitThreadRow)
                    .where(ChatKitThreadRow.id == thread.id)
                    .values(data=data, updated_at=now)
                )
            else:
                raise NotFoundError(f"thread {thread.id} not found")

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
        async with self.engine.connect() as conn:
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
            rows = (await conn.execute(query)).all()
        page = [ThreadMetadata.model_validate(r.data) for r in rows[:limit]]
        return Page(data=page, has_more=len(rows) > limit, after=page[-1].id if page else None)

    async def delete_thread(self, thread_id: str, context: RequestContext) -> None:
        async with self._write() as conn:
            await self._owned_thread(conn, thread_id, context)
            await conn.execute(delete(ChatKitItemRow).where(ChatKitItemRow.thread_id == thread_id))
            await conn.execute(delete(ChatKitThreadRow).where(ChatKitThreadRow.id == thread_id))

    # --- items -------------------------------------------------------------------------------------

    async def load_thread_items(
        self, thread_id: str, after: str | None, limit: int, order: str, context: RequestContext
    ) -> Page[ThreadItem]:
        desc = order == "desc"
        async with self.engine.connect() as conn:
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
            rows = (await conn.execute(query.order_by(order_by).limit(limit + 1))).all()
        items = [_ITEM.validate_python(r.data) for r in rows[:limit]]
        return Page(data=items, has_more=len(rows) > limit, after=items[-1].id if items else None)

    async def add_thread_item(self, thread_id: str, item: ThreadItem, context: RequestContext) -> None:
        await self.save_item(thread_id, item, context)

    async def save_item(self, thread_id: str, item: ThreadItem, context: RequestContext) -> None:
        data = item.model_dump(mode="json")
        turn_id = context.turn_ids.get(item.id)
        async with self._write() as conn:
            await self._owned_thread(conn, thread_id, context)
            found = (
                await conn.execute(select(ChatKitItemRow.thread_id).where(ChatKitItemRow.id == item.id))
            ).first()
            if found is None:
                await conn.execute(
                    insert(ChatKitItemRow).values(
                        id=item.id, thread_id=thread_id, type=item.type, turn_id=turn_id, data=data
                    )
                )
            elif found[0] == thread_id:
                values: dict[str, Any] = {"data": data, "type": item.type}
                if turn_id is not None:
                    values["turn_id"] = turn_id
                await conn.execute(
                    update(ChatKitItemRow).where(ChatKitItemRow.id == item.id).values(**values)
                )
            else:
                raise NotFoundError(f"item {item.id} not found in thread {thread_id}")
            await conn.execute(
                update(ChatKitThreadRow)
                .where(ChatKitThreadRow.id == thread_id)
                .values(updated_at=datetime.now(UTC))
            )

    async def load_item(self, thread_id: str, item_id: str, context: RequestContext) -> ThreadItem:
        async with self.engine.connect() as conn:
            await self._owned_thread(conn, thread_id, context)
            row = (
                await conn.execute(
                    select(ChatKitItemRow.data).where(
                        ChatKitItemRow.id == item_id, ChatKitItemRow.thread_id == thread_id
                    )
                )
            ).first()
        if row is None:
            raise NotFoundError(f"item {item_id} not found in thread {thread_id}")
        return _ITEM.validate_python(row[0])

    async def delete_thread_item(self, thread_id: str, item_id: str, context: RequestContext) -> None:
        async with self._write() as conn:
            await self._owned_thread(conn, thread_id, context)
            await conn.execute(
                delete(ChatKitItemRow).where(
                    ChatKitItemRow.id == item_id, ChatKitItemRow.thread_id == thread_id
                )
            )

    async def add_feedback(
        self, thread_id: str, item_ids: list[str], kind: str, context: RequestContext
    ) -> int:
        """Store the reader's feedback on the items and on the turns that produced them; returns how
        many items took it."""
        async with self._write() as conn:
            await self._owned_thread(conn, thread_id, context)
            where = (ChatKitItemRow.thread_id == thread_id) & ChatKitItemRow.id.in_(item_ids)
            turns = [
                t for (t,) in (await conn.execute(select(ChatKitItemRow.turn_id).where(where))).all() if t
            ]
            n = (await conn.execute(update(ChatKitItemRow).where(where).values(feedback=kind))).rowcount
            if turns:
                await conn.execute(update(TurnRow).where(TurnRow.id.in_(turns)).values(feedback=kind))
        return int(n or 0)

    async def count_items(self, thread_id: str) -> int:
        async with self.engine.connect() as conn:
            n = (
                await conn.execute(
                    select(func.count())
                    .select_from(ChatKitItemRow)
                    .where(ChatKitItemRow.thread_id == thread_id)
                )
            ).scalar_one()
        return int(n)

    # --- attachments (metadata only: bookctl serve takes no uploads) -------------------------------

    async def save_attachment(self, attachment: Attachment, context: RequestContext) -> None:
        data = attachment.model_dump(mode="json")
        async with self._write() as conn:
            await conn.execute(delete(ChatKitAttachmentRow).where(ChatKitAttachmentRow.id == attachment.id))
            await conn.execute(
                insert(ChatKitAttachmentRow).values(id=attachment.id, user=context.user, data=data)
            )

    async def load_attachment(self, attachment_id: str, context: RequestContext) -> Attachment:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(ChatKitAttachmentRow).where(ChatKitAttachmentRow.id == attachment_id)
                )
            ).first()
        if row is None or not self._visible(row.user, context):
            raise NotFoundError(f"attachment {attachment_id} not found")
        return _ATTACHMENT.validate_python(row.data)

    async def delete_attachment(self, attachment_id: str, context: RequestContext) -> None:
        async with self._write() as conn:
            await conn.execute(
                delete(ChatKitAttachmentRow).where(
                    ChatKitAttachmentRow.id == attachment_id,
                    ChatKitAttachmentRow.user.is_(None)
                    if context.user is None
                    else ChatKitAttachmentRow.user == context.user,
                )
            )
