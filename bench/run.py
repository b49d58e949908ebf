"""`make bench`: speed, memory and scaling, written to bench/results.json and the README table.

Figures that compare two things are measured in the same run and reported as ratios;
the machine is shared and noisy, so absolute numbers vary between runs.
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO / "tests" / "corpora"
BOOKCTL = [sys.executable, "-m", "bookctl"]
results: dict[str, Any] = {}


def log(msg: str) -> None:
    print(f"[bench] {msg}", flush=True)


def timed(fn: Any, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


_MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
            "sys.stderr.write(r.stderr[-500:])")


def run_cli(*args: str, cwd: Path = REPO) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one bookctl process, measured by a fresh parent process
    (RUSAGE_CHILDREN is a maximum over all children, so each measurement needs its own parent)."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *BOOKCTL, *args], cwd=cwd, capture_output=True,
                         text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    elapsed, peak, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"bookctl {' '.join(args)} failed: {out.stderr}")
    return float(elapsed), int(peak)


def pct(values: list[float], p: float) -> float:
    data = sorted(values)
    return data[min(len(data) - 1, round(p * (len(data) - 1)))]


def bench_parsing() -> None:
    from bookctl.config import load_settings
    from bookctl.site.loader import load_site

    rows = {}
    for name, site in (("docusaurus", CORPORA / "docusaurus"), ("kysely", CORPORA / "kysely"), ("book", REPO)):
        settings = load_settings({"site": site}, env={})
        loaded = load_site(settings)
        size = sum(d.path.stat().st_size for d in loaded.docs)
        seconds = timed(lambda s=settings: load_site(s), repeat=3)
        rows[name] = {"docs": len(loaded.docs), "seconds": round(seconds, 3),
                      "docs_per_s": round(len(loaded.docs) / seconds, 1), "mb_per_s": round(size / 1e6 / seconds, 2)}
    t, _ = run_cli("chapters", "--json", str(CORPORA / "docusaurus"))
    rows["chapters_json_cli_docusaurus_s"] = round(t, 2)
    results["parsing"] = rows
    log(f"parsing {rows}")


def bench_embedding_and_ingest(work: Path) -> None:
    from bookctl.chunking import chunk_site
    from bookctl.config import load_settings
    from bookctl.embedding import MiniLM
    from bookctl.ingest import ingest
    from bookctl.site.loader import load_site

    settings = load_settings({"site": REPO, "data_dir": work / "book"}, env={})
    chunks = chunk_site(load_site(settings))
    texts = [c.text for c in chunks]
    tokens = sum(c.token_count for c in chunks)
    bucketed = MiniLM(bucket=True)
    naive = MiniLM(bucket=False)
    bucketed.embed_batch(texts[:8])
    naive.embed_batch(texts[:8])
    t_bucketed = timed(lambda: bucketed.embed_batch(texts))
    t_naive = timed(lambda: naive.embed_batch(texts))
    started = time.perf_counter()
    result = ingest(settings, full=True)
    t_pipeline = time.perf_counter() - started
    results["embedding"] = {
        "chunks": len(texts), "tokens": tokens,
        "bare_model_s": round(t_bucketed, 2), "bare_texts_per_s": round(len(texts) / t_bucketed, 1),
        "bare_tokens_per_s": round(tokens / t_bucketed), "naive_order_s": round(t_naive, 2),
        "bucketing_gain": round(t_naive / t_bucketed, 2),
        "pipeline_s": round(t_pipeline, 2), "pipeline_chunks_per_s": round(len(texts) / t_pipeline, 1),
        "pipeline_vs_bare": round(t_bucketed / t_pipeline, 3), "pipeline_timings": result.timings,
    }
    log(f"embedding {results['embedding']}")


def bench_reingest(work: Path) -> None:
    from bookctl.config import load_settings
    from bookctl.ingest import ingest

    site = work / "docusaurus"
    shutil.copytree(CORPORA / "docusaurus", site)
    data_dir = work / "docusaurus-state"
    settings = load_settings({"site": site, "data_dir": data_dir}, env={})
    started = time.perf_counter()
    ingest(settings)
    first = time.perf_counter() - started
    unchanged_cli, _ = run_cli("ingest", str(site), "--data-dir", str(data_dir), "--json")
    unchanged_lib = timed(lambda: ingest(settings), repeat=3)
    doc = site / "docs" / "deployment.mdx"
    doc.write_text(doc.read_text() + "\n\nA new closing paragraph for the benchmark.\n")
    started = time.perf_counter()
    changed = ingest(settings)
    one_doc = time.perf_counter() - started
    results["reingest_docusaurus"] = {
        "docs": changed.docs, "chunks": changed.chunks, "full_ingest_s": round(first, 1),
        "full_chunks_per_s": round(changed.chunks / first, 1),
        "unchanged_cli_s": round(unchanged_cli, 2), "unchanged_in_process_s": round(unchanged_lib, 3),
        "one_doc_changed_s": round(one_doc, 2), "one_doc_reembedded_chunks": changed.updated + changed.added,
    }
    log(f"reingest {results['reingest_docusaurus']}")


def bench_store(work: Path) -> None:
    import numpy as np

    from bookctl.embedding import bm25, dense_embedder
    from bookctl.index.store import DENSE, SPARSE, EdgeStore, QdrantStore, StoredPoint

    model = dense_embedder()
    rng = np.random.default_rng(7)
    base_texts = [f"Chapter {i % 12} section about ROS 2 nodes, URDF links, Nav2 costmaps and ZMP balance {i}"
                  for i in range(200)]
    base = model.embed_batch(base_texts)
    sparse = [bm25().embed_document(t) for t in base_texts]
    queries = [model.embed_batch([q])[0] for q in ("How do nodes talk?", "costmap inflation for bipeds",
                                                   "zero moment point", "URDF inertia of a link")]
    sparse_q = bm25().embed_query("costmap inflation nodes balance")
    report: dict[str, Any] = {}
    for engine, sizes in (("edge", (1_000, 10_000, 100_000)), ("qdrant-client-local", (1_000,))):
        for n in sizes:
            path = work / f"{engine}-{n}"
            store: Any = EdgeStore(path, dim=384, create=True) if engine == "edge" else \
                QdrantStore(f"local:{path}", api_key=None, dim=384, create=True)
            vectors = base[rng.integers(0, len(base), n)] + rng.normal(0, 0.02, (n, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            started = time.perf_counter()
            for start in range(0, n, 1000):
                store.upsert([StoredPoint(f"00000000-0000-4000-8000-{i:012d}", vectors[i].tolist(),
                                          sparse[i % len(sparse)].indices, sparse[i % len(sparse)].values,
                                          {"chapter": f"Chapter {i % 12}", "doc_id": f"doc{i % 300}"})
                              for i in range(start, min(n, start + 1000))])
            store.flush()
            upsert_s = time.perf_counter() - started
            lat: dict[str, list[float]] = {"dense": [], "sparse": [], "hybrid": [], "dense_filtered": []}
            for _ in range(25):
                for q in queries:
                    t0 = time.perf_counter()
                    store.query(DENSE, q.tolist(), limit=50)
                    t1 = time.perf_counter()
                    store.query(SPARSE, (sparse_q.indices, sparse_q.values), limit=50)
                    t2 = time.perf_counter()
                    store.query(DENSE, q.tolist(), limit=50, where={"chapter": "Chapter 3"})
                    t3 = time.perf_counter()
                    lat["dense"].append((t1 - t0) * 1000)
                    lat["sparse"].append((t2 - t1) * 1000)
                    lat["hybrid"].append((t2 - t0) * 1000)
                    lat["dense_filtered"].append((t3 - t2) * 1000)
            store.close()
            report[f"{engine}/{n}"] = {"upsert_s": round(upsert_s, 2),
                                       **{f"{k}_p50_ms": round(pct(v, 0.5), 2) for k, v in lat.items()},
                                       **{f"{k}_p95_ms": round(pct(v, 0.95), 2) for k, v in lat.items()}}
            log(f"store {engine}/{n} {report[f'{engine}/{n}']}")
    results["store"] = report


def bench_startup(work: Path) -> None:
    help_times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "bookctl"), "--help"], capture_output=True, check=True)
        help_times.append(time.perf_counter() - started)
    data_dir = work / "book"
    search_s, search_rss = run_cli("search", "launch file parameters", "--data-dir", str(data_dir), "--json")
    ask_s, ask_rss = run_cli("ask", "How do ROS 2 nodes communicate?", "--json", "--data-dir", str(data_dir))
    ingest_s, ingest_rss = run_cli("ingest", str(REPO), "--data-dir", str(work / "rss-ingest"), "--json")
    out = subprocess.run([*BOOKCTL, "ask", "How do ROS 2 nodes communicate?", "--json", "--data-dir", str(data_dir)],
                         capture_output=True, text=True, check=True)
    first_token_ms = json.loads(out.stdout)["latency_ms"]["first_token"]
    results["startup"] = {
        "help_median_s": round(statistics.median(help_times), 3),
        "cold_search_s": round(search_s, 2), "cold_ask_s": round(ask_s, 2),
        "cold_ask_in_process_first_token_ms": first_token_ms,
        "peak_rss_mb": {"ingest": round(ingest_rss / 1024), "search": round(search_rss / 1024),
                        "ask": round(ask_rss / 1024)},
    }
    log(f"startup {results['startup']}")


def bench_warm_turn(work: Path) -> None:
    import asyncio

    from bookctl.agent import choose_provider, run_turn
    from bookctl.config import load_settings
    from bookctl.db import SessionLog, TurnRecord
    from bookctl.index import open_searcher

    settings = load_settings({"site": REPO, "data_dir": work / "book"}, env={})
    searcher = open_searcher(settings)
    provider = choose_provider(settings)
    questions = ["How do ROS 2 nodes communicate?", "What is the capture point?", "Which Jetson should I buy?",
                 "How do I tune Nav2 for a biped?", "What does Replicator do?"]

    async def main() -> tuple[list[float], list[float]]:
        log_ = await SessionLog.open(settings)
        sid = await log_.start_session(site="bench", provider=provider.name, model=provider.model)
        await run_turn(questions[0], settings=settings, searcher=searcher, provider=provider)
        turns, logging_ms = [], []
        for q in questions * 4:
            started = time.perf_counter()
            r = await run_turn(q, settings=settings, searcher=searcher, provider=provider)
            turns.append((time.perf_counter() - started) * 1000)
            t0 = time.perf_counter()
            await log_.record_turn(sid, TurnRecord(question=q, answer=r.answer, model=r.model))
            logging_ms.append((time.perf_counter() - t0) * 1000)
        await log_.close()
        return turns, logging_ms

    turns, logging_ms = asyncio.run(main())
    searcher.close()
    results["warm_turn"] = {"p50_ms": round(pct(turns, 0.5), 1), "p95_ms": round(pct(turns, 0.95), 1),
                            "logging_p50_ms": round(pct(logging_ms, 0.5), 2)}
    log(f"warm turn {results['warm_turn']}")


def targets() -> list[dict[str, Any]]:
    s, e, r, st = results["store"], results["embedding"], results["reingest_docusaurus"], results["startup"]
    rows = [
        ("pipeline / bare model throughput", e["pipeline_vs_bare"], ">= 0.85", e["pipeline_vs_bare"] >= 0.85),
        ("unchanged re-ingest, docusaurus (CLI, cold process)", r["unchanged_cli_s"], "<= 1 s", r["unchanged_cli_s"] <= 1),
        ("100k upsert (embedded engine)", s["edge/100000"]["upsert_s"], "<= 20 s", s["edge/100000"]["upsert_s"] <= 20),
        ("filtered query p50 at 100k (ms)", s["edge/100000"]["dense_filtered_p50_ms"], "<= 10 ms",
         s["edge/100000"]["dense_filtered_p50_ms"] <= 10),
        ("bookctl --help (s)", st["help_median_s"], "<= 0.3 s", st["help_median_s"] <= 0.3),
        ("offline cold ask (s)", st["cold_ask_s"], "<= 3 s", st["cold_ask_s"] <= 3),
        ("warm REPL turn p50 (ms)", results["warm_turn"]["p50_ms"], "<= 150 ms", results["warm_turn"]["p50_ms"] <= 150),
        ("logging per turn p50 (ms)", results["warm_turn"]["logging_p50_ms"], "<= 5 ms",
         results["warm_turn"]["logging_p50_ms"] <= 5),
    ]
    return [{"what": w, "measured": m, "target": t, "met": ok} for w, m, t, ok in rows]


def readme_table() -> str:
    lines = ["| measure | measured | target | met |", "| --- | ---: | --- | --- |"]
    for row in results["targets"]:
        lines.append(f"| {row['what']} | {row['measured']} | {row['target']} | {'yes' if row['met'] else '**no**'} |")
    e, s = results["embedding"], results["store"]
    lines += ["", f"Bare model on the book's {e['chunks']} chunks: {e['bare_texts_per_s']} texts/s, "
              f"{e['bare_tokens_per_s']} tokens/s; length-bucketed batches are {e['bucketing_gain']}x faster than "
              f"the naive order. Query latency p50 in ms (dense / sparse / hybrid / chapter-filtered):", "",
              "| store | points | upsert s | dense | sparse | hybrid | filtered |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for key, row in s.items():
        engine, n = key.split("/")
        lines.append(f"| {engine} | {n} | {row['upsert_s']} | {row['dense_p50_ms']} | {row['sparse_p50_ms']} | "
                     f"{row['hybrid_p50_ms']} | {row['dense_filtered_p50_ms']} |")
    rss = results["startup"]["peak_rss_mb"]
    lines += ["", f"Peak RSS: ingest {rss['ingest']} MB, search {rss['search']} MB, ask {rss['ask']} MB. "
              f"Machine: {results['machine']}."]
    return "\n".join(lines)


def main() -> None:
    started = time.perf_counter()
    results["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    random.seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_parsing()
        bench_embedding_and_ingest(work)
        bench_reingest(work)
        bench_store(work)
        bench_startup(work)
        bench_warm_turn(work)
    results["targets"] = targets()
    results["total_s"] = round(time.perf_counter() - started, 1)
    out = REPO / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    readme = REPO / "README.md"
    text = readme.read_text()
    block = f"<!-- bench:start -->\n{readme_table()}\n<!-- bench:end -->"
    text = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _: block, text, flags=re.S)
    readme.write_text(text)
    log(f"wrote {out} and the README table in {results['total_s']} s")


if __name__ == "__main__":
    main()
