"""A turn from the reader's side with a real (scripted, OpenAI-compatible) model on 127.0.0.1 that
writes slowly: the reader's language reaches the model, and a reader who goes away mid-answer
cancels the turn, which is still logged (as cancelled) and its partial answer kept."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.serve.conftest import Served, answer_of, serve_settings, start_server, stop_server, user_input

WORDS = ["Savepoints ", "let ", "you ", "roll ", "back ", "part ", "of ", "a ", "transaction ", "[1]."]


class SlowModel(BaseHTTPRequestHandler):
    """Chat completions: first a search_book call, then the answer a word every `delay` seconds."""

    requests: list[dict[str, Any]] = []
    delay = 0.0
    finished: list[bool] = []

    def log_message(self, *args: Any) -> None:
        return None

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if any(m.get("role") == "tool" for m in body["messages"]):
            chunks = [{"delta": {"role": "assistant", "content": w}, "finish_reason": None} for w in WORDS]
            chunks.append({"delta": {}, "finish_reason": "stop"})
        else:
            call = {
                "index": 0,
                "id": "call_1",
                "type": "function",
                "function": {"name": "search_book", "arguments": json.dumps({"query": "savepoint"})},
            }
            chunks = [
                {"delta": {"role": "assistant", "tool_calls": [call]}, "finish_reason": None},
                {"delta": {}, "finish_reason": "tool_calls"},
            ]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for n, choice in enumerate(chunks):
                event = {
                    "id": f"c-{n}",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": body["model"],
                }
                event["choices"] = [{"index": 0, **choice}]
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                self.wfile.flush()
                if "content" in choice["delta"]:
                    time.sleep(type(self).delay)
            self.wfile.write(b"data: [DONE]\n\n")
            type(self).finished.append(True)
        except (BrokenPipeError, ConnectionResetError):
            type(self).finished.append(False)


@pytest.fixture(scope="module")
def scripted(indexed_corpus, database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    from bookctl.serve import ServeOptions

    model = ThreadingHTTPServer(("127.0.0.1", 0), SlowModel)
    threading.Thread(target=model.serve_forever, daemon=True).start()
    settings = serve_settings(
        indexed_corpus,
        database,
        tmp_path_factory.mktemp("scripted") / "data",
        model="scripted-model",
        llm_base_url=f"http://127.0.0.1:{model.server_address[1]}/v1",
    )
    url, thread, server = start_server(settings, ServeOptions())
    yield Served(url, settings, database, thread, server)
    stop_server(thread, server)
    model.shutdown()


def test_the_readers_language_reaches_the_model_and_is_logged(scripted: Served) -> None:
    from tests.serve.test_chatkit import _logged

    SlowModel.requests, SlowModel.delay = [], 0.0
    client = scripted.client(**{"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"})
    events = client.create("Qu'est-ce qu'un savepoint ?")
    answer = answer_of(events)
    assert answer["text"] == "".join(WORDS) and answer["deltas"] == answer["text"]
    [annotation] = answer["item"]["content"][0]["annotations"]  # the model's [1]: a section it searched
    assert annotation["source"]["url"].startswith("https://kysely.dev/docs/")
    system = [m["content"] for r in SlowModel.requests for m in r["messages"] if m["role"] == "system"]
    assert system and all("The reader's language is 'fr-CH'" in s for s in system)
    turn = _logged(scripted, events[0]["thread"]["id"])["turns"][0]
    assert turn["context"]["locale"] == "fr-CH"  # the reader's tag; the index maps it to its locale (fr)
    assert turn["context"]["metadata"]["accept_language"] == "fr-CH, fr;q=0.9, en;q=0.5"
    client.close()


def test_a_reader_who_goes_away_cancels_the_turn_and_it_is_logged(scripted: Served) -> None:
    import httpx

    from tests.serve.test_chatkit import _logged

    SlowModel.requests, SlowModel.delay, SlowModel.finished = [], 0.4, []
    body = {"type": "threads.create", "params": {"input": user_input("What is a savepoint?")}}
    thread_id = None
    with httpx.Client(timeout=30) as http:
        with http.stream("POST", f"{scripted.url}/chatkit", content=json.dumps(body)) as r:
            for line in r.iter_lines():
                if not line.startswith("data:"):
                    continue
                event = json.loads(line[5:])
                if event["type"] == "thread.created":
                    thread_id = event["thread"]["id"]
                if event.get("update", {}).get("type") == "assistant_message.content_part.text_delta":
                    break  # the first words are here: go away
    assert thread_id is not None
    deadline = time.monotonic() + 15
    turns: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        turns = _logged(scripted, thread_id)["turns"]
        if turns:
            break
        time.sleep(0.2)
    [turn] = turns
    assert turn["error"] == "cancelled"
    assert turn["answer"] and len(turn["answer"]) < len("".join(WORDS)), turn["answer"]
    time.sleep(1.0)
    assert SlowModel.finished and SlowModel.finished[-1] is False, "the model's stream was not stopped"
    # the partial answer is kept in the thread, as ChatKit keeps a cancelled stream's items
    client = scripted.client()
    items = client.request("items.list", thread_id=thread_id, order="asc")["data"]
    assert [i["type"] for i in items] == ["user_message", "assistant_message"]
    assert turn["answer"].startswith(items[1]["content"][0]["text"].strip()[:8])
    client.close()
