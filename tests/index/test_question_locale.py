"""A question in another language reads its locale's docs when no --locale is given (issue 14 item 7),
on a small translated site (tests/index/translated-site: en, ja, zh-Hans); English questions keep the
default locale; --locale still wins."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.config import load_settings
from bookctl.index import open_searcher, question_locale, read_meta
from bookctl.ingest import ingest
from bookctl.site.languages import locale_for_tag, match_locale
from bookctl.site.languages import question_locale as language_rule

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "translated-site"
runner = CliRunner()
YEW = ["en", "ja", "zh-Hans", "zh-Hant"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("translated") / "tiller"
    shutil.copytree(FIXTURE, root)
    ingest(load_settings({"site": root}, env={}))
    return root


@pytest.mark.parametrize(
    ("question", "locale"),
    [
        ("フックで状態を管理するには？", "ja"),
        ("コンポーネント", "ja"),  # katakana alone
        ("如何使用钩子管理组件状态", "zh-Hans"),
        ("如何使用鉤子管理組件狀態", "zh-Hant"),  # traditional characters
        ("How do I manage state with hooks?", "en"),
        ("use_state", "en"),  # code names no language
        ("html! 123", "en"),
        ("", "en"),
    ],
)
def test_the_rule_on_a_site_with_chinese_and_japanese(question: str, locale: str) -> None:
    assert language_rule(question, YEW, "en") == locale


def test_han_alone_reads_as_japanese_on_a_site_without_chinese() -> None:
    assert language_rule("状態管理", ["en", "ja"], "en") == "ja"
    assert language_rule("状態管理", ["en", "ja", "zh-Hans"], "en") == "zh-Hans"
    assert language_rule("フックの使い方", ["en", "fr"], "en") == "en"  # no Japanese docs: default


def test_european_languages_and_the_default_locale() -> None:
    european = ["en", "fr", "de", "pt-BR"]
    assert language_rule("Comment installer le capteur de profondeur sur le robot ?", european, "en") == "fr"
    assert language_rule("Wie installiere ich den Tiefensensor am Roboter?", european, "en") == "de"
    assert language_rule("Como instalar o sensor de profundidade no robô?", european, "en") == "pt-BR"
    assert language_rule("How do I install the depth sensor on the robot?", european, "en") == "en"
    # a French site whose default is French: an English question reads the English docs
    assert language_rule("How do I install the depth sensor on the robot?", ["fr", "en"], "fr") == "en"
    assert (
        language_rule("Comment installer le capteur ?", ["en"], "en") == "en"
    )  # one locale: nothing to pick


def test_chinese_scripts_by_region_or_script_subtag() -> None:
    assert match_locale("zh", "组件状态", ["en", "zh-CN", "zh-TW"]) == "zh-CN"
    assert match_locale("zh", "組件狀態", ["en", "zh-CN", "zh-TW"]) == "zh-TW"
    assert match_locale("zh", "組件狀態", ["en", "zh", "zh-Hant-HK"]) == "zh-Hant-HK"
    assert match_locale("zh", "用法", ["en", "zh-Hans", "zh-Hant"]) == "zh-Hans"  # the same in both
    assert match_locale("ja", "x", ["en"]) is None


def test_a_language_tag_names_the_sites_locale() -> None:
    """--locale and a browser's Accept-Language: fr-CH is fr, zh-TW zh-Hant, ZH-hans zh-Hans."""
    locales = ["en", "fr", "zh-Hans", "zh-Hant"]
    assert [locale_for_tag(t, locales) for t in ("fr-CH", "zh-TW", "zh-CN", "ZH-hans", "zh-HK", "zh")] == [
        "fr", "zh-Hant", "zh-Hans", "zh-Hans", "zh-Hant", "zh-Hans",
    ]  # fmt: skip
    assert locale_for_tag("de-DE", locales) is None
    assert locale_for_tag("ja-JP", ["en", "ja"]) == "ja"


def test_search_with_a_regional_locale_tag(site: Path) -> None:
    found = runner.invoke(
        app, ["search", "watering", "--site", str(site), "--locale", "ja-JP", "--json", "-k", "3"]
    )
    assert found.exit_code == 0, found.output
    assert all(h["url"].startswith("/ja/docs/") for h in json.loads(found.stdout))
    unknown = runner.invoke(app, ["search", "watering", "--site", str(site), "--locale", "de-DE"])
    assert unknown.exit_code == 2 and "unknown locale 'de-DE'" in unknown.output, unknown.output


