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
    answer_misses,
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
    assert m == {
        "recall_at_1": 0.0,
        "hit_at_k": 1.0,
        "mrr_at_10": 0.5,
        "ndcg_at_10": pytest.approx(1 / 1.5849625),
    }
    m = rank_metrics(["x", "y", "z"], {"b"}, k=3)
    assert m == {"recall_at_1": 0.0, "hit_at_k": 0.0, "mrr_at_10": 0.0, "ndcg_at_10": 0.0}
    m = rank_metrics(["b", "c"], {"b", "c"}, k=1)
    assert m["recall_at_1"] == 1.0 and m["ndcg_at_10"] == pytest.approx(1.0)


def _hit(doc: str, heading: tuple[str, ...], text: str = "") -> Hit:
    return Hit(
        chunk_id="c",
        score=1.0,
        doc_id=doc,
        anchor="",
        url="/",
        chapter="",
        title="",
        heading_path=heading,
        text=text,
    )


def test_section_coverage() -> None:
    assert covers_section(_hit("d", ("Install",)), Expected("d", "Install"))
    assert covers_section(_hit("d", ("Install",), "crumb\n\n### On Linux\n\ntext"), Expected("d", "On Linux"))
    assert not covers_section(_hit("d", ("Usage",)), Expected("d", "Install"))
    assert not covers_section(_hit("e", ("Install",)), Expected("d", "Install"))
    assert covers_section(_hit("d", ()), Expected("d", None))
    # strict: only the headings the chunk's text sits under count, not a heading line inside it
    assert covers_section(_hit("d", ("Install", "On Linux")), Expected("d", "On Linux"), strict=True)
    assert covers_section(_hit("d", ("Install", "On Linux")), Expected("d", "Install"), strict=True)
    assert not covers_section(
        _hit("d", ("Install",), "crumb\n\n### On Linux\n\ntext"), Expected("d", "On Linux"), strict=True
    )


def test_thresholds() -> None:
    report = {
        "modes": {"hybrid": {"recall_at_1": 0.8, "mrr_at_10": 0.95}},
        "answers": {"false_abstention_rate": 0.1},
    }
    failed = check_thresholds(report, {"min_recall_at_1": 0.85, "min_mrr": 0.9, "max_false_abstention": 0.05})
    assert failed == ["recall_at_1 = 0.8 (< 0.85)", "false_abstention_rate = 0.1 (> 0.05)"]


@pytest.mark.parametrize("name", ["book", "docusaurus", "kysely"])
def test_gold_sets_are_valid_and_big_enough(name: str) -> None:
    from bookctl.config import load_settings
    from bookctl.site.loader import load_site

    gold = load_gold(GOLD / f"{name}.yaml")
    holdout = load_gold(GOLD / "holdout" / f"{name}.yaml")
    answerable = sum(q.answerable for q in gold.questions)
    unanswerable = len(gold.questions) - answerable
    assert (len(gold.questions), unanswerable) >= ((80, 10) if name == "book" else (40, 5))
    site = load_site(load_settings({"site": REPO if name == "book" else CORPORA / name}, env={}))
    validate_against_site(gold, site)
    validate_against_site(holdout, site)
    assert holdout.corpus == gold.corpus and not {q.id for q in gold.questions} & {
        q.id for q in holdout.questions
    }
    # issue 15: at least 20 near misses (n...) and 20 heading-exact questions (h...) over both halves;
    # our book has only one h3 and three merged h2 sections, so it holds fewer heading questions
    both = gold.questions + holdout.questions
    assert sum(q.id.startswith("n") and not q.answerable for q in both) >= 20
    heading = [q for q in both if q.id.startswith("h")]
    assert len(heading) >= (10 if name == "book" else 20)
    assert all(e.section for q in heading for e in q.expect)


