"""Chunks of the real corpora: window, fences, breadcrumbs, anchors, line ranges, stability."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bookctl.chunking import chunk_site, chunk_stats
from bookctl.config import load_settings
from bookctl.models import MAX_TOKENS
from bookctl.site.loader import load_site

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


@pytest.fixture(scope="module", params=["docusaurus", "kysely"])
def site_chunks(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    site = load_site(load_settings({"site": CORPORA / request.param}))
    return site, chunk_site(site)


def test_every_doc_is_chunked(site_chunks) -> None:  # type: ignore[no-untyped-def]
    site, chunks = site_chunks
    assert {c.doc_id for c in chunks} == {d.id for d in site.docs if d.markdown.strip()}


def test_chunks_fit_the_window_unless_one_word_is_longer(site_chunks) -> None:  # type: ignore[no-untyped-def]
    _, chunks = site_chunks
    for c in chunks:
        if c.token_count > MAX_TOKENS:
            longest_word = max(c.text.split(), key=len)
            assert len(longest_word) > 300, (c.url, c.token_count)


def _fences(markdown: str) -> list[str]:
    out, current, fence = [], [], None
    for line in markdown.split("\n"):
        stripped = line.strip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence, current = stripped[: len(stripped) - len(stripped.lstrip(stripped[0]))], [line]
        elif fence is not None:
            current.append(line)
            if stripped.startswith(fence) and set(stripped) <= {fence[0]}:
                out.append("\n".join(current))
                fence = None
    return out


def test_code_fences_that_fit_are_never_split(site_chunks) -> None:  # type: ignore[no-untyped-def]
    site, chunks = site_chunks
    from bookctl.models import count_tokens

    by_doc: dict[str, list[str]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c.text)
    checked = 0
    for doc in site.docs:
        for fence in _fences(doc.markdown):
            if count_tokens(fence) <= 180:
                checked += 1
                assert any(fence in text for text in by_doc.get(doc.id, [])), (doc.id, fence[:80])
    assert checked > 20


def _heading_paths(doc) -> dict[str, tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """anchor -> the path of heading texts down to it (h2 and deeper), from the rendered headings."""
    paths: dict[str, tuple[str, ...]] = {}
    stack: list[tuple[int, str]] = []
    for h in doc.headings:
        if h.level < 2:
            continue
        while stack and stack[-1][0] >= h.level:
            stack.pop()
        stack.append((h.level, h.text))
        paths[h.anchor] = tuple(text for _, text in stack)
    return paths


def test_breadcrumb_anchor_and_url(site_chunks) -> None:  # type: ignore[no-untyped-def]
    site, chunks = site_chunks
    docs = {d.id: d for d in site.docs}
    for c in chunks:
        doc = docs[c.doc_id]
        assert c.text.startswith(c.breadcrumb)
        assert doc.title in c.breadcrumb
        if c.anchor:
            # the anchor is the deepest heading the text sits under, the path its ancestry
            assert c.heading_path == _heading_paths(doc)[c.anchor], c.url
            assert c.url == f"{doc.permalink}#{c.anchor}"
        else:
            assert c.url == doc.permalink and c.heading_path == ()
        assert c.chapter == doc.chapter


def test_no_text_is_filed_under_another_heading(site_chunks) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: a chunk holds the text of one heading only (no heading line inside its body), and
    every heading that has text of its own has a chunk of its own."""
    site, chunks = site_chunks
    deep = 0
    for c in chunks:
        body = c.text.split("\n\n", 1)[1] if "\n\n" in c.text else ""
        lines = body.split("\n")
        fenced = False
        for line in lines:
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            assert fenced or not line.startswith("## ") and not line.startswith("### "), (c.url, line)
        deep += len(c.heading_path) >= 2
    assert deep > (100 if site.root.name == "docusaurus" else 10)
    by_anchor = {(c.doc_id, c.anchor) for c in chunks}
    for doc in site.docs:
        for h, after in zip(doc.headings, [*doc.headings[1:], None], strict=False):
            has_children = after is not None and after.level > h.level
            if h.level >= 2 and not has_children:
                assert (doc.id, h.anchor) in by_anchor, (doc.id, h.text)


