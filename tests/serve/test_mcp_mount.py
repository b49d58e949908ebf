"""`bookctl serve` also answers MCP at /mcp (issue 20): the same book, assistant and bearer tokens as
/chatkit, its rate limit counting tool calls, on a real uvicorn server; the official SDK's client
speaks to it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.serve.conftest import Served, serve_settings, start_server, stop_server
from tests.serve.test_public import Issuer

HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
CALLS = 3  # the rate limit: tool calls per reader and minute


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    made = Issuer()
    yield made
    made.close()


@pytest.fixture(scope="module")
def served(indexed_corpus, issuer: Issuer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    from bookctl.serve import ServeOptions, check_options

    database = f"sqlite:///{tmp_path_factory.mktemp('mcp-db') / 'log.db'}"
    settings = serve_settings(indexed_corpus, database, tmp_path_factory.mktemp("mcp") / "data")
    options = check_options(
        ServeOptions(auth="required", jwks_url=issuer.jwks_url, rate_limit=f"{CALLS}/minute")
    )
    url, thread, server = start_server(settings, options)
    yield Served(url, settings, database, thread, server)
    stop_server(thread, server)


def _rpc(method: str, params: dict[str, Any], n: int = 1) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": n, "method": method, "params": params}


def _search(query: str, n: int = 1) -> dict[str, Any]:
    return _rpc("tools/call", {"name": "search_book", "arguments": {"query": query, "k": 2}}, n)


def test_the_sdk_client_searches_the_book_through_serve(served: Served, issuer: Issuer) -> None:
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    async def run() -> Any:
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {issuer.token('ada')}"}) as http:
            async with Client(streamable_http_client(f"{served.url}/mcp", http_client=http)) as client:
                tools = {t.name for t in (await client.list_tools()).tools}
                return tools, await client.call_tool("search_book", {"query": "How do I run migrations?"})

    import anyio

    tools, result = anyio.run(run)
    assert {"search_book", "read_section", "list_chapters"} <= tools
    assert not result.is_error, result.content
    hits = result.structured_content["results"]
    assert hits and all(h["url"].startswith("https://kysely.dev/docs/") for h in hits)


def test_mcp_takes_the_same_tokens_and_limit_as_chatkit(served: Served, issuer: Issuer) -> None:
    with httpx.Client(base_url=served.url, headers=HEADERS, timeout=60) as http:
        r = http.post("/mcp", json=_search("select"))
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer"), r.text
        r = http.post("/mcp", json=_search("select"), headers={"Authorization": "Bearer not.a.jwt"})
        assert r.status_code == 401, r.text
        r = http.post("/mcp", json=_search("select"), headers={"Origin": "https://evil.example"})
        assert r.status_code == 403, r.text
        grace = {"Authorization": f"Bearer {issuer.token('grace')}"}
        # the protocol's own messages are not questions: they do not count
        for n in range(5):
            r = http.post("/mcp", json=_rpc("tools/list", {}, n), headers=grace)
            assert r.status_code == 200 and r.json()["result"]["tools"], r.text
        for n in range(CALLS):
            r = http.post("/mcp", json=_search("transactions", n), headers=grace)
            assert r.status_code == 200, r.text
            assert json.loads(r.json()["result"]["content"][0]["text"])["results"]
        r = http.post("/mcp", json=_search("transactions", 9), headers=grace)
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1, r.text
        # another reader has a limit of their own
        r = http.post(
            "/mcp", json=_search("transactions"), headers={"Authorization": f"Bearer {issuer.token('lin')}"}
        )
        assert r.status_code == 200, r.text
