"""MDX -> clean Markdown, one construct at a time; snippets taken from the corpora in tests/corpora."""

from __future__ import annotations

from pathlib import Path

from bookctl.site.mdx import clean_mdx

P = Path("doc.mdx")


def clean(source: str, partials: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    def read(spec: str, importer: Path) -> tuple[Path, str] | None:
        text = (partials or {}).get(spec)
        return None if text is None else (importer.parent / spec, text)

    return clean_mdx(source, path=P, read_partial=read)


def test_imports_and_exports_are_dropped_even_multi_line() -> None:
    # kysely docs/examples/*.mdx import code samples over several lines
    doc = clean(
        "import { Playground } from '../../../src/components/Playground'\n\nimport {\n  exampleSelectASingleColumn,\n"
        "} from './0010-a-single-column'\n\nexport const meta = {a: 1};\n\nSelect a single column:\n"
    )
    assert doc.markdown == "Select a single column:"


def test_import_lines_inside_code_fences_stay() -> None:
    doc = clean("```js\nimport Tabs from '@theme/Tabs';\n# not a heading\n```\n")
    assert "import Tabs from '@theme/Tabs';" in doc.markdown and doc.headings == []


def test_jsx_tags_go_their_text_stays() -> None:
    doc = clean(
        "<div style={{ marginBottom: '1em' }}>\n\nSome **text** inside.\n\n</div>\n<Foo bar=\"x\" /> tail"
    )
    assert "<div" not in doc.markdown and "Some **text** inside." in doc.markdown and "tail" in doc.markdown


def test_inline_code_keeps_its_angle_brackets() -> None:
    assert clean("Use the `<Tabs>` component.").markdown == "Use the `<Tabs>` component."


def test_tabs_keep_content_under_the_label() -> None:
    doc = clean(
        '<Tabs>\n  <TabItem value="apple" label="Apple" default>\n    This is an apple 🍎\n  </TabItem>\n'
        '  <TabItem value="orange" label="Orange">\n    This is an orange\n  </TabItem>\n</Tabs>\n'
    )
    text = doc.markdown
    assert text.index("**Apple:**") < text.index("This is an apple") < text.index("**Orange:**")


def test_multi_line_opening_tags_are_dropped() -> None:
    doc = clean(
        "<Tabs\n  defaultValue=\"apple\"\n  values={[\n    {label: 'Apple', value: 'apple'},\n  ]}>\nBody\n</Tabs>"
    )
    assert doc.markdown == "Body"


def test_comments_and_head_blocks_are_dropped() -> None:
    doc = clean(
        "{/* an MDX comment */}\n<!-- an HTML\ncomment -->\n<head>\n  <title>T</title>\n</head>\nKept."
    )
    assert doc.markdown == "Kept."


def test_admonitions_become_labelled_text_including_nested() -> None:
    doc = clean(":::tip[Use tabs in admonitions]\n\nOuter\n\n::::info Inner title\n\nInner\n\n::::\n\n:::\n")
    assert doc.markdown.split("\n\n") == [
        "**Tip: Use tabs in admonitions**",
        "Outer",
        "**Info: Inner title**",
        "Inner",
    ]


def test_four_backtick_fences_hold_three_backtick_fences() -> None:
    doc = clean("````md\n```js\nconsole.log(1)\n```\n## not a heading\n````\n\n## Real heading\n")
    assert [h.text for h in doc.headings] == ["Real heading"]
    assert "```js" in doc.markdown


def test_mdx_code_block_fences_are_unwrapped_as_mdx() -> None:
    doc = clean("```mdx-code-block\nimport Tabs from '@theme/Tabs';\n\n<Tabs>\nInside\n</Tabs>\n```\n")
    assert doc.markdown == "Inside"


def test_heading_ids_explicit_and_generated() -> None:
    doc = clean(
        "## Explicit {#custom-id}\n\n## MDX comment id {/* #other-id */}\n\n## `code` and [link](x.md)\n\n"
        "## Same\n\n## Same\n"
    )
    assert [(h.text, h.anchor) for h in doc.headings] == [
        ("Explicit", "custom-id"),
        ("MDX comment id", "other-id"),
        ("code and link", "code-and-link"),
        ("Same", "same"),
        ("Same", "same-1"),
    ]


def test_partials_are_inlined_where_rendered() -> None:
    partials = {
        "./_markdown-partial-example.mdx": "<span>Hello {props.name}</span>\n\nThis is text from a partial."
    }
    doc = clean(
        "import PartialExample from './_markdown-partial-example.mdx';\n\nBefore\n\n<PartialExample name=\"Sebastien\" />\n\nAfter",
        partials,
    )
    assert doc.markdown.split("\n\n") == [
        "Before",
        "Hello Sebastien",  # the prop, as the page shows it
        "This is text from a partial.",
        "After",
    ]


def test_line_map_points_at_file_lines() -> None:
    doc = clean_mdx(
        "import X from 'y';\n\n## Title\n\nText", path=P, read_partial=lambda s, p: None, first_line=5
    )
    assert doc.headings[0].line == 7
    assert doc.file_line(doc.markdown.split("\n").index("Text")) == 9
