"""An Agents SDK agent with `bookctl mcp` as its MCP server (`MCPServerStdio`) answers with the
offline model: the model sees only the server's tools, calls `search_book` as it would bookctl's
own, and quotes the sections the server returned."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from agents import Agent, RunConfig, Runner
from agents.items import ToolCallItem, ToolCallOutputItem
from agents.mcp import MCPServerStdio

from bookctl.agent.offline import ABSTAIN_PREFIX, EXTRACTIVE_NOTE, OfflineProvider
from tests.mcp.conftest import SITE_URL, mcp_args

QUESTION = "How do I insert several rows in one query?"


def _text_of(output: object) -> str:
    """The tool output as the model got it (a string, or input_text parts)."""
    if isinstance(output, list):
        return "".join(part.get("text", "") for part in output if isinstance(part, dict))
    return output if isinstance(output, str) else ""


async def test_an_agent_answers_from_the_book_through_the_mcp_server(kysely_index: Path) -> None:
    params = {"command": sys.executable, "args": mcp_args(kysely_index)}
    async with MCPServerStdio(params=params, name="bookctl", client_session_timeout_seconds=120) as server:
        tools = await server.list_tools()
        agent = Agent(name="reader", instructions="Answer from the book and cite it.", mcp_servers=[server])
        result = await Runner.run(
            agent, QUESTION, run_config=RunConfig(model_provider=OfflineProvider(), tracing_disabled=True)
        )
    assert {t.name for t in tools} == {"search_book", "read_section", "list_chapters"}
    calls = [item.raw_item for item in result.new_items if isinstance(item, ToolCallItem)]
    assert [(c.name, json.loads(c.arguments)) for c in calls] == [("search_book", {"query": QUESTION})]
    (output,) = [item.raw_item["output"] for item in result.new_items if isinstance(item, ToolCallOutputItem)]
    found = json.loads(_text_of(output))
    assert found["untrusted_book_content"] is True
    assert all(r["url"].startswith(SITE_URL + "/docs/") for r in found["results"])
    answer: str = result.final_output
    assert not answer.startswith(ABSTAIN_PREFIX), answer
    quoted = [line for line in answer.split("\n\n") if line and line != EXTRACTIVE_NOTE]
    assert quoted, answer
    for line in quoted:  # each sentence is the book's, cited by its result number
        numbers = re.findall(r"\[(\d+)\]", line)
        assert len(numbers) == 1, line
        sentence, n = re.sub(r"\s*\[\d+\]", "", line), int(numbers[0])
        source = found["results"][n - 1]["text"]
        assert " ".join(sentence.split()) in " ".join(source.split()), (sentence, n)
    assert any("insert" in line.lower() for line in quoted), answer


def test_without_an_index_bookctl_mcp_says_what_to_run(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from bookctl.cli import app
    from tests.mcp.conftest import SITE

    result = CliRunner().invoke(app, ["mcp", str(SITE), "--data-dir", str(tmp_path / "none")])
    assert result.exit_code == 2, result.output
    assert "bookctl ingest" in result.stderr and "Traceback" not in result.output
    bad_port = CliRunner().invoke(app, ["mcp", str(SITE), "--http", "--port", "70000"])
    assert bad_port.exit_code == 2 and "--port must be between 0 and 65535" in bad_port.stderr
