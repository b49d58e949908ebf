"""The OpenAI-compatible provider (BOOKCTL_BASE_URL) against a scripted chat-completions server on 127.0.0.1:
tool calls and streaming through the real OpenAI client and the Agents SDK's chat-completions model."""

from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bookctl.agent import choose_provider, run_turn
from bookctl.config import load_settings
from bookctl.index import open_searcher


class ScriptedChat(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []

    def log_message(self, *args: Any) -> None:
        return None

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        assert self.path.endswith("/chat/completions"), self.path
        has_tool_result = any(m.get("role") == "tool" for m in body["messages"])
        if has_tool_result:
            words = ["Migrations ", "run ", "in ", "alphanumeric ", "order ", "[1]."]
            chunks = [{"delta": {"role": "assistant", "content": w}, "finish_reason": None} for w in words]
            chunks.append({"delta": {}, "finish_reason": "stop"})
        else:
            call = {
                "index": 0,
                "id": "call_1",
                "type": "function",
                "function": {"name": "search_book", "arguments": json.dumps({"query": "migration order"})},
            }
            chunks = [
                {"delta": {"role": "assistant", "tool_calls": [call]}, "finish_reason": None},
                {"delta": {}, "finish_reason": "tool_calls"},
            ]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for n, choice in enumerate(chunks):
            event = {
                "id": f"chatcmpl-{n}",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": body["model"],
                "choices": [{"index": 0, **choice}],
            }
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")


def test_tool_calls_and_streaming_through_a_compatible_server(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    _, data_dir = indexed_corpus("kysely")
    server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedChat)
    ScriptedChat.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        settings = load_settings(
            {"site": ".", "data_dir": data_dir, "model": "scripted-model"}, env={"BOOKCTL_BASE_URL": url}
        )
        provider = choose_provider(settings)
        assert (provider.name, provider.model) == ("openai-compatible", "scripted-model")
        searcher = open_searcher(settings)
        deltas: list[str] = []
        try:
            result = asyncio.run(
                run_turn(
                    "In which order do migrations run?",
                    settings=settings,
                    searcher=searcher,
                    provider=provider,
                    on_delta=deltas.append,
                )
            )
        finally:
            searcher.close()
    finally:
        server.shutdown()
    assert result.answer == "Migrations run in alphanumeric order [1]."
    assert len(deltas) >= 5  # streamed word by word
    assert result.citations and result.citations[0]["n"] == 1
    first, second = ScriptedChat.requests
    assert first["stream"] is True and {t["function"]["name"] for t in first["tools"]} == {
        "search_book",
        "read_section",
        "list_chapters",
    }
    assert "untrusted" in first["messages"][0]["content"].lower()  # the system prompt says so
    tool_message = next(m for m in second["messages"] if m.get("role") == "tool")
    payload = json.loads(tool_message["content"])
    assert payload["untrusted_book_content"] is True and payload["results"][0]["url"].startswith("/docs/")
