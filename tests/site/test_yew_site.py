"""A whole real site (yewstack/yew `website/`) against oracle.json v2, made by real Docusaurus for every docs
instance x version x locale: `bookctl chapters --json` with no flags gives the same version metadata, docs (every
field), sidebars and generated-index pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bookctl.cli import app

SITE = Path(__file__).resolve().parent.parent / "corpora" / "yew-site"
VERSION_KEYS = [
    "name", "label", "path", "isLast", "banner", "badge", "noIndex", "className", "tagsPath",
    "routePriority", "versionRoutePath", "contentPath", "contentPathLocalized", "sidebarFile", "pluginId", "locale",
]  # fmt: skip


@pytest.fixture(scope="module")
def both() -> tuple[dict[str, Any], dict[str, Any]]:
    result = CliRunner().invoke(app, ["chapters", "--json", str(SITE / "website")])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), json.loads((SITE / "oracle.json").read_text())


def _versions(data: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {
        (locale, instance, v["name"]): v
        for locale, lo in data["locales"].items()
        for instance, inst in lo["instances"].items()
        for v in inst["versions"]
    }


def test_every_instance_version_and_locale_is_there(both: tuple[dict, dict]) -> None:
    ours, oracle = both
    assert list(_versions(ours)) == list(_versions(oracle))
    assert len(_versions(oracle)) == 24  # 4 locales x (5 versions of the docs + 1 of community)


def test_version_metadata(both: tuple[dict, dict]) -> None:
    ours, oracle = both
    mine = _versions(ours)
    for key, theirs in _versions(oracle).items():
        assert {k: mine[key].get(k) for k in VERSION_KEYS} == {k: theirs[k] for k in VERSION_KEYS}, key


def test_locales(both: tuple[dict, dict]) -> None:
    ours, oracle = both
    for code, theirs in oracle["locales"].items():
        for k in (
            "locale",
            "isDefaultLocale",
            "baseUrl",
            "label",
            "htmlLang",
            "direction",
            "translate",
            "localizationDir",
        ):
            assert ours["locales"][code][k] == theirs[k], (code, k)


def test_every_doc_field(both: tuple[dict, dict]) -> None:
    ours, oracle = both
    mine = _versions(ours)
    compared = 0
    for key, theirs in _versions(oracle).items():
        assert [d["id"] for d in mine[key]["docs"]] == [d["id"] for d in theirs["docs"]], key
        for doc, want in zip(mine[key]["docs"], theirs["docs"], strict=True):
            for field, value in want.items():
                assert doc[field] == value, (key, want["id"], field)
            compared += 1
    assert compared == 1228


def test_sidebars_and_generated_indices(both: tuple[dict, dict]) -> None:
    ours, oracle = both
    mine = _versions(ours)
    for key, theirs in _versions(oracle).items():
        assert mine[key]["sidebars"] == theirs["sidebars"], key
        assert mine[key]["generatedIndices"] == theirs["generatedIndices"], key


def test_the_default_view_is_the_last_version_in_english(both: tuple[dict, dict]) -> None:
    ours, _ = both
    intro = next(d for d in ours["docs"] if d["id"] == "getting-started/introduction")
    assert (intro["version"], intro["locale"], intro["permalink"]) == (
        "0.23",
        "en",
        "/docs/getting-started/introduction",
    )


def test_chapters_lists_instances_versions_and_locales() -> None:
    result = CliRunner().invoke(app, ["chapters", str(SITE / "website")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    cells = [[c.strip() for c in row.strip("│").split("│")] for row in rows[:24]]
    assert ["default", "0.23 *", "en", "63", "", "/docs"] in cells
    assert ["default", "current (Next)", "ja", "63", "55", "/ja/docs/next"] in cells
    assert ["community", "current (Next)", "zh-Hant", "2", "0", "/zh-Hant/community"] in cells
    assert len({(c[0], c[1].rstrip(" *"), c[2]) for c in cells}) == 24
    assert "the default view (default docs, version 0.23, en)" in result.stdout


def test_tags_as_docusaurus_normalises_them() -> None:
    """Inline tags (lodash kebabCase permalinks, non-ASCII kept), object tags and tagsBasePath, against an
    oracle made by make-site-oracle (Docusaurus 3.10.1) from tests/site/tags-site/desc.json."""
    site = Path(__file__).resolve().parent / "tags-site"
    result = CliRunner().invoke(app, ["chapters", "--json", str(site)])
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)["locales"]["en"]["instances"]["default"]["versions"][0]["docs"]
    theirs = json.loads((site / "oracle.json").read_text())["locales"]["en"]["instances"]["default"][
        "versions"
    ][0]
    assert [d["tags"] for d in ours] == [d["tags"] for d in theirs["docs"]]
    assert any(t["permalink"] == "/docs/labels/日本語-タグ" for d in ours for t in d["tags"])


def test_predefined_tags_from_tags_files() -> None:
    """Predefined tags (tags.yml beside the docs, a version's own file, another instance's `tags`
    option naming topics.yaml), inline ones beside them, a tag written twice: every instance and
    version against an oracle made by make-site-oracle from tests/site/tags-file-site/desc.json."""
    site = Path(__file__).resolve().parent / "tags-file-site"
    result = CliRunner().invoke(app, ["chapters", "--json", str(site)])
    assert result.exit_code == 0, result.output
    ours, theirs = json.loads(result.stdout), json.loads((site / "oracle.json").read_text())
    tags = {key: [d["tags"] for d in v["docs"]] for key, v in _versions(ours).items()}
    assert tags == {key: [d["tags"] for d in v["docs"]] for key, v in _versions(theirs).items()}
    assert {"label": "React (old)", "permalink": "/docs/tags/react", "inline": False} in tags[
        ("en", "default", "1.0")
    ][0]


def test_a_tags_file_the_config_names_must_exist(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("---\ntags: [x]\n---\n# A\n")
    (tmp_path / "docusaurus.config.js").write_text(
        "module.exports = {presets: [['classic', {docs: {tags: 'topics.yml'}}]]};\n"
    )
    result = CliRunner().invoke(app, ["chapters", str(tmp_path)])
    assert result.exit_code != 0
    assert "the tags file 'topics.yml' does not exist" in result.output and "Traceback" not in result.output
    (tmp_path / "docs" / "topics.yml").write_text("x: [not, a, tag]\n")
    result = CliRunner().invoke(app, ["chapters", str(tmp_path)])
    assert result.exit_code != 0 and "topics.yml" in result.output and "tag 'x'" in result.output
