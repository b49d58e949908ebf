"""On a Japanese or Chinese view the hybrid fusion leans on BM25 (searcher.CJK_DENSE_WEIGHT): the
English MiniLM's cosines between Japanese texts are near noise. A small Japanese site where the
dense ranking puts the wrong section first and BM25 the right one: with the English share (0.7 x
cosine) the fusion followed the dense ranking."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bookctl.config import load_settings
from bookctl.index import open_searcher
from bookctl.index.searcher import CJK_DENSE_WEIGHT, DENSE_WEIGHT
from bookctl.ingest import ingest

DOCS = {
    "server": "---\ntitle: サーバー\n---\n\n## 起動\n\nサーバーは `tool serve` で起動します。ポート番号は "
    "`--port` で変更できます。\n\n## ログ\n\nログはすべて標準エラー出力に書かれます。詳しいログは `--verbose` で出ます。\n",
    "build": "---\ntitle: ビルド\n---\n\n## 出力先\n\nビルドの出力先は `build/` です。エラーがあると出力は残らず、"
    "エラーの一覧だけが出力されます。`--out` で別の出力先を指定できます。\n\n## 並列\n\n"
    "ビルドは既定で CPU の数だけ並列に動きます。\n",
    "cache": "---\ntitle: キャッシュ\n---\n\n## 保存期間\n\nキャッシュの保存期間は `--ttl` で秒単位で指定します。"
    "既定値は三百秒です。\n\n## 削除\n\n`tool cache clear` ですべてのキャッシュを削除します。\n",
}

# MiniLM on every view (the Japanese view too): the fusion of CJK_DENSE_WEIGHT is for an English model
MINILM = {"BOOKCTL_TRANSLATIONS_MODEL": "none"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ja") / "tool"
    (root / "docs").mkdir(parents=True)
    (root / "docusaurus.config.js").write_text(
        "module.exports = {title: 'Tool', url: 'https://tool.example', baseUrl: '/',\n"
        "  i18n: {defaultLocale: 'ja', locales: ['ja']}, presets: [['classic', {docs: {}}]]};\n"
    )
    for name, text in DOCS.items():
        (root / "docs" / f"{name}.md").write_text(text)
    ingest(load_settings({"site": root}, env=MINILM))
    return root


def test_a_japanese_view_ranks_by_bm25_where_the_dense_ranking_is_wrong(site: Path) -> None:
    searcher = open_searcher(load_settings({"site": site}, env=MINILM))
    question = (
        "標準エラー出力"  # "standard error": said in server#ログ; build#出力先 shares only 出力 and エラー
    )
    try:
        assert searcher.scope.locale == "ja"
        assert searcher.search(question, k=1, mode="dense")[0].url == "/docs/build#出力先"  # the premise
        assert searcher.search(question, k=1, mode="sparse")[0].url == "/docs/server#ログ"
        assert searcher.search(question, k=1)[0].url == "/docs/server#ログ"
        assert searcher.dense_weight() == CJK_DENSE_WEIGHT < DENSE_WEIGHT
        for locale, weight in (
            ("zh-Hant", CJK_DENSE_WEIGHT),
            ("zh-CN", CJK_DENSE_WEIGHT),
            ("en", DENSE_WEIGHT),
        ):
            searcher.scope = dataclasses.replace(searcher.scope, locale=locale)
            assert searcher.dense_weight() == weight, locale
    finally:
        searcher.close()
