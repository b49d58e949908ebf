"""MDX -> clean Markdown, with the headings and anchors Docusaurus renders.

What a reader sees is what we keep: imports/exports, comments, `<head>` blocks and
JSX tags go (their text stays); Tabs keep their content under the tab label;
admonitions become labelled text; partials are inlined where a doc renders them;
code fences stay intact (`mdx-code-block` fences are unwrapped as Docusaurus does).
Every output line remembers its file line, so chunks can cite line ranges.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bookctl.site.model import Heading
from bookctl.site.urls import Slugger

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

    from bookctl.site.npm2yarn import Npm2Yarn

MAX_PARTIAL_DEPTH = 5


@dataclass
class CleanDoc:
    markdown: str
    headings: list[Heading]
    line_map: list[int] = field(default_factory=list)  # file line of each markdown line

    def file_line(self, markdown_line: int) -> int:
        """File line (1-based) of a 0-based markdown line."""
        if not self.line_map:
            return markdown_line + 1
        return self.line_map[min(max(markdown_line, 0), len(self.line_map) - 1)]


_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_MDX_CODE_BLOCK = re.compile(r"^\s*(`{3,})\s*mdx-code-block\s*$")
_IMPORT_START = re.compile(r"^(import|export)\s")
# Where a partial renders: its component alone on a line, `<Setup />`, `<Setup name="x" />`, `<Setup></Setup>`.
_PARTIAL_USE = re.compile(r"^\s*<([A-Z][\w$]*)\b([^<>]*?)(?:/>|>\s*</\1\s*>)\s*$")
_PROPS_REFERENCE = re.compile(r"\{\s*props\.([A-Za-z_$][\w$]*)\s*\}")
# Docusaurus's parseMarkdownHeadingId (classic syntax), applied to the heading's rendered text.
_MDX_EXPRESSION = re.compile(r"\{(?!#)([^{}]*)\}")
_EXPLICIT_ID = re.compile(r"\s*\{#((?:.(?!\{#|\}))*.)\}$")
_ADMONITION_OPEN = re.compile(
    r"^(?P<indent>\s*)(?P<colons>:{3,})(?P<kind>[a-zA-Z]+)(?:\[(?P<t1>[^\]]*)\]|[ \t]+(?P<t2>.+))?\s*(?:\{[^}]*\})?\s*$"
)
_ADMONITION_CLOSE = re.compile(r"^\s*:{3,}\s*$")
_TAG = re.compile(
    r"</?[A-Za-z][\w.:-]*(?:\s+(?:[^<>{}\"']|\"[^\"]*\"|'[^']*'|\{(?:[^{}]|\{[^{}]*\})*\})*)?\s*/?>"
)
_TAB_ITEM = re.compile(r"<TabItem\b([^>]*)>")
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{['"]([^'"]*)['"]\})""")
_MDX_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.S)
_ATX_HEADING = re.compile(r" {0,3}#{1,6}(?:\s|$)")
# A heading id in an MDX comment that ends the heading (@docusaurus/mdx-loader's headings plugin):
# the comment's first word, when it starts with '#'. Any other MDX comment in a heading is part of
# its text for the slug (mdast-util-to-string gives the expression's code); an HTML comment is
# dropped but the space before it stays in the slug (`## Contents <!-- omit in toc -->` ->
# `contents-`): _DROPPED marks where it was, github-slugger removes it, the shown text does not keep it.
_COMMENT_ID = re.compile(r"\{/\*\s*#([^\s*]+)(?:\s(?:(?!\*/\}).)*)?\*/\}(?=\s*$)")
_COMMENT_IN_HEADING = re.compile(r"\{(/\*.*?\*/)\}")
_DROPPED = "\u2060"
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)

ADMONITION_LABELS = {
    "note": "Note",
    "tip": "Tip",
    "info": "Info",
    "warning": "Warning",
    "danger": "Danger",
    "caution": "Caution",
    "important": "Important",
    "success": "Success",
    "secondary": "Note",
}


