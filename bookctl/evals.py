"""Gold sets, retrieval and answer metrics, reports: `bookctl eval`.

Gold set format (YAML):

    corpus: <name>
    questions:
      - id: q001
        question: "How do I ...?"
        expect:              # [] means the book does not answer it: the assistant must abstain
          - doc: <doc id, as Docusaurus computes it>
            section: <optional: heading text the answer sits under, as rendered>

Retrieval metrics are doc-level with docs de-duplicated in rank order (recall@1, hit@k,
MRR@10, nDCG@10), plus section hit@k (a retrieved chunk covers the expected section) and
latency. Unanswerable questions count only for the answer metrics (abstention).
"""

from __future__ import annotations

import difflib
import math
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bookctl.errors import InputError

SCHEMA_VERSION = 2  # 2: changed_questions give ranks and answer outcomes; baseline and answers deltas
MODES = ("hybrid", "dense", "sparse")
ANSWER_METRICS = (
    "abstention_accuracy",
    "false_abstention_rate",
    "citation_validity",
    "citation_hit_rate",
    "answer_support",
)
RETRIEVE_CHUNKS = 30  # chunks fetched per question, enough for 10 distinct docs
BASELINE_CHARS = 1000

# threshold name -> (metric path, direction)
THRESHOLDS: dict[str, tuple[str, str]] = {
    "min_recall_at_1": ("recall_at_1", "min"),
    "min_hit_at_k": ("hit_at_k", "min"),
    "min_mrr": ("mrr_at_10", "min"),
    "min_ndcg": ("ndcg_at_10", "min"),
    "min_section_hit": ("section_hit_at_k", "min"),
    "min_abstention": ("abstention_accuracy", "min"),
    "max_false_abstention": ("false_abstention_rate", "max"),
    "min_citation_validity": ("citation_validity", "min"),
    "min_citation_hit": ("citation_hit_rate", "min"),
    "min_answer_support": ("answer_support", "min"),
}


@dataclass
class Expected:
    doc: str
    section: str | None = None


@dataclass
class GoldQuestion:
    id: str
    question: str
    expect: list[Expected]

    @property
    def answerable(self) -> bool:
        return bool(self.expect)


@dataclass
class GoldSet:
    corpus: str
    questions: list[GoldQuestion]
    path: Path


