"""An index of every view of a versioned site: each point carries its docs instance, version and
locale; identical text across versions is embedded once; search, ask and eval read one version
(default: the one readers land on) and cite it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.config import load_settings
from bookctl.errors import InputError
from bookctl.index import open_searcher, read_meta
from bookctl.ingest import ingest

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "versioned-site"  # tiller 1.0 and 2.0 released, docs/ is "Next"
runner = CliRunner()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "tiller"
    shutil.copytree(FIXTURE, root)
    return root


def test_every_version_is_indexed_and_identical_text_embedded_once(site: Path) -> None:
    first = ingest(load_settings({"site": site}, env={}))
    meta = read_meta(site / ".bookctl")
    assert meta is not None
    assert {(v["version"], v["label"], v["latest"], v["default"]) for v in meta.views} == {
        ("current", "Next", False, False),
        ("2.0", "2.0", True, True),
        ("1.0", "1.0", False, False),
    }
    # intro and watering are the same in all three versions, planting's spacing section too in 2.0 and
    # Next: each such text is embedded once and its vectors copied to the other versions' points
    assert first.chunks == first.added
    assert first.reused >= 8
    assert first.added - first.reused <= first.chunks / 2
    searcher = open_searcher(load_settings({"site": site, "docs_version": "1.0"}, env={}))
    try:
        points = list(searcher.store.scroll())
        assert {(p.payload["instance"], p.payload["locale"]) for p in points} == {("default", "en")}
        assert {p.payload["version"] for p in points} == {"current", "2.0", "1.0"}
    finally:
        searcher.close()


def test_search_reads_the_version_readers_land_on_unless_told(site: Path) -> None:
    ingest(load_settings({"site": site}, env={}))
    default = open_searcher(load_settings({"site": site}, env={}))
    old = open_searcher(load_settings({"site": site, "docs_version": "1.0"}, env={}))
    try:
        hit = default.search("how do I set the sowing depth?", k=1)[0]
        assert hit.url == "/docs/planting#sowing-seeds" and hit.version == "2.0"
        assert "--depth" in hit.text and hit.where.endswith("(version 2.0)")
        hit = old.search("how do I set the sowing depth?", k=1)[0]
        assert hit.url == "/docs/1.0/planting#sowing-seeds" and "--inches" in hit.text
        assert all(h.version == "1.0" for h in old.search("watering schedule rain", k=5))
        assert [h.version for h in old.section("planting", "sowing-seeds")] == ["1.0"]
    finally:
        default.close()
        old.close()
    with pytest.raises(InputError, match=r"unknown version '3.0'.*versions: current \(Next\), 2.0, 1.0"):
        open_searcher(load_settings({"site": site, "docs_version": "3.0"}, env={}))
    with pytest.raises(InputError, match="unknown locale 'fr'"):
        open_searcher(load_settings({"site": site, "locale": "fr"}, env={}))
    nxt = open_searcher(load_settings({"site": site, "docs_version": "Next"}, env={}))  # a label works too
    try:
        assert nxt.search("companion planting", k=1)[0].url == "/docs/next/planting#companion-planting"
    finally:
        nxt.close()


def test_ask_about_an_older_release_cites_that_version(site: Path) -> None:
    ingest(load_settings({"site": site}, env={}))
    result = runner.invoke(
        app,
        ["ask", "How do I sow beans at a given depth?", "--site", str(site), "--version", "1.0", "--json"],
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["citations"], answer
    assert all(c["url"].startswith("/docs/1.0/") for c in answer["citations"])
    assert any("(version 1.0)" in c["where"] for c in answer["citations"])
    assert "--inches" in answer["answer"]
    found = runner.invoke(app, ["search", "sowing depth", "--site", str(site), "--version", "1.0", "--json"])
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)[0]["url"] == "/docs/1.0/planting#sowing-seeds"
    bad = runner.invoke(app, ["search", "sowing depth", "--site", str(site), "--version", "9"])
    assert bad.exit_code == 2 and "unknown version '9'" in bad.output


def test_adding_a_version_embeds_only_its_new_text(site: Path) -> None:
    hidden = site.parent / "version-1.0"
    (site / "versioned_docs" / "version-1.0").rename(hidden)  # before 1.0 was released
    (site / "versions.json").write_text('["2.0"]')
    ingest(load_settings({"site": site}, env={}))
    hidden.rename(site / "versioned_docs" / "version-1.0")
    (site / "versions.json").write_text('["2.0", "1.0"]')
    added = ingest(load_settings({"site": site}, env={}))
    version_chunks = [c for c in added_chunks(site) if c["version"] == "1.0"]
    assert added.added == len(version_chunks) > 0
    # only 1.0's planting page differs from 2.0: its two sections are all that is embedded
    assert added.added - added.reused == 2
    assert added.removed == 0 and added.updated == 0


def added_chunks(site: Path) -> list[dict[str, object]]:
    searcher = open_searcher(load_settings({"site": site}, env={}))
    try:
        return [p.payload for p in searcher.store.scroll()]
    finally:
        searcher.close()