def test_line_ranges_point_at_the_text(site_chunks) -> None:  # type: ignore[no-untyped-def]
    site, chunks = site_chunks
    seen: set[tuple[str, str]] = set()
    for c in chunks[:300]:
        file_lines = (site.root / c.source).read_text().split("\n")
        assert 1 <= c.line_start <= c.line_end <= len(file_lines), c.url
        first_part = (c.doc_id, c.anchor) not in seen
        seen.add((c.doc_id, c.anchor))
        if c.anchor and first_part:
            # the section's heading sits at or just above the chunk's first line
            window = "\n".join(file_lines[max(0, c.line_start - 40) : c.line_end])
            assert c.heading_path[-1].split()[0] in window, c.url


def test_chunking_is_deterministic(site_chunks) -> None:  # type: ignore[no-untyped-def]
    site, chunks = site_chunks
    again = chunk_site(load_site(load_settings({"site": site.root})))
    assert [(c.id, c.content_hash) for c in again] == [(c.id, c.content_hash) for c in chunks]
    assert len({c.id for c in chunks}) == len(chunks)


def test_editing_one_paragraph_changes_only_its_section(tmp_path: Path) -> None:
    root = tmp_path / "docusaurus"
    shutil.copytree(CORPORA / "docusaurus", root)
    before = {c.id: c.content_hash for c in chunk_site(load_site(load_settings({"site": root})))}
    doc = root / "docs" / "deployment.mdx"
    text = doc.read_text()
    needle = "## Deploying to GitHub Pages"
    assert needle in text
    head, tail = text.split(needle, 1)
    para_end = tail.index("\n\n", tail.index("\n\n") + 2)
    doc.write_text(
        head + needle + tail[:para_end] + " An added sentence about deploy keys." + tail[para_end:]
    )
    after = {c.id: c.content_hash for c in chunk_site(load_site(load_settings({"site": root})))}
    assert set(after) == set(before)
    changed = [i for i in after if after[i] != before[i]]
    assert 1 <= len(changed) <= 2, changed


def test_stats_per_chapter(site_chunks) -> None:  # type: ignore[no-untyped-def]
    site, chunks = site_chunks
    stats = chunk_stats(chunks)
    assert stats["chunks"] == len(chunks)
    assert sum(ch["chunks"] for ch in stats["chapters"]) == len(chunks)
    assert stats["tokens"]["p50"] <= stats["tokens"]["p95"] <= stats["tokens"]["max"]


def test_chunk_cache_gives_identical_chunks_and_tracks_edits(tmp_path: Path) -> None:
    root = tmp_path / "kysely"
    shutil.copytree(CORPORA / "kysely", root)
    settings = load_settings({"site": root})
    cache: dict = {}
    fresh = chunk_site(load_site(settings), cache=cache)
    assert len(cache) == len({c.doc_id for c in fresh})
    assert chunk_site(load_site(settings), cache=cache) == fresh  # every doc from the cache
    doc = root / "docs" / "intro.mdx"
    doc.write_text(doc.read_text() + "\n\n## Cached?\n\nNo: this doc changed, so it is chunked again.\n")
    edited = chunk_site(load_site(settings), cache=cache)
    assert edited == chunk_site(load_site(settings))  # same as chunking without any cache
    assert any("this doc changed" in c.text for c in edited)


def test_damaged_chunk_cache_is_ignored(tmp_path: Path) -> None:
    from bookctl.ingest import CHUNK_CACHE, _read_chunk_cache

    (tmp_path / "index").mkdir()
    (tmp_path / "index" / CHUNK_CACHE).write_text('{"version": 1, "docs": {"k": [{"id": 1}]}}')
    assert _read_chunk_cache(tmp_path) == {}
    (tmp_path / "index" / CHUNK_CACHE).write_text("{truncated")
    assert _read_chunk_cache(tmp_path) == {}
