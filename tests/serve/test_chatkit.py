"""`bookctl serve` over real HTTP: ChatKit's requests, streamed cited answers, the store and the session
log behind them, on SQLite and Postgres."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.serve.conftest import SITE_URL, Served, answer_of


def _logged(served: Served, session_id: str) -> dict[str, Any]:
    from bookctl.db import SessionLog

    async def read() -> dict[str, Any] | None:
        log = await SessionLog.open(served.settings, sync=False, required=True)
        try:
            return await log.get_session(session_id)
        finally:
            await log.close()

    found = asyncio.run(read())
    assert found is not None, f"session {session_id} is not in the log"
    return found


def _site_anchors(served: Served) -> dict[str, set[str]]:
    """Permalink -> the anchors of its headings ("" for the page itself), from the site model."""
    from bookctl.site.loader import load_site

    site = load_site(served.settings)
    return {d.permalink: {"", *(h.anchor for h in d.headings)} for d in site.docs}


def test_a_new_thread_streams_a_cited_answer_that_is_stored_and_logged(served: Served) -> None:
    client = served.client()
    events = client.create(
        "How do I run migrations?",
        metadata={"page": {"doc_id": "migrations", "path": "/docs/migrations", "locale": "en"}},
    )
    types = [e["type"] for e in events]
    assert types[0] == "thread.created" and "error" not in types, types
    thread_id = events[0]["thread"]["id"]
    answer = answer_of(events)
    assert answer["deltas"] == answer["text"] and "migration" in answer["text"].lower()
    assert types.index("thread.item.added") < types.index(
        "thread.item.done", types.index("thread.item.added")
    )
    # citations: one annotation each, with the section's absolute URL on the site, placed after its [n]
    annotations = answer["item"]["content"][0]["annotations"]
    assert annotations and annotations == answer["annotations"]
    anchors = _site_anchors(served)
    for n, a in enumerate(annotations, 1):
        source = a["source"]
        assert source["type"] == "url" and source["url"].startswith(SITE_URL + "/")
        parts = urlsplit(source["url"])
        assert parts.path in anchors, f"{source['url']}: no such doc on the site"
        assert parts.fragment in anchors[parts.path], f"{source['url']}: no such heading in the doc"
        assert answer["text"][: a["index"]].endswith(f"[{n}]")
    # the thread got a title from the question (thread.updated), and everything is stored
    updated = [e["thread"] for e in events if e["type"] == "thread.updated"]
    assert updated and updated[-1]["title"] == "How do I run migrations?"
    items = client.request("items.list", thread_id=thread_id, order="asc")["data"]
    assert [i["type"] for i in items] == ["user_message", "assistant_message"]
    assert (
        items[1]["content"][0]["text"] == answer["text"]
        and items[1]["content"][0]["annotations"] == annotations
    )
    # ... and logged as a web session of bookctl's own log (what `bookctl sessions show` reads)
    logged = _logged(served, thread_id)
    assert logged["origin"] == "web"
    [turn] = logged["turns"]
    assert turn["question"] == "How do I run migrations?" and turn["answer"] == answer["text"]
    assert [c["url"] for c in turn["citations"]] == [a["source"]["url"] for a in annotations]
    assert (
        turn["context"]["doc_id"] == "migrations"
        and turn["context"]["metadata"]["path"] == "/docs/migrations"
    )
    client.close()


def test_a_conversation_continues_and_every_thread_request_works(served: Served) -> None:
    client = served.client()
    first = client.create("How do I run migrations?")
    thread_id = first[0]["thread"]["id"]
    follow = client.add(thread_id, "And in what order are they run?")
    assert "error" not in [e["type"] for e in follow]
    assert answer_of(follow)["text"]
    thread = client.request("threads.get_by_id", thread_id=thread_id)
    assert [i["type"] for i in thread["items"]["data"]] == ["user_message", "assistant_message"] * 2
    assert len(_logged(served, thread_id)["turns"]) == 2
    # pagination of items
    page = client.request("items.list", thread_id=thread_id, limit=3, order="asc")
    assert len(page["data"]) == 3 and page["has_more"]
    rest = client.request("items.list", thread_id=thread_id, limit=3, order="asc", after=page["after"])
    assert len(rest["data"]) == 1 and not rest["has_more"]
    ids = [i["id"] for i in page["data"] + rest["data"]]
    newest = client.request("items.list", thread_id=thread_id, limit=10, order="desc")
    assert [i["id"] for i in newest["data"]] == ids[::-1]
    # list, rename, retry, delete
    listed = client.request("threads.list", limit=100, order="desc")
    assert thread_id in [t["id"] for t in listed["data"]]
    renamed = client.request("threads.update", thread_id=thread_id, title="Migrations")
    assert renamed["title"] == "Migrations"
    assert client.request("threads.get_by_id", thread_id=thread_id)["title"] == "Migrations"
    last_question = ids[2]
    retried = client.stream("threads.retry_after_item", thread_id=thread_id, item_id=last_question)
    assert answer_of(retried)["text"]
    after_retry = client.request("items.list", thread_id=thread_id, limit=10, order="asc")["data"]
    assert [i["id"] for i in after_retry[:3]] == ids[:3] and after_retry[3]["id"] != ids[3]
    assert len(_logged(served, thread_id)["turns"]) == 3  # the retried turn is logged too
    assert client.request("threads.delete", thread_id=thread_id) == {}
    gone = client.post({"type": "threads.get_by_id", "params": {"thread_id": thread_id}})
    assert gone.status_code == 404 and gone.json()["type"] == "error"
    client.close()


def test_feedback_is_stored_on_the_item_and_its_logged_turn(served: Served) -> None:
    from sqlalchemy import create_engine, text

    client = served.client()
    events = client.create("What is a savepoint?")
    thread_id = events[0]["thread"]["id"]
    item_id = answer_of(events)["item"]["id"]
    assert client.request("items.feedback", thread_id=thread_id, item_ids=[item_id], kind="negative") == {}
    [turn] = _logged(served, thread_id)["turns"]
    assert turn["feedback"] == "negative"
    from bookctl.db.urls import resolve_database_url

    target = resolve_database_url(served.database_url, served.settings.resolved_data_dir)
    sync_url = (
        target.url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
        if "sqlite" in target.url
        else None
    )
    if sync_url:  # SQLite: read the row as stored
        engine = create_engine(sync_url)
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT feedback, turn_id FROM bookctl_chatkit_items WHERE id = :id"), {"id": item_id}
            ).one()
        engine.dispose()
        assert row == ("negative", turn["id"])
    client.close()


def test_a_selection_is_answered_from_the_passage_alone(served: Served) -> None:
    client = served.client()
    thread_id = client.create("How do I run migrations?")[0]["thread"]["id"]
    passage = "A savepoint lets you roll back part of a transaction without aborting all of it."
    action = {
        "type": "bookctl.ask_selection",
        "payload": {"text": passage, "question": "What does a savepoint let me do?", "doc_id": "recipes/x"},
    }
    events = client.stream("threads.custom_action", thread_id=thread_id, action=action)
    asked = [
        e["item"] for e in events if e["type"] == "thread.item.done" and e["item"]["type"] == "user_message"
    ]
    assert asked and asked[0]["quoted_text"] == passage
    answer = answer_of(events)
    assert (
        "roll back part of a transaction" in answer["text"]
        and answer["item"]["content"][0]["annotations"] == []
    )
    turn = _logged(served, thread_id)["turns"][-1]
    assert turn["selection"] == passage and turn["context"]["doc_id"] == "recipes/x"
    # a reply quoting a passage (ChatKit's quoted_text) is a selection too
    quoted = client.add(thread_id, "What does it let me do?", quoted_text=passage)
    assert "roll back part of a transaction" in answer_of(quoted)["text"]
    # an action this server does not know is a ChatKit error event, the thread goes on
    unknown = client.stream(
        "threads.custom_action", thread_id=thread_id, action={"type": "x.y", "payload": {}}
    )
    [error] = [e for e in unknown if e["type"] == "error"]
    assert "unknown action" in error["message"]
    client.close()


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"{not json", 400, "not JSON"),
        (b"[]", 400, ""),
        (b'{"type": "threads.explode", "params": {}}', 400, "unknown request type"),
        (b'{"type": "threads.create"}', 400, "params"),
        (b'{"type": "threads.create", "params": {"input": {"content": "x"}}}', 400, ""),
        (b'{"type": "threads.get_by_id", "params": {"thread_id": "thr_nope"}}', 404, "not found"),
        (b'{"type": "items.list", "params": {"thread_id": 7}}', 400, "thread_id"),
        (
            b'{"type": "threads.add_user_message", "params": {"thread_id": "thr_nope", "input": '
            b'{"content": [], "attachments": [], "inference_options": {}}}}',
            404,
            "not found",
        ),
        (
            b'{"type": "attachments.create", "params": {"name": "a.pdf", "size": 3, "mime_type": "application/pdf"}}',
            400,
            "",
        ),
        (
            b'{"type": "input.transcribe", "params": {"audio_base64": "AAAA", "mime_type": "audio/webm"}}',
            400,
            "not supported",
        ),
    ],
)
def test_malformed_requests_get_a_chatkit_error_never_a_500(
    served: Served, body: bytes, status: int, says: str
) -> None:
    r = httpx.post(f"{served.url}/chatkit", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    error = r.json()
    assert error["type"] == "error" and says in error["message"]
    assert "Traceback" not in r.text
    assert httpx.get(f"{served.url}/healthz").json()["status"] == "ok"


def test_an_empty_message_is_an_error_event_and_logged_nothing(served: Served) -> None:
    client = served.client()
    events = client.create("   ")
    [error] = [e for e in events if e["type"] == "error"]
    assert "empty" in error["message"]
    client.close()


def test_healthz_reports_index_database_and_model(served: Served) -> None:
    body = httpx.get(f"{served.url}/healthz").json()
    assert body["status"] == "ok" and body["index"]["generation"]
    assert body["database"]["dialect"] in {"sqlite", "postgresql"} and body["database"]["available"]
    assert body["model"] == {"provider": "offline", "model": "offline-extractive"}
