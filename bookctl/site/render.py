"""Rich views of a site (the CLI renders; the library computes)."""

from __future__ import annotations

from typing import Any

from rich.tree import Tree

from bookctl.site.model import Doc, Site


def _doc_node(parent: Tree, doc: Doc, label: str) -> None:
    node = parent.add(f"[bold]{label}[/]  [dim]{doc.permalink}[/]")
    section = node  # h3s hang under the h2 above them
    for h in doc.headings:
        if h.level == 2:
            section = node.add(f"{h.text} [dim]#{h.anchor}[/]")
        elif h.level == 3:
            section.add(f"[dim]{h.text}[/]")


def chapters_tree(site: Site) -> Tree:
    docs = {d.id: d for d in site.docs}
    root = Tree(f"[bold]{site.root}[/] ({len(site.docs)} docs, {len(site.sidebars)} sidebars)")

    def walk(parent: Tree, items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["type"] in {"doc", "ref"} and item["id"] in docs:
                _doc_node(parent, docs[item["id"]], item["label"])
            elif item["type"] == "category":
                link = item.get("link") or {}
                node = parent.add(f"[bold cyan]{item['label']}[/]")
                if link.get("type") == "doc" and link["id"] in docs:
                    _doc_node(node, docs[link["id"]], docs[link["id"]].title)
                walk(node, item["items"])
            elif item["type"] == "link":
                parent.add(f"[blue]{item['label']}[/] [dim]{item['href']}[/]")

    for sidebar_id, items in site.sidebars.items():
        walk(root.add(f"[magenta]sidebar {sidebar_id}[/]"), items)
    outside = [d for d in site.docs if d.sidebar is None]
    if outside:
        node = root.add("[magenta]in no sidebar[/]")
        for doc in outside:
            _doc_node(node, doc, doc.title)
    return root
