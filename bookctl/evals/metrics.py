"""Retrieval and answer metrics over a gold set.

Retrieval metrics are doc-level with docs de-duplicated in rank order (recall@1, hit@k, MRR@10,
nDCG@10), plus section hit@k (a retrieved chunk covers the expected section) and latency.
Unanswerable questions count only for the answer metrics (abstention, citations, support).
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bookctl.evals.gold import Expected, GoldSet

if TYPE_CHECKING:
    from bookctl.agent import AskResult
    from bookctl.index.base import Hit
    from bookctl.site.model import Site

RETRIEVAL_METRICS = (
    "recall_at_1",
    "hit_at_k",
    "mrr_at_10",
    "ndcg_at_10",
    "section_hit_at_k",
    "section_hit_strict_at_k",
)
ANSWER_METRICS = (
    "abstention_accuracy",
    "false_abstention_rate",
    "citation_validity",
    "citation_hit_rate",
    "answer_support",
)
Progress = Callable[[int, int], None]  # (done, total)


def dedupe_docs(doc_ids: list[str]) -> list[str]:
    return list(dict.fromkeys(doc_ids))


def rank_metrics(ranked_docs: list[str], relevant: set[str], k: int) -> dict[str, float]:
    rank = next((i + 1 for i, d in enumerate(ranked_docs[:10]) if d in relevant), None)
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(ranked_docs[:10]) if d in relevant)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
    return {
        "recall_at_1": 1.0 if ranked_docs[:1] and ranked_docs[0] in relevant else 0.0,
        "hit_at_k": 1.0 if set(ranked_docs[:k]) & relevant else 0.0,
        "mrr_at_10": 1.0 / rank if rank else 0.0,
        "ndcg_at_10": dcg / idcg if idcg else 0.0,
    }


def covers_section(hit: Hit, expected: Expected, *, strict: bool = False) -> bool:
    """A retrieved chunk covers the expected section (doc match when no section is given). Strict: the
    chunk's text sits under that heading (it is in the chunk's heading path). Lenient, as before issue
    15: also when a heading line with that text appears anywhere in the chunk."""
    if hit.doc_id != expected.doc:
        return False
    if expected.section is None:
        return True
    if expected.section in hit.heading_path:
        return True
    if strict:
        return False
    body = hit.text
    return any(
        line.lstrip("#").strip() == expected.section for line in body.split("\n") if line.startswith("#")
    )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    data = sorted(values)
    return data[min(len(data) - 1, round(p * (len(data) - 1)))]


def mean(values: list[float]) -> float:
    return round(statistics.fmean(values), 4) if values else 0.0


@dataclass
class ModeReport:
    metrics: dict[str, Any]
    per_question: dict[str, dict[str, Any]] = field(default_factory=dict)


def _no_progress(done: int, total: int) -> None:
    return None


def evaluate_retrieval(
    gold: GoldSet, search: Callable[[str], list[Hit]], *, k: int, progress: Progress = _no_progress
) -> ModeReport:
    """`search(question) -> list[Hit]` (chunks, best first); `progress(done, total)` after each question."""
    rows: dict[str, dict[str, Any]] = {}
    sums: dict[str, list[float]] = {m: [] for m in RETRIEVAL_METRICS}
    latencies = []
    answerable = [q for q in gold.questions if q.answerable]
    for done, q in enumerate(answerable, 1):
        started = time.perf_counter()
        hits = search(q.question)
        latencies.append((time.perf_counter() - started) * 1000)
        ranked = dedupe_docs([h.doc_id for h in hits])
        relevant = {e.doc for e in q.expect}
        m = rank_metrics(ranked, relevant, k)
        m["section_hit_at_k"] = 1.0 if any(covers_section(h, e) for h in hits[:k] for e in q.expect) else 0.0
        m["section_hit_strict_at_k"] = float(
            any(covers_section(h, e, strict=True) for h in hits[:k] for e in q.expect)
        )
        for name, value in m.items():
            sums[name].append(value)
        rows[q.id] = {
            **m,
            "top_docs": ranked[:5],
            "top_sections": [f"{h.doc_id}#{h.anchor}" for h in hits[:k]],
        }
        progress(done, len(answerable))
    metrics: dict[str, Any] = {name: mean(values) for name, values in sums.items()}
    metrics["latency_ms"] = {
        "p50": round(percentile(latencies, 0.5), 2),
        "p95": round(percentile(latencies, 0.95), 2),
    }
    return ModeReport(metrics, rows)


def _answer_sentences(answer: str) -> list[str]:
    import re

    from bookctl.agent.offline.constants import EXTRACTIVE_NOTE

    body = answer.replace(EXTRACTIVE_NOTE, "")
    parts = [re.sub(r"\s*\[\d+\]", "", s).strip() for s in re.split(r"(?<=[.!?])\s+|\n+", body)]
    return [p for p in parts if len(p.split()) >= 4]


def supported(sentence: str, sources: list[str]) -> bool:
    """A sentence is supported when a cited section contains it, or 80% of its words."""
    from bookctl.embedding import bm25

    if any(sentence in s for s in sources):
        return True
    words = set(bm25().tokens(sentence))
    if not words:
        return True
    return any(len(words & set(bm25().tokens(s))) / len(words) >= 0.8 for s in sources)


def evaluate_answers(
    gold: GoldSet,
    ask: Callable[[str], AskResult],
    site: Site,
    section_text: Callable[[str, str], str],
    progress: Progress = _no_progress,
) -> ModeReport:
    """`ask(question) -> AskResult`; `section_text(doc_id, anchor) -> str` for support checks;
    `progress(done, total)` after each question."""
    permalinks = {d.permalink: d for d in site.docs}
    abstain_ok, false_abstain, valid, cited_hit, support, latencies = [], [], [], [], [], []
    rows: dict[str, dict[str, Any]] = {}
    for done, q in enumerate(gold.questions, 1):
        r = ask(q.question)
        latencies.append(r.latency_ms.get("total", 0.0))
        row: dict[str, Any] = {"abstained": r.abstained, "citations": [c["url"] for c in r.citations]}
        if q.answerable:
            false_abstain.append(1.0 if r.abstained else 0.0)
        else:
            abstain_ok.append(1.0 if r.abstained else 0.0)
        for c in r.citations:
            page, _, anchor = c["url"].partition("#")
            doc = permalinks.get(page)
            valid.append(
                1.0 if doc is not None and (not anchor or anchor in {h.anchor for h in doc.headings}) else 0.0
            )
        if q.answerable and not r.abstained:
            expected = {e.doc for e in q.expect}
            hit = any(c["doc_id"] in expected for c in r.citations)
            cited_hit.append(1.0 if hit else 0.0)
            sources = [section_text(c["doc_id"], c["anchor"]) for c in r.citations]
            sentences = _answer_sentences(r.answer)
            if sentences:
                share = sum(supported(s, sources) for s in sentences) / len(sentences)
                support.append(share)
                row["support"] = round(share, 3)
            row["citation_hit"] = hit
        rows[q.id] = row
        progress(done, len(gold.questions))
    metrics = {
        "abstention_accuracy": mean(abstain_ok),
        "false_abstention_rate": mean(false_abstain),
        "citation_validity": mean(valid) if valid else 1.0,
        "citation_hit_rate": mean(cited_hit),
        "answer_support": mean(support),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.5), 1),
            "p95": round(percentile(latencies, 0.95), 1),
        },
    }
    return ModeReport(metrics, rows)
