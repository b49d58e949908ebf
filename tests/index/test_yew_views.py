"""End to end on yew-site (a real site: versions of its docs, translations, a second docs instance):
one ingest indexes every view; search, ask and eval read the version and locale they are told, and
cite its URLs. The site is a copy with fewer versions and locales (three releases and Next, en and
ja: 10 views of its 24), since embedding is what this costs; tests/site/test_yew_site.py reads all
24 against Docusaurus's oracle."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.config import load_settings
from bookctl.index import read_meta
from bookctl.ingest import ingest

YEW = Path(__file__).resolve().parent.parent / "corpora" / "yew-site" / "website"
VERSIONS = ["0.23", "0.21", "0.20"]
LOCALES = ["en", "ja"]
QUESTION = "How do I add yew with the csr feature to the dependencies in Cargo.toml?"
runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """yew-site with three of its four releases and two of its four locales."""
    copy = tmp_path_factory.mktemp("yew") / "website"
    shutil.copytree(YEW, copy)
    (copy / "versions.json").write_text(json.dumps(VERSIONS))
    config = copy / "docusaurus.config.js"
    text = config.read_text()
    assert "locales: ['en', 'ja', 'zh-Hans', 'zh-Hant']" in text
    config.write_text(text.replace("locales: ['en', 'ja', 'zh-Hans', 'zh-Hant']", f"locales: {LOCALES!r}"))
    return copy


@pytest.fixture(scope="module")
def data_dir(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("yew") / "state"
    result = ingest(load_settings({"site": site, "data_dir": data}, env={}))
    assert result.reused > result.chunks / 2  # versions and untranslated pages share their text
    return data


def _run(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_view_is_in_the_index(data_dir: Path) -> None:
    meta = read_meta(data_dir)
    assert meta is not None
    views = {(v["instance"], v["version"], v["locale"]) for v in meta.views}
    assert views == {
        (instance, version, locale)
        for locale in LOCALES
        for instance, versions in (("default", ["current", *VERSIONS]), ("community", ["current"]))
        for version in versions
    }
    assert [v["version"] for v in meta.views if v["default"]] == ["0.23"]


def test_search_reads_the_version_and_locale_asked_for(site: Path, data_dir: Path) -> None:
    landing = _run("search", QUESTION, "--site", str(site), "--data-dir", str(data_dir), "-k", "3", "--json")
    top = landing[0]
    assert top["url"].startswith("/docs/getting-started/build-a-sample-app"), top["url"]
    assert 'version = "0.23"' in top["text"]
    old = _run(
        "search", QUESTION, "--site", str(site), "--data-dir", str(data_dir), "--version", "0.20", "--json"
    )
    assert old[0]["url"].startswith("/docs/0.20/getting-started/build-a-sample-app"), old[0]["url"]
    assert 'version = "0.20.0"' in old[0]["text"]
    assert all(h["url"].startswith("/docs/0.20/") for h in old)
    ja = _run(
        "search", "Cargo.toml に yew を追加する", "--site", str(site), "--data-dir", str(data_dir), "--locale", "ja",
        "--version", "0.21", "--json",
    )  # fmt: skip
    assert all(h["url"].startswith("/ja/docs/0.21/") for h in ja), [h["url"] for h in ja]


def test_ask_about_an_older_release_cites_it(site: Path, data_dir: Path) -> None:
    answer = _run(
        "ask", QUESTION, "--site", str(site), "--data-dir", str(data_dir), "--version", "0.21", "--json"
    )
    assert answer["citations"], answer
    assert all(c["url"].startswith("/docs/0.21/") for c in answer["citations"]), answer["citations"]
    assert all(c["where"].endswith("(version 0.21)") for c in answer["citations"])
    assert '"0.21"' in answer["answer"]


def test_eval_on_an_older_release(site: Path, data_dir: Path, tmp_path: Path) -> None:
    gold = tmp_path / "yew.yaml"
    gold.write_text(
        "corpus: yew\nquestions:\n"
        f'  - {{id: y1, question: "{QUESTION}", expect: [{{doc: getting-started/build-a-sample-app}}]}}\n'
        '  - {id: y2, question: "How do I set up my editor for Yew?", expect: [{doc: getting-started/editor-setup}]}\n'
    )
    report = _run(
        "eval", str(site), "--gold", str(gold), "--data-dir", str(data_dir), "--version", "0.20", "--answers",
        "--json",
    )  # fmt: skip
    hybrid = report["modes"]["hybrid"]
    assert hybrid["hit_at_k"] == 1.0, hybrid
    assert report["answers"]["citation_validity"] == 1.0, report["answers"]