@pytest.mark.parametrize("name", ["book", "docusaurus", "kysely"])
def test_round3_sets_are_valid_and_split_by_their_hash(name: str) -> None:
    """Issue 15, round 3: a tune half and a held half, split by each id's sha256 (fixed before anything
    was measured); every expected doc and heading exists, and every answerable one names its heading."""
    import hashlib

    from bookctl.config import load_settings
    from bookctl.site.loader import load_site

    site = load_site(load_settings({"site": REPO if name == "book" else CORPORA / name}, env={}))
    for path, even in (
        (GOLD / f"{name}-round3.yaml", True),
        (GOLD / "holdout" / f"{name}-round3.yaml", False),
    ):
        gold = load_gold(path)
        validate_against_site(gold, site)
        assert gold.corpus == name and len(gold.questions) >= 15
        assert all(
            (int(hashlib.sha256(q.id.encode()).hexdigest(), 16) % 2 == 0) == even for q in gold.questions
        )
        assert all(e.section for q in gold.questions for e in q.expect)


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


MODES = {"hybrid", "dense", "sparse"}


def report_paths(obj: object, path: str = "") -> set[str]:
    """Every leaf field of a report, named as the README's schema names them."""
    if path == "baseline":
        return {"baseline"}  # documented as "the fields of modes.<mode>"
    if isinstance(obj, dict):
        out: set[str] = set()
        for key, value in obj.items():
            if path in ("modes", "per_question[]") and (key in MODES or (key == "baseline" and path)):
                key = "<mode>"
            elif path == "compare.deltas":
                key = "<section>"
            elif path.startswith("compare.deltas."):
                key = "<metric>"
            elif path == "thresholds":
                key = "<name>"
            out |= report_paths(value, f"{path}.{key}" if path else key)
        return out
    if isinstance(obj, list):
        return set().union(*(report_paths(item, path + "[]") for item in obj)) if obj else {path + "[]"}
    return {path}


def documented_paths() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- eval-json-schema: begin -->")[1].split("<!-- eval-json-schema: end -->")[0]
    names: set[str] = set()
    for line in block.strip().strip("`").removeprefix("text").strip().splitlines():
        names |= {n.strip() for n in line.split("  ")[0].split(",")}
    return names


