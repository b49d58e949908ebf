"""Docs as Docusaurus 3 reads them: files, front matter, ids, titles, excerpts, slugs, permalinks.

Each rule mirrors a function of @docusaurus/plugin-content-docs or @docusaurus/utils
(named in the docstrings) so that `oracle.json`, produced by Docusaurus itself, is the test.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from bookctl.errors import SiteError
from bookctl.site.urls import normalize_url, resolve_pathname

# --- globs (globby semantics for include/exclude) -----------------------------------------------


def _expand_braces(pattern: str) -> list[str]:
    m = re.search(r"\{([^{}]*)\}", pattern)
    if not m:
        return [pattern]
    return [
        v
        for alt in m.group(1).split(",")
        for v in _expand_braces(pattern[: m.start()] + alt + pattern[m.end() :])
    ]


def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += r"(?:[^/]+/)*"
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out += r"(?:/.*)?"
            i += 3
        elif pattern.startswith("**", i):
            out += r".*"
            i += 2
        elif pattern[i] == "*":
            out += r"[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += r"[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


class GlobSet:
    def __init__(self, patterns: list[str]) -> None:
        self.regexes = [_glob_regex(p) for pat in patterns for p in _expand_braces(pat)]

    def match(self, rel_path: str) -> bool:
        return any(r.match(rel_path) for r in self.regexes)


def list_doc_files(
    docs_dir: Path, include: list[str], exclude: list[str], warnings: list[str] | None = None
) -> list[str]:
    """Paths (posix, relative to docs_dir) that Docusaurus would load, like Globby(include, {ignore}).
    A symlinked folder that loops back (or repeats one already read) is skipped, with a warning."""
    inc, exc = GlobSet(include), GlobSet(exclude)
    found: list[str] = []
    seen_dirs: set[Path] = set()
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue  # globby skips dot files and dot folders
        if path.is_symlink() and path.is_dir():
            real = path.resolve()
            if real in seen_dirs or docs_dir.resolve().is_relative_to(real):
                if warnings is not None:
                    warnings.append(f"{docs_dir.name}/{rel}: skipped, a symlink back to {real} (a loop)")
                continue
            seen_dirs.add(real)
        if not path.is_file():
            continue
        if inc.match(rel) and not exc.match(rel):
            found.append(rel)
    return found


# --- front matter (gray-matter + js-yaml) ----------------------------------------------------------


class _YamlLoader(yaml.SafeLoader):
    """YAML 1.2-like booleans (js-yaml): only true/false, not yes/no/on/off."""


_YamlLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def yaml_loader() -> type[yaml.SafeLoader]:
    """The YAML loader Docusaurus's files are read with (js-yaml's booleans): front matter, tags files."""
    return _YamlLoader


def _json_safe(value: Any) -> Any:
    """What JSON.parse(JSON.stringify(frontMatter)) gives: dates become ISO strings."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC) if value.tzinfo else value
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%dT00:00:00.000Z")
    return value


