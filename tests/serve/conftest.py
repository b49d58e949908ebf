"""A real `bookctl serve` app under uvicorn on 127.0.0.1 (in a thread of the test process, on a free
port), over the kysely corpus's index, with the session log on SQLite or Postgres; and a client
that speaks ChatKit's protocol over HTTP (httpx, SSE parsed by hand)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.db.conftest import postgres_db  # noqa: F401

SITE_URL = "https://kysely.dev"


@dataclass
class Served:
    url: str
    settings: Any
    database_url: str
    thread: threading.Thread
    server: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, **headers: str) -> ChatKitClient:
        return ChatKitClient(self.url, headers)


class ChatKitClient:
    """ChatKit requests over HTTP: JSON ones answered as JSON, streamed ones as server-sent events."""

    def __init__(self, base: str, headers: dict[str, str]) -> None:
        self.http = httpx.Client(base_url=base, headers=headers, timeout=60)

    def close(self) -> None:
        self.http.close()

    def post(self, body: Any, **kw: Any) -> httpx.Response:
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        return self.http.post("/chatkit", content=data, headers={"content-type": "application/json"}, **kw)

    def request(self, type_: str, **params: Any) -> Any:
        r = self.post({"type": type_, "params": params})
        assert r.status_code == 200, r.text
        return r.json()

    def stream(
        self, type_: str, metadata: dict[str, Any] | None = None, **params: Any
    ) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"type": type_, "params": params}
        if metadata:
            body["metadata"] = metadata
        with self.http.stream(
            "POST", "/chatkit", content=json.dumps(body), headers={"content-type": "application/json"}
        ) as r:
            assert r.status_code == 200, r.read().decode()
            assert r.headers["content-type"].startswith("text/event-stream")
            return parse_sse(r.iter_lines())

    def create(self, text: str, **kw: Any) -> list[dict[str, Any]]:
        return self.stream("threads.create", input=user_input(text, **kw), metadata=kw.pop("metadata", None))

    def add(self, thread_id: str, text: str, **kw: Any) -> list[dict[str, Any]]:
        return self.stream("threads.add_user_message", thread_id=thread_id, input=user_input(text, **kw))


def user_input(text: str, quoted_text: str | None = None, **_: Any) -> dict[str, Any]:
    return {
        "content": [{"type": "input_text", "text": text}],
        "attachments": [],
        "quoted_text": quoted_text,
        "inference_options": {},
    }


def parse_sse(lines: Iterator[str]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    data: list[str] = []
    for line in lines:
        if line.startswith("data:"):
            data.append(line[5:].lstrip())
        elif line == "" and data:
            events.append(json.loads("\n".join(data)))
            data = []
    if data:
        events.append(json.loads("\n".join(data)))
    return events


def answer_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The streamed assistant message: its item (done), the text the deltas made and the annotations
    announced one by one."""
    done = [
        e["item"]
        for e in events
        if e["type"] == "thread.item.done" and e["item"]["type"] == "assistant_message"
    ]
    assert len(done) == 1, [e["type"] for e in events]
    item = done[0]
    updates = [
        e["update"] for e in events if e["type"] == "thread.item.updated" and e["item_id"] == item["id"]
    ]
    deltas = "".join(u["delta"] for u in updates if u["type"] == "assistant_message.content_part.text_delta")
    announced = [
        u["annotation"] for u in updates if u["type"] == "assistant_message.content_part.annotation_added"
    ]
    return {"item": item, "text": item["content"][0]["text"], "deltas": deltas, "annotations": announced}


def start_server(settings: Any, options: Any) -> tuple[str, threading.Thread, Any]:
    import uvicorn

    from bookctl.mcp.http import bind
    from bookctl.serve import create_app, prepare

    settings, origins = prepare(settings, options.allow_origins)
    options.allow_origins = origins
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings, options), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the server stopped while starting")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return url, thread, server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start in 60 s")


def stop_server(thread: threading.Thread, server: Any) -> None:
    server.should_exit = True
    thread.join(timeout=20)
    assert not thread.is_alive(), "the server did not stop"


def serve_settings(indexed_corpus: Any, database_url: str, data_dir: Path, **extra: Any) -> Any:
    import os

    from bookctl.config import load_settings

    base, index_dir = indexed_corpus("kysely")
    if not data_dir.exists():  # the shared index, read through a link: the journal stays apart
        data_dir.mkdir(parents=True)
        (data_dir / "index").symlink_to(os.path.realpath(index_dir / "index"))
    return load_settings(
        {
            "site": base.site,
            "data_dir": data_dir,
            "database_url": database_url,
            "site_url": SITE_URL,
            **extra,
        },
        env={},
    )


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('serve-db') / 'log.db'}"
    return str(request.getfixturevalue("postgres_db"))


@pytest.fixture(scope="module")
def served(indexed_corpus, database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    from bookctl.serve import ServeOptions

    settings = serve_settings(indexed_corpus, database, tmp_path_factory.mktemp("serve") / "data")
    url, thread, server = start_server(settings, ServeOptions())
    yield Served(url, settings, database, thread, server)
    stop_server(thread, server)
