"""Cold `bookctl ask` as a reader sees it: a fresh process whose output is a terminal.

The answer streams only to a terminal, so the process runs on a pseudo-terminal and the time to
the first token is when the first letters of the answer appear there (Rich's live display
writes only cursor codes before that). Wall time to exit is the time to the complete answer.
"""

from __future__ import annotations

import os
import pty
import re
import select
import statistics
import subprocess
import time
from pathlib import Path

_ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def ask_on_a_terminal(
    argv: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60.0
) -> tuple[float | None, float, int]:
    """(seconds to the first answer text, seconds to exit, exit code) of one process."""
    master, slave = pty.openpty()
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.DEVNULL
    )
    os.close(slave)
    first: float | None = None
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # the process closed the terminal
                break
            if not data:
                break
            if first is None and re.search(rb"[A-Za-z]{3}", _ESCAPES.sub(b"", data)):
                first = time.perf_counter() - started
    finally:
        os.close(master)
    code = proc.wait(timeout=timeout)
    return first, time.perf_counter() - started, code


def cold_ask(argv: list[str], *, cwd: Path, runs: int = 5) -> dict[str, float]:
    """Median first-token and completion times over `runs` fresh processes (after one warm-up run
    that creates the session database, reported apart as the first use)."""
    first_use = ask_on_a_terminal(argv, cwd=cwd)
    firsts, totals = [], []
    for _ in range(runs):
        first, total, code = ask_on_a_terminal(argv, cwd=cwd)
        if code != 0 or first is None:
            raise SystemExit(f"{' '.join(argv)} failed on a terminal (exit {code})")
        firsts.append(first)
        totals.append(total)
    return {
        "first_use_s": round(first_use[1], 2),
        "first_token_s": round(statistics.median(firsts), 2),
        "complete_s": round(statistics.median(totals), 2),
        "runs": runs,
    }
