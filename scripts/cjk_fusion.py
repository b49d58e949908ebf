"""The hybrid fusion's dense share on Chinese and Japanese views (issue 14), with the real searcher
(bookctl.index.searcher: BM25 and cosine candidates, title and heading terms, best part per
section). Questions as scripts/cjk_bm25.py: each unique section heading of a translated 0.23 page,
its section (doc#anchor) to find at rank 1 among the locale's 0.23 view; in two halves by a hash of
the question (scripts/language_id.py's `half`: choose on `tune`, report `held`). The index is of a
copy of yew-site cut to version 0.23 (no Next) and en, ja, zh-Hans, zh-Hant, built once in DIR.

    python scripts/cjk_fusion.py [DIR]      # default /tmp/bookctl-cjk-fusion; ~5 min to build

Prints, per locale and half, recall@1 for each dense share tried (both DENSE_WEIGHT and
CJK_DENSE_WEIGHT set to it) and with the searcher's constants as they are (`shipped`)."""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections import Counter
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from language_id import half  # noqa: E402
from multilingual_headings import SITE, sections  # noqa: E402

from bookctl.config import load_settings  # noqa: E402
from bookctl.index import open_searcher, read_meta  # noqa: E402
from bookctl.index import searcher as searcher_module  # noqa: E402

LOCALES = ["en", "ja", "zh-Hans", "zh-Hant"]
MINILM = {"translations_model": "none"}  # these figures are MiniLM's on every view
WEIGHTS = (0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0)


def build(root: Path, **extra: str) -> tuple[Path, Path]:
    """The index in `root` (built if missing); `extra`: settings for the ingest (translations_model)."""
    site, data = root / "website", root / "state"
    if read_meta(data) is not None:
        return site, data
    from bookctl.ingest import ingest

    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(SITE, site)
    (site / "versions.json").write_text(json.dumps(["0.23"]))
    config = site / "docusaurus.config.js"
    text = config.read_text()
    old = "routeBasePath: '/docs',"
    assert old in text
    config.write_text(text.replace(old, old + "\n                    includeCurrentVersion: false,"))
    started = time.perf_counter()
    result = ingest(load_settings({"site": site, "data_dir": data, **extra}, env={}))
    print(json.dumps({"built": result.chunks, "s": round(time.perf_counter() - started, 1)}), flush=True)
    return site, data


def main(root: Path) -> None:
    site, data = build(root, **MINILM)
    questions = sections()
    shipped = (searcher_module.DENSE_WEIGHT, getattr(searcher_module, "CJK_DENSE_WEIGHT", None))
    pooled: Counter[str] = Counter()  # the three CJK views together: what the one constant is chosen on
    for locale in LOCALES:
        settings = load_settings(
            {"site": site, "data_dir": data, "locale": locale, "docs_version": "0.23", **MINILM}, env={}
        )
        s = open_searcher(settings)
        s.dense_vector = cache(s.dense_vector)  # type: ignore[method-assign]
        hits: Counter[str] = Counter()
        n: Counter[str] = Counter()
        runs = [(str(w), w, w) for w in WEIGHTS] + [("shipped", *shipped)]
        try:
            for q in questions[locale]["queries"]:
                part = half(q["q"])
                n[part] += 1
                for name, dense, cjk in runs:
                    searcher_module.DENSE_WEIGHT = dense  # type: ignore[misc]
                    if cjk is not None:
                        searcher_module.CJK_DENSE_WEIGHT = cjk  # type: ignore[attr-defined]
                    top = s.search(q["q"], k=1)
                    hits[f"{part}@{name}"] += bool(top) and f"{top[0].doc_id}#{top[0].anchor}" == q["key"]
        finally:
            searcher_module.DENSE_WEIGHT, cjk0 = shipped  # type: ignore[misc]
            if cjk0 is not None:
                searcher_module.CJK_DENSE_WEIGHT = cjk0  # type: ignore[attr-defined]
            s.close()
        if locale != "en":
            pooled.update(hits)
            pooled.update({f"n@{part}": c for part, c in n.items()})
        row: dict[str, object] = {"locale": locale, "shipped": list(shipped)}
        for part in ("tune", "held"):
            row[part] = {"queries": n[part]} | {
                name: round(hits[f"{part}@{name}"] / max(n[part], 1), 3) for name, _, _ in runs
            }
        print(json.dumps(row), flush=True)
    names = [str(w) for w in WEIGHTS] + ["shipped"]
    total = {
        part: {"queries": pooled[f"n@{part}"]}
        | {name: round(pooled[f"{part}@{name}"] / max(pooled[f"n@{part}"], 1), 3) for name in names}
        for part in ("tune", "held")
    }
    print(json.dumps({"locale": "ja+zh-Hans+zh-Hant", **total}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/bookctl-cjk-fusion"))
