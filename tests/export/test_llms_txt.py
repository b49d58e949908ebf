"""`bookctl export llms-txt` on our book and the test corpora, checked against Docusaurus's oracle.

The llms.txt files are read with the llmstxt.org reference parser (PyPI `llms-txt`), the Markdown
with markdown-it-py; the served files are fetched over real HTTP by that package's own context
builder, as a tool that reads llms.txt would.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llms_txt import create_ctx, parse_llms_file
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.config import load_settings
from bookctl.export import export_llms_txt
from tests.conftest import CORPORA, REPO

SITE_URL = "https://docs.example.org"
CORPUS_SITES = {"book": REPO, "docusaurus": CORPORA / "docusaurus", "kysely": CORPORA / "kysely"}
ORACLES = {
    "book": REPO / "tests/book/oracle.json",
    **{n: CORPORA / n / "oracle.json" for n in ("docusaurus", "kysely")},
}


def oracle_of(name: str) -> dict[str, Any]:
    return json.loads(ORACLES[name].read_text(encoding="utf-8"))


@functools.cache
def exported(name: str, out: Path) -> Path:
    export_llms_txt(load_settings({"site": CORPUS_SITES[name], "site_url": SITE_URL}, env={}), out)
    return out


@pytest.fixture(scope="module", params=sorted(CORPUS_SITES))
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    name = request.param
    return name, exported(name, tmp_path_factory.mktemp(f"llms-{name}"))


def permalink_of(url: str) -> str:
    """The doc page a `.md` link stands for."""
    assert url.startswith(SITE_URL + "/"), url
    path = url[len(SITE_URL) :]
    return path[: -len("index.md")] if path.endswith("/index.md") else path.removesuffix(".md")


def sidebar_order(oracle: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(doc ids, category label paths) in sidebar pre-order, as Docusaurus resolved the sidebars."""
    ids: list[str] = []
    paths: list[str] = []

    def walk(items: list[dict[str, Any]], path: list[str]) -> None:
        for item in items:
            if item["type"] == "doc":
                ids.append(item["id"])
            elif item["type"] == "category":
                here = [*path, item["label"]]
                paths.append(" > ".join(here))
                if (item.get("link") or {}).get("type") == "doc":
                    ids.append(item["link"]["id"])
                walk(item["items"], here)

    for items in oracle["sidebars"].values():
        walk(items, [])
    return ids, paths


def test_llms_txt_lists_every_doc_once_by_category_in_sidebar_order(corpus: tuple[str, Path]) -> None:
    name, out = corpus
    oracle = oracle_of(name)
    by_permalink = {d["permalink"]: d for d in oracle["docs"]}
    parsed = parse_llms_file((out / "llms.txt").read_text(encoding="utf-8"))
    assert parsed.title and parsed.info
    linked: list[str] = []
    for section, links in parsed.sections.items():
        assert links, section
        for link in links:
            doc = by_permalink.get(permalink_of(link["url"]))
            assert doc is not None, f"{link['url']} is no doc of the oracle"
            assert link["title"] == doc["title"].replace("[", "(").replace("]", ")")
            assert (link["desc"] or "") == " ".join(doc["description"].split())
            linked.append(doc["id"])
    listed = [d["id"] for d in oracle["docs"] if not d["unlisted"]]
    assert sorted(linked) == sorted(listed) and len(set(linked)) == len(linked), "every doc, once"
    order, category_paths = sidebar_order(oracle)
    first_place = {doc_id: order.index(doc_id) for doc_id in set(order)}
    sections = list(parsed.sections.items())
    for section, links in sections:
        places = [first_place[by_permalink[permalink_of(link["url"])]["id"]] for link in links]
        assert places == sorted(places), f"{section}: not in sidebar order"
    named = [s for s, _ in sections if s in category_paths]
    assert named == [p for p in category_paths if p in named], "categories in sidebar order"
    assert set(category_paths) <= {s for s, _ in sections} | _empty_categories(oracle)


