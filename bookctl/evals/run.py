"""`bookctl eval` as one library call: ingest if needed, measure each mode, the baseline and the
answers on a gold set, and check the thresholds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from bookctl.errors import InputError
from bookctl.evals.baseline import RETRIEVE_CHUNKS, baseline_search
from bookctl.evals.gold import load_gold, validate_against_site
from bookctl.evals.metrics import Progress, evaluate_answers, evaluate_retrieval
from bookctl.evals.report import (
    SCHEMA_VERSION,
    AnswerMetrics,
    EvalReport,
    RetrievalMetrics,
    check_thresholds,
)

if TYPE_CHECKING:
    from bookctl.agent import AskResult
    from bookctl.config import Settings
    from bookctl.site.model import Site

StageProgress = Callable[[str, int, int], None]  # (stage, done, total)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def run_eval(
    settings: Settings,
    gold_path: Path,
    *,
    k: int = 5,
    modes: tuple[str, ...] = ("hybrid",),
    answers: bool = False,
    baseline: bool = False,
    thresholds: dict[str, float] | None = None,
    progress: StageProgress = _no_progress,
) -> EvalReport:
    """Evaluate the index of `settings` on a gold set (ingesting first if it is missing or stale).
    `progress(stage, done, total)`: the ingest's stages, then each mode, "baseline" and "answers"."""
    import asyncio
    import tempfile

    from bookctl.index import open_searcher
    from bookctl.ingest import ingest
    from bookctl.site.loader import load_site

    if k < 1:
        raise InputError(f"-k must be at least 1 (got {k})")
    gold = load_gold(gold_path)
    site = (
        load_site(settings)
        if settings.docs_version is None and settings.locale is None
        else eval_view(settings)
    )
    validate_against_site(gold, site)

    def stage(name: str) -> Progress:
        return lambda done, total: progress(name, done, total)

    ingest(settings, progress=progress)  # incremental: brings chunks, metadata and title vectors up to date
    searcher = open_searcher(settings)
    per_question: dict[str, dict[str, Any]] = {
        q.id: {
            "id": q.id,
            "question": q.question,
            "expected": [e.doc + (f"#{e.section}" if e.section else "") for e in q.expect],
        }
        for q in gold.questions
    }
    measured: dict[str, RetrievalMetrics] = {}
    baseline_metrics: RetrievalMetrics | None = None
    answer_metrics: AnswerMetrics | None = None
    answerable = sum(q.answerable for q in gold.questions)
    try:
        for mode in modes:
            result = evaluate_retrieval(
                gold,
                lambda text, m=mode: searcher.search(text, k=RETRIEVE_CHUNKS, mode=m),  # type: ignore[misc]
                k=k,
                progress=stage(mode),
            )
            measured[mode] = cast("RetrievalMetrics", result.metrics)
            for qid, row in result.per_question.items():
                per_question[qid][mode] = row
        if baseline:
            stage("baseline")(0, answerable)  # shown while the baseline embeds its chunks
            with tempfile.TemporaryDirectory() as tmp:
                search = baseline_search(site, Path(tmp))
                try:
                    result = evaluate_retrieval(gold, search, k=k, progress=stage("baseline"))
                finally:
                    search.close()
            baseline_metrics = cast("RetrievalMetrics", result.metrics)
            for qid, row in result.per_question.items():
                per_question[qid]["baseline"] = row
        if answers:
            from bookctl.agent import choose_provider, run_turn

            provider = choose_provider(settings)

            def ask(question: str) -> AskResult:
                return asyncio.run(
                    run_turn(question, settings=settings, searcher=searcher, provider=provider)
                )

            def section_text(doc_id: str, anchor: str) -> str:
                return "\n".join(h.text for h in searcher.section(doc_id, anchor))

            result = evaluate_answers(gold, ask, site, section_text, progress=stage("answers"))
            answer_metrics = cast("AnswerMetrics", {**result.metrics, "model": provider.model})
            for qid, row in result.per_question.items():
                per_question[qid]["answer"] = row
    finally:
        searcher.close()
    report: EvalReport = {
        "schema_version": SCHEMA_VERSION,
        "corpus": gold.corpus,
        "gold": str(gold_path),
        "k": k,
        "questions": len(gold.questions),
        "answerable": answerable,
        "unanswerable": len(gold.questions) - answerable,
        "modes": measured,
        "baseline": baseline_metrics,
        "answers": answer_metrics,
        "thresholds": thresholds or {},
        "failed": [],
        "per_question": list(per_question.values()),
    }
    report["failed"] = check_thresholds(report, thresholds or {})
    return report


def eval_view(settings: Settings) -> Site:
    """The view of the default docs instance that `--version` / `--locale` name (a version by its name
    or label; None: the last version, the default locale): the gold set is checked against it and its
    citations must be its URLs."""
    from bookctl.site.loader import load_views

    views = [v for v in load_views(settings) if v.instance == "default"]
    default_locale = next((v.locale for v in views if v.is_default_view), views[0].locale)
    locale = settings.locale or default_locale
    wanted = settings.docs_version
    for view in views:
        if view.locale.casefold() != locale.casefold():
            continue
        if wanted is None and view.is_last_version:
            return view
        if wanted is not None and wanted.casefold() in {
            view.version.casefold(),
            view.version_label.casefold(),
        }:
            return view
    raise InputError(
        f"no docs version {wanted or 'last'!r} in locale {locale!r}",
        fix="versions: "
        + ", ".join(dict.fromkeys(v.version for v in views))
        + "; locales: "
        + ", ".join(dict.fromkeys(v.locale for v in views)),
    )