_OPEN_TAG_START = re.compile(r"^\s*<[A-Za-z][\w.:-]*(\s|$)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def _tag_closes(text: str) -> bool:
    """Whether the tag opened on this line ends on it (a '>' outside {...} and quotes)."""
    depth = 0
    quote = ""
    for ch in text[text.index("<") + 1 :]:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ">" and depth <= 0:
            return True
    return False


def strip_tags(text: str) -> str:
    """Remove JSX/HTML tags outside inline code spans."""
    parts = []
    last = 0
    for m in _CODE_SPAN.finditer(text):
        parts.append(_TAG.sub("", text[last : m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(_TAG.sub("", text[last:]))
    return "".join(parts)


def inline_text(text: str) -> str:
    """Heading text as rendered: inline Markdown and JSX reduced to plain text."""
    text = _MDX_COMMENT.sub("", text)
    text = strip_tags(text)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])", r"\2", text)
    text = re.sub(r"~~(.+?)~~", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def _markdown_parser() -> MarkdownIt:
    """CommonMark as MDX reads it: no indented code, no HTML blocks (a JSX line does not swallow the
    heading below it), inline tags kept as html_inline tokens. Only headings get their inline
    content parsed (`_headings_inline` in place of markdown-it's `inline` rule): nothing here reads
    another block's, and that parse was more than half of reading a doc (an unchanged re-ingest
    reads every doc). One parser per process: a MarkdownIt keeps no state between parses."""
    from markdown_it import MarkdownIt

    md = (
        MarkdownIt("commonmark", {"html": True})
        .enable(["strikethrough", "table"])
        .disable(["code", "html_block"])
    )
    md.core.ruler.at("inline", _headings_inline)
    return md


def _headings_inline(state: StateCore) -> None:
    """markdown-it's core `inline` rule for the inline token of each heading only (the others keep
    no children); the rules after it (text_join, ...) then run as they always do."""
    tokens = state.tokens
    for n, token in enumerate(tokens):
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if n and tokens[n - 1].type == "heading_open":
                state.md.inline.parse(token.content, state.md, state.env, token.children)


@dataclass(frozen=True)
class _ParsedHeading:
    level: int
    text: str  # mdast-util-to-string of the heading: what the headings plugin slugs
    last_line: int  # index of the heading's last source line (setext headings span two)


def _heading_text(children: list[Token]) -> str:
    """The heading's text as mdast-util-to-string gives it: text, code and image alt; tags dropped;
    entities and escapes already decoded by the parser. An MDX expression `{x}` gives its code `x`
    (braces never reach a slug; a `{#id}` stays for heading_anchor)."""
    parts = []
    for tok in children:
        if tok.type == "text":
            parts.append(_MDX_EXPRESSION.sub(r"\1", tok.content))
        elif tok.type in {"code_inline", "text_special"}:
            parts.append(tok.content)
        elif tok.type == "image":
            parts.append(_heading_text(tok.children or []))
        elif tok.type == "softbreak":
            parts.append("\n")
    return "".join(parts)


def parse_headings(lines: list[str]) -> dict[int, _ParsedHeading]:
    """Index of a heading's first line -> the heading, for every ATX or setext heading the parser
    finds (also inside list items and block quotes; never inside code)."""
    tokens = _markdown_parser().parse("\n".join(lines))
    out: dict[int, _ParsedHeading] = {}
    for n, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map is not None:
            inline = tokens[n + 1]
            out[tok.map[0]] = _ParsedHeading(
                int(tok.tag[1]), _heading_text(inline.children or []), tok.map[1] - 1
            )
    return out


def heading_anchor(text: str, slugger: Slugger) -> tuple[str, str]:
    """(shown text, anchor) as Docusaurus's headings plugin computes them: an explicit `{#id}` at
    the end wins (and is not counted by the slugger), else github-slugger over the text."""
    m = _EXPLICIT_ID.search(text)
    if m:
        return _squash(text.replace(m.group(0), "", 1)), m.group(1).strip()
    return _squash(text), slugger.slug(text)


def _squash(text: str) -> str:
    """Shown text: whitespace collapsed, MDX comments and the marks of dropped HTML comments gone."""
    return re.sub(r"\s+", " ", re.sub(r"/\*.*?\*/", "", text).replace(_DROPPED, "")).strip()


def _unwrap_mdx_code_blocks(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(lines):
        m = _MDX_CODE_BLOCK.match(lines[i][0])
        if m:
            fence = m.group(1)
            j = i + 1
            while j < len(lines) and lines[j][0].strip() != fence:
                j += 1
            if j < len(lines):
                out.extend(lines[i + 1 : j])
                i = j + 1
                continue
        out.append(lines[i])
        i += 1
    return out


def _strip_multiline(lines: list[tuple[str, int]], pattern: re.Pattern[str]) -> list[tuple[str, int]]:
    """Remove comments that may span lines, outside code fences, keeping line numbers of what stays."""
    out: list[tuple[str, int]] = []
    fence: str | None = None
    buffer: list[tuple[str, int]] = []
    opener, closer = ("{/*", "*/}") if pattern is _MDX_COMMENT else ("<!--", "-->")
    for text, line in lines:
        if buffer:
            buffer.append((text, line))
            joined = "\n".join(t for t, _ in buffer)
            if closer in text:
                cleaned = pattern.sub("", joined)
                first = buffer[0][1]
                kept = cleaned.split("\n")
                out.extend((t, first if n == 0 else line) for n, t in enumerate(kept) if t.strip() or n == 0)
                buffer = []
            continue
        m = _FENCE.match(text)
        if fence is None and m:
            fence = m.group("fence")
        elif (
            fence is not None
            and text.strip().startswith(fence[0] * len(fence))
            and set(text.strip()) <= {fence[0]}
        ):
            fence = None
        elif fence is None:
            if _ATX_HEADING.match(text) and pattern is _MDX_COMMENT:
                text = _COMMENT_IN_HEADING.sub(r"\1", _COMMENT_ID.sub(r"{#\1}", text))
            elif _ATX_HEADING.match(text):
                text = pattern.sub(_DROPPED, text)
            text = pattern.sub("", text)
            if opener in text and closer not in text[text.index(opener) :]:
                buffer = [(text, line)]
                continue
        out.append((text, line))
    out.extend(buffer)
    return out


# (import specifier, importing file) -> (the partial's file, its Markdown without front matter), or None
PartialReader = Callable[[str, Path], "tuple[Path, str] | None"]


def site_partial_reader(site_root: Path) -> PartialReader:
    """Read the Markdown partials a doc imports, as Docusaurus resolves them: a relative path from
    the importing file, or `@site/...` from the site folder. Only .md/.mdx files inside the site
    folder are read; anything else (a package, a file outside the site, a missing file) is None."""
    from bookctl.errors import SiteError
    from bookctl.site.docs import parse_front_matter

    root = site_root.resolve()

    def read(spec: str, importer: Path) -> tuple[Path, str] | None:
        if spec.startswith("@site/"):
            target = root / spec[len("@site/") :]
        elif spec.startswith(("./", "../")):
            target = importer.parent / spec
        else:
            return None
        target = target.resolve()
        if target.suffix not in {".md", ".mdx"} or not target.is_relative_to(root) or not target.is_file():
            return None
        try:
            return target, parse_front_matter(target.read_text(encoding="utf-8"), target).body
        except (UnicodeDecodeError, OSError, SiteError):
            return None

    return read


def _markdown_imports(lines: list[tuple[str, int]]) -> dict[str, str]:
    """Component name -> specifier of every default import of a .md/.mdx file in the ESM blocks,
    by the one import parser the site model's `partials` field uses (bookctl.site.partials)."""
    from bookctl.site.partials import import_statements

    return {
        s["default"]: s["specifier"]
        for s in import_statements("\n".join(text for text, _ in lines))
        if s["default"] and re.search(r"\.mdx?$", s["specifier"])
    }


def _fill_props(body: str, props: dict[str, str]) -> str:
    """`{props.name}` in a partial, as the page shows it with `<Partial name="..." />`."""
    return _PROPS_REFERENCE.sub(lambda m: props.get(m.group(1), m.group(0)), body)


def clean_mdx(
    source: str,
    *,
    path: Path,
    read_partial: PartialReader,
    first_line: int = 1,
    maintain_case: bool = False,
    npm2yarn: Npm2Yarn | None = None,
    _depth: int = 0,
    _seen: frozenset[Path] = frozenset(),
) -> CleanDoc:
    """Clean one file. A partial it imports and renders (`<Setup />`) is cleaned in its place, its
    lines cited at the line that renders it; nested partials too, a cycle or more than
    MAX_PARTIAL_DEPTH levels stop where they would repeat. `maintain_case`: the site's
    markdown.anchors.maintainCase (anchors keep the heading's case). `npm2yarn`: the docs
    instance's remark-plugin-npm2yarn, whose code blocks become one tab per package manager."""
    slugger = Slugger(
        maintain_case=maintain_case
    )  # one per file: a partial is compiled on its own, with its own anchors
    lines = [(t, first_line + n) for n, t in enumerate(source.split("\n"))]
    lines = _unwrap_mdx_code_blocks(lines)
    lines = _strip_multiline(lines, _MDX_COMMENT)
    lines = _strip_multiline(lines, _HTML_COMMENT)
    parsed_headings = parse_headings([t for t, _ in lines])
    out: list[tuple[str, int]] = []
    headings: list[Heading] = []
    partials = _markdown_imports(lines)
    seen = _seen | {path.resolve()}
    fence: str | None = None
    in_import = False
    in_head = False
    in_tag = False  # inside a JSX opening tag that spans lines
    skip_to = -1  # the rest of a setext heading
    for index, (text, line) in enumerate(lines):
        if index <= skip_to:
            continue
        stripped = text.strip()
        if in_tag:
            if _tag_closes("<x " + text):
                in_tag = False
            continue
        if fence is not None:
            out.append((text, line))
            if _closes(stripped, fence):
                fence = None
            continue
        m = _FENCE.match(text)
        if m:
            info = m.group("info").strip().split(None, 1)
            if npm2yarn is not None and len(info) == 2 and info[1].strip() == "npm2yarn":
                end = _fence_end(lines, index, m.group("fence"))
                body = "\n".join(t for t, _ in lines[index + 1 : end])
                for label, code in npm2yarn.tabs(body):
                    out.append((f"**{label}:**", line))
                    out.extend(
                        (t, line)
                        for t in [
                            f"{m.group('indent')}{m.group('fence')}{info[0]}",
                            *code.split("\n"),
                            f"{m.group('indent')}{m.group('fence')}",
                        ]
                    )
                skip_to = end
                continue
            fence = m.group("fence")
            out.append((text, line))
            continue
        if in_import:
            if not stripped:
                in_import = False
            continue
        if _IMPORT_START.match(text):
            statement_done = bool(
                re.search(r"""(from\s+['"][^'"]+['"]|^import\s+['"][^'"]+['"])\s*;?\s*$""", text)
            ) or (stripped.startswith("export") and (stripped.endswith(";") or stripped.endswith("}")))
            in_import = not statement_done
            continue
        if in_head:
            if "</head>" in text:
                in_head = False
            continue
        if stripped.startswith("<head>") or stripped == "<head":
            in_head = "</head>" not in text
            continue
        use = _PARTIAL_USE.match(text)
        if use and use.group(1) in partials:
            found = read_partial(partials[use.group(1)], path) if _depth < MAX_PARTIAL_DEPTH else None
            if found is not None and found[0] not in seen:
                props = {
                    m.group(1): m.group(2) or m.group(3) or m.group(4) for m in _ATTR.finditer(use.group(2))
                }
                body = _fill_props(found[1], props)
                inner = clean_mdx(
                    body,
                    path=found[0],
                    read_partial=read_partial,
                    first_line=line,
                    maintain_case=maintain_case,
                    npm2yarn=npm2yarn,
                    _depth=_depth + 1,
                    _seen=seen,
                )
                out.extend((t, line) for t in inner.markdown.split("\n"))
                headings.extend(Heading(h.text, h.level, h.anchor, line) for h in inner.headings)
            continue  # a partial that cannot be read renders nothing here
        adm = _ADMONITION_OPEN.match(text)
        if adm:
            kind = adm.group("kind").lower()
            label = ADMONITION_LABELS.get(kind, kind.capitalize())
            title = inline_text(adm.group("t1") or adm.group("t2") or "")
            out.append(
                (
                    f"{adm.group('indent')}**{label}: {title}**"
                    if title
                    else f"{adm.group('indent')}**{label}:**",
                    line,
                )
            )
            continue
        if _ADMONITION_CLOSE.match(text):
            continue
        tab = _TAB_ITEM.search(text)
        if tab:
            attrs = {m.group(1): m.group(2) or m.group(3) or m.group(4) for m in _ATTR.finditer(tab.group(1))}
            label = attrs.get("label") or attrs.get("value") or "Tab"
            rest = _TAG.sub("", text).strip()
            out.append((f"**{label}:**", line))
            if rest:
                out.append((rest, line))
            continue
        parsed = parsed_headings.get(index)
        if parsed is not None:
            rendered, anchor = heading_anchor(parsed.text, slugger)
            headings.append(Heading(rendered, parsed.level, anchor, line))
            out.append((f"{'#' * parsed.level} {rendered}", line))
            skip_to = parsed.last_line
            continue
        if _OPEN_TAG_START.match(text) and not _tag_closes(text):
            in_tag = True
            continue
        if "<" in text:
            without = strip_tags(text)
            if not without.strip() and stripped:
                continue  # a line of tags only
            text = without
        out.append((text, line))
    kept = _trim(_squeeze_blank_lines(out))
    return CleanDoc("\n".join(t for t, _ in kept), headings, [n for _, n in kept])


def _closes(stripped: str, fence: str) -> bool:
    """Whether a (stripped) line closes a code block opened by `fence`: at least as many of its
    fence characters and nothing else."""
    return stripped.startswith(fence) and set(stripped) <= {fence[0]}


def _fence_end(lines: list[tuple[str, int]], start: int, fence: str) -> int:
    """The index of the line that closes the code block opened at `start` (the last line when none does)."""
    for i in range(start + 1, len(lines)):
        if _closes(lines[i][0].strip(), fence):
            return i
    return len(lines) - 1


def _squeeze_blank_lines(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    fence: str | None = None
    for text, line in lines:
        m = _FENCE.match(text)
        if fence is None and m:
            fence = m.group("fence")
        elif fence is not None and _closes(text.strip(), fence):
            fence = None
        elif fence is None and not text.strip() and out and not out[-1][0].strip():
            continue
        out.append((text.rstrip() if fence is None else text, line))
    return out


def _trim(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    start = 0
    while start < len(lines) and not lines[start][0].strip():
        start += 1
    end = len(lines)
    while end > start and not lines[end - 1][0].strip():
        end -= 1
    return lines[start:end]
