"""A doc's tags as Docusaurus normalises them (@docusaurus/utils tags.ts, tagsFile.ts).

A tag in the front matter is a string or a `{label, permalink}` object. A string names a
predefined tag when the docs version has a tags file (`tags.yml` beside its docs, or the file the
docs option `tags` names; a translation's copy first): that tag's label, permalink and description,
not inline. Any other string is an inline tag, its permalink lodash's kebabCase of it. Every
permalink is under the version's tags path; a tag repeated (by permalink) counts once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bookctl.errors import SiteError
from bookctl.site.docs import yaml_loader
from bookctl.site.urls import normalize_url

MAX_TAGS_FILE_BYTES = 1024 * 1024


def kebab(text: str) -> str:
    """lodash kebabCase, for tag permalinks."""
    words = re.findall(r"[A-Z]{2,}(?=[A-Z][a-z]|[^A-Za-z]|$)|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\x00-\x7f]+", text)
    return "-".join(w.lower() for w in words)


def _capitalize(text: str) -> str:
    """lodash capitalize: the first character upper case, the rest lower case."""
    return text[:1].upper() + text[1:].lower()


def read_tags_file(
    folders: list[Path], name: str | None, *, required: bool, option_file: Path | None
) -> dict[str, dict[str, Any]] | None:
    """The predefined tags of a docs version: key -> {label, permalink, description?}, from the first
    of `folders` (the localized docs folder, then the docs folder) that holds `name`; None when there
    is none to read (`name` None, or the default file absent)."""
    if name is None:
        return None
    path = next((f / name for f in folders if (f / name).is_file()), None)
    if path is None:
        if required:
            raise SiteError(
                f"the tags file {name!r} does not exist in {folders[-1]}",
                path=str(option_file) if option_file else None,
                fix="create it, or remove the docs option `tags` (or set it to false)",
            )
        return None
    if path.stat().st_size > MAX_TAGS_FILE_BYTES:
        raise SiteError("the tags file is larger than 1 MB", path=str(path))
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        raise SiteError("the tags file is empty", path=str(path), fix="list tags in it, or delete it")
    try:
        data = yaml.load(text, Loader=yaml_loader())  # noqa: S506 - a SafeLoader (js-yaml's booleans)
    except yaml.YAMLError as exc:
        raise SiteError(f"the tags file is not valid YAML: {exc}", path=str(path)) from None
    if not isinstance(data, dict):
        raise SiteError(
            "the tags file must map each tag key to its label, permalink and description", path=str(path)
        )
    out: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        value = value or {}
        if not isinstance(value, dict) or any(
            not isinstance(value.get(f), str) for f in ("label", "permalink", "description") if f in value
        ):
            raise SiteError(
                f"tag {key!r}: give a label, a permalink and a description as strings (or nothing)",
                path=str(path),
            )
        tag: dict[str, Any] = {
            "label": value.get("label") or _capitalize(str(key)),
            "permalink": value.get("permalink") or f"/{kebab(str(key))}",
        }
        if value.get("description"):
            tag["description"] = value["description"]
        out[str(key)] = tag
    return out


def doc_tags(
    front_matter: dict[str, Any], tags_path: str, tags_file: dict[str, dict[str, Any]] | None
) -> list[dict[str, Any]]:
    raw = front_matter.get("tags")
    if not isinstance(raw, list):
        return []
    out: list[dict[str, Any]] = []
    for tag in raw:
        if isinstance(tag, str):
            known = tags_file.get(tag) if tags_file else None
            if known is not None:
                permalink = normalize_url([tags_path, known["permalink"]])
                out.append({**known, "permalink": permalink, "inline": False})
            else:
                out.append(
                    {"label": tag, "permalink": normalize_url([tags_path, kebab(tag)]), "inline": True}
                )
        elif isinstance(tag, dict) and isinstance(tag.get("label"), str):
            permalink = str(tag.get("permalink") or kebab(tag["label"]))
            out.append(
                {"label": tag["label"], "permalink": normalize_url([tags_path, permalink]), "inline": True}
            )
    return out  # a tag written twice is listed twice, as Docusaurus lists it
