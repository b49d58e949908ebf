"""Each doc's `partials` (its local imports of partials) as oracle.json v2 lists them: checked on React
Native's docs (tests/mdx/rn-partials) against the oracle Docusaurus-side tooling made for that site."""

from __future__ import annotations

import json
from pathlib import Path

from bookctl.site.partials import import_statements, partials_of

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "mdx" / "rn-partials" / "docs"


def test_react_native_docs_against_the_oracle() -> None:
    oracle = json.loads((HERE / "rn-partials.oracle.json").read_text())["partials"]
    assert sum(len(v) for v in oracle.values()) >= 8
    website = DOCS.parent / "website"  # the oracle's paths are relative to RN's website/ folder, beside docs/
    for rel, want in oracle.items():
        path = DOCS / rel
        assert partials_of(path, path.read_text(encoding="utf-8"), website) == want, rel


def test_import_forms(tmp_path: Path) -> None:
    text = (
        "---\ntitle: x\n---\n\n"
        "import A from './_a.md'; import {B, C as D} from \"../_b.mdx\"\n"
        "import * as E from '@site/docs/_e.mdx';\n\n"
        "```js\nimport Skipped from './_no.md';\n```\n\n"
        "```mdx-code-block\nimport F from './\\_f.md';\n```\n\n"
        "Text import G from './_g.md'\n"
    )
    rows = [(r["line"], r["specifier"], r["default"], r["named"]) for r in import_statements(text)]
    assert rows == [
        (5, "./_a.md", "A", []),
        (5, "../_b.mdx", None, ["B", "D"]),
        (6, "@site/docs/_e.mdx", None, []),
        (12, "./_f.md", "F", []),  # the mdx-code-block fence lines are gone, as after unwrapMdxCodeBlocks
    ]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "_a.md").write_text("A")
    doc = tmp_path / "docs" / "page.mdx"
    found = partials_of(doc, text, tmp_path)
    assert found["A"] == {
        "specifier": "./_a.md",
        "source": "docs/_a.md",
        "exists": True,
        "markdown": True,
        "line": 5,
    }
    assert found["F"]["rawSpecifier"] == "./\\_f.md" and found["F"]["exists"] is False
    assert found["B"]["named"] == ["B", "D"] and found["B"]["source"] == "_b.mdx"
    assert found["E"]["source"] == "docs/_e.mdx"
