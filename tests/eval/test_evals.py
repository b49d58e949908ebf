"""Metrics on hand-computed rankings, gold-set validation, and `bookctl eval` end to end with its CI gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.errors import InputError
from bookctl.evals import (
    Expected,
    check_thresholds,
    covers_section,
    load_gold,
    rank_metrics,
    validate_against_site,
)
from bookctl.index.base import Hit

REPO = Path(__file__).resolve().parent.parent.parent
GOLD = REPO / "tests" / "gold"
CORPORA = REPO / "tests" / "corpora"
runner = CliRunner()


def test_rank_metrics_by_hand() -> None:
    m = rank_metrics(["a", "b", "c"], {"b"}, k=2)
    assert m == {"recall_at_1": 0.0, "hit_at_k": 1.0, "mrr_at_10": 0.5, "ndcg_at_10": pytest.approx(1 / 1.5849625)}
    m = rank_metrics(["x", "y", "z"], {"b"}, k=3)
    assert m == {"recall_at_1": 0.0, "hit_at_k": 0.0, "mrr_at_10": 0.0, "ndcg_at_10": 0.0}
    m = rank_metrics(["b", "c"], {"b", "c"}, k=1)
    assert m["recall_at_1"] == 1.0 and m["ndcg_at_10"] == pytest.approx(1.0)


def _hit(doc: str, heading: tuple[str, ...], text: str = "") -> Hit:
    return Hit(chunk_id="c", score=1.0, doc_id=doc, anchor="", url="/", chapter="", title="", heading_path=heading,
               text=text)


def test_section_coverage() -> None:
    assert covers_section(_hit("d", ("Install",)), Expected("d", "Install"))
    assert covers_section(_hit("d", ("Install",), "crumb\n\n### On Linux\n\ntext"), Expected("d", "On Linux"))
    assert not covers_section(_hit("d", ("Usage",)), Expected("d", "Install"))
    assert not covers_section(_hit("e", ("Install",)), Expected("d", "Install"))
    assert covers_section(_hit("d", ()), Expected("d", None))


def test_thresholds() -> None:
    report = {"modes": {"hybrid": {"recall_at_1": 0.8, "mrr_at_10": 0.95}}, "answers": {"false_abstention_rate": 0.1}}
    failed = check_thresholds(report, {"min_recall_at_1": 0.85, "min_mrr": 0.9, "max_false_abstention": 0.05})
    assert failed == ["recall_at_1 = 0.8 (< 0.85)", "false_abstention_rate = 0.1 (> 0.05)"]


@pytest.mark.parametrize("name", ["book", "docusaurus", "kysely"])
def test_gold_sets_are_valid_and_big_enough(name: str) -> None:
    from bookctl.config import load_settings
    from bookctl.site.loader import load_site

    gold = load_gold(GOLD / f"{name}.yaml")
    answerable = sum(q.answerable for q in gold.questions)
    unanswerable = len(gold.questions) - answerable
    assert (len(gold.questions), unanswerable) >= ((80, 10) if name == "book" else (40, 5))
    site = REPO if name == "book" else REPO / "tests" / "corpora" / name
    validate_against_site(gold, load_site(load_settings({"site": site}, env={})))


def test_bad_gold_files(tmp_path: Path) -> None:
    from bookctl.config import load_settings
    from bookctl.site.loader import load_site

    bad = tmp_path / "bad.yaml"
    bad.write_text("corpus: x\nquestions:\n  - {id: q1, question: 'Where?', expect: [{doc: migrationz}]}\n")
    site = load_site(load_settings({"site": REPO / "tests" / "corpora" / "kysely"}, env={}))
    with pytest.raises(InputError, match="unknown doc 'migrationz' \\(did you mean 'migrations'\\?\\)"):
        validate_against_site(load_gold(bad), site)
    bad.write_text("corpus: x\nquestions:\n  - {id: q1, question: 'Where?'}\n")
    with pytest.raises(InputError, match="q1: `expect` must be a list"):
        load_gold(bad)
    bad.write_text("corpus: x\nquestions: [\n")
    with pytest.raises(InputError, match="invalid YAML"):
        load_gold(bad)


def test_eval_cli_end_to_end(indexed_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, data_dir = indexed_corpus("kysely")
    site = str(REPO / "tests" / "corpora" / "kysely")
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["eval", site, "--gold", str(GOLD / "kysely.yaml"), "--mode", "all", "--json",
                                 "--report", str(tmp_path / "r.md"), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    out.write_text(result.stdout)
    assert set(report["modes"]) == {"hybrid", "dense", "sparse"}
    for metrics in report["modes"].values():
        assert 0.5 < metrics["hit_at_k"] <= 1.0 and metrics["latency_ms"]["p50"] > 0
    assert report["answerable"] + report["unanswerable"] == report["questions"]
    assert "| hybrid |" in (tmp_path / "r.md").read_text()
    # --compare against itself: zero deltas; an impossible threshold fails with exit 1
    result = runner.invoke(app, ["eval", site, "--gold", str(GOLD / "kysely.yaml"), "--json", "--compare", str(out),
                                 "--min-mrr", "1.01", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    again = json.loads(result.stdout)
    assert all(v == 0 for v in again["compare"]["deltas"]["hybrid"].values())
    assert again["failed"] and "mrr_at_10" in again["failed"][0]


def test_eval_cli_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(REPO), "--gold", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "cannot read the gold set" in result.output
    result = runner.invoke(app, ["eval", str(REPO), "--mode", "fuzzy"])
    assert result.exit_code == 2 and "unknown mode" in result.output


def test_quality_gate_on_our_book(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    """The CI gate. Thresholds sit just below what the pipeline measured when they were set
    (hybrid recall@1 0.973, MRR 0.986, section hit@5 1.000; abstention 1.00, false abstention 0.000);
    a drop below them fails CI."""
    _, data_dir = indexed_corpus("book")
    result = runner.invoke(app, [
        "eval", str(REPO), "--gold", str(GOLD / "book.yaml"), "--answers", "--json", "--data-dir", str(data_dir),
        "--min-recall-at-1", "0.95", "--min-mrr", "0.97", "--min-section-hit", "0.98",
        "--min-abstention", "0.9", "--max-false-abstention", "0.05", "--min-citation-validity", "1.0"])
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["failed"]
    assert report["answers"]["citation_validity"] == 1.0


@pytest.mark.parametrize(("name", "recall_at_1", "mrr", "section_hit", "abstention"), [
    ("docusaurus", 0.80, 0.89, 0.98, 0.95),  # measured 0.815, 0.897, 1.000; 7 of 7 abstentions
    ("kysely", 0.84, 0.89, 0.95, 0.85),  # measured 0.854, 0.896, 0.958; 6 of 7
])
def test_quality_does_not_regress_on_third_party_books(indexed_corpus, name: str, recall_at_1: float, mrr: float,
                                                       section_hit: float, abstention: float) -> None:
    """Books we did not write keep us honest: quality may not fall below what it measured."""
    _, data_dir = indexed_corpus(name)
    result = runner.invoke(app, [
        "eval", str(CORPORA / name), "--gold", str(GOLD / f"{name}.yaml"), "--answers", "--json",
        "--data-dir", str(data_dir), "--min-recall-at-1", str(recall_at_1), "--min-mrr", str(mrr),
        "--min-section-hit", str(section_hit), "--min-abstention", str(abstention),
        "--max-false-abstention", "0.05", "--min-citation-validity", "1.0"])
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["failed"]
