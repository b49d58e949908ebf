"""`bookctl eval`: retrieval and answer quality on a gold set, with thresholds that gate CI."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bookctl.cli import app
from bookctl.cli.options import (
    DataDirOpt,
    DocsVersionOpt,
    JsonOpt,
    LocaleOpt,
    SiteArg,
    SiteOpt,
    VerboseOpt,
    pick_site,
    stage_bars,
)

if TYPE_CHECKING:
    from rich.console import Console

    from bookctl.evals import Comparison, EvalReport


def _threshold(name: str) -> Any:
    """The option of one threshold, from bookctl.evals' one table (the same names as [eval] in
    bookctl.toml). Read from the table's module alone, so `bookctl --help` imports no metrics."""
    from bookctl.evals.thresholds import THRESHOLDS

    t = THRESHOLDS[name]
    return typer.Option(t.flag, help=t.help, show_default=False)


@app.command("eval")
def eval_command(
    ctx: typer.Context,
    site: SiteArg = None,
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Gold set YAML (corpus + questions with expected doc ids; "
            "expect: \\[] = the book does not answer it).",
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
    min_recall_at_1: Annotated[float | None, _threshold("min_recall_at_1")] = None,
    min_hit_at_k: Annotated[float | None, _threshold("min_hit_at_k")] = None,
    min_mrr: Annotated[float | None, _threshold("min_mrr")] = None,
    min_ndcg: Annotated[float | None, _threshold("min_ndcg")] = None,
    min_section_hit: Annotated[float | None, _threshold("min_section_hit")] = None,
    min_section_hit_strict: Annotated[float | None, _threshold("min_section_hit_strict")] = None,
    min_abstention: Annotated[float | None, _threshold("min_abstention")] = None,
    max_false_abstention: Annotated[float | None, _threshold("max_false_abstention")] = None,
    min_citation_validity: Annotated[float | None, _threshold("min_citation_validity")] = None,
    min_citation_hit: Annotated[float | None, _threshold("min_citation_hit")] = None,
    min_answer_support: Annotated[float | None, _threshold("min_answer_support")] = None,
    data_dir: DataDirOpt = None,
    version: DocsVersionOpt = None,
    locale: LocaleOpt = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
    site_option: SiteOpt = None,
) -> None:
    """Measure retrieval (recall@1, hit@k, MRR, nDCG, section hit) and, with --answers, abstention,
    citations and support. Exit 0 when every threshold holds, 1 when one fails, 2 on error.

    Thresholds also come from bookctl.toml: \\[eval] min_mrr = 0.9, ... (a flag wins).
    """
    from bookctl.cli.options import settings_from
    from bookctl.errors import InputError
    from bookctl.evals import (
        MODES,
        THRESHOLDS,
        check_previous,
        check_threshold_names,
        compare,
        load_gold,
        markdown_report,
        run_eval,
    )

    if mode not in (*MODES, "all"):
        raise InputError(f"unknown mode {mode!r}", fix="use hybrid, dense, sparse or all")
    settings = settings_from(
        site=pick_site(site, site_option),
        data_dir=data_dir,
        docs_version=version,
        locale=locale,
        verbose=verbose or None,
    )
    thresholds = dict(settings.eval or {})
    check_threshold_names(thresholds, settings.sources.get("eval", "config") + " [eval]")
    thresholds.update({name: ctx.params[name] for name in THRESHOLDS if ctx.params.get(name) is not None})
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


def _render(result: EvalReport) -> None:
    from rich.console import Console
    from rich.table import Table

    from bookctl.evals import ANSWER_METRICS, miss_tables

    console = Console()
    cols = [
        "recall_at_1",
        "hit_at_k",
        "mrr_at_10",
        "ndcg_at_10",
        "section_hit_at_k",
        "section_hit_strict_at_k",
    ]
    table = Table(
        title=f"{result['corpus']}: {result['answerable']} answerable, {result['unanswerable']} "
        f"unanswerable, k={result['k']}",
        title_justify="left",
    )
    table.add_column("mode")
    for c in cols:
        table.add_column(c.replace("_at_", "@").replace("_", " "), justify="right")
    table.add_column("p50 ms", justify="right")
    rows: dict[str, dict[str, Any]] = {name: dict(m) for name, m in result["modes"].items()}
    if result["baseline"]:
        rows["baseline"] = dict(result["baseline"])
    for name, m in rows.items():
        table.add_row(name, *(f"{m[c]:.3f}" for c in cols), str(m["latency_ms"]["p50"]))
    console.print(table)
    if result["answers"]:
        a: dict[str, Any] = dict(result["answers"])
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
        for miss in misses[:15]:
            t.add_row(*(miss[c][:60] for c in columns))
        console.print(t)
    for line in result["failed"]:
        console.print(f"[red]threshold failed:[/] {line}", highlight=False)


def _render_compare(console: Console, comparison: Comparison) -> None:
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
