"""`bookctl serve` under load, offline model, from 127.0.0.1 (a section of `make bench`; also runnable alone:
`python bench/serve.py [--data-dir DIR] [--conversations 50 --turns 10 --memory-turns 1000]`).

- first streamed token over HTTP, warm: sequential new conversations, time from the request to the
  first text delta event; and the same questions through the bare in-process ChatSession (its floor:
  the model's share);
- N concurrent conversations of T turns each (one HTTP client per conversation, all at once): errors,
  first-token p95, turns/s, against the bare in-process ChatSession's turns/s in the same run;
- the server's RSS (one worker: the process) sampled as turns go by, up to --memory-turns, and its
  slope (KiB per 100 turns) by least squares.

The questions repeat (QUESTIONS, round and round), so from the warm-up on the offline model finds
every sentence vector it needs in its cache (bookctl/agent/offline/vectors.py). The first two
measures are therefore taken twice, on two servers: as configured (`cached`: the figures at the top
level), and with that cache off (BOOKCTL_VECTOR_CACHE_MB=0, under "cold_cache": every candidate
sentence embedded at each turn, as for questions about sections nobody asked about yet).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "How do ROS 2 nodes communicate?",
    "What is the capture point?",
    "Which Jetson should I buy?",
    "How do I tune Nav2 for a biped?",
    "What does Replicator do?",
    "How do I write a URDF for a humanoid?",
    "What is domain randomization?",
    "How are launch file parameters set?",
]


def log(msg: str) -> None:
    print(f"[serve bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * (len(ordered) - 1))))]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def slope(points: list[tuple[int, int]]) -> float:
    """KiB per 100 turns, least squares."""
    if len(points) < 2:
        return 0.0
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return 100 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def _body(kind: str, text: str, thread_id: str | None = None) -> str:
    content = {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}
    if kind == "threads.create":
        return json.dumps({"type": kind, "params": {"input": content}})
    return json.dumps({"type": kind, "params": {"thread_id": thread_id, "input": content}})


async def turn(client: Any, url: str, text: str, thread_id: str | None) -> tuple[str, float, bool]:
    """One question: (thread id, seconds to the first text delta, whether it ended without an error)."""
    started = time.perf_counter()
    first: float | None = None
    ok = False
    kind = "threads.add_user_message" if thread_id else "threads.create"
    async with client.stream("POST", f"{url}/chatkit", content=_body(kind, text, thread_id)) as r:
        if r.status_code != 200:
            ERRORS[f"HTTP {r.status_code}"] += 1
            return thread_id or "", time.perf_counter() - started, False
        async for line in r.aiter_lines():
            if not line.startswith("data:"):
                continue
            event = json.loads(line[5:])
            if event["type"] == "thread.created":
                thread_id = event["thread"]["id"]
            elif event["type"] == "error":
                ERRORS[f"error event: {event.get('code') or event.get('message')}"] += 1
                return thread_id or "", time.perf_counter() - started, False
            elif (
                first is None
                and event.get("update", {}).get("type") == "assistant_message.content_part.text_delta"
            ):
                first = time.perf_counter() - started
            elif event["type"] == "thread.item.done" and event["item"]["type"] == "assistant_message":
                ok = True
    return thread_id or "", first if first is not None else time.perf_counter() - started, ok


def start(
    data_dir: Path, site: Path, log_db: Path, *, vector_cache_mb: float | None = None
) -> tuple[subprocess.Popen[str], str]:
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BOOKCTL_") and k not in {"OPENAI_API_KEY", "DATABASE_URL"}
    }
    env.update(
        {
            "BOOKCTL_DATA_DIR": str(data_dir),
            "BOOKCTL_DATABASE_URL": f"sqlite:///{log_db}",
            "HF_HUB_OFFLINE": "1",
        }
    )
    if vector_cache_mb is not None:
        env["BOOKCTL_VECTOR_CACHE_MB"] = str(vector_cache_mb)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bookctl",
            "serve",
            str(site),
            "--port",
            "0",
            "--rate-limit",
            "off",
            "--site-url",
            "http://127.0.0.1:3000",
        ],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/chatkit", line)
    if not m:
        proc.kill()
        raise RuntimeError(f"bookctl serve did not start: {line}{proc.stderr.read()[-2000:]}")
    # keep reading what the server writes: a pipe nobody reads fills up (64 KiB) and blocks the server
    # on its next log line (seen: a hung server mid-run); the last lines are kept for the report
    threading.Thread(target=_drain, args=(proc.stderr,), daemon=True).start()
    return proc, f"http://127.0.0.1:{m.group(1)}"


SERVER_LOG: collections.deque[str] = collections.deque(maxlen=200)
ERRORS: collections.Counter[str] = collections.Counter()  # why turns failed, as the client saw it
SERVER_LOG_PATH: list[Path] = []  # --server-log: every line the server wrote, kept whole
SERVER_ERROR_LINES = [0]  # lines of the server's stderr with a traceback or an ERROR, all along


def _drain(stream: Any) -> None:
    out = open(SERVER_LOG_PATH[0], "w", encoding="utf-8") if SERVER_LOG_PATH else None  # noqa: SIM115
    for line in stream:
        SERVER_LOG.append(line)
        if "Traceback" in line or "ERROR" in line:
            SERVER_ERROR_LINES[0] += 1
        if out is not None:
            out.write(line)
            out.flush()


async def bare_first_token(data_dir: Path, site: Path, n: int) -> list[float]:
    """Seconds to the first text delta of new conversations through ChatSession in this process (no
    HTTP, no protocol, no store): what the model and the session take, the floor of the HTTP figure."""
    from bookctl.chat import Assistant, TextDelta
    from bookctl.config import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            {"site": site, "data_dir": data_dir, "database_url": f"sqlite:///{Path(tmp) / 'bare.db'}"}, env={}
        )
        async with await Assistant.open(settings) as assistant:
            for q in QUESTIONS:  # warm up, as the HTTP run does
                await (await assistant.session(origin="python")).ask(q)
            firsts = []
            for i in range(n):
                started = time.perf_counter()
                session = await assistant.session(origin="python")
                first = None
                async for event in session.stream(QUESTIONS[i % len(QUESTIONS)]):
                    if first is None and isinstance(event, TextDelta):
                        first = time.perf_counter() - started
                firsts.append(first if first is not None else time.perf_counter() - started)
            return firsts


async def bare_turns_per_s(data_dir: Path, site: Path, n: int) -> float:
    """The same questions through ChatSession in this process (no HTTP, no protocol, no store)."""
    from bookctl.chat import Assistant
    from bookctl.config import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            {"site": site, "data_dir": data_dir, "database_url": f"sqlite:///{Path(tmp) / 'bare.db'}"}, env={}
        )
        async with await Assistant.open(settings) as assistant:
            await (await assistant.session(origin="python")).ask(QUESTIONS[0])
            started = time.perf_counter()
            for i in range(n):
                session = await assistant.session(origin="python")
                await session.ask(QUESTIONS[i % len(QUESTIONS)])
            return n / (time.perf_counter() - started)


async def measure(
    url: str, pid: int, *, warm: int, conversations: int, turns: int, memory_turns: int
) -> dict[str, Any]:
    import httpx

    limits = httpx.Limits(max_connections=conversations + 5, max_keepalive_connections=conversations + 5)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        log("warming up")
        for q in QUESTIONS:  # warm up: every question once
            await turn(client, url, q, None)
        log("first token, warm")
        firsts = []
        for i in range(warm):
            _, first, ok = await turn(client, url, QUESTIONS[i % len(QUESTIONS)], None)
            assert ok
            firsts.append(first)
        rss_start = rss_kib(pid)
        samples: list[tuple[int, int]] = [(0, rss_start)]
        done = 0

        async def conversation(c: int, n: int, out: list[tuple[float, bool]]) -> None:
            nonlocal done
            thread_id = None
            for t in range(n):
                try:
                    thread_id, first, ok = await turn(
                        client, url, QUESTIONS[(c + t) % len(QUESTIONS)], thread_id
                    )
                except Exception as exc:
                    ERRORS[type(exc).__name__] += 1
                    first, ok = 0.0, False
                out.append((first, ok))
                done += 1
                if done % 50 == 0:
                    samples.append((done, rss_kib(pid)))

        results: list[tuple[float, bool]] = []
        log(f"{conversations} concurrent conversations of {turns} turns")
        started = time.perf_counter()
        await asyncio.gather(*(conversation(c, turns, results) for c in range(conversations)))
        elapsed = time.perf_counter() - started
        concurrent_firsts = [f for f, ok in results if ok]
        errors = sum(1 for _, ok in results if not ok)
        rest = max(0, memory_turns - len(results))  # more turns, 10 conversations at a time, for memory
        more: list[tuple[float, bool]] = []
        if rest:
            log(f"{rest} more turns for memory")
            per = max(1, rest // 10)
            await asyncio.gather(*(conversation(c, per, more) for c in range(10)))
        samples.append((done, rss_kib(pid)))
    return {
        "first_token_warm_p50_ms": round(pct(firsts, 0.5) * 1000, 1),
        "first_token_warm_p95_ms": round(pct(firsts, 0.95) * 1000, 1),
        "concurrent_conversations": conversations,
        "turns_each": turns,
        "concurrent_errors": errors + sum(1 for _, ok in more if not ok),
        "concurrent_first_token_p95_s": round(pct(concurrent_firsts, 0.95), 2) if concurrent_firsts else None,
        "concurrent_turns_per_s": round(len(results) / elapsed, 2),
        "rss_start_mib": round(rss_start / 1024, 1),
        "rss_end_mib": round(samples[-1][1] / 1024, 1),
        "rss_turns": done,
        "rss_slope_kib_per_100_turns": round(slope(samples[len(samples) // 4 :]), 1),
    }


def _serve_and_measure(
    data_dir: Path, site: Path, *, vector_cache_mb: float | None = None, **measures: int
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        log(
            "starting bookctl serve"
            + ("" if vector_cache_mb is None else f", vector cache {vector_cache_mb} MB")
        )
        proc, url = start(data_dir, site, Path(tmp) / "serve.db", vector_cache_mb=vector_cache_mb)
        log(f"serving at {url}")
        try:
            return asyncio.run(measure(url, proc.pid, **measures))
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def bench_serve(
    data_dir: Path,
    site: Path = REPO,
    *,
    warm: int = 40,
    conversations: int = 50,
    turns: int = 10,
    memory_turns: int = 1000,
    cold: bool = True,
) -> dict[str, Any]:
    figures = _serve_and_measure(
        data_dir, site, warm=warm, conversations=conversations, turns=turns, memory_turns=memory_turns
    )
    if cold:
        log("the same without the sentence-vector cache")
        off = _serve_and_measure(
            data_dir,
            site,
            vector_cache_mb=0,
            warm=warm,
            conversations=conversations,
            turns=turns,
            memory_turns=0,
        )
        figures["cold_cache"] = {
            k: off[k]
            for k in (
                "first_token_warm_p50_ms",
                "first_token_warm_p95_ms",
                "concurrent_errors",
                "concurrent_first_token_p95_s",
                "concurrent_turns_per_s",
            )
        }
    figures["server_error_log_lines"] = SERVER_ERROR_LINES[0]
    figures["error_kinds"] = dict(ERRORS)
    if SERVER_ERROR_LINES[0]:
        log("the server logged errors; its last lines:\n" + "".join(list(SERVER_LOG)[-40:]))
    log("bare ChatSession turns")
    bare = asyncio.run(bare_turns_per_s(data_dir, site, 40))
    figures["bare_chatsession_turns_per_s"] = round(bare, 2)
    figures["http_vs_bare_throughput"] = round(figures["concurrent_turns_per_s"] / bare, 2)
    log("bare ChatSession first token")
    firsts = asyncio.run(bare_first_token(data_dir, site, warm))
    figures["bare_first_token_p50_ms"] = round(pct(firsts, 0.5) * 1000, 1)
    figures["bare_first_token_p95_ms"] = round(pct(firsts, 0.95) * 1000, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an index of the book (default: a fresh ingest)")
    parser.add_argument(
        "--site", type=Path, default=REPO, help="the site the index is of (default: the book)"
    )
    parser.add_argument("--warm", type=int, default=40)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--memory-turns", type=int, default=1000)
    parser.add_argument("--server-log", type=Path, help="write everything the server logs to this file")
    parser.add_argument(
        "--no-cold", action="store_true", help="skip the second server without the sentence-vector cache"
    )
    args = parser.parse_args()
    if args.server_log is not None:
        SERVER_LOG_PATH.append(args.server_log)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            from bookctl.config import load_settings
            from bookctl.ingest import ingest

            data_dir = Path(tmp) / "book"
            ingest(load_settings({"site": args.site, "data_dir": data_dir}, env={}))
        figures = bench_serve(
            data_dir,
            args.site,
            warm=args.warm,
            conversations=args.conversations,
            turns=args.turns,
            memory_turns=args.memory_turns,
            cold=not args.no_cold,
        )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
