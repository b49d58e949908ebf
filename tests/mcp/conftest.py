"""A real `bookctl mcp` (stdio or HTTP) on the indexed kysely corpus, and the SDK's own client.

The client runs in a thread of its own (anyio's blocking portal), so one server process serves a
whole test module and the tests stay plain functions: `session.call("search_book", {...})`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult, ReadResourceResult
from typer.testing import CliRunner

from tests.conftest import CORPORA

SITE = CORPORA / "kysely"
SITE_URL = "https://kysely.dev"


class McpSession:
    """The SDK's Client, driven from synchronous tests."""

    def __init__(self, portal: BlockingPortal, client: Client) -> None:
        self.portal = portal
        self.client = client

    def call(self, tool: str, arguments: dict[str, Any]) -> CallToolResult:
        return self.portal.call(self.client.call_tool, tool, arguments)

    def tools(self) -> dict[str, Any]:
        return {t.name: t for t in self.portal.call(self.client.list_tools).tools}

    def resources(self) -> list[Any]:
        return list(self.portal.call(self.client.list_resources).resources)

    def read(self, uri: str) -> ReadResourceResult:
        return self.portal.call(self.client.read_resource, uri)


@contextmanager
def mcp_session(server: StdioServerParameters | str) -> Iterator[McpSession]:
    with start_blocking_portal() as portal, portal.wrap_async_context_manager(Client(server)) as client:
        yield McpSession(portal, client)


def mcp_args(data_dir: Path) -> list[str]:
    return ["-m", "bookctl", "mcp", str(SITE), "--data-dir", str(data_dir), "--site-url", SITE_URL]


@pytest.fixture(scope="module")
def kysely_index(indexed_corpus: Any) -> Path:
    _settings, data_dir = indexed_corpus("kysely")
    return Path(data_dir)


@pytest.fixture(scope="module")
def stdio_session(kysely_index: Path) -> Iterator[McpSession]:
    with mcp_session(StdioServerParameters(command=sys.executable, args=mcp_args(kysely_index))) as session:
        yield session


@contextmanager
def http_server(data_dir: Path, *extra: str) -> Iterator[str]:
    """`bookctl mcp --http --port 0` in a process of its own; yields its URL, read from its first line."""
    proc = subprocess.Popen(
        [sys.executable, *mcp_args(data_dir), "--http", "--port", "0", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 120
        line = ""
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            found = re.search(r"(http://\S+/mcp)", line)
            if found:
                yield found.group(1)
                return
            if not line and proc.poll() is not None:
                break
        raise AssertionError(
            f"bookctl mcp --http did not start: {line}{proc.stderr.read() if proc.poll() is not None else ''}"
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cli_json(*args: str) -> Any:
    """A bookctl command's --json output, run in this process."""
    from bookctl.cli import app

    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def payload(result: CallToolResult) -> dict[str, Any]:
    """A successful tool result: its structured content, which its text content repeats as JSON."""
    assert not result.is_error, result.content
    assert result.structured_content is not None
    assert json.loads(result.content[0].text) == result.structured_content  # type: ignore[union-attr]
    return result.structured_content


def error_text(result: CallToolResult) -> str:
    assert result.is_error, result.structured_content
    return result.content[0].text  # type: ignore[union-attr]
