"""When the offline model abstains: the evidence that connects a question to the book.

Two kinds. A specific term of the question (a product, tool, format, flag: bookctl.agent.terms) that
the book never mentions settles it: "The book does not mention Webots." Otherwise the rule asks for
both a semantic match and most of the question's content words: dense similarity alone does not
separate answerable from unanswerable questions (off-topic questions still reach cosine ~0.65 with
all-MiniLM-L6-v2). The floor of the semantic match is calibrated per index (bookctl.index.calibration):
above what off-topic questions reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DENSE_FLOOR = 0.30  # no semantic evidence below this cosine, for an index without calibration
FLOOR_RANGE = (0.22, 0.35)  # a calibrated floor is kept inside this range
MIN_COVERAGE = 0.34  # below this share of the question's content words in the top results: no evidence
WEAK_DENSE, WEAK_COVERAGE = 0.40, 0.67  # a middling match needs most of the words (README, abstention)
FULL_COVERAGE_MARGIN = 0.03  # every content word in the top results: the floor comes down by this much
# the names that, all in the top results, stand for the question's other words: rare ones only (a
# name as common as "Unity" or "React" says less about what is asked)
STANDS_FOR_WORDS_ZIPF = 4.0


@dataclass
class Evidence:
    top_dense: float  # best cosine between the question and a retrieved chunk
    coverage: float  # share of the question's content words (BM25 stems) found in the top results
    top_bm25: float
    dense_floor: float = DENSE_FLOOR  # a cosine no higher is no evidence (calibrated per index)
    not_in_book: list[str] = field(default_factory=list)  # specific terms the book never mentions
    terms_in_top: bool = False  # the question has specific terms and the top results mention them all


def dense_floor(off_topic_cosine: float | None) -> float:
    """A cosine that 90% of off-topic questions reach in this index (bookctl.index.calibration) is no
    evidence; kept inside FLOOR_RANGE so an odd index cannot switch the rule off or on."""
    if off_topic_cosine is None:
        return DENSE_FLOOR
    return min(max(off_topic_cosine, FLOOR_RANGE[0]), FLOOR_RANGE[1])


def evidence(
    question: str,
    results: list[dict[str, Any]],
    off_topic_cosine: float | None = None,
    not_in_book: list[str] | None = None,
) -> Evidence:
    from bookctl.agent.terms import mentions, specific_terms
    from bookctl.embedding import bm25

    terms = specific_terms(question, name_zipf=STANDS_FOR_WORDS_ZIPF)
    top = " ".join(r.get("where", "") + " " + r.get("text", "") for r in results[:3])
    stems = set(bm25().tokens(question))
    found: set[str] = set()
    for r in results[:3]:
        found |= set(bm25().tokens(r.get("where", "") + " " + r.get("text", ""))) & stems
    dense = [r["dense_score"] for r in results if r.get("dense_score") is not None]
    sparse = [r["bm25_score"] for r in results if r.get("bm25_score") is not None]
    return Evidence(
        top_dense=max(dense, default=0.0),
        coverage=len(found) / len(stems) if stems else 0.0,
        top_bm25=max(sparse, default=0.0),
        dense_floor=dense_floor(off_topic_cosine),
        not_in_book=list(not_in_book or []),
        terms_in_top=bool(terms) and all(mentions(t, top) for t in terms),
    )


def is_weak(ev: Evidence) -> bool:
    """Abstain when a specific term is not in the book, or neither meaning nor words connect the
    question to it. The question's specific terms, all found in the top results, stand for its words
    ("Which Jetson should I buy for the course?": "buy" and "course" add nothing)."""
    if ev.not_in_book:
        return True
    floor = ev.dense_floor - (FULL_COVERAGE_MARGIN if ev.coverage >= 1.0 else 0.0)
    if ev.top_dense < floor:
        return True
    if ev.terms_in_top:
        return False
    if ev.coverage < MIN_COVERAGE:
        return True
    return ev.top_dense < WEAK_DENSE and ev.coverage < WEAK_COVERAGE  # 0.40 vs 0.45: README
