"""The eval report: its typed shape (the `--json` schema, README "Evaluation"), the thresholds that
gate CI (one table, used by the CLI and bookctl.toml's [eval]), comparison with an earlier report,
and the tables of misses shown in the terminal and in the Markdown report."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NotRequired, TypedDict

from bookctl.errors import InputError
from bookctl.evals.metrics import ANSWER_METRICS
from bookctl.evals.thresholds import THRESHOLDS

SCHEMA_VERSION = 2  # 2: changed_questions give ranks and answer outcomes; baseline and answers deltas
MODES = ("hybrid", "dense", "sparse")


class Latency(TypedDict):
    p50: float
    p95: float


class RetrievalMetrics(TypedDict):
    recall_at_1: float
    hit_at_k: float
    mrr_at_10: float
    ndcg_at_10: float
    section_hit_at_k: float
    section_hit_strict_at_k: float
    latency_ms: Latency


class AnswerMetrics(TypedDict):
    abstention_accuracy: float
    false_abstention_rate: float
    citation_validity: float
    citation_hit_rate: float
    answer_support: float
    latency_ms: Latency
    model: str


class ChangedQuestion(TypedDict):
    id: str
    question: str
    mode: str  # a mode, "baseline" or "answers"
    before: int | str | None  # rank of the first expected doc (None: not in the top 10), or an outcome
    after: int | str | None


class Comparison(TypedDict):
    deltas: dict[str, dict[str, float]]
    changed_questions: list[ChangedQuestion]


class EvalReport(TypedDict):
    """What `bookctl eval --json` prints (schema_version 2); per_question rows hold, per mode,
    "baseline" and "answer", that question's metrics."""

    schema_version: int
    corpus: str
    gold: str
    k: int
    questions: int
    answerable: int
    unanswerable: int
    modes: dict[str, RetrievalMetrics]
    baseline: RetrievalMetrics | None
    answers: AnswerMetrics | None
    thresholds: dict[str, float]
    failed: list[str]
    per_question: list[dict[str, Any]]
    compare: NotRequired[Comparison]


def check_threshold_names(thresholds: dict[str, float], origin: str) -> None:
    unknown = set(thresholds) - set(THRESHOLDS)
    if unknown:
        raise InputError(
            f"{origin}: unknown eval thresholds: {', '.join(sorted(unknown))}",
            fix="known: " + ", ".join(THRESHOLDS),
        )


