"""`bookctl eval`: retrieval and answer quality on a gold set, with thresholds that gate CI."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from bookctl.cli import app
from bookctl.cli.options import DataDirOpt, JsonOpt, SiteArg, VerboseOpt, stage_bars


def _threshold(flag: str, help_text: str) -> Any:
    return typer.Option(flag, help=help_text, show_default=False)


@app.command("eval")
def eval_command(
    site: SiteArg = None,
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Gold set YAML (corpus + questions with expected doc ids; "
            "expect: [] = the book does not answer it).",
        ),
    ] = Path("tests/gold/book.yaml"),
    k: Annotated[int, typer.Option("-k", help="Cut-off for hit@k and section hit@k.")] = 5,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, dense, sparse or all.")] = "hybrid",
    answers: Annotated[
        bool, typer.Option("--answers", help="Also run the assistant on every question.")
    ] = False,
    baseline: Annotated[
        bool,
        typer.Option(
            "--baseline", help="Also measure a naive baseline: fixed 1000-character chunks, dense only."
        ),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write a Markdown report (for a CI summary).", show_default=False),
    ] = None,
    compare_to: Annotated[
        Path | None,
        typer.Option("--compare", help="A previous --json output to diff against.", show_default=False),
    ] = None,
    min_recall_at_1: Annotated[
        float | None, _threshold("--min-recall-at-1", "Fail below this recall@1.")
    ] = None,
    min_hit_at_k: Annotated[float | None, _threshold("--min-hit-at-k", "Fail below this hit@k.")] = None,
    min_mrr: Annotated[float | None, _threshold("--min-mrr", "Fail below this MRR@10.")] = None,
    min_ndcg: Annotated[float | None, _threshold("--min-ndcg", "Fail below this nDCG@10.")] = None,
    min_section_hit: Annotated[
        float | None, _threshold("--min-section-hit", "Fail below this section hit@k.")
    ] = None,
    min_abstention: Annotated[
        float | None, _threshold("--min-abstention", "Fail below this abstention accuracy.")
    ] = None,
    max_false_abstention: Annotated[
        float | None, _threshold("--max-false-abstention", "Fail above this false-abstention rate.")
    ] = None,
    min_citation_validity: Annotated[
        float | None, _threshold("--min-citation-validity", "Fail below this.")
    ] = None,
    data_dir: DataDirOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Measure retrieval (recall@1, hit@k, MRR, nDCG, section hit) and, with --answers, abstention,
    citations and support. Exit 0 when every threshold holds, 1 when one fails, 2 on error.

    Thresholds also come from bookctl.toml: [eval] min_mrr = 0.9, ...
    """
    from bookctl.cli.options import settings_from
    from bookctl.errors import InputError
    from bookctl.evals import MODES, check_previous, compare, load_gold, markdown_report, run_eval

    if mode not in (*MODES, "all"):
        raise InputError(f"unknown mode {mode!r}", fix="use hybrid, dense, sparse or all")
    settings = settings_from(site=site, data_dir=data_dir, verbose=verbose or None)
    thresholds = dict(settings.eval or {})
    given = {
        "min_recall_at_1": min_recall_at_1,
        "min_hit_at_k": min_hit_at_k,
        "min_mrr": min_mrr,
        "min_ndcg": min_ndcg,
        "min_section_hit": min_section_hit,
        "min_abstention": min_abstention,
        "max_false_abstention": max_false_abstention,
        "min_citation_validity": min_citation_validity,
    }
    thresholds.update({name: value for name, value in given.items() if value is not None})
    unknown = set(thresholds) - set(given) - {"min_citation_hit", "min_answer_support"}
    if unknown:
        raise InputError(f"unknown eval thresholds: {', '.join(sorted(unknown))}")
    previous = None
    if compare_to is not None:
        try:
            previous = json.loads(compare_to.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read --compare file {compare_to}: {exc}") from None
        check_previous(previous, load_gold(gold).corpus, compare_to)
    with stage_bars(not json_output and sys.stderr.isatty()) as progress:
        result = run_eval(
            settings,
            gold,
            k=k,
            modes=MODES if mode == "all" else (mode,),
            answers=answers,
            baseline=baseline,
            thresholds=thresholds,
            progress=progress,
        )
    if previous is not None:
        result["compare"] = compare(result, previous)
    if report is not None:
        report.write_text(markdown_report(result), encoding="utf-8")
    if json_output:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        _render(result)
    if result["failed"]:
        raise typer.Exit(1)


def _render(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from bookctl.evals import ANSWER_METRICS, miss_tables

    console = Console()
    cols = ["recall_at_1", "hit_at_k", "mrr_at_10", "ndcg_at_10", "section_hit_at_k"]
    table = Table(
        title=f"{result['corpus']}: {result['answerable']} answerable, {result['unanswerable']} "
        f"unanswerable, k={result['k']}",
        title_justify="left",
    )
    table.add_column("mode")
    for c in cols:
        table.add_column(c.replace("_at_", "@").replace("_", " "), justify="right")
    table.add_column("p50 ms", justify="right")
    rows = dict(result["modes"])
    if result.get("baseline"):
        rows["baseline"] = result["baseline"]
    for name, m in rows.items():
        table.add_row(name, *(f"{m[c]:.3f}" for c in cols), str(m["latency_ms"]["p50"]))
    console.print(table)
    if result.get("answers"):
        a = result["answers"]
        t = Table(title=f"Answers ({a['model']})", title_justify="left", show_header=False)
        for key in ANSWER_METRICS:
            t.add_row(key.replace("_", " "), f"{a[key]:.3f}")
        console.print(t)
    if result.get("compare"):
        _render_compare(console, result["compare"])
    for title, columns, misses in miss_tables(result):
        t = Table(title=f"{title} ({len(misses)})", title_justify="left")
        for col in columns:
            t.add_column(col)
        for m in misses[:15]:
            t.add_row(*(m[c][:60] for c in columns))
        console.print(t)
    for line in result["failed"]:
        console.print(f"[red]threshold failed:[/] {line}", highlight=False)


def _render_compare(console: Any, comparison: dict[str, Any]) -> None:
    from rich.table import Table

    from bookctl.evals import CHANGED_COLUMNS, LOWER_IS_BETTER, changed_rows, delta_rows, signed

    deltas = comparison["deltas"]
    console.print("Compared with the previous run (now - before)", highlight=False)
    t = Table()
    t.add_column("metric")
    for name in deltas:
        t.add_column(name, justify="right")
    for metric, values in delta_rows(deltas):
        cells = []
        for value in values:
            better = value is not None and (value < 0 if metric in LOWER_IS_BETTER else value > 0)
            worse = value is not None and (value > 0 if metric in LOWER_IS_BETTER else value < 0)
            colour = "green" if better else "red" if worse else ""
            cells.append(
                "" if value is None else f"[{colour}]{signed(value)}[/]" if colour else signed(value)
            )
        t.add_row(metric.replace("_", " "), *cells)
    console.print(t)
    changed = changed_rows(comparison)
    if changed:
        t = Table(title=f"Questions that changed ({len(changed)})", title_justify="left")
        for col in CHANGED_COLUMNS:
            t.add_column(col)
        for row in changed[:30]:
            t.add_row(*(cell[:60] for cell in row))
        console.print(t)
    else:
        console.print("No question changed its rank or its answer.")
