"""The ChatKit store's journaled records (bookctl.db: kinds chatkit_thread, chatkit_item) are states:
a sync that committed but was killed before it emptied the journal runs again and leaves each thread
and item once, with its last data, in its first place."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest


def _records() -> list[dict]:  # type: ignore[type-arg]
    at = datetime.now(UTC).isoformat()
    thread = {
        "kind": "chatkit_thread",
        "id": "thr_1",
        "user": "u1",
        "data": {"id": "thr_1", "title": None},
        "at": at,
    }
    renamed = {**thread, "data": {"id": "thr_1", "title": "Joins"}}
    items = [
        {
            "kind": "chatkit_item",
            "id": f"msg_{n}",
            "thread_id": "thr_1",
            "type": kind,
            "turn_id": None,
            "data": {"id": f"msg_{n}", "n": n},
            "at": at,
        }
        for n, kind in enumerate(["user_message", "assistant_message"])
    ]
    edited = {**items[1], "data": {"id": "msg_1", "n": 1, "edited": True}, "turn_id": "turn_9"}
    return [thread, *items, renamed, edited]


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_a_sync_run_twice_writes_threads_and_items_once(
    dialect: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from sqlalchemy import select

    from bookctl.config import load_settings
    from bookctl.db import SessionLog
    from bookctl.db.tables import ChatKitItemRow, ChatKitThreadRow

    url = (
        f"sqlite:///{tmp_path / 'log.db'}" if dialect == "sqlite" else request.getfixturevalue("postgres_db")
    )
    settings = load_settings({"site": tmp_path, "data_dir": tmp_path / "data", "database_url": url}, env={})

    async def run() -> tuple[list, list]:  # type: ignore[type-arg]
        log = await SessionLog.open(settings, sync=False, required=True)
        try:
            for record in _records():
                log.journal.append(record)
            first = await log.sync()
            for record in _records():  # the same again: the journal was not emptied
                log.journal.append(record)
            second = await log.sync()
            assert first["pending"] == second["pending"] == 0
            assert log.journal.read() == []
            assert log.engine is not None
            async with log.engine.connect() as conn:
                threads = (
                    await conn.execute(
                        select(ChatKitThreadRow.id, ChatKitThreadRow.user, ChatKitThreadRow.data).where(
                            ChatKitThreadRow.id == "thr_1"
                        )
                    )
                ).all()
                items = (
                    await conn.execute(
                        select(ChatKitItemRow.id, ChatKitItemRow.turn_id, ChatKitItemRow.data)
                        .where(ChatKitItemRow.thread_id == "thr_1")
                        .order_by(ChatKitItemRow.seq)
                    )
                ).all()
            return [tuple(t) for t in threads], [tuple(i) for i in items]
        finally:
            await log.close()

    threads, items = asyncio.run(run())
    assert threads == [("thr_1", "u1", {"id": "thr_1", "title": "Joins"})]
    assert items == [
        ("msg_0", None, {"id": "msg_0", "n": 0}),
        ("msg_1", "turn_9", {"id": "msg_1", "n": 1, "edited": True}),
    ]
