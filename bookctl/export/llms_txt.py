"""`llms.txt`, `llms-full.txt` and one `.md` per doc, from the site model.

    files = llms_txt_files(views, identity)    # [ExportedFile(path, text)], paths relative to the
    write_files(files, out_dir)                #   site's baseUrl (the Docusaurus build folder)

`llms.txt` follows llmstxt.org: `# title`, `> summary`, a paragraph on what the file holds, then
one `## section` per sidebar category (nested categories as "Parent > Child"), in sidebar order,
each a list of `- [doc title](url of its .md): description`. Docs at a sidebar's top level, outside
any category, form a section named after the first of them; docs in no sidebar come last, under
"Other docs". Unlisted docs (front matter `unlisted: true`) are left out of both lists, as
Docusaurus leaves them out of its sidebars and sitemap, but keep their `.md`.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from bookctl.errors import InputError, SiteError
from bookctl.export.markdown import LinkTargets, doc_markdown, markdown_path, public_url
from bookctl.export.scopes import Scope, scopes, site_layout
from bookctl.site.model import Doc, Site, default_view

OTHER_DOCS = "Other docs"
OPTIONAL = "Optional"  # llmstxt.org: links a reader may skip (here: the other versions and locales)
# Characters kept as they are in a link's URL; the rest (spaces, parentheses, brackets) are
# percent-encoded so that the llms.txt link syntax `[title](url)` stays unambiguous.
_URL_SAFE = ":/?#@!$&'*+,;=%~"


@dataclass(frozen=True)
class SiteIdentity:
    """What the files say about the site: its title and summary, and its public `url` (absolute
    links when known, else links relative to the site's root)."""

    title: str
    summary: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ExportedFile:
    path: str  # relative to the output folder, "/"-separated
    text: str


@dataclass
class Section:
    name: str
    docs: list[Doc] = field(default_factory=list)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _link_title(text: str) -> str:
    """A doc title usable inside `[...]`: one line, no brackets (llms.txt parsers read up to `]`)."""
    return _one_line(text).replace("[", "(").replace("]", ")")


def _link_url(url: str) -> str:
    return quote(url, safe=_URL_SAFE)


def sidebar_sections(sidebars: dict[str, list[dict[str, Any]]], docs: list[Doc]) -> list[Section]:
    """The docs in sidebar order, grouped by category; each doc once (its first place)."""
    by_id = {d.id: d for d in docs if not d.unlisted}
    seen: set[str] = set()
    sections: list[Section] = []

    def take(doc_id: str | None, into: Section) -> None:
        if doc_id is not None and doc_id in by_id and doc_id not in seen:
            seen.add(doc_id)
            into.docs.append(by_id[doc_id])

    def walk_category(item: dict[str, Any], path: list[str]) -> None:
        here = Section(" > ".join(path))
        sections.append(here)
        link = item.get("link") or {}
        if link.get("type") == "doc":
            take(link.get("id"), here)
        nested: list[tuple[dict[str, Any], list[str]]] = []
        for child in item.get("items", []):
            if child["type"] == "category":
                nested.append((child, [*path, str(child["label"])]))
            elif child["type"] in {"doc", "ref"}:
                take(child.get("id"), here)
        for child, child_path in nested:
            walk_category(child, child_path)

    for items in sidebars.values():
        loose: Section | None = None  # a run of top-level docs between categories
        for item in items:
            if item["type"] == "category":
                loose = None
                walk_category(item, [str(item["label"])])
            elif item["type"] in {"doc", "ref"}:
                if loose is None:
                    doc = by_id.get(item.get("id", ""))
                    loose = Section(doc.title if doc is not None else str(item.get("label", "")))
                    sections.append(loose)
                take(item.get("id"), loose)
    rest = Section(OTHER_DOCS, [d for d in docs if not d.unlisted and d.id not in seen])
    sections.append(rest)
    kept = [s for s in sections if s.docs]
    names: dict[str, int] = {}
    for section in kept:  # section names are keys: llms.txt readers merge sections of one name
        n = names[section.name] = names.get(section.name, 0) + 1
        if n > 1:
            section.name = f"{section.name} ({n})"
    return kept


def _relative_path(url_path: str, base_url: str) -> str | None:
    """The file path, under the output folder, of a site path (the baseUrl is the folder itself);
    None for a path that cannot be a file there (outside the baseUrl, `..`, empty segments)."""
    base = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    if not url_path.startswith(base):
        return None
    rel = unquote(url_path[len(base) :])
    parts = rel.split("/")
    if not rel or any(p in {"", ".", ".."} for p in parts) or "\\" in rel or "\0" in rel:
        return None
    return rel


def _header(identity: SiteIdentity, about: str) -> str:
    head = f"# {_one_line(identity.title)}\n"
    if identity.summary:
        head += f"\n> {_one_line(identity.summary)}\n"
    return head + f"\n{about}\n"


def _scope_files(
    scope: Scope, identity: SiteIdentity, base_url: str
) -> tuple[list[ExportedFile], dict[str, str]]:
    """The scope's llms.txt and llms-full.txt, and the Markdown page of each of its docs by permalink."""

    def url_of(doc: Doc) -> str:
        return public_url(identity.url, doc.permalink)

    targets = LinkTargets.of(scope.docs, scope.docs_paths, url_of, identity.url)
    pages = {d.permalink: doc_markdown(d, url_of(d), targets) for d in scope.docs}
    sections = sidebar_sections(scope.sidebars, scope.docs)
    listed = [d for s in sections for d in s.docs]
    here = (
        identity
        if not scope.label
        else SiteIdentity(f"{identity.title} ({scope.label})", identity.summary, identity.url)
    )
    full_url = public_url(identity.url, scope.root + "llms-full.txt")
    index = _header(
        here,
        f"The {len(listed)} docs of this site{f' ({scope.label})' if scope.label else ''}, by sidebar category "
        f"in sidebar order. Each link is the doc's Markdown (its page URL + `.md`); {full_url} holds every "
        "doc in one file.",
    )
    for section in sections:
        index += f"\n## {_one_line(section.name)}\n\n"
        for doc in section.docs:
            link = _link_url(public_url(identity.url, markdown_path(doc.permalink)))
            description = _one_line(doc.description)
            index += (
                f"- [{_link_title(doc.title)}]({link})" + (f": {description}" if description else "") + "\n"
            )
    if scope.others:
        index += f"\n## {OPTIONAL}\n\n"
        for other in scope.others:
            link = _link_url(public_url(identity.url, other.root + "llms.txt"))
            index += f"- [{_link_title(other.label)}]({link}): {_one_line(other.about)}\n"
    full = _header(
        here,
        f"Every doc of this site{f' ({scope.label})' if scope.label else ''} ({len(listed)}) as Markdown, "
        "in sidebar order; each starts with its title and its URL.",
    )
    full += "".join(f"\n{pages[d.permalink]}" for d in listed)
    files = []
    for name, text in (("llms.txt", index), ("llms-full.txt", full)):
        path = _relative_path(scope.root + name, base_url)
        if path is None:
            raise SiteError(f"the docs at {scope.root} are outside the site's baseUrl {base_url!r}")
        files.append(ExportedFile(path, text))
    return files, pages


def llms_txt_files(views: list[Site], identity: SiteIdentity) -> list[ExportedFile]:
    """Every file of the export: an llms.txt and llms-full.txt per scope (bookctl.export.scopes: the
    root one lists the others under Optional) and one .md per doc, for every view of the site
    (bookctl.site.loader.load_views: docs instance x version x locale)."""
    site = default_view(views)
    base_url, _ = site_layout(site)
    files: list[ExportedFile] = []
    pages: dict[str, str] = {}
    docs: dict[str, Doc] = {}
    for scope in scopes(views):
        scope_files, scope_pages = _scope_files(scope, identity, base_url)
        files += scope_files
        pages.update(scope_pages)
        docs.update((d.permalink, d) for d in scope.docs)
    taken: dict[str, str] = {}
    for permalink, doc in docs.items():
        path = _relative_path(markdown_path(permalink), base_url)
        if path is None:
            raise SiteError(
                f"the permalink {permalink!r} cannot be a file under the site's baseUrl {base_url!r}",
                path=str(doc.path),
                fix="give the doc a plain `slug` (no '..' or empty parts)",
            )
        if path in taken:
            raise SiteError(
                f"the docs {taken[path]!r} and {doc.id!r} would both be served as {path}",
                path=str(doc.path),
                fix="give one of them another slug",
            )
        taken[path] = doc.id
        files.append(ExportedFile(path, pages[permalink]))
    return files


def write_files(files: list[ExportedFile], out: Path) -> list[Path]:
    """Write each file under `out` (created if needed), each atomically: a crash leaves the old file
    or the new one. Files of earlier exports that are not in this one are left alone."""
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file", fix="pass a folder (it is created if needed)")
    root = out.resolve()
    written: list[Path] = []
    for file in files:
        target = (root / file.path).resolve()
        if not target.is_relative_to(root):  # _relative_path refuses this already: never write outside
            raise InputError(f"refusing to write {file.path} outside {root}")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".bookctl-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(file.text)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    return written
