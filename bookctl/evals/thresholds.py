"""The thresholds `bookctl eval` can gate on: one table for the CLI's flags, bookctl.toml's [eval]
keys and the check (bookctl.evals.report.check_thresholds). Standard library only: the CLI reads it
to build its options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Threshold:
    name: str  # bookctl.toml's [eval] key; the CLI flag is --name-with-dashes
    metric: str
    direction: Literal["min", "max"]
    help: str

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def fails(self, value: float, limit: float) -> bool:
        return value < limit if self.direction == "min" else value > limit


# The one table of thresholds: the CLI's flags, bookctl.toml's [eval] keys and the check.
THRESHOLDS: dict[str, Threshold] = {
    t.name: t
    for t in (
        Threshold("min_recall_at_1", "recall_at_1", "min", "Fail below this recall@1."),
        Threshold("min_hit_at_k", "hit_at_k", "min", "Fail below this hit@k."),
        Threshold("min_mrr", "mrr_at_10", "min", "Fail below this MRR@10."),
        Threshold("min_ndcg", "ndcg_at_10", "min", "Fail below this nDCG@10."),
        Threshold("min_section_hit", "section_hit_at_k", "min", "Fail below this section hit@k."),
        Threshold(
            "min_section_hit_strict",
            "section_hit_strict_at_k",
            "min",
            "Fail below this strict section hit@k (the heading a chunk sits under).",
        ),
        Threshold("min_abstention", "abstention_accuracy", "min", "Fail below this abstention accuracy."),
        Threshold(
            "max_false_abstention", "false_abstention_rate", "max", "Fail above this false-abstention rate."
        ),
        Threshold("min_citation_validity", "citation_validity", "min", "Fail below this citation validity."),
        Threshold("min_citation_hit", "citation_hit_rate", "min", "Fail below this citation hit rate."),
        Threshold("min_answer_support", "answer_support", "min", "Fail below this answer support."),
    )
}
