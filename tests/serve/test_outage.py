"""Postgres stops in the middle of a conversation: the reader's turns are still answered, and once it
is back nothing is missing (the thread's items, a thread started meanwhile, the logged turns).

The database is a throwaway cluster the test stops and starts (tests/pgcluster.py)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from tests.pgcluster import Cluster
from tests.serve.conftest import ChatKitClient, answer_of, serve_settings, start_server, stop_server

BEFORE = "How do I run a transaction?"
DURING = ["What is a migration?", "How do I insert a row?"]
MEANWHILE = "How do I write a join?"  # a new conversation while the database is down
AFTER = "What dialects are there?"


def _thread_id(events: list[dict[str, Any]]) -> str:
    return next(e["thread"]["id"] for e in events if e["type"] == "thread.created")


def _answered(events: list[dict[str, Any]]) -> str:
    errors = [e for e in events if e["type"] == "error"]
    assert not errors, errors
    text = answer_of(events)["text"]
    assert text.strip()
    return text


@pytest.fixture
def cluster():  # type: ignore[no-untyped-def]
    c = Cluster().create()
    try:
        yield c
    finally:
        c.remove()


async def _logged(settings: Any, *sids: str) -> dict[str, Any]:
    from bookctl.db import SessionLog

    log = await SessionLog.open(settings, sync=False, required=True)
    try:
        return {sid: await log.get_session(sid) for sid in sids}
    finally:
        await log.close()


def test_postgres_stopped_mid_conversation(  # type: ignore[no-untyped-def]
    indexed_corpus, cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bookctl.db
    from bookctl.serve import ServeOptions

    monkeypatch.setattr(bookctl.db, "RETRY_AFTER_S", 1.0)  # try the database again after 1 s, not 10
    settings = serve_settings(indexed_corpus, cluster.url, tmp_path / "data")
    url, thread, server = start_server(settings, ServeOptions(rate_limit=None))
    client = ChatKitClient(url, {})
    try:
        first = client.create(BEFORE)
        tid = _thread_id(first)
        _answered(first)

        cluster.stop()
        for question in DURING:
            _answered(client.add(tid, question))
        meanwhile = client.create(MEANWHILE)
        other = _thread_id(meanwhile)
        _answered(meanwhile)
        health = client.http.get("/healthz").json()
        assert health["database"]["available"] is False and health["database"]["journaled"] > 0, health
        # what needs the database itself is refused, not guessed from what this process holds
        refused = client.post({"type": "items.list", "params": {"thread_id": tid}})
        assert refused.status_code == 503, refused.text
        assert refused.json()["code"] == "database.unavailable" and refused.headers["retry-after"]

        cluster.start()
        time.sleep(1.2)
        _answered(client.add(tid, AFTER))  # the database answers again: the journal is synced first

        items = client.request("items.list", thread_id=tid, limit=50, order="asc")["data"]
        assert [i["type"] for i in items] == ["user_message", "assistant_message"] * 4
        asked = [i["content"][0]["text"] for i in items if i["type"] == "user_message"]
        assert asked == [BEFORE, *DURING, AFTER]
        assert all(i["content"][0]["text"].strip() for i in items if i["type"] == "assistant_message")
        other_items = client.request("items.list", thread_id=other, limit=50, order="asc")["data"]
        assert [i["type"] for i in other_items] == ["user_message", "assistant_message"]
        listed = {t["id"] for t in client.request("threads.list", limit=50)["data"]}
        assert {tid, other} <= listed
        health = client.http.get("/healthz").json()
        assert health["database"] == {"dialect": "postgresql", "available": True, "journaled": 0}, health
    finally:
        client.close()
        stop_server(thread, server)

    logged = asyncio.run(_logged(settings, tid, other))
    assert [t["question"] for t in logged[tid]["turns"]] == [BEFORE, *DURING, AFTER]
    assert [t["seq"] for t in logged[tid]["turns"]] == [1, 2, 3, 4]
    assert [t["question"] for t in logged[other]["turns"]] == [MEANWHILE]
    assert all(t["error"] is None and t["answer"] for s in logged.values() for t in s["turns"])
    assert logged[other]["origin"] == "web"
