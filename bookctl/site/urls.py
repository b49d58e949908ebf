"""URL and slug helpers with Docusaurus's semantics (normalizeUrl, resolvePathname, github-slugger)."""

from __future__ import annotations

import re


def normalize_url(parts: list[str]) -> str:
    """Join URL path parts with single slashes, keeping the last part's trailing slash."""
    out: list[str] = []
    has_start = False
    has_end = False
    for i, part in enumerate(parts):
        if part == "":
            if i == len(parts) - 1 and has_end:
                out.append("/")
            continue
        if part != "/":
            if i > 0:
                part = re.sub(r"^/+", "/" if part.startswith("/") and not has_start else "", part)
            has_end = part.endswith("/")
            part = re.sub(r"/+$", "" if i < len(parts) - 1 else "/", part)
        has_start = True
        out.append(part)
    url = "/".join(out)
    url = re.sub(r"([^:/]/)/+", r"\1", url)
    return re.sub(r"^/+", "/", url)


def resolve_pathname(to: str, base: str) -> str:
    """Resolve a relative path against a base path the way browsers (and resolve-pathname) do."""
    if to.startswith("/"):
        return to
    base_parts = base.split("/")[:-1]  # the base's "directory"
    parts = base_parts + to.split("/")
    out: list[str] = []
    for i, seg in enumerate(parts):
        last = i == len(parts) - 1
        if seg == ".":
            if last:
                out.append("")
            continue
        if seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
            continue
        out.append(seg)
    path = "/".join(out)
    return path if path.startswith("/") else "/" + path


def github_slug(text: str, *, maintain_case: bool = False) -> str:
    """The slug github-slugger gives (without the de-duplication suffix): lower-cased, the characters
    its regex lists removed (bookctl.site.slugger_table, generated from that regex), spaces -> '-'."""
    from bookctl.site.slugger_table import REMOVED

    if not maintain_case:
        text = text.lower()
    return REMOVED.sub("", text).replace(" ", "-")


class Slugger:
    """github-slugger: repeated slugs get -1, -2, ... suffixes."""

    def __init__(self, *, maintain_case: bool = False) -> None:
        self.occurrences: dict[str, int] = {}
        self.maintain_case = maintain_case

    def slug(self, text: str) -> str:
        slug = original = github_slug(text, maintain_case=self.maintain_case)
        while slug in self.occurrences:
            self.occurrences[original] += 1
            slug = f"{original}-{self.occurrences[original]}"
        self.occurrences[slug] = 0
        return slug
