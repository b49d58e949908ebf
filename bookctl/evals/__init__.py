"""`bookctl eval`: gold sets, retrieval and answer metrics, the naive baseline, reports and the run.

gold.py      the gold-set format (YAML), loading and validation against the site
metrics.py   doc-level retrieval metrics, section hit, answer metrics
baseline.py  fixed 1000-character chunks, dense only: what the pipeline is measured against
report.py    the typed report (`--json`), the thresholds table, comparison, misses, Markdown
run.py       run_eval: all of it on one index
"""

from bookctl.evals.baseline import BASELINE_CHARS, RETRIEVE_CHUNKS, baseline_search
from bookctl.evals.gold import Expected, GoldQuestion, GoldSet, load_gold, validate_against_site
from bookctl.evals.metrics import (
    ANSWER_METRICS,
    RETRIEVAL_METRICS,
    ModeReport,
    covers_section,
    dedupe_docs,
    evaluate_answers,
    evaluate_retrieval,
    mean,
    percentile,
    rank_metrics,
    supported,
)
from bookctl.evals.report import (
    CHANGED_COLUMNS,
    LOWER_IS_BETTER,
    MODES,
    SCHEMA_VERSION,
    AnswerMetrics,
    Comparison,
    EvalReport,
    RetrievalMetrics,
    answer_misses,
    answer_outcome,
    changed_rows,
    check_previous,
    check_threshold_names,
    check_thresholds,
    compare,
    delta_rows,
    first_rank,
    markdown_report,
    miss_tables,
    retrieval_misses,
    signed,
)
from bookctl.evals.run import run_eval
from bookctl.evals.thresholds import THRESHOLDS, Threshold

__all__ = [
    "ANSWER_METRICS",
    "BASELINE_CHARS",
    "CHANGED_COLUMNS",
    "LOWER_IS_BETTER",
    "MODES",
    "RETRIEVAL_METRICS",
    "RETRIEVE_CHUNKS",
    "SCHEMA_VERSION",
    "THRESHOLDS",
    "AnswerMetrics",
    "Comparison",
    "EvalReport",
    "Expected",
    "GoldQuestion",
    "GoldSet",
    "ModeReport",
    "RetrievalMetrics",
    "Threshold",
    "answer_misses",
    "answer_outcome",
    "baseline_search",
    "changed_rows",
    "check_previous",
    "check_threshold_names",
    "check_thresholds",
    "compare",
    "covers_section",
    "dedupe_docs",
    "delta_rows",
    "evaluate_answers",
    "evaluate_retrieval",
    "first_rank",
    "load_gold",
    "markdown_report",
    "mean",
    "miss_tables",
    "percentile",
    "rank_metrics",
    "retrieval_misses",
    "run_eval",
    "signed",
    "supported",
    "validate_against_site",
]