def _empty_categories(oracle: dict[str, Any]) -> set[str]:
    """Categories with no doc of their own (only a generated index and subcategories)."""
    out: set[str] = set()

    def walk(items: list[dict[str, Any]], path: list[str]) -> None:
        for item in items:
            if item["type"] == "category":
                here = [*path, item["label"]]
                own = [c for c in item["items"] if c["type"] == "doc"]
                if not own and (item.get("link") or {}).get("type") != "doc":
                    out.add(" > ".join(here))
                walk(item["items"], here)

    for items in oracle["sidebars"].values():
        walk(items, [])
    return out


def _markdown_tokens(text: str) -> list[Any]:
    return MarkdownIt("commonmark").enable("table").parse(text)


def test_llms_full_txt_holds_every_doc_once_as_clean_markdown(corpus: tuple[str, Path]) -> None:
    name, out = corpus
    oracle = oracle_of(name)
    full = (out / "llms-full.txt").read_text(encoding="utf-8")
    sources = Counter(re.findall(r"^Source: (\S+)$", full, flags=re.M))
    expected = {SITE_URL + d["permalink"] for d in oracle["docs"] if not d["unlisted"]}
    assert set(sources) == expected and set(sources.values()) == {1}, "every doc once"
    residue = []
    for token in _markdown_tokens(full):
        if token.type in {"html_block", "html_inline"} and re.search(r"</?[A-Z]", token.content):
            residue.append(token.content)  # a JSX component (<Tabs>, <TabItem>, an imported partial)
        for child in token.children or []:
            if child.type == "html_inline" and re.search(r"</?[A-Z]", child.content):
                residue.append(child.content)
        if token.type == "inline" and re.search(r"^(import|export)\s", token.content, flags=re.M):
            residue.append(token.content)  # an MDX import or export outside code
    assert residue == []
    for doc in oracle["docs"]:  # the same Markdown at <url>.md
        permalink = doc["permalink"]
        path = permalink + "index.md" if permalink.endswith("/") else permalink + ".md"
        page = (out / path.lstrip("/")).read_text(encoding="utf-8")
        assert page.startswith("# ") and f"\n\nSource: {SITE_URL}{permalink}\n" in page
        if not doc["unlisted"]:
            assert page in full


