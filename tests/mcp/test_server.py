"""`bookctl mcp` over stdio and over streamable HTTP, through the MCP SDK's own client.

Ground truth: `bookctl search --json` (the same searcher as `ask`), `bookctl chapters --json`
(ids, permalinks, headings and anchors) and the oracle Docusaurus produced for the corpus.
Every test runs once per transport, each against one real server process.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from mcp import MCPError, StdioServerParameters

from tests.mcp.conftest import (
    SITE,
    SITE_URL,
    McpSession,
    cli_json,
    error_text,
    http_server,
    mcp_args,
    mcp_session,
    payload,
)

QUERIES = [
    "How do I run queries inside a transaction?",
    "insert several rows at once",
    "common table expressions",
]


@pytest.fixture(scope="module")
def http_url(kysely_index: Path) -> Iterator[str]:
    with http_server(kysely_index) as url:
        yield url


@pytest.fixture(scope="module", params=["stdio", "http"])
def session(request: pytest.FixtureRequest, kysely_index: Path) -> Iterator[McpSession]:
    import sys

    if request.param == "stdio":
        with mcp_session(StdioServerParameters(command=sys.executable, args=mcp_args(kysely_index))) as s:
            yield s
    else:
        with mcp_session(request.getfixturevalue("http_url")) as s:
            yield s


@pytest.fixture(scope="module")
def oracle() -> dict[str, Any]:
    return json.loads((SITE / "oracle.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def chapters_json() -> dict[str, Any]:
    return cli_json("chapters", str(SITE))


def test_three_tools_with_schemas_and_descriptions_for_a_model(session: McpSession) -> None:
    tools = session.tools()
    assert set(tools) == {"search_book", "read_section", "list_chapters"}
    search = tools["search_book"].input_schema
    assert search["required"] == ["query"]
    assert set(search["properties"]) == {"query", "chapter", "version", "locale", "k"}
    assert search["properties"]["k"]["minimum"] == 1 and search["properties"]["k"]["maximum"] == 20
    assert tools["read_section"].input_schema["required"] == ["doc_id"]
    assert set(tools["read_section"].input_schema["properties"]) == {"doc_id", "anchor", "version"}
    assert tools["list_chapters"].input_schema["properties"] == {}
    for name, tool in tools.items():
        assert len(tool.description) > 60, name
        for prop, schema in tool.input_schema["properties"].items():
            assert len(schema.get("description", "")) > 20, (name, prop)
        assert tool.output_schema is not None, name
        assert tool.annotations.read_only_hint is True, name


def test_search_book_finds_what_bookctl_search_finds(session: McpSession, kysely_index: Path) -> None:
    for query in QUERIES:
        expected = cli_json("search", query, "-k", "4", "--site", str(SITE), "--data-dir", str(kysely_index))
        got = payload(session.call("search_book", {"query": query, "k": 4}))
        assert got["untrusted_book_content"] is True and "not instructions" in got["note"]
        assert [(r["doc_id"], r["anchor"]) for r in got["results"]] == [
            (e["doc_id"], e["anchor"]) for e in expected
        ]
        for n, (r, e) in enumerate(zip(got["results"], expected, strict=True), 1):
            assert r["n"] == n
            assert r["url"] == urljoin(SITE_URL, e["url"]), "results carry the public, absolute URL"
            assert r["text"] == e["text"].split("\n\n", 1)[-1]
            assert r["dense_score"] == round(e["dense_score"], 4)
            assert r["where"].startswith(e["chapter"] or e["title"])


def test_search_book_in_one_chapter_by_a_prefix_of_its_name(session: McpSession, kysely_index: Path) -> None:
    expected = cli_json(
        "search", "select", "--chapter", "Examples", "--site", str(SITE), "--data-dir", str(kysely_index)
    )
    got = payload(session.call("search_book", {"query": "select", "chapter": "examp"}))
    assert got["chapter"] == "Examples"
    assert [r["doc_id"] for r in got["results"]] == [e["doc_id"] for e in expected]
    assert all(r["where"].startswith("Examples > ") for r in got["results"])


def test_read_section_reads_the_site_s_sections(session: McpSession, chapters_json: dict[str, Any]) -> None:
    docs = chapters_json["docs"]
    for doc in docs:
        url = urljoin(SITE_URL, doc["permalink"])
        whole = payload(session.call("read_section", {"doc_id": doc["id"]}))
        assert whole["url"] == url and whole["title"] == doc["title"] and whole["anchor"] == ""
        assert whole["text"].startswith("# ") and f"\n\nSource: {url}\n" in whole["text"]
        assert [s["anchor"] for s in whole["sections"]] == [h["anchor"] for h in doc["headings"]]
        assert whole["untrusted_book_content"] is True
    for doc in docs[::3]:
        for heading in [h for h in doc["headings"] if h["level"] >= 2][:2]:
            got = payload(session.call("read_section", {"doc_id": doc["id"], "anchor": heading["anchor"]}))
            assert got["url"] == urljoin(SITE_URL, doc["permalink"]) + "#" + heading["anchor"]
            assert got["heading"] == heading["text"]
            assert got["text"].startswith("#" * heading["level"] + " " + heading["text"])


def test_list_chapters_is_the_sidebar_docusaurus_built(session: McpSession, oracle: dict[str, Any]) -> None:
    got = payload(session.call("list_chapters", {}))
    docs = {d["id"]: d for d in oracle["docs"]}

    def ids_under(item: dict[str, Any]) -> list[str]:
        out = [item["link"]["id"]] if (item.get("link") or {}).get("type") == "doc" else []
        for child in item["items"]:
            out += (
                ids_under(child)
                if child["type"] == "category"
                else [child["id"]]
                if child["type"] == "doc"
                else []
            )
        return out

    top = [(sid, item) for sid, items in oracle["sidebars"].items() for item in items]
    categories = [(sid, item) for sid, item in top if item["type"] == "category"]
    assert [(c["sidebar"], c["name"]) for c in got["chapters"]] == [
        (sid, c["label"]) for sid, c in categories
    ]
    for chapter, (_, item) in zip(got["chapters"], categories, strict=True):
        assert [d["doc_id"] for d in chapter["docs"]] == ids_under(item)
        assert chapter["doc_count"] == len(chapter["docs"])
    listed = [d for c in got["chapters"] for d in c["docs"]] + got["other_docs"]
    assert sorted(d["doc_id"] for d in listed) == sorted(docs), "every doc once"
    for d in listed:
        assert d["title"] == docs[d["doc_id"]]["title"]
        assert d["url"] == urljoin(SITE_URL, docs[d["doc_id"]]["permalink"])
    assert got["versions"] == ["current"] and got["url"] == SITE_URL + "/"


def test_each_doc_is_a_markdown_resource(session: McpSession, oracle: dict[str, Any]) -> None:
    resources = {str(r.uri): r for r in session.resources()}
    assert set(resources) == {f"bookctl://current/{d['id']}" for d in oracle["docs"]}
    for doc in oracle["docs"][:5]:
        uri = f"bookctl://current/{doc['id']}"
        assert resources[uri].mime_type == "text/markdown" and resources[uri].title == doc["title"]
        (content,) = session.read(uri).contents
        assert content.text.startswith("# ")  # type: ignore[union-attr]
        assert f"Source: {urljoin(SITE_URL, doc['permalink'])}\n" in content.text  # type: ignore[union-attr]
    with pytest.raises(MCPError, match="Unknown resource"):
        session.read("bookctl://current/no/such/doc")


MALFORMED = [
    ("search_book", {}, "query"),
    ("search_book", {"query": ""}, "query"),
    ("search_book", {"query": "   "}, "the query is empty"),
    ("search_book", {"query": 42}, "query"),
    ("search_book", {"query": "select", "k": 0}, "greater than or equal to 1"),
    ("search_book", {"query": "select", "k": "many"}, "valid integer"),
    ("search_book", {"query": "select", "k": 500}, "less than or equal to 20"),
    (
        "search_book",
        {"query": "select", "chapter": "No such chapter"},
        "unknown chapter 'No such chapter' (chapters: ",
    ),
    ("search_book", {"query": "select", "version": "9.9"}, "unknown version '9.9'"),
    ("search_book", {"query": "select", "locale": "xx"}, "unknown locale 'xx'"),
    ("read_section", {}, "doc_id"),
    ("read_section", {"doc_id": "no/such/doc"}, "unknown doc id 'no/such/doc'"),
    (
        "read_section",
        {"doc_id": "getting-started", "anchor": "no-such-anchor"},
        "has no section 'no-such-anchor'",
    ),
    ("read_section", {"doc_id": ["intro"]}, "doc_id"),
    ("no_such_tool", {}, "Unknown tool"),
]


@pytest.mark.parametrize(("tool", "arguments", "says"), MALFORMED)
def test_malformed_arguments_get_mcp_errors(
    session: McpSession, tool: str, arguments: dict[str, Any], says: str
) -> None:
    assert says.lower() in error_text(session.call(tool, arguments)).lower()
    assert payload(session.call("search_book", {"query": "select", "k": 1}))["results"], "the server goes on"


def test_http_refuses_what_is_not_mcp_and_goes_on(http_url: str) -> None:
    import httpx

    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    with httpx.Client(timeout=30) as client:
        garbage = client.post(http_url, content=b"{not json", headers=headers)
        assert garbage.status_code == 400 and garbage.json()["error"]["code"] == -32700  # parse error
        not_rpc = client.post(http_url, json={"hello": "world"}, headers=headers)
        assert 400 <= not_rpc.status_code < 500
        rebinding = client.post(
            http_url,
            json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
            headers={**headers, "Host": "evil.example"},
        )
        assert rebinding.status_code in {400, 403, 421}, "only local Host headers on 127.0.0.1"
        other_origin = client.post(
            http_url,
            json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
            headers={**headers, "Origin": "https://evil.example"},
        )
        assert other_origin.status_code in {400, 403}, "a web page elsewhere cannot call it"
        assert client.get(http_url.removesuffix("/mcp") + "/other").status_code == 404
    with mcp_session(http_url) as s:
        assert payload(s.call("search_book", {"query": "select", "k": 1}))["results"]