def load_gold(path: Path) -> GoldSet:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the gold set {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(
            f"{where}: invalid YAML in the gold set", fix="see the format in `bookctl eval --help`"
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        raise InputError(f"{path}: a gold set needs `corpus:` and a `questions:` list")
    questions: list[GoldQuestion] = []
    seen: set[str] = set()
    for n, item in enumerate(raw["questions"], 1):
        qid = str(item.get("id", "")) if isinstance(item, dict) else ""
        label = f"{path}: question {qid or f'#{n}'}"
        if not qid or not isinstance(item.get("question"), str) or not item["question"].strip():
            raise InputError(f"{label}: needs an `id` and a non-empty `question`")
        if qid in seen:
            raise InputError(f"{label}: duplicate id")
        seen.add(qid)
        expect = item.get("expect")
        if not isinstance(expect, list):
            raise InputError(f"{label}: `expect` must be a list ([] when the book does not answer it)")
        parsed = []
        for e in expect:
            if not isinstance(e, dict) or not isinstance(e.get("doc"), str):
                raise InputError(f"{label}: each expectation needs `doc: <doc id>`")
            section = e.get("section")
            parsed.append(Expected(e["doc"], str(section) if section is not None else None))
        questions.append(GoldQuestion(qid, item["question"].strip(), parsed))
    return GoldSet(str(raw.get("corpus", path.stem)), questions, path)


def validate_against_site(gold: GoldSet, site: Any) -> None:
    docs = {d.id: d for d in site.docs}
    problems = []
    for q in gold.questions:
        for e in q.expect:
            if e.doc not in docs:
                close = difflib.get_close_matches(e.doc, list(docs), n=2, cutoff=0.5)
                problems.append(
                    f"{q.id}: unknown doc {e.doc!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
                )
            elif e.section is not None and e.section not in {h.text for h in docs[e.doc].headings}:
                close = difflib.get_close_matches(
                    e.section, [h.text for h in docs[e.doc].headings], n=1, cutoff=0.4
                )
                problems.append(
                    f"{q.id}: {e.doc} has no heading {e.section!r}"
                    + (f" (did you mean {close[0]!r}?)" if close else "")
                )
    if problems:
        raise InputError(
            f"{gold.path}: " + "; ".join(problems[:8]) + (" ..." if len(problems) > 8 else ""),
            fix="use doc ids and headings as `bookctl chapters --json` lists them",
        )


# --- metrics --------------------------------------------------------------------------------------


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


def covers_section(hit: Any, expected: Expected) -> bool:
    """A retrieved chunk covers the expected section (doc match when no section is given)."""
    if hit.doc_id != expected.doc:
        return False
    if expected.section is None:
        return True
    if expected.section in hit.heading_path:
        return True
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


def _no_progress(*args: Any) -> None:
    return None


def evaluate_retrieval(gold: GoldSet, search: Any, *, k: int, progress: Any = _no_progress) -> ModeReport:
    """`search(question) -> list[Hit]` (chunks, best first); `progress(done, total)` after each question."""
    rows: dict[str, dict[str, Any]] = {}
    sums: dict[str, list[float]] = {
        m: [] for m in ("recall_at_1", "hit_at_k", "mrr_at_10", "ndcg_at_10", "section_hit_at_k")
    }
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

    from bookctl.agent.offline import EXTRACTIVE_NOTE

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
    gold: GoldSet, ask: Any, site: Any, section_text: Any, progress: Any = _no_progress
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


# --- the naive baseline ------------------------------------------------------------------------------


def baseline_search(site: Any, workdir: Path) -> Any:
    """Fixed 1000-character chunks of each doc, dense only: what a bolt-on RAG would do."""
    from bookctl.embedding import dense_embedder
    from bookctl.index.base import Hit
    from bookctl.index.store import DENSE, EdgeStore, StoredPoint

    model = dense_embedder()
    pieces: list[dict[str, Any]] = []
    for doc in site.docs:
        text = doc.markdown
        heading_at: list[tuple[int, str, str]] = []
        offset = 0
        h2 = iter([h for h in doc.headings if h.level >= 2])
        for line in text.split("\n"):
            if line.startswith("## ") or line.startswith("### "):
                h = next(h2, None)
                if h is not None:
                    heading_at.append((offset, h.text, h.anchor))
            offset += len(line) + 1
        for start in range(0, max(len(text), 1), BASELINE_CHARS):
            section = [(t, a) for o, t, a in heading_at if o <= start]
            title, anchor = section[-1] if section else ("", "")
            pieces.append(
                {
                    "doc_id": doc.id,
                    "text": text[start : start + BASELINE_CHARS],
                    "anchor": anchor,
                    "heading": title,
                    "url": doc.permalink,
                    "title": doc.title,
                }
            )
    store = EdgeStore(workdir / "baseline", dim=model.dim, create=True)
    import uuid

    for start in range(0, len(pieces), 64):
        batch = pieces[start : start + 64]
        vectors = model.embed_batch([p["text"] for p in batch])
        store.upsert(
            [
                StoredPoint(str(uuid.uuid4()), v.tolist(), [0], [0.0], p)
                for p, v in zip(batch, vectors, strict=True)
            ]
        )

    def search(question: str) -> list[Any]:
        vector = model.embed_batch([question])[0].tolist()
        return [
            Hit(
                chunk_id=p.id,
                score=p.score,
                doc_id=p.payload["doc_id"],
                anchor=p.payload["anchor"],
                url=p.payload["url"],
                chapter="",
                title=p.payload["title"],
                heading_path=(p.payload["heading"],) if p.payload["heading"] else (),
                text=p.payload["text"],
            )
            for p in store.query(DENSE, vector, limit=RETRIEVE_CHUNKS)
        ]

    search.close = store.close  # type: ignore[attr-defined]
    return search


# --- thresholds, comparison, reports -------------------------------------------------------------------


def check_thresholds(report: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    failed = []
    hybrid = report["modes"].get("hybrid") or next(iter(report["modes"].values()))
    answers = report.get("answers") or {}
    for name, limit in thresholds.items():
        metric, direction = THRESHOLDS[name]
        source = answers if metric in ANSWER_METRICS else hybrid
        if metric not in source:
            continue
        value = source[metric]
        if (direction == "min" and value < limit) or (direction == "max" and value > limit):
            failed.append(f"{metric} = {value} ({'<' if direction == 'min' else '>'} {limit})")
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


def compare(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
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
    changed = []
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


def retrieval_misses(report: dict[str, Any]) -> list[dict[str, str]]:
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


def answer_misses(report: dict[str, Any]) -> list[dict[str, str]]:
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


def miss_tables(report: dict[str, Any]) -> list[tuple[str, tuple[str, ...], list[dict[str, str]]]]:
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


def changed_rows(comparison: dict[str, Any]) -> list[list[str]]:
    """The changed questions as table cells; a rank of None reads ">10"."""
    return [[str(c[key] or ">10") for key in CHANGED_COLUMNS] for c in comparison["changed_questions"]]


def signed(value: float) -> str:
    return f"{value:+.3f}" if abs(value) < 10 else f"{value:+.1f}"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_report(report: dict[str, Any]) -> str:
    lines = [
        f"## bookctl eval: {report['corpus']}",
        "",
        f"{report['answerable']} answerable and {report['unanswerable']} unanswerable questions, k = {report['k']}.",
        "",
    ]
    cols = ["recall_at_1", "hit_at_k", "mrr_at_10", "ndcg_at_10", "section_hit_at_k"]
    lines += [
        "| mode | " + " | ".join(cols) + " | latency p50 / p95 ms |",
        "| --- | " + " | ".join("---:" for _ in cols) + " | ---: |",
    ]
    rows = dict(report["modes"])
    if report.get("baseline"):
        rows["baseline (1000-char, dense)"] = report["baseline"]
    for mode, m in rows.items():
        lat = m.get("latency_ms", {})
        lines.append(
            f"| {mode} | "
            + " | ".join(f"{m[c]:.3f}" for c in cols)
            + f" | {lat.get('p50', 0)} / {lat.get('p95', 0)} |"
        )
    if report.get("answers"):
        a = report["answers"]
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


def run_eval(
    settings: Any,
    gold_path: Path,
    *,
    k: int = 5,
    modes: tuple[str, ...] = ("hybrid",),
    answers: bool = False,
    baseline: bool = False,
    thresholds: dict[str, float] | None = None,
    progress: Any = _no_progress,
) -> dict[str, Any]:
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
    site = load_site(settings)
    validate_against_site(gold, site)

    def stage(name: str) -> Any:
        return lambda done, total: progress(name, done, total)

    ingest(settings, progress=progress)  # incremental: brings chunks, metadata and title vectors up to date
    searcher = open_searcher(settings)
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "corpus": gold.corpus,
        "gold": str(gold_path),
        "k": k,
        "questions": len(gold.questions),
        "answerable": sum(q.answerable for q in gold.questions),
        "unanswerable": sum(not q.answerable for q in gold.questions),
        "modes": {},
        "baseline": None,
        "answers": None,
        "thresholds": thresholds or {},
        "failed": [],
    }
    per_question: dict[str, dict[str, Any]] = {
        q.id: {
            "id": q.id,
            "question": q.question,
            "expected": [e.doc + (f"#{e.section}" if e.section else "") for e in q.expect],
        }
        for q in gold.questions
    }
    try:
        for mode in modes:
            result = evaluate_retrieval(
                gold,
                lambda text, m=mode: searcher.search(text, k=RETRIEVE_CHUNKS, mode=m),
                k=k,
                progress=stage(mode),
            )
            report["modes"][mode] = result.metrics
            for qid, row in result.per_question.items():
                per_question[qid][mode] = row
        if baseline:
            stage("baseline")(0, report["answerable"])  # shown while the baseline embeds its chunks
            with tempfile.TemporaryDirectory() as tmp:
                search = baseline_search(site, Path(tmp))
                try:
                    result = evaluate_retrieval(gold, search, k=k, progress=stage("baseline"))
                finally:
                    search.close()
            report["baseline"] = result.metrics
            for qid, row in result.per_question.items():
                per_question[qid]["baseline"] = row
        if answers:
            from bookctl.agent import choose_provider, run_turn

            provider = choose_provider(settings)

            def ask(question: str) -> Any:
                return asyncio.run(
                    run_turn(question, settings=settings, searcher=searcher, provider=provider)
                )

            def section_text(doc_id: str, anchor: str) -> str:
                return "\n".join(h.text for h in searcher.section(doc_id, anchor))

            result = evaluate_answers(gold, ask, site, section_text, progress=stage("answers"))
            report["answers"] = {**result.metrics, "model": provider.model}
            for qid, row in result.per_question.items():
                per_question[qid]["answer"] = row
    finally:
        searcher.close()
    report["per_question"] = list(per_question.values())
    report["failed"] = check_thresholds(report, thresholds or {})
    return report
