"""`bookctl chapters --json` against oracle.json, produced by Docusaurus itself: 100%, no exceptions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bookctl.cli import app

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
BOOK_ORACLE = Path(__file__).resolve().parent.parent / "book" / "oracle.json"
REPO = Path(__file__).resolve().parent.parent.parent


def _chapters_json(*args: str) -> dict:
    result = CliRunner().invoke(app, ["chapters", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module", params=["docusaurus", "kysely"])
def corpus(request: pytest.FixtureRequest) -> tuple[dict, dict]:
    root = CORPORA / request.param
    return _chapters_json(str(root)), json.loads((root / "oracle.json").read_text())


def test_every_doc_field_matches(corpus: tuple[dict, dict]) -> None:
    ours, oracle = corpus
    assert [d["id"] for d in ours["docs"]] == [d["id"] for d in oracle["docs"]]
    for mine, theirs in zip(ours["docs"], oracle["docs"], strict=True):
        for field, value in theirs.items():
            assert mine[field] == value, f"{theirs['id']}: {field}"


def test_sidebar_trees_match(corpus: tuple[dict, dict]) -> None:
    ours, oracle = corpus
    assert ours["sidebars"] == oracle["sidebars"]


def test_generated_indices_and_counts_match(corpus: tuple[dict, dict]) -> None:
    ours, oracle = corpus
    # v1 fields (v2 adds routePath, previous/next, pluginId, version, locale: tests/site/test_yew_site.py)
    assert [
        {k: g.get(k) for k in theirs}
        for g, theirs in zip(ours["generatedIndices"], oracle["generatedIndices"], strict=True)
    ] == oracle["generatedIndices"]
    assert len(ours["generatedIndices"]) == len(oracle["generatedIndices"])
    assert ours["counts"] == oracle["counts"]


def test_headings_have_anchors_and_levels(corpus: tuple[dict, dict]) -> None:
    ours, _ = corpus
    for doc in ours["docs"]:
        anchors = [h["anchor"] for h in doc["headings"]]
        assert len(anchors) == len(set(anchors)), doc["id"]  # Docusaurus de-duplicates anchors
        assert all(1 <= h["level"] <= 6 and h["text"] for h in doc["headings"]), doc["id"]


def test_explicit_heading_ids_become_anchors() -> None:
    ours = _chapters_json(str(CORPORA / "docusaurus"))
    doc = next(d for d in ours["docs"] if d["id"] == "guides/markdown-features/toc")
    # `### Explicit ids {#explicit-ids}`-style headings keep their id
    source = (CORPORA / "docusaurus" / doc["source"]).read_text()
    import re

    explicit = re.findall(r"^#{2,6} .*\{#([\w-]+)\}\s*$", source, re.M)
    assert explicit, "the corpus doc should have explicit ids"
    assert set(explicit) <= {h["anchor"] for h in doc["headings"]}


def test_our_book_loads_and_is_consistent() -> None:
    ours = _chapters_json(str(REPO))
    ids = {d["id"] for d in ours["docs"]}
    assert ours["counts"]["docs"] == len(ids) >= 1
    linked = []

    def walk(items: list[dict]) -> None:
        for item in items:
            if item["type"] in {"doc", "ref"}:
                linked.append(item["id"])
            if item["type"] == "category":
                if item["link"] and item["link"]["type"] == "doc":
                    linked.append(item["link"]["id"])
                walk(item["items"])

    for items in ours["sidebars"].values():
        walk(items)
    assert set(linked) <= ids


def test_our_book_matches_its_oracle() -> None:
    ours = _chapters_json(str(REPO))
    oracle = json.loads(BOOK_ORACLE.read_text())
    for mine, theirs in zip(ours["docs"], oracle["docs"], strict=True):
        for field, value in theirs.items():
            assert mine[field] == value, f"{theirs['id']}: {field}"
    assert ours["sidebars"] == oracle["sidebars"]
    # v1 fields (v2 adds routePath, previous/next, pluginId, version, locale: tests/site/test_yew_site.py)
    assert [
        {k: g.get(k) for k in theirs}
        for g, theirs in zip(ours["generatedIndices"], oracle["generatedIndices"], strict=True)
    ] == oracle["generatedIndices"]
    assert len(ours["generatedIndices"]) == len(oracle["generatedIndices"])
