"""Markdown partials: `import Setup from './_setup.mdx'` + `<Setup />` renders the partial's text
where it is used, in the including doc's Markdown, chunks and citations."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bookctl.chunking import chunk_site
from bookctl.config import load_settings
from bookctl.site.loader import load_site
from bookctl.site.mdx import clean_mdx, site_partial_reader

HERE = Path(__file__).parent
CORPORA = HERE.parent / "corpora"


def _site(root: Path, docs: str = "docs"):  # type: ignore[no-untyped-def]
    return load_site(load_settings({"site": root, "docs": root / docs}, env={}, cwd=root))


def test_react_native_setup_steps_are_in_the_doc_that_renders_them() -> None:
    site = _site(HERE / "rn-partials")
    doc = site.doc("set-up-your-environment")
    assert doc is not None
    partials = sorted((HERE / "rn-partials" / "docs").glob("_getting-started-*.md"))
    assert len(partials) == 4
    for partial in partials:
        # a sentence of every partial, rendered inside nested Tabs
        sentence = next(
            line.strip()
            for line in partial.read_text(encoding="utf-8").splitlines()
            if len(line.split()) > 12 and not line.lstrip().startswith(("<", "#", "!", "|", "-", "import"))
        )
        assert sentence.split("](")[0][:60] in doc.markdown, partial.name
    # the steps are cited at the including doc: its URL with the partial's heading anchors, its file,
    # and the line that renders the partial
    source_lines = (HERE / "rn-partials" / "docs" / "set-up-your-environment.md").read_text().splitlines()
    use_line = 1 + next(n for n, t in enumerate(source_lines) if t.strip() == "<GuideMacOSAndroid/>")
    chunks = [c for c in chunk_site(site) if c.doc_id == "set-up-your-environment"]
    jdk = next(c for c in chunks if "Java Development Kit" in c.text and c.anchor)
    assert jdk.url.startswith(doc.permalink + "#")
    assert jdk.source == "docs/set-up-your-environment.md"
    assert jdk.anchor in {h.anchor for h in doc.headings}
    assert use_line <= jdk.line_start <= len(source_lines)
    # far more text than the doc's own (the issue: ~4,400 words lost on one site)
    own = len((HERE / "rn-partials" / "docs" / "set-up-your-environment.md").read_text().split())
    assert len(doc.markdown.split()) > 4 * own


def test_a_partial_imported_in_a_split_statement_and_with_a_js_escape() -> None:
    # `import IntegrationApple from './\_integration-with-existing-apps-ios.md'; import\nIntegrationKotlin ...`
    doc = _site(HERE / "rn-partials").doc("integration-with-existing-apps")
    assert doc is not None
    for name in ("_integration-with-existing-apps-ios.md", "_integration-with-existing-apps-kotlin.md"):
        first_heading = next(
            line.lstrip("#").strip()
            for line in (HERE / "rn-partials" / "docs" / name).read_text().splitlines()
            if line.startswith("## ")
        )
        assert first_heading in [h.text for h in doc.headings]


@pytest.mark.parametrize(
    ("corpus", "doc_id", "text"),
    [
        ("docusaurus", "guides/markdown-features/react", "This is text some content from"),
        ("kysely", "getting-started", "For Kysely's type-safety and autocompletion to work"),
        ("kysely", "getting-started", "Minimum supported version"),
    ],
)
def test_corpus_partials_are_rendered(corpus: str, doc_id: str, text: str) -> None:
    site = load_site(load_settings({"site": CORPORA / corpus}, env={}))
    doc = site.doc(doc_id)
    assert doc is not None and text in doc.markdown


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def _clean(root: Path, rel: str) -> str:
    path = root / rel
    return clean_mdx(path.read_text(), path=path, read_partial=site_partial_reader(root)).markdown


def test_nested_partials_resolve_from_their_own_folder_and_the_site_alias(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docs/guide.mdx": "import Setup from '@site/snippets/_setup.mdx';\n\nIntro.\n\n<Setup />\n\nEnd.",
            "snippets/_setup.mdx": "---\nkeywords: [x]\n---\nimport Step from './steps/_step.md'\n\nSetup text.\n\n<Step></Step>",
            "snippets/steps/_step.md": "## One step\n\nRun `make`.",
        },
    )
    assert _clean(tmp_path, "docs/guide.mdx").split("\n\n") == [
        "Intro.",
        "Setup text.",
        "## One step",
        "Run `make`.",
        "End.",
    ]


def test_a_cycle_of_partials_stops_where_it_would_repeat(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docs/a.mdx": "import B from './_b.mdx'\n\nA text.\n\n<B />",
            "docs/_b.mdx": "import A from './a.mdx'\nimport B from './_b.mdx'\n\nB text.\n\n<A />\n\n<B />",
        },
    )
    assert _clean(tmp_path, "docs/a.mdx").split("\n\n") == ["A text.", "B text."]


def test_nothing_outside_the_site_folder_is_read(tmp_path: Path) -> None:
    site = tmp_path / "site"
    outside = tmp_path / "secret.md"
    outside.write_text("SECRET outside the site")
    _write(
        site,
        {
            "docs/a.mdx": "import S from '../../secret.md'\nimport L from './_link.md'\n"
            "import P from 'some-package/readme.md'\nimport T from './_missing.md'\n\n"
            "Visible.\n\n<S />\n\n<L />\n\n<P />\n\n<T />",
        },
    )
    os.symlink(outside, site / "docs" / "_link.md")
    assert _clean(site, "docs/a.mdx") == "Visible."