def check_thresholds(report: EvalReport | dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """One line per failed threshold; retrieval thresholds apply to hybrid (or the first mode measured),
    answer thresholds to the answers; a metric the report does not hold is not checked."""
    failed = []
    hybrid: dict[str, Any] = dict(report["modes"].get("hybrid") or next(iter(report["modes"].values())))
    answers: dict[str, Any] = dict(report.get("answers") or {})
    for name, limit in thresholds.items():
        t = THRESHOLDS[name]
        source = answers if t.metric in ANSWER_METRICS else hybrid
        if t.metric not in source:
            continue
        value = source[t.metric]
        if t.fails(value, limit):
            failed.append(f"{t.metric} = {value} ({'<' if t.direction == 'min' else '>'} {limit})")
    return failed


def first_rank(row: dict[str, Any]) -> int | None:
    """Rank of the first expected doc (docs de-duplicated), None when it is not in the top 10."""
    mrr = row.get("mrr_at_10")
    return round(1 / mrr) if mrr else None


def answer_outcome(row: dict[str, Any]) -> str:
    return "abstained" if row.get("abstained") else "answered"


def check_previous(previous: Any, corpus: str, source: Path) -> None:
    """A --compare file must be an earlier `bookctl eval --json` report on the same gold set's corpus."""
    fix = "pass a file written by `bookctl eval --json` on the same gold set"
    if not (
        isinstance(previous, dict)
        and isinstance(previous.get("modes"), dict)
        and isinstance(previous.get("per_question"), list)
    ):
        raise InputError(f"--compare {source}: not a `bookctl eval --json` report", fix=fix)
    if previous.get("corpus") != corpus:
        raise InputError(
            f"--compare {source}: it measured corpus {previous.get('corpus')!r}, this run {corpus!r}", fix=fix
        )


def compare(current: EvalReport, previous: dict[str, Any]) -> Comparison:
    """Per-metric deltas (current - previous) for each mode, the baseline and the answers, and the
    questions whose rank of the first expected doc, or whose answer (abstained/answered), changed."""
    deltas: dict[str, dict[str, float]] = {}
    sections = {**current["modes"], "baseline": current.get("baseline"), "answers": current.get("answers")}
    for name, metrics in sections.items():
        before = (
            previous.get("modes", {}).get(name) if name in current["modes"] else previous.get(name)
        ) or {}
        if metrics and before:  # a section the previous run did not measure has no deltas
            deltas[name] = {
                k: round(v - before[k], 4)
                for k, v in metrics.items()
                if isinstance(v, float) and isinstance(before.get(k), float)
            }
    changed: list[ChangedQuestion] = []
    prev_rows = {q["id"]: q for q in previous.get("per_question", [])}
    for q in current["per_question"]:
        before = prev_rows.get(q["id"])
        if before is None:
            continue
        for mode in current["modes"]:
            if mode in q and mode in before and first_rank(q[mode]) != first_rank(before[mode]):
                changed.append(
                    {
                        "id": q["id"],
                        "question": q["question"],
                        "mode": mode,
                        "before": first_rank(before[mode]),
                        "after": first_rank(q[mode]),
                    }
                )
        if (
            "answer" in q
            and "answer" in before
            and answer_outcome(q["answer"]) != answer_outcome(before["answer"])
        ):
            changed.append(
                {
                    "id": q["id"],
                    "question": q["question"],
                    "mode": "answers",
                    "before": answer_outcome(before["answer"]),
                    "after": answer_outcome(q["answer"]),
                }
            )
    return {"deltas": deltas, "changed_questions": changed}


LOWER_IS_BETTER = {"false_abstention_rate"}


def retrieval_misses(report: EvalReport) -> list[dict[str, str]]:
    """Answerable questions whose expected doc is not at rank 1 in the first mode measured."""
    mode = next(iter(report["modes"]))
    return [
        {
            "id": q["id"],
            "question": q["question"],
            "expected": ", ".join(q["expected"]),
            "got": ", ".join(q[mode]["top_docs"][:2]),
            "rank": str(first_rank(q[mode]) or ">10"),
        }
        for q in report["per_question"]
        if q.get(mode, {}).get("recall_at_1") == 0.0
    ]


def answer_misses(report: EvalReport) -> list[dict[str, str]]:
    """Questions the assistant got wrong: an answer where the book is silent, an abstention where it
    answers, or an answer that cites none of the expected docs."""
    rows = []
    for q in report["per_question"]:
        a = q.get("answer")
        if a is None:
            continue
        answerable = bool(q["expected"])
        if a["abstained"] == answerable or (answerable and a.get("citation_hit") is False):
            got = (
                "abstained"
                if a["abstained"]
                else "answered, citing " + (", ".join(a["citations"][:3]) or "nothing")
            )
            rows.append(
                {
                    "id": q["id"],
                    "question": q["question"],
                    "expected": ", ".join(q["expected"]) or "abstain",
                    "got": got,
                }
            )
    return rows


def miss_tables(report: EvalReport) -> list[tuple[str, tuple[str, ...], list[dict[str, str]]]]:
    """(title, columns, rows) of each non-empty misses table, for the terminal and the Markdown report."""
    tables = [
        ("Misses at rank 1", ("id", "question", "expected", "rank", "got"), retrieval_misses(report)),
        ("Answer misses", ("id", "question", "expected", "got"), answer_misses(report)),
    ]
    return [table for table in tables if table[2]]


def delta_rows(deltas: dict[str, dict[str, float]]) -> list[tuple[str, list[float | None]]]:
    """(metric, its delta in each compared section or None) for every metric any section has."""
    metrics = dict.fromkeys(m for d in deltas.values() for m in d)
    return [(metric, [d.get(metric) for d in deltas.values()]) for metric in metrics]


CHANGED_COLUMNS = ("id", "question", "mode", "before", "after")


def changed_rows(comparison: Comparison) -> list[list[str]]:
    """The changed questions as table cells; a rank of None reads ">10"."""
    rows: list[dict[str, Any]] = [dict(c) for c in comparison["changed_questions"]]
    return [[str(row[key] or ">10") for key in CHANGED_COLUMNS] for row in rows]


def signed(value: float) -> str:
    return f"{value:+.3f}" if abs(value) < 10 else f"{value:+.1f}"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_report(report: EvalReport) -> str:
    lines = [
        f"## bookctl eval: {report['corpus']}",
        "",
        f"{report['answerable']} answerable and {report['unanswerable']} unanswerable questions, k = {report['k']}.",
        "",
    ]
    cols = [
        "recall_at_1",
        "hit_at_k",
        "mrr_at_10",
        "ndcg_at_10",
        "section_hit_at_k",
        "section_hit_strict_at_k",
    ]
    lines += [
        "| mode | " + " | ".join(cols) + " | latency p50 / p95 ms |",
        "| --- | " + " | ".join("---:" for _ in cols) + " | ---: |",
    ]
    rows: dict[str, dict[str, Any]] = {mode: dict(m) for mode, m in report["modes"].items()}
    if report["baseline"]:
        rows["baseline (1000-char, dense)"] = dict(report["baseline"])
    for mode, m in rows.items():
        lat = m.get("latency_ms", {})
        lines.append(
            f"| {mode} | "
            + " | ".join(f"{m[c]:.3f}" for c in cols)
            + f" | {lat.get('p50', 0)} / {lat.get('p95', 0)} |"
        )
    if report["answers"]:
        a: dict[str, Any] = dict(report["answers"])
        lines += ["", "| answers | value |", "| --- | ---: |"]
        for key in ANSWER_METRICS:
            lines.append(f"| {key} | {a[key]:.3f} |")
    if report.get("failed"):
        lines += ["", "**Failed thresholds:** " + "; ".join(report["failed"])]
    if report.get("compare"):
        deltas = report["compare"]["deltas"]
        lines += [
            "",
            "### Compared with the previous run",
            "",
            "| metric | " + " | ".join(deltas) + " |",
            "| --- | " + " | ".join("---:" for _ in deltas) + " |",
        ]
        for metric, values in delta_rows(deltas):
            lines.append(f"| {metric} | " + " | ".join("" if v is None else signed(v) for v in values) + " |")
        changed = changed_rows(report["compare"])
        if changed:
            lines += [
                "",
                "| " + " | ".join(CHANGED_COLUMNS) + " |",
                "| " + " | ".join("---" for _ in CHANGED_COLUMNS) + " |",
            ]
            lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in changed]
    for title, columns, misses in miss_tables(report):
        lines += [
            "",
            f"<details><summary>{title} ({len(misses)})</summary>",
            "",
            "| " + " | ".join(columns) + " |",
            "| " + " | ".join("---" for _ in columns) + " |",
        ]
        lines += ["| " + " | ".join(_cell(m[c]) for c in columns) + " |" for m in misses]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
