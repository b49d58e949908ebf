"""Many readers at once on the default store (SQLite): every turn of every conversation is answered,
stored and logged. Before the session log's one writer (bookctl.db: SessionLog.writing), 3 to 6 of
30 such turns ended with a `stream.error` event and `database is locked` in the server's log: a
write transaction kept SQLite's lock while the event loop ran another turn's embedding, and the
other writers gave up after the busy timeout."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from tests.serve.conftest import serve_settings, start_server, stop_server, user_input

CONVERSATIONS = 12
TURNS = 3
QUESTIONS = [
    "How do I run a transaction?",
    "What is a migration?",
    "How do I write a join?",
    "How do I insert a row?",
    "What dialects are there?",
    "How are types generated?",
]


async def _turn(client: httpx.AsyncClient, text: str, thread_id: str | None) -> tuple[str | None, list[Any]]:
    kind = "threads.add_user_message" if thread_id else "threads.create"
    params: dict[str, Any] = {"input": user_input(text)}
    if thread_id:
        params["thread_id"] = thread_id
    events: list[Any] = []
    async with client.stream("POST", "/chatkit", content=json.dumps({"type": kind, "params": params})) as r:
        assert r.status_code == 200, await r.aread()
        async for line in r.aiter_lines():
            if line.startswith("data:"):
                event = json.loads(line[5:])
                events.append(event)
                if event["type"] == "thread.created":
                    thread_id = event["thread"]["id"]
    return thread_id, events


async def _conversations(url: str) -> list[tuple[str, int, list[Any]]]:
    limits = httpx.Limits(max_connections=CONVERSATIONS + 2)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as client:

        async def one(c: int) -> list[tuple[str, int, list[Any]]]:
            thread_id = None
            done = []
            for t in range(TURNS):
                thread_id, events = await _turn(client, QUESTIONS[(c + t) % len(QUESTIONS)], thread_id)
                done.append((thread_id or "(no thread)", t, events))
                if thread_id is None:  # the thread itself could not be made: the conversation ends
                    break
            return done

        per = await asyncio.gather(*(one(c) for c in range(CONVERSATIONS)))
    return [turn for conversation in per for turn in conversation]


async def _stored(database_url: str) -> tuple[dict[str, int], dict[str, list[str | None]]]:
    from sqlalchemy import func, select
    from sqlalchemy.ext.asyncio import create_async_engine

    from bookctl.db.tables import ChatKitItemRow, TurnRow

    engine = create_async_engine(database_url.replace("sqlite:", "sqlite+aiosqlite:", 1))
    try:
        async with engine.connect() as conn:
            items = dict(
                (
                    await conn.execute(
                        select(ChatKitItemRow.thread_id, func.count()).group_by(ChatKitItemRow.thread_id)
                    )
                ).all()  # type: ignore[arg-type]
            )
            turns: dict[str, list[str | None]] = {}
            for sid, error in (await conn.execute(select(TurnRow.session_id, TurnRow.error))).all():
                turns.setdefault(sid, []).append(error)
    finally:
        await engine.dispose()
    return items, turns


def test_concurrent_conversations_on_sqlite(indexed_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bookctl.serve import ServeOptions

    database_url = f"sqlite:///{tmp_path / 'log.db'}"
    settings = serve_settings(indexed_corpus, database_url, tmp_path / "data")
    url, thread, server = start_server(settings, ServeOptions(rate_limit=None))
    try:
        turns = asyncio.run(_conversations(url))
    finally:
        stop_server(thread, server)

    failed = [
        (tid, t, [e for e in events if e["type"] == "error"])
        for tid, t, events in turns
        if any(e["type"] == "error" for e in events)
    ]
    assert not failed, f"{len(failed)} of {len(turns)} turns ended with an error event: {failed[:3]}"
    assert len(turns) == CONVERSATIONS * TURNS
    for tid, t, events in turns:
        answered = [
            e for e in events if e["type"] == "thread.item.done" and e["item"]["type"] == "assistant_message"
        ]
        assert len(answered) == 1 and answered[0]["item"]["content"][0]["text"], (tid, t)
    threads = {tid for tid, _, _ in turns}
    assert len(threads) == CONVERSATIONS
    # all in the database, none left in the journal: the writes waited for each other, none failed
    assert not (settings.resolved_data_dir / "journal.jsonl").exists()
    items, logged = asyncio.run(_stored(database_url))
    for tid in threads:
        assert items.get(tid) == 2 * TURNS, (tid, items.get(tid))  # each question and its answer
        assert logged.get(tid) == [None] * TURNS, (tid, logged.get(tid))  # each turn, none failed
