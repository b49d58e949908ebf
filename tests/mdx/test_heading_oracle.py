"""Heading anchors against Docusaurus itself: tests/mdx/oracles/*.headings.json were made by
tools/make-heading-oracle (Docusaurus's MDX pipeline, @docusaurus/mdx-loader 3.10.1) over every
.md/.mdx file of the corpora. A doc's headings are its own, with a rendered partial's headings where
the partial is used (each partial keeps the anchors of its own file, as Docusaurus compiles it alone).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bookctl.site.docs import parse_front_matter
from bookctl.site.mdx import clean_mdx, site_partial_reader

HERE = Path(__file__).parent
CORPORA = HERE.parent / "corpora"
SITES = {
    "headings-site": HERE / "headings-site",  # edge cases written for this test
    "rn-partials": HERE / "rn-partials",  # docs that render partials (react-native-website)
    "docusaurus": CORPORA / "docusaurus",
    "kysely": CORPORA / "kysely",
    "yew-site": CORPORA / "yew-site" / "website",
}
# yew-site until it is copied into tests/corpora: the shared copy beside the checkout (issue 14)
SHARED_YEW = HERE.parents[2] / "shared" / "corpora" / "yew-site" / "website"


def _expected(files: dict[str, Any], key: str, depth: int = 0) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for item in files[key]["items"]:
        if "heading" in item:
            h = item["heading"]
            # the oracle's text is mdast-util-to-string, which keeps an MDX comment's code; the page
            # shows no comment, and neither does bookctl's text (the anchor does count it)
            out.append((h["level"], h["anchor"], " ".join(re.sub(r"/\*.*?\*/", "", h["text"]).split())))
        elif item["partial"] in files and depth < 5:
            out.extend(_expected(files, item["partial"], depth + 1))
    return out


def _actual(root: Path, key: str, *, maintain_case: bool = False) -> list[tuple[int, str, str]]:
    path = root / key
    parsed = parse_front_matter(path.read_text(encoding="utf-8"), path)

    clean = clean_mdx(
        parsed.body,
        path=path,
        read_partial=site_partial_reader(root),
        first_line=parsed.body_first_line,
        maintain_case=maintain_case,
    )
    return [(h.level, h.anchor, h.text) for h in clean.headings]


@pytest.mark.parametrize("name", sorted(SITES))
def test_every_heading_anchor_matches_docusaurus(name: str) -> None:
    root = SITES[name]
    if name == "yew-site" and not root.is_dir():
        root = SHARED_YEW
    if not root.is_dir():
        pytest.skip(f"{root} is not in this checkout")
    oracle = json.loads((HERE / "oracles" / f"{name}.headings.json").read_text(encoding="utf-8"))
    files = oracle["files"]
    wrong: list[str] = []
    total = 0
    for key in sorted(files):
        if Path(key).name.startswith("_"):
            continue  # partials are checked where they are rendered
        expected = _expected(files, key)
        actual = _actual(root, key)
        total += len(expected)
        if actual != expected:
            wrong.append(f"{key}: {actual} != {expected}")
    assert total > 0
    assert not wrong, f"{len(wrong)} files differ:\n" + "\n".join(wrong[:15])


def test_anchors_maintain_case_as_docusaurus() -> None:
    """markdown.anchors.maintainCase: the same edge cases against an oracle made with --maintain-case."""
    root = SITES["headings-site"]
    files = json.loads((HERE / "oracles" / "headings-site.maintain-case.headings.json").read_text())["files"]
    key = "docs/edge-cases.mdx"
    expected = _expected(files, key)
    assert any(anchor != anchor.lower() for _, anchor, _ in expected)
    assert _actual(root, key, maintain_case=True) == expected


def test_the_config_turns_maintain_case_on(tmp_path: Path) -> None:
    from bookctl.config import load_settings
    from bookctl.site.loader import load_views

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "intro.md").write_text("# Intro\n\n## MixedCase HTTP Headers\n\ntext\n")
    (tmp_path / "sidebars.js").write_text("module.exports = {book: ['intro']};\n")
    config = "module.exports = {title: 'T', url: 'https://x.test', baseUrl: '/', %s presets: [['classic', {docs: {sidebarPath: './sidebars.js'}}]]};\n"
    anchors = {}
    for on in (False, True):
        markdown = "markdown: {anchors: {maintainCase: true}}," if on else ""
        (tmp_path / "docusaurus.config.js").write_text(config % markdown)
        views = load_views(load_settings({"site": tmp_path, "data_dir": tmp_path / "state"}, env={}))
        anchors[on] = [h.anchor for h in views[0].docs[0].headings]
    assert anchors == {False: ["intro", "mixedcase-http-headers"], True: ["Intro", "MixedCase-HTTP-Headers"]}
