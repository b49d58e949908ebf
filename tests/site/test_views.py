"""load_views: one Site per docs instance x version x locale; load_site is the default view."""

from __future__ import annotations

from pathlib import Path

from bookctl.config import Settings
from bookctl.site.loader import load_site, load_views

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def test_an_unversioned_site_has_one_view_that_is_the_default() -> None:
    settings = Settings(site=CORPORA / "kysely")
    views = load_views(settings)
    assert len(views) == 1
    (view,) = views
    assert view.is_default_view
    assert (view.instance, view.version, view.locale) == ("default", "current", "en")
    assert {(d.instance, d.version, d.locale) for d in view.docs} == {("default", "current", "en")}
    assert [d.permalink for d in view.docs] == [d.permalink for d in load_site(settings).docs]


def test_a_config_that_reads_the_current_locale_is_read_once_per_locale(tmp_path: Path) -> None:
    """Docusaurus sets process.env.DOCUSAURUS_CURRENT_LOCALE for each locale it builds."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "intro.md").write_text("# Intro\n\nHello.\n")
    (tmp_path / "docusaurus.config.js").write_text(
        "const fr = process.env.DOCUSAURUS_CURRENT_LOCALE === 'fr';\n"
        "module.exports = {baseUrl: '/', i18n: {defaultLocale: 'en', locales: ['en', 'fr']},\n"
        "  presets: [['classic', {docs: {routeBasePath: fr ? 'documentation' : 'docs'}}]]};\n"
    )
    views = load_views(Settings(site=tmp_path))
    assert [(v.locale, v.docs[0].permalink) for v in views] == [
        ("en", "/docs/intro"),
        ("fr", "/fr/documentation/intro"),
    ]
    assert load_site(Settings(site=tmp_path)).docs[0].permalink == "/docs/intro"


def test_status_shows_docs_per_instance_version_and_locale(tmp_path: Path) -> None:
    """The index's meta.json lists its views (written by ingest); status renders them."""
    from typer.testing import CliRunner

    from bookctl.cli import app
    from bookctl.index import IndexMeta, write_meta

    views = [
        {"instance": "default", "version": "current", "label": "Next", "locale": "en", "default": False, "docs": 63, "chunks": 600},
        {"instance": "default", "version": "0.23", "label": "0.23", "locale": "en", "default": True, "docs": 63, "chunks": 590},
        {"instance": "default", "version": "0.23", "label": "0.23", "locale": "ja", "default": False, "docs": 63, "chunks": 580},
    ]  # fmt: skip
    meta = IndexMeta(
        schema_version=1, engine="edge", dense_model="m", dim=384, sparse_model="bm25", site="s", views=views
    )
    write_meta(tmp_path, meta)
    result = CliRunner().invoke(app, ["status", "--data-dir", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    rows = [
        [c.strip() for c in line.strip("│").split("│")]
        for line in result.stdout.splitlines()
        if line.startswith("│")
    ]
    assert ["default", "current (Next)", "en", "63", "600"] in rows
    assert ["default", "0.23 *", "en", "63", "590"] in rows
    assert ["default", "0.23", "ja", "63", "580"] in rows
