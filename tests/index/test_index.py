"""Ingest and search on the real corpora with the real model and the embedded engine."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.config import load_settings
from bookctl.errors import IndexStateError, InputError, ServiceError
from bookctl.index import open_searcher, read_meta
from bookctl.ingest import ingest, ingest_lock

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
runner = CliRunner()


def test_search_finds_the_right_doc(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    settings, _ = indexed_corpus("kysely")
    searcher = open_searcher(settings)
    try:
        for mode in ("hybrid", "dense", "sparse"):
            hits = searcher.search("run migrations with the Migrator class", k=5, mode=mode)
            assert hits and hits[0].doc_id == "migrations", mode
        hits = searcher.search("savepoint in a controlled transaction", k=3)
        assert hits[0].doc_id.startswith("examples/transactions/")
        assert all(h.url.startswith("/docs/") for h in hits)
        assert hits[0].dense_score is not None or hits[0].sparse_score is not None
    finally:
        searcher.close()


def test_chapter_and_doc_filters(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    settings, _ = indexed_corpus("kysely")
    searcher = open_searcher(settings)
    try:
        assert "Examples" in searcher.chapters()
        hits = searcher.search("join two tables", k=10, chapter="Recipes")
        assert hits and {h.chapter for h in hits} == {"Recipes"}
        hits = searcher.search("join", k=10, doc_id="migrations")
        assert {h.doc_id for h in hits} == {"migrations"}
        with pytest.raises(InputError, match="unknown chapter"):
            searcher.search("x", chapter="Nope")
        section = searcher.section("migrations", "running-migrations")
        assert section and all(h.anchor == "running-migrations" for h in section)
    finally:
        searcher.close()


def test_unchanged_reingest_embeds_nothing(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    settings, data_dir = indexed_corpus("kysely")
    before = read_meta(data_dir)
    result = ingest(settings)
    assert (result.added, result.updated, result.relabeled, result.removed) == (0, 0, 0, 0)
    assert result.unchanged == result.chunks == before.chunks  # type: ignore[union-attr]
    assert result.tokens_embedded == 0


@pytest.fixture(scope="module")
def mutable_kysely(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("kysely-copy") / "kysely"
    shutil.copytree(CORPORA / "kysely", root)
    settings = load_settings({"site": root, "data_dir": root / ".state"}, env={})
    ingest(settings)
    return settings, root


def test_one_paragraph_edit_reembeds_only_its_chunks(mutable_kysely) -> None:  # type: ignore[no-untyped-def]
    settings, root = mutable_kysely
    doc = root / "docs" / "migrations.mdx"
    text = doc.read_text()
    assert "## Execution order" in text
    doc.write_text(
        text.replace("## Execution order\n", "## Execution order\n\nA sentence about zebra-ordering.\n", 1)
    )
    result = ingest(settings)
    assert result.added == 0 and result.removed == 0
    assert 1 <= result.updated <= 2
    searcher = open_searcher(settings)
    try:
        assert searcher.search("zebra-ordering", k=1, mode="sparse")[0].doc_id == "migrations"
    finally:
        searcher.close()


def test_removed_doc_disappears(mutable_kysely) -> None:  # type: ignore[no-untyped-def]
    settings, root = mutable_kysely
    (root / "docs" / "playground.mdx").unlink()
    result = ingest(settings)
    assert result.removed >= 1 and result.added == 0
    searcher = open_searcher(settings)
    try:
        hits = searcher.search("playground codesandbox", k=20)
        assert "playground" not in {h.doc_id for h in hits}
    finally:
        searcher.close()


def test_second_ingest_on_same_data_dir_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "state"
    with ingest_lock(data_dir):
        out = subprocess.run(
            [sys.executable, "-m", "bookctl", "ingest", str(CORPORA / "kysely"), "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert out.returncode == 1, out.stderr
    assert "in use by process" in out.stderr and "Traceback" not in out.stderr


def test_model_mismatch_suggests_full(indexed_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings, data_dir = indexed_corpus("kysely")
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    meta_path = copy / "index" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["dense_model"] = "BAAI/bge-small-en-v1.5"
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(IndexStateError, match="ingest --full"):
        open_searcher(load_settings({"site": settings.site, "data_dir": copy}, env={}))


def test_corrupt_index_suggests_full(indexed_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings, data_dir = indexed_corpus("kysely")
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    for path in (copy / "index" / "edge").rglob("*"):
        if path.is_file():
            path.write_bytes(b"\x00garbage" * 3)
    with pytest.raises(IndexStateError, match="ingest --full"):
        searcher = open_searcher(load_settings({"site": settings.site, "data_dir": copy}, env={}))
        searcher.search("anything", k=1)
    (copy / "index" / "meta.json").write_text("{not json")
    with pytest.raises(IndexStateError, match="corrupt"):
        open_searcher(load_settings({"site": settings.site, "data_dir": copy}, env={}))


def test_unreachable_qdrant_names_url_not_key(tmp_path: Path) -> None:
    settings = load_settings(
        {"site": CORPORA / "kysely", "data_dir": tmp_path},
        env={"QDRANT_URL": "http://127.0.0.1:9", "QDRANT_API_KEY": "canary-key-123"},
    )
    with pytest.raises(ServiceError) as info:
        ingest(settings)
    assert "http://127.0.0.1:9" in str(info.value)
    assert "canary-key-123" not in str(info.value)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["search", "x", "-k", "0"], "-k must be at least 1"),
        (["search", "", "-k", "3"], "empty"),
        (["search", "x", "--chapter", "Nope"], "unknown chapter"),
        (["search", "x", "--mode", "fuzzy"], "unknown mode"),
    ],
)
def test_search_cli_errors(indexed_corpus, args: list[str], needle: str) -> None:  # type: ignore[no-untyped-def]
    _, data_dir = indexed_corpus("kysely")
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    assert result.exit_code == 2, result.output
    assert needle in result.output


def test_search_without_index(tmp_path: Path) -> None:
    result = runner.invoke(app, ["search", "x", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "bookctl ingest" in result.output


def test_search_and_status_json(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    _, data_dir = indexed_corpus("kysely")
    result = runner.invoke(app, ["search", "transactions", "--json", "-k", "2", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 2 and {
        "chunk_id",
        "doc_id",
        "anchor",
        "url",
        "chapter",
        "heading_path",
        "score",
        "text",
    } <= set(hits[0])
    result = runner.invoke(app, ["status", "--json", "--data-dir", str(data_dir)])
    info = json.loads(result.stdout)
    assert info["indexed"] and info["engine"] == "edge" and info["chunks"] == sum(info["chapters"].values())


def test_ingest_dry_run_embeds_nothing(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", "--dry-run", "--json", str(CORPORA / "kysely"), "--data-dir", str(tmp_path / "state")]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["dry_run"] and plan["added"] == plan["chunks"] > 0
    assert plan["stats"]["chapters"]
    assert not (tmp_path / "state" / "index").exists()


def test_chapter_names_resolve_by_unambiguous_prefix() -> None:
    from bookctl.index.searcher import resolve_chapter

    chapters = ["Module 1: ROS 2", "Module 2: Simulation", "Capstone", "Capstone Extras"]
    assert resolve_chapter("Module 1: ROS 2", chapters) == "Module 1: ROS 2"
    assert resolve_chapter("module 1", chapters) == "Module 1: ROS 2"
    assert resolve_chapter("  MODULE   2 ", chapters) == "Module 2: Simulation"
    assert resolve_chapter("capstone", chapters) == "Capstone"  # an exact name beats the longer one
    with pytest.raises(InputError, match="ambiguous") as info:
        resolve_chapter("Module", chapters)
    assert "'Module 1: ROS 2', 'Module 2: Simulation'" in str(info.value)
    with pytest.raises(InputError, match="unknown chapter 'Nope'") as info:
        resolve_chapter("Nope", chapters)
    assert all(repr(c) in str(info.value) for c in chapters)
    with pytest.raises(InputError):
        resolve_chapter("", chapters)


def test_the_readme_chapter_example_works(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    """README: `bookctl ask "..." --chapter "Module 1" --json` (it exited 2: only the full label worked)."""
    _, data_dir = indexed_corpus("book")
    out = runner.invoke(
        app, ["search", "nodes and topics", "--chapter", "module 1", "--json", "--data-dir", str(data_dir)]
    )
    assert out.exit_code == 0, out.output
    chapters = {h["chapter"] for h in json.loads(out.stdout)}
    assert len(chapters) == 1 and next(iter(chapters)).startswith("Module 1")
    out = runner.invoke(
        app, ["ask", "What is a ROS 2 node?", "--chapter", "module 1", "--json", "--data-dir", str(data_dir)]
    )
    assert out.exit_code == 0, out.output
    answer = json.loads(out.stdout)
    assert answer["citations"] and not answer["abstained"]


def test_a_hit_shows_links_to_docs_as_the_site_serves_them(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    """Our book links '../03-digital-twin/02-urdf-and-sdf.md': the index keeps it as written (the
    embedded text), the hit a reader sees leads to the doc's page (bookctl.site.links)."""
    settings, _ = indexed_corpus("book")
    searcher = open_searcher(settings)
    try:
        hits = searcher.search(
            "closed kinematic loops lights and terrain simulation formats", k=5, doc_id="ros2/urdf-humanoids"
        )
        text = next(h.text for h in hits if "URDF and SDF" in h.text)
    finally:
        searcher.close()
    assert "[URDF and SDF](/docs/digital-twin/urdf-and-sdf)" in text
    assert ".md)" not in text