def test_eval_cli_end_to_end(indexed_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, data_dir = indexed_corpus("kysely")
    site = str(REPO / "tests" / "corpora" / "kysely")
    gold = ["--gold", str(GOLD / "kysely.yaml"), "--data-dir", str(data_dir)]
    result = runner.invoke(
        app, ["eval", site, *gold, "--mode", "all", "--json", "--report", str(tmp_path / "r.md")]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["modes"]) == MODES
    for metrics in report["modes"].values():
        assert 0.5 < metrics["hit_at_k"] <= 1.0 and metrics["latency_ms"]["p50"] > 0
    assert report["answerable"] + report["unanswerable"] == report["questions"]
    assert "| hybrid |" in (tmp_path / "r.md").read_text()

    # A previous run that differed: k001 was at rank 2, u001 abstained, recall@1 was 0.1 higher.
    previous = json.loads(result.stdout)
    k001 = next(q for q in previous["per_question"] if q["id"] == "k001")
    assert k001["hybrid"]["recall_at_1"] == 1.0
    k001["hybrid"].update(recall_at_1=0.0, mrr_at_10=0.5)
    next(q for q in previous["per_question"] if q["id"] == "u001")["answer"] = {
        "abstained": True,
        "citations": [],
    }
    previous["modes"]["hybrid"]["recall_at_1"] += 0.1
    previous["answers"] = {"abstention_accuracy": 1.0}
    (tmp_path / "previous.json").write_text(json.dumps(previous))

    # Everything at once: all modes, the baseline, answers, a comparison and a failing threshold (exit 1).
    result = runner.invoke(
        app,
        [
            "eval",
            site,
            *gold,
            "--mode",
            "all",
            "--baseline",
            "--answers",
            "--json",
            "--compare",
            str(tmp_path / "previous.json"),
            "--min-mrr",
            "1.01",
            "--report",
            str(tmp_path / "r2.md"),
        ],
    )
    assert result.exit_code == 1
    again = json.loads(result.stdout)
    assert again["failed"] and "mrr_at_10" in again["failed"][0]
    deltas = again["compare"]["deltas"]
    assert deltas["hybrid"]["recall_at_1"] == -0.1 and deltas["dense"]["recall_at_1"] == 0.0
    assert deltas["answers"] == {
        "abstention_accuracy": round(again["answers"]["abstention_accuracy"] - 1.0, 4)
    }
    assert "baseline" not in deltas  # the previous run had none
    changed = {(c["id"], c["mode"]): (c["before"], c["after"]) for c in again["compare"]["changed_questions"]}
    assert changed[("k001", "hybrid")] == (2, 1)
    assert changed.get(("u001", "answers")) in (None, ("abstained", "answered"))
    assert len(changed) == 1 + (("u001", "answers") in changed)
    # the README's field list is exactly what a full report holds
    assert report_paths(again) == documented_paths()
    markdown = (tmp_path / "r2.md").read_text()
    assert "### Compared with the previous run" in markdown and "| k001 |" in markdown
    assert "Misses at rank 1" in markdown

    # The terminal view shows the comparison and the misses too.
    result = runner.invoke(
        app, ["eval", site, *gold, "--compare", str(tmp_path / "previous.json")], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Compared with the previous run" in result.output and "Questions that changed" in result.output
    assert "Misses at rank 1" in result.output


def test_answer_misses_name_each_kind_of_wrong_answer() -> None:
    report = {
        "modes": {"hybrid": {}},
        "per_question": [
            {
                "id": "a",
                "question": "answerable, abstained",
                "expected": ["x"],
                "answer": {"abstained": True, "citations": []},
            },
            {
                "id": "b",
                "question": "answerable, wrong doc",
                "expected": ["x"],
                "answer": {"abstained": False, "citations": ["/docs/y"], "citation_hit": False},
            },
            {
                "id": "c",
                "question": "answerable, right doc",
                "expected": ["x"],
                "answer": {"abstained": False, "citations": ["/docs/x"], "citation_hit": True},
            },
            {
                "id": "d",
                "question": "unanswerable, answered",
                "expected": [],
                "answer": {"abstained": False, "citations": ["/docs/z"]},
            },
            {
                "id": "e",
                "question": "unanswerable, abstained",
                "expected": [],
                "answer": {"abstained": True, "citations": []},
            },
        ],
    }
    misses = {m["id"]: (m["expected"], m["got"]) for m in answer_misses(report)}
    assert misses == {
        "a": ("x", "abstained"),
        "b": ("x", "answered, citing /docs/y"),
        "d": ("abstain", "answered, citing /docs/z"),
    }


def test_eval_cli_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(REPO), "--gold", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "cannot read the gold set" in result.output
    result = runner.invoke(app, ["eval", str(REPO), "--mode", "fuzzy"])
    assert result.exit_code == 2 and "unknown mode" in result.output
    # --compare takes only an earlier report on the same corpus; each refusal is one line, before any work
    not_reports = {
        "list.json": "[1, 2]",
        "other.json": '{"a": 1}',
        "binary.json": b"\xff\xfe\x00",
        "kysely.json": json.dumps({"corpus": "kysely", "modes": {}, "per_question": []}),
    }
    for name, content in not_reports.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        result = runner.invoke(
            app, ["eval", str(REPO), "--gold", str(GOLD / "book.yaml"), "--compare", str(path)]
        )
        assert result.exit_code == 2, (name, result.output)
        assert "Traceback" not in result.output and str(path) in result.output.replace("\n", "")
    assert "measured corpus 'kysely', this run 'book'" in result.output


def test_quality_gate_on_our_book(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    """The CI gate. Thresholds sit just below what the pipeline measured when they were set (issue 15,
    with the near-miss and heading questions: hybrid recall@1 0.965, MRR 0.981, section hit@5 1.000
    lenient and strict; abstention 1.00 on 25, false abstention 0.000); a drop below them fails CI."""
    _, data_dir = indexed_corpus("book")
    result = runner.invoke(
        app,
        [
            "eval",
            str(REPO),
            "--gold",
            str(GOLD / "book.yaml"),
            "--answers",
            "--json",
            "--data-dir",
            str(data_dir),
            "--min-recall-at-1",
            "0.95",
            "--min-mrr",
            "0.97",
            "--min-section-hit",
            "0.98",
            "--min-section-hit-strict",
            "0.98",
            "--min-abstention",
            "0.95",
            "--max-false-abstention",
            "0.05",
            "--min-citation-validity",
            "1.0",
        ],
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["failed"]
    assert report["answers"]["citation_validity"] == 1.0


@pytest.mark.parametrize(
    ("name", "recall_at_1", "mrr", "section_hit", "abstention"),
    [
        (
            "docusaurus",
            0.81,
            0.89,
            0.98,
            0.95,
        ),  # measured 0.826, 0.906, 1.000 (strict too); 21 of 21 abstentions
        ("kysely", 0.86, 0.90, 0.95, 0.85),  # measured 0.881, 0.921, 0.966 (strict too); 18 of 20
    ],
)
def test_quality_does_not_regress_on_third_party_books(
    indexed_corpus, name: str, recall_at_1: float, mrr: float, section_hit: float, abstention: float
) -> None:
    """Books we did not write keep us honest: quality may not fall below what it measured."""
    _, data_dir = indexed_corpus(name)
    result = runner.invoke(
        app,
        [
            "eval",
            str(CORPORA / name),
            "--gold",
            str(GOLD / f"{name}.yaml"),
            "--answers",
            "--json",
            "--data-dir",
            str(data_dir),
            "--min-recall-at-1",
            str(recall_at_1),
            "--min-mrr",
            str(mrr),
            "--min-section-hit",
            str(section_hit),
            "--min-section-hit-strict",
            str(section_hit),
            "--min-abstention",
            str(abstention),
            "--max-false-abstention",
            "0.05",
            "--min-citation-validity",
            "1.0",
        ],
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["failed"]


def test_the_cli_thresholds_are_the_table() -> None:
    """One table: every threshold has its flag, its [eval] key and a check; nothing else is accepted."""
    import typer

    from bookctl.evals import THRESHOLDS

    command = typer.main.get_command(app).commands["eval"]  # type: ignore[attr-defined]
    flags = {opt for p in command.params if p.param_type_name == "option" for opt in p.opts}
    gating = {f for f in flags if f.startswith(("--min-", "--max-"))}
    assert gating == {t.flag for t in THRESHOLDS.values()}
    for t in THRESHOLDS.values():
        report = {"modes": {"hybrid": {t.metric: 0.5}}, "answers": {t.metric: 0.5}}
        limit = 0.6 if t.direction == "min" else 0.4
        assert check_thresholds(report, {t.name: limit}) == [
            f"{t.metric} = 0.5 ({'<' if t.direction == 'min' else '>'} {limit})"
        ]
    help_text = runner.invoke(app, ["eval", "--help"], env={"COLUMNS": "200"}).output
    assert "[eval] min_mrr = 0.9" in help_text and "expect: [] =" in help_text


def test_unknown_thresholds_in_bookctl_toml_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "bookctl.toml").write_text("[eval]\nmin_mrr = 0.9\nmin_happiness = 1\n")
    result = runner.invoke(app, ["eval", str(tmp_path), "--gold", str(GOLD / "kysely.yaml")])
    assert result.exit_code == 2
    assert "bookctl.toml [eval]: unknown eval thresholds: min_happiness" in result.output.replace("\n", "")
