"""The MCP tools on a versioned site (tests/index/versioned-site: tiller 1.0 and 2.0, docs/ is Next):
search_book and read_section read the version asked for, list_chapters names the versions, and the
default is the one readers land on."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bookctl.config import load_settings
from bookctl.errors import InputError
from bookctl.ingest import ingest
from bookctl.mcp.book import BookTools

FIXTURE = Path(__file__).resolve().parent.parent / "index" / "versioned-site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mcp-versions") / "tiller"
    shutil.copytree(FIXTURE, root)
    ingest(load_settings({"site": root}, env={}))
    return root


def test_search_and_read_follow_the_version(site: Path) -> None:
    async def run() -> None:
        async with BookTools.open(load_settings({"site": site}, env={})) as book:
            assert book.versions() == ["2.0", "current", "1.0"] and book.locales() == []
            assert book.chapters().versions == ["2.0", "current", "1.0"]
            landing = await book.search("how do I set the sowing depth?", k=2)
            assert landing.version == "2.0"
            assert landing.results[0].url == "https://tiller.example/docs/planting#sowing-seeds"
            assert "--depth" in landing.results[0].text
            old = await book.search("how do I set the sowing depth?", version="1.0", k=2)
            assert old.version == "1.0" and all("/docs/1.0/" in r.url for r in old.results)
            assert "--inches" in old.results[0].text
            nxt = await book.search("sowing depth", version="Next", k=1)  # a label works too
            assert nxt.version == "current" and "/docs/next/" in nxt.results[0].url
            section = book.read_section("planting", "sowing-seeds", version="1.0")
            assert section.version == "1.0" and "--inches" in section.text
            assert section.url == "https://tiller.example/docs/1.0/planting#sowing-seeds"
            assert "--depth" in book.read_section("planting", "sowing-seeds").text
            resources = dict(book.resources())
            assert {"bookctl://2.0/planting", "bookctl://1.0/planting", "bookctl://current/planting"} <= set(
                resources
            )
            assert "--inches" in book.markdown(resources["bookctl://1.0/planting"])
            assert "--depth" in book.markdown(resources["bookctl://2.0/planting"])
            with pytest.raises(InputError, match=r"unknown version '3.0'"):
                await book.search("sowing", version="3.0")
            with pytest.raises(InputError, match="unknown version '3.0'"):
                book.read_section("planting", version="3.0")

    asyncio.run(run())


def test_search_reads_the_locale_asked_for(tmp_path: Path) -> None:
    """Our website (web/: the book with its Introduction module in French): locale="fr" searches the
    French docs and cites /fr/ pages; an unknown locale is an error listing the known ones."""
    web = Path(__file__).resolve().parents[2] / "web"
    settings = load_settings({"site": web, "data_dir": tmp_path / "state"}, env={})
    ingest(settings)

    async def run() -> None:
        async with BookTools.open(settings) as book:
            assert book.locales() == ["en", "fr"]
            french = await book.search("capteurs du robot", locale="fr", k=3)
            assert french.results and all("/fr/docs/" in r.url for r in french.results)
            english = await book.search("robot sensors", k=3)
            assert english.results and not any("/fr/" in r.url for r in english.results)
            assert (french.locale, english.locale) == ("fr", "en")
            # no locale: a query written in French searches the French docs
            asked = await book.search("Que mesure une centrale inertielle et pourquoi dérive-t-elle ?", k=3)
            assert asked.locale == "fr" and all("/fr/docs/" in r.url for r in asked.results), asked
            with pytest.raises(InputError, match="unknown locale 'de'.*'en', 'fr'"):
                await book.search("sensors", locale="de")

    asyncio.run(run())
