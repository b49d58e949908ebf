"""Compare `bookctl chapters --json SITE` with a make-site-oracle oracle (schema v2), field by field.

    python tools/compare_site_oracle.py SITE ORACLE.json

Prints each kind of difference with its count and a first example, then the total (0: equal on
locales, versions, every doc field, sidebars and generated indexes). Exit code 1 when they differ.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from typing import Any

VERSION_KEYS = [
    "name", "label", "path", "isLast", "banner", "badge", "noIndex", "className", "tagsPath",
    "routePriority", "versionRoutePath", "contentPath", "contentPathLocalized", "sidebarFile", "pluginId", "locale",
]  # fmt: skip
LOCALE_KEYS = ["locale", "isDefaultLocale", "baseUrl", "label", "htmlLang", "direction"]


def compare(ours: dict[str, Any], oracle: dict[str, Any]) -> tuple[collections.Counter[str], dict[str, Any]]:
    diffs: collections.Counter[str] = collections.Counter()
    examples: dict[str, Any] = {}

    def note(kind: str, example: Any) -> None:
        diffs[kind] += 1
        examples.setdefault(kind, example)

    for code, theirs_locale in oracle["locales"].items():
        mine_locale = ours.get("locales", {}).get(code)
        if mine_locale is None:
            note("missing locale", code)
            continue
        for k in LOCALE_KEYS:
            if mine_locale.get(k) != theirs_locale.get(k):
                note(f"locale.{k}", (code, mine_locale.get(k), theirs_locale.get(k)))
        for iid, theirs_inst in theirs_locale["instances"].items():
            mine_inst = mine_locale["instances"].get(iid)
            if mine_inst is None:
                note("missing instance", (code, iid))
                continue
            names = [v["name"] for v in theirs_inst["versions"]]
            if [v["name"] for v in mine_inst["versions"]] != names:
                note("versions", (code, iid, [v["name"] for v in mine_inst["versions"]], names))
                continue
            for mine, theirs in zip(mine_inst["versions"], theirs_inst["versions"], strict=True):
                where = (code, iid, theirs["name"])
                for k in VERSION_KEYS:
                    if mine.get(k) != theirs.get(k):
                        note(f"version.{k}", (where, mine.get(k), theirs.get(k)))
                if [d["id"] for d in mine["docs"]] != [d["id"] for d in theirs["docs"]]:
                    note("doc ids", where)
                    continue
                for md, d in zip(mine["docs"], theirs["docs"], strict=True):
                    for k, value in d.items():
                        if md.get(k) != value:
                            note(f"doc.{k}", (where, d["id"], md.get(k), value))
                if mine["sidebars"] != theirs["sidebars"]:
                    note("sidebars", where)
                if mine["generatedIndices"] != theirs["generatedIndices"]:
                    note("generatedIndices", where)
    return diffs, examples


def main(site: str, oracle_file: str) -> int:
    out = subprocess.run(
        [sys.executable, "-m", "bookctl", "chapters", "--json", site], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        print(out.stderr.strip())
        return 2
    with open(oracle_file, encoding="utf-8") as fh:
        oracle = json.load(fh)
    diffs, examples = compare(json.loads(out.stdout), oracle)
    for kind, n in diffs.most_common():
        print(n, kind, json.dumps(examples[kind], ensure_ascii=False)[:400])
    print("differences:", sum(diffs.values()))
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