def test_search_reads_the_questions_locale(site: Path) -> None:
    meta = read_meta(site / ".bookctl")
    assert meta is not None
    assert question_locale(meta, "雨の日も水をまきますか？") == "ja"
    assert question_locale(meta, "Is the garden watered on rainy days?") is None
    for question, prefix in (
        ("雨の日も水をまきますか？", "/ja/docs/"),
        ("下雨天也浇水吗？", "/zh-Hans/docs/"),
        ("Is the garden watered on rainy days?", "/docs/"),
    ):
        found = runner.invoke(app, ["search", question, "--site", str(site), "--json", "-k", "3"])
        assert found.exit_code == 0, found.output
        hits = json.loads(found.stdout)
        assert hits and all(h["url"].startswith(prefix) for h in hits), (question, hits)
        assert hits[0]["doc_id"] == "watering"
    told = runner.invoke(
        app, ["search", "雨の日も水をまきますか？", "--site", str(site), "--locale", "en", "--json"]
    )
    assert told.exit_code == 0, told.output
    assert all(h["url"].startswith("/docs/") for h in json.loads(told.stdout))


def test_a_named_version_stays_when_the_question_picks_the_locale(site: Path) -> None:
    searcher = open_searcher(
        load_settings({"site": site, "docs_version": "current"}, env={}), question="水やり"
    )
    try:
        assert searcher.scope.locale == "ja" and searcher.scope.version == "current"
    finally:
        searcher.close()


def test_ask_answers_a_japanese_question_from_the_japanese_docs(site: Path) -> None:
    result = runner.invoke(
        app, ["ask", "雨の日も水をまきますか？", "--site", str(site), "--model", "offline", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["citations"], out
    assert all(c["url"].startswith("/ja/docs/") for c in out["citations"]), out["citations"]
    english = runner.invoke(
        app,
        ["ask", "Is the garden watered on rainy days?", "--site", str(site), "--model", "offline", "--json"],
    )
    assert english.exit_code == 0, english.output
    cited = json.loads(english.stdout)["citations"]
    assert cited and all(c["url"].startswith("/docs/") for c in cited)


@pytest.mark.parametrize(
    ("question", "locale", "url"),
    [
        ("雨の日も水やりをしますか", "ja", "/ja/docs/watering#予定"),
        ("列の間隔の既定値", "ja", "/ja/docs/planting#株間"),
        ("下雨天会浇水吗", "zh-Hans", "/zh-Hans/docs/watering#时间表"),
        ("行距的默认值", "zh-Hans", "/zh-Hans/docs/planting#行距"),
    ],
)
def test_bm25_alone_finds_chinese_and_japanese_sections(
    site: Path, question: str, locale: str, url: str
) -> None:
    """BM25 reads Chinese and Japanese (runs of Han/kana cut into bigrams at ingest and query time):
    before, a run was one token, so a question matched no section of these docs by words."""
    searcher = open_searcher(load_settings({"site": site, "locale": locale}, env={}))
    try:
        hits = searcher.search(question, k=1, mode="sparse")
    finally:
        searcher.close()
    assert hits and hits[0].url == url, hits


def test_an_index_made_before_cjk_bigrams_asks_for_a_full_ingest(site: Path, tmp_path: Path) -> None:
    from bookctl.errors import IndexStateError

    copy = tmp_path / "tiller"
    shutil.copytree(site, copy)
    meta_file = copy / ".bookctl" / "index" / "meta.json"
    meta = json.loads(meta_file.read_text())
    assert meta["sparse_tokenizer"] == "qdrant-bm25+cjk-bigrams"
    del meta["sparse_tokenizer"]  # as bookctl wrote it before
    meta_file.write_text(json.dumps(meta))
    settings = load_settings({"site": copy}, env={})
    with pytest.raises(IndexStateError, match="before bookctl cut Chinese and Japanese") as err:
        open_searcher(settings)
    assert "bookctl ingest --full" in str(err.value.fix)
    with pytest.raises(IndexStateError, match="before bookctl cut Chinese and Japanese"):
        ingest(settings)
    result = runner.invoke(app, ["search", "水やり", "--site", str(copy)])
    assert result.exit_code != 0 and "ingest --full" in result.output and "Traceback" not in result.output
    ingest(settings, full=True)
    searcher = open_searcher(settings)
    searcher.close()


def test_an_english_index_made_before_cjk_bigrams_keeps_working(tmp_path: Path) -> None:
    root = tmp_path / "tiller"
    shutil.copytree(HERE / "versioned-site", root)
    settings = load_settings({"site": root}, env={})
    ingest(settings)
    meta_file = root / ".bookctl" / "index" / "meta.json"
    meta = json.loads(meta_file.read_text())
    del meta["sparse_tokenizer"]
    meta_file.write_text(json.dumps(meta))
    searcher = open_searcher(settings)
    try:
        assert searcher.search("sowing depth", k=1, mode="sparse")[0].doc_id == "planting"
    finally:
        searcher.close()
    assert ingest(settings).added == 0  # nothing re-embedded: English vectors are the same
