"""The agent's multi-turn memory, which must never stop an answer.

`FallbackMemory` is an Agents SDK session over the session log's database (the SDK's own
`SQLAlchemySession`, on the tables of migration 0002) that keeps a copy of the conversation in the
process. When the database fails or is slow (`TIMEOUT_S`), the turn goes on from that copy, and so
does the rest of the conversation in this process: the reader keeps getting answers with their
context while the turns themselves go to the journal (bookctl.db.SessionLog).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from agents.memory.session import SessionABC

TIMEOUT_S = 3.0  # per memory operation, before the conversation goes on from the copy in process


class FallbackMemory(SessionABC):
    def __init__(
        self,
        session_id: str,
        primary: SessionABC | None,
        *,
        writing: Callable[[], AbstractAsyncContextManager[None]] = contextlib.nullcontext,
    ) -> None:
        self.session_id = session_id
        self.primary = primary  # None: in process only (the database was down from the start)
        self.writing = writing  # around each write: the session log's one writer on SQLite
        self.items: list[Any] = []
        self.loaded = primary is None
        self.error: str | None = None

    @property
    def degraded(self) -> bool:
        """True once the database failed: the conversation goes on from the copy in process."""
        return self.error is not None

    async def _try(self, operation: Any, *, write: bool = False) -> tuple[bool, Any]:
        if self.primary is None or self.degraded:
            return False, None
        try:
            if write:  # the wait for the writer is not the database's slowness: outside the timeout
                async with self.writing():
                    return True, await asyncio.wait_for(operation(), TIMEOUT_S)
            return True, await asyncio.wait_for(operation(), TIMEOUT_S)
        except Exception as exc:  # driver errors vary; a timeout too
            from bookctl.db import _first_line

            self.error = _first_line(exc) if str(exc) else type(exc).__name__
            return False, None

    async def get_items(self, limit: int | None = None) -> list[Any]:
        if not self.loaded:
            assert self.primary is not None
            ok, items = await self._try(self.primary.get_items)
            if ok:
                self.items = list(items)
                self.loaded = True
        return list(self.items if limit is None else self.items[-limit:] if limit > 0 else [])

    async def add_items(self, items: list[Any]) -> None:
        if not self.loaded:
            await self.get_items()
        self.items.extend(items)
        if self.primary is not None:
            primary = self.primary
            await self._try(lambda: primary.add_items(items), write=True)

    async def pop_item(self) -> Any:
        if not self.items:
            return None
        item = self.items.pop()
        if self.primary is not None:
            await self._try(self.primary.pop_item, write=True)
        return item

    async def clear_session(self) -> None:
        self.items.clear()
        if self.primary is not None:
            await self._try(self.primary.clear_session, write=True)