@dataclass
class ParsedFile:
    front_matter: dict[str, Any]
    content: str  # the body after the front matter, trimmed (as Docusaurus keeps it)
    body: str  # the body after the front matter, untrimmed
    body_first_line: int  # file line (1-based) where `body` starts


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)?^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def parse_front_matter(text: str, path: Path) -> ParsedFile:
    text = text.removeprefix("\ufeff")
    m = _FRONT_MATTER.match(text)
    if not m:
        return ParsedFile({}, text.strip(), text, 1)
    raw = m.group(1)
    try:
        data = yaml.load(raw, Loader=_YamlLoader) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for the opening ---, +1 for 1-based
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SiteError(
            f"invalid front matter: {problem}",
            path=str(path),
            line=line,
            fix="front matter must be valid YAML between two --- lines; quote values "
            "that contain ':' or start with special characters",
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SiteError("invalid front matter: expected key: value pairs", path=str(path), line=2)
    body = text[m.end() :]
    first_line = text[: m.end()].count("\n") + 1
    return ParsedFile(_json_safe(data), body.strip(), body, first_line)


# --- title and excerpt (markdownUtils.ts) ---------------------------------------------------------


def parse_content_title(content: str) -> str | None:
    """parseMarkdownContentTitle: the first `# heading` (or setext) after leading imports."""
    content = content.strip()
    without_import = re.sub(r"^(?:import\s(?:.|\r?\n(?!\r?\n))*(?:\r?\n){2,})*", "", content).strip()
    regular = re.match(r"#[ \t]+(?P<title>[^ \t].*)(?:\r?\n|$)", without_import)
    if regular:
        title = re.sub(r"\s*(?:\{#*[\w-]+\}|#+)$", "", regular.group("title").strip())
        return re.sub(r"`([^`]*)`", r"\1", title).strip()
    alternate = re.match(r"(?P<title>.*)\r?\n=+(?:\r?\n|$)", without_import)
    if alternate:
        title = re.sub(r"\s*=+$", "", alternate.group("title").strip())
        return re.sub(r"`([^`]*)`", r"\1", title).strip()
    return None


def create_excerpt(content: str) -> str | None:
    """createExcerpt: the first line of text that is not an import, code, or empty."""
    lines = re.split(r"\r?\n", re.sub(r"^[^\r\n]*\r?\n[=]+", "", content.lstrip()))
    in_code = False
    in_import = False
    last_fence = ""
    for line in lines:
        if not line.strip() and in_import:
            in_import = False
        if not line.strip():
            continue
        if (re.match(r"(?:import|export)\s.*", line) or in_import) and not in_code:
            in_import = True
            continue
        if line.strip().startswith("```"):
            fence = re.match(r"`+", line.strip()).group(0)  # type: ignore[union-attr]
            if not in_code:
                in_code = True
                last_fence = fence
            elif len(fence) >= len(last_fence):
                in_code = False
            continue
        if in_code:
            continue
        cleaned = re.sub(r"<[^>]*>", "", line)
        cleaned = re.sub(r"^#[^#]+#?", "", cleaned, flags=re.M)
        cleaned = re.sub(r"^#{1,6}\s*([^#]*?)\s*#{0,6}", r"\1", cleaned, flags=re.M)
        cleaned = re.sub(r"([*_]{1,3})(.*?)\1", r"\2", cleaned)
        cleaned = re.sub(r"~~(\S.*\S)~~", r"\1", cleaned)
        cleaned = re.sub(r"!\[(.*?)\][\[(].*?[\])]", r"\1", cleaned)
        cleaned = re.sub(r"\[\^.+?\](?:: .*$)?", "", cleaned)
        cleaned = re.sub(r"\[(.*?)\][\[(].*?[\])]", r"\1", cleaned)
        cleaned = re.sub(r"`(.+?)`", r"\1", cleaned)
        cleaned = re.sub(r"^\s{0,3}>\s?", "", cleaned)
        cleaned = re.sub(r":::.*", "", cleaned, count=1)
        cleaned = re.sub(r"\s?:(?:::|[^:\n])+:", "", cleaned)
        cleaned = re.sub(r"\{#*[\w-]+\}", "", cleaned, count=1).strip()
        if cleaned:
            return cleaned
    return None


# --- number prefixes, ids, slugs (numberPrefix.ts, docs.ts, slug.ts) ------------------------------

_IGNORED_PREFIX = re.compile(r"^\d+[-_.]\d+")
_NUMBER_PREFIX = re.compile(r"^(?P<prefix>\d+)\s*[-_.]+\s*(?P<suffix>[^-_.\s].*)$", re.S)


def parse_number_prefix(name: str, enabled: bool = True) -> tuple[str, int | None]:
    if not enabled or _IGNORED_PREFIX.match(name):
        return name, None
    m = _NUMBER_PREFIX.match(name)
    if not m:
        return name, None
    return m.group("suffix"), int(m.group("prefix"))


def strip_path_number_prefixes(path: str, enabled: bool = True) -> str:
    return "/".join(parse_number_prefix(seg, enabled)[0] for seg in path.split("/"))


def is_category_index(source: str, source_dir_name: str) -> bool:
    """isCategoryIndex: index.md, README.md, or a doc named like its folder."""
    file_name = PurePosixPath(source).stem.lower()
    first_dir = source_dir_name.split("/")[-1].lower() if source_dir_name else None
    return file_name in {"index", "readme", first_dir}


def compute_slug(
    *,
    base_id: str,
    source: str,
    source_dir_name: str,
    front_matter_slug: Any,
    strip_prefixes: bool,
    path: Path,
) -> str:
    dir_stripped = strip_path_number_prefixes(source_dir_name, strip_prefixes)
    dir_slug = "/" if source_dir_name == "." else "/" + dir_stripped.strip("/") + "/"
    if front_matter_slug is not None and not isinstance(front_matter_slug, str):
        front_matter_slug = str(front_matter_slug)
    if front_matter_slug and front_matter_slug.startswith("/"):
        slug = front_matter_slug
    elif not front_matter_slug and is_category_index(source, source_dir_name):
        slug = dir_slug
    else:
        slug = resolve_pathname(front_matter_slug or base_id, dir_slug)
    if not slug.startswith("/") or "//" in slug:
        raise SiteError(
            f"cannot compute a valid slug for doc id {base_id!r}: {slug}",
            path=str(path),
            fix="set an explicit front matter slug such as `slug: /my/path`",
        )
    return slug


@dataclass
class DocBase:
    """A doc before the sidebars are known."""

    id: str
    base_id: str
    title: str
    description: str
    source: str  # relative to the docs folder, posix
    source_dir_name: str
    slug: str
    permalink: str
    sidebar_position: int | float | None
    front_matter: dict[str, Any]
    draft: bool
    unlisted: bool
    path: Path
    parsed: ParsedFile


def read_doc(docs_dir: Path, rel: str, *, version_path: str, number_prefix_parser: bool) -> DocBase:
    path = docs_dir / rel
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SiteError(f"cannot read doc: {exc.strerror}", path=str(path)) from None
    if b"\x00" in raw[:8192]:
        raise SiteError(
            "not a text file (binary content)",
            path=str(path),
            fix="remove it from the docs folder or exclude it with --exclude",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SiteError("not UTF-8 text", path=str(path), line=line, fix="save the file as UTF-8") from None
    parsed = parse_front_matter(text, path)
    fm = parsed.front_matter
    parse_prefixes = fm.get("parse_number_prefixes", True) is not False and number_prefix_parser
    stem = posixpath.splitext(posixpath.basename(rel))[0]
    source_dir_name = posixpath.dirname(rel) or "."
    unprefixed, number_prefix = parse_number_prefix(stem, parse_prefixes)
    base_id = str(fm["id"]) if fm.get("id") is not None else unprefixed
    if "/" in base_id:
        raise SiteError(
            f'doc id "{base_id}" cannot include a slash',
            path=str(path),
            line=2,
            fix="use a front matter id without '/'; the folder path is added for you",
        )
    position = fm.get("sidebar_position", number_prefix)
    dir_prefix = (
        None if source_dir_name == "." else strip_path_number_prefixes(source_dir_name, parse_prefixes)
    )
    doc_id = "/".join(p for p in (dir_prefix, base_id) if p)
    slug = compute_slug(
        base_id=base_id,
        source=rel,
        source_dir_name=source_dir_name,
        front_matter_slug=fm.get("slug"),
        strip_prefixes=parse_prefixes,
        path=path,
    )
    title = fm.get("title")
    if title is None:
        title = parse_content_title(parsed.content)
    if title is None:
        title = base_id
    description = fm.get("description")
    if description is None:
        description = create_excerpt(parsed.content) or ""
    return DocBase(
        id=doc_id,
        base_id=base_id,
        title=str(title),
        description=str(description),
        source=rel,
        source_dir_name=source_dir_name,
        slug=slug,
        permalink=normalize_url([version_path, slug]),
        sidebar_position=position,
        front_matter=fm,
        draft=fm.get("draft") is True,
        unlisted=fm.get("unlisted") is True,
        path=path,
        parsed=parsed,
    )