def test_links_between_docs_lead_to_the_docs_they_name(corpus: tuple[str, Path]) -> None:
    name, out = corpus
    permalinks = {d["permalink"] for d in oracle_of(name)["docs"]}
    full = (out / "llms-full.txt").read_text(encoding="utf-8")
    hrefs = [
        child.attrGet("href")
        for token in _markdown_tokens(full)
        for child in token.children or []
        if child.type == "link_open"
    ]
    doc_file_links = [h for h in hrefs if re.search(r"^[^:#]*\.mdx?(#|$)", h)]
    assert doc_file_links == [], "links to .md/.mdx files are the docs' URLs"
    internal = [h[len(SITE_URL) :].split("#", 1)[0] for h in hrefs if h.startswith(SITE_URL + "/docs")]
    assert internal, "the corpora link between their docs"
    unknown = [h for h in internal if h not in permalinks and h.rstrip("/") + "/" not in permalinks]
    assert len(unknown) <= len(internal) // 20, unknown  # a few links in the real docs are broken


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server over a folder, as the site's host would serve its build folder."""
    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_tool_reading_llms_txt_gets_every_doc_at_its_url_dot_md(
    served: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, root = served
    result = CliRunner().invoke(
        app, ["export", "llms-txt", str(CORPORA / "kysely"), "--out", str(root), "--site-url", url, "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["docs"] == 65 and report["files"] == 67 and report["url"] == url
    monkeypatch.chdir(tmp_path)  # llms-txt reads local files instead when it finds a pyproject.toml
    context = create_ctx((root / "llms.txt").read_text(encoding="utf-8"), optional=True)
    oracle = oracle_of("kysely")
    for doc in oracle["docs"]:
        assert f"Source: {url}{doc['permalink']}\n" in context, doc["id"]
    assert "404" not in re.findall(r"<doc [^>]*>\s*(\S+)", context)


def test_without_a_site_url_links_are_relative_and_the_command_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "llms-txt", str(CORPORA / "kysely"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "the site's url is unknown" in result.stderr and "--site-url" in result.stderr
    parsed = parse_llms_file((tmp_path / "llms.txt").read_text(encoding="utf-8"))
    assert parsed.title == "kysely"
    assert all(link["url"].startswith("/docs/") for links in parsed.sections.values() for link in links)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--site-url", "docs.example.org"], "--site-url 'docs.example.org' is not an absolute http(s) URL"),
        (["--site-url", "ftp://docs.example.org"], "not an absolute http(s) URL"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], says: str) -> None:
    result = CliRunner().invoke(
        app, ["export", "llms-txt", str(CORPORA / "kysely"), "--out", str(tmp_path), *args]
    )
    assert result.exit_code == 2, result.output
    assert says in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("keep me")
    result = CliRunner().invoke(app, ["export", "llms-txt", str(CORPORA / "kysely"), "--out", str(target)])
    assert result.exit_code == 2 and "is a file" in result.stderr
    assert target.read_text() == "keep me"


def test_a_slug_cannot_write_outside_the_output_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "evil.md").write_text("---\nslug: /../../../escaped\n---\n# Evil\n\ntext\n")
    (site / "docs" / "fine.md").write_text("# Fine\n\ntext\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["export", "llms-txt", str(site), "--out", str(out)])
    escaped = list(tmp_path.rglob("escaped*"))
    assert escaped == [] and not any(p.name.startswith("escaped") for p in tmp_path.parent.iterdir())
    if result.exit_code == 0:  # Docusaurus normalises the slug into the docs' route
        assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))
    else:
        assert result.exit_code == 2 and "evil.md: the permalink '/docs/../../../escaped'" in result.stderr


YEW = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "yew-site"


def test_a_versioned_translated_site_gets_an_llms_txt_per_version_and_locale(tmp_path: Path) -> None:
    """yew-site: 4 locales x (4 versions + the next one) and a second docs instance, against its v2 oracle."""
    oracle = json.loads((YEW / "oracle.json").read_text(encoding="utf-8"))
    export_llms_txt(load_settings({"site": YEW / "website", "site_url": SITE_URL}, env={}), tmp_path)
    expected: dict[str, set[str]] = {}  # llms.txt path -> the permalinks it must list
    every: set[str] = set()
    for locale in oracle["locales"].values():
        base = locale["baseUrl"]
        for instance in locale["instances"].values():
            for version in instance["versions"]:
                listed = {d["permalink"] for d in version["docs"] if not d["unlisted"]}
                every |= {d["permalink"] for d in version["docs"]}
                where = base if version["isLast"] else version["path"].rstrip("/") + "/"
                expected.setdefault(where.lstrip("/") + "llms.txt", set()).update(listed)
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("llms.txt")}
    assert written == set(expected)
    root = parse_llms_file((tmp_path / "llms.txt").read_text(encoding="utf-8"))
    optional = {link["url"][len(SITE_URL) + 1 :] for link in root.sections["Optional"]}
    assert optional == set(expected) - {"llms.txt"}, "the root llms.txt lists every other one"
    for path, permalinks in expected.items():
        parsed = parse_llms_file((tmp_path / path).read_text(encoding="utf-8"))
        linked = [
            permalink_of(link["url"])
            for name, links in parsed.sections.items()
            if name != "Optional"
            for link in links
        ]
        assert sorted(linked) == sorted(permalinks), path
    for permalink in every:
        md = permalink + "index.md" if permalink.endswith("/") else permalink + ".md"
        assert (tmp_path / md.lstrip("/")).is_file(), md
