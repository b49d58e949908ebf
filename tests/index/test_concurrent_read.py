"""`bookctl search` and `bookctl ask` while an ingest rewrites most of the index: every answer comes
from one complete index, the old or the new, never a mix that cites missing chunks.

The re-ingest (a subprocess) renames the recipes folder (every recipe chunk removed and re-added
under a new doc id and URL), renames its chapter and edits the intro (same chunk ids, new text).
It pauses at three points, where the test runs reads through the CLI: half of the new chunks
embedded; everything embedded, relabelled and deleted but not yet published; published but the
old generation not yet deleted. A second thread runs `bookctl search` in a loop from the start of
the ingest to its end, so reads also land between the pauses (the generation swap included).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bookctl.config import load_settings
from bookctl.index import open_searcher
from bookctl.ingest import ingest

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
QUESTIONS = [
    "How do I run raw SQL with the sql template tag?",
    "How do I log the queries Kysely runs?",
    "How do I select fields conditionally?",
]

# The re-ingest: small batches, and a pause (until the test says go) at each of three points.
WRITER = r"""
import json, os, sys, time
from pathlib import Path
import bookctl.index.generations as generations
import bookctl.index.titles as titles
from bookctl.config import load_settings
from bookctl.ingest import ingest

site, data_dir, control = sys.argv[1], sys.argv[2], Path(sys.argv[3])

def pause(name):
    (control / name).write_text("")
    deadline = time.monotonic() + 300
    while not (control / f"go-{name}").exists():
        if time.monotonic() > deadline:
            sys.exit(f"no go for {name}")
        time.sleep(0.02)

def progress(stage, done, total):
    if stage == "embed" and total and done >= total // 2 and not (control / "half-embedded").exists():
        pause("half-embedded")

update_titles = titles.update_titles
def paused_titles(*a, **k):  # called after the upserts, relabels, deletes and flush; before meta.json
    pause("unpublished")
    return update_titles(*a, **k)
titles.update_titles = paused_titles

publish = generations.publish
def paused_publish(*a, **k):
    publish(*a, **k)
    pause("published")  # the old generation is deleted after this
generations.publish = paused_publish

settings = load_settings({"site": site, "data_dir": data_dir, "batch_size": 2}, env={})
result = ingest(settings, progress=progress)
print(json.dumps({"added": result.added, "updated": result.updated, "removed": result.removed}))
"""


def _index(site: Path, data_dir: Path) -> dict[str, Any]:
    """The complete state of an index: each chunk's payload, and the sections answers can cite."""
    searcher = open_searcher(load_settings({"site": site, "data_dir": data_dir}, env={}))
    try:
        points = {p.id: p.payload for p in searcher.store.scroll()}
    finally:
        searcher.close()
    return {"points": points, "sections": {(p["doc_id"], p["anchor"], p["url"]) for p in points.values()}}


def _to_v2(site: Path) -> None:
    docs = site / "docs"
    (docs / "recipes").rename(docs / "guides")
    category = docs / "guides" / "_category_.json"
    category.write_text(category.read_text().replace('"Recipes"', '"Guides"'))
    intro = docs / "intro.mdx"
    intro.write_text(
        intro.read_text().replace(
            "type-safe and autocompletion-friendly", "type-safe, autocompletion-friendly", 1
        )
    )


class Reads:
    """CLI reads against one data dir, with when they ran."""

    def __init__(self, site: Path, data_dir: Path) -> None:
        self.site, self.data_dir = site, data_dir
        self.done: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def run(self, command: str, question: str, phase: str) -> dict[str, Any]:
        args = [question, "--json", "--data-dir", str(self.data_dir)] + (
            ["-k", "5"] if command == "search" else []
        )
        started = time.monotonic()
        out = subprocess.run(
            [sys.executable, "-m", "bookctl", command, *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.site,
        )
        read = {
            "command": command,
            "question": question,
            "phase": phase,
            "started": started,
            "ended": time.monotonic(),
            "rc": out.returncode,
            "stdout": out.stdout,
            "stderr": out.stderr,
        }
        with self.lock:
            self.done.append(read)
        return read


def _which(read: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """The indexes ("old", "new") that hold everything a read returned or cited; empty: a mix, or
    something neither holds."""
    assert read["rc"] == 0, f"{read['command']} failed during {read['phase']}: {read['stderr']}"
    fits = set()
    if read["command"] == "search":
        hits = json.loads(read["stdout"])
        assert hits, read
        for name, index in (("old", old), ("new", new)):
            if all(
                h["chunk_id"] in index["points"]
                and all(
                    h[f] == index["points"][h["chunk_id"]][f]
                    for f in ("doc_id", "anchor", "url", "text", "chapter")
                )
                for h in hits
            ):
                fits.add(name)
    else:
        answer = json.loads(read["stdout"])
        assert not answer["abstained"] and answer["citations"], answer
        cited = {(c["doc_id"], c["anchor"], c["url"]) for c in answer["citations"]}
        fits = {name for name, index in (("old", old), ("new", new)) if cited <= index["sections"]}
    return fits


def test_reads_during_an_ingest_see_the_old_or_the_new_index(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(CORPORA / "kysely", site)
    for path in (site / "docs").iterdir():
        if path.name not in {"recipes", "intro.mdx"}:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    data_dir = tmp_path / "state"
    ingest(load_settings({"site": site, "data_dir": data_dir}, env={}))
    old = _index(site, data_dir)
    _to_v2(site)
    control = tmp_path / "control"
    control.mkdir()
    reads = Reads(site, data_dir)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(site), str(data_dir), str(control)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writer_started = time.monotonic()
    stop = threading.Event()

    def keep_searching() -> None:
        n = 0
        while not stop.is_set():
            reads.run("search", QUESTIONS[n % len(QUESTIONS)], "background")
            n += 1

    background = threading.Thread(target=keep_searching, daemon=True)
    background.start()
    try:
        for phase in ("half-embedded", "unpublished", "published"):
            deadline = time.monotonic() + 240
            while not (control / phase).exists():
                assert writer.poll() is None, f"the ingest ended before {phase}: {writer.communicate()}"
                assert time.monotonic() < deadline, f"the ingest never reached {phase}"
                time.sleep(0.05)
            reads.run("search", QUESTIONS[0], phase)
            reads.run("ask", QUESTIONS[1], phase)
            (control / f"go-{phase}").write_text("")
        stdout, stderr = writer.communicate(timeout=240)
        writer_ended = time.monotonic()
    finally:
        stop.set()
        if writer.poll() is None:
            writer.kill()
            writer.wait()
        background.join(timeout=180)
    assert writer.returncode == 0, stderr
    change = json.loads(stdout.strip().splitlines()[-1])
    assert change["added"] >= 90 and change["removed"] >= 90 and change["updated"] >= 1, change
    for question in QUESTIONS:
        reads.run("search", question, "after")
    reads.run("ask", QUESTIONS[2], "after")
    new = _index(site, data_dir)
    shared = set(old["points"]) & set(new["points"])
    assert shared and all(old["points"][i]["doc_id"] == "intro" for i in shared)  # all else was replaced

    overlapped = unpaused = 0
    for read in reads.done:
        fits = _which(read, old, new)
        assert fits, (
            f"{read['command']} {read['question']!r} during {read['phase']} mixed the old and the new "
            f"index or cited what neither holds: {read['stdout'][:2000]}"
        )
        if read["phase"] in ("half-embedded", "unpublished"):
            assert fits == {"old"}, read  # not published yet: the old index, whole
        elif read["phase"] in ("published", "after"):
            assert fits == {"new"}, read
        if writer_started < read["started"] and read["ended"] < writer_ended:
            overlapped += 1
            unpaused += read["phase"] == "background"
    assert overlapped >= 6 and unpaused >= 3, (
        f"only {overlapped} reads ({unpaused} unpaused) ran during the ingest"
    )


def test_a_reader_copy_is_one_generation_while_they_are_swapped_and_deleted(tmp_path: Path) -> None:
    """The reader's copy against a writer that publishes a generation and deletes the last one as
    fast as it can: every copy holds the files of one generation, never some of each."""
    from bookctl.index.generations import begin, collect_garbage, publish, snapshot

    data_dir = tmp_path / "state"
    data_dir.mkdir()
    files = ["meta.json", "titles.npz", *(f"edge/segments/s{n}/part{m}" for n in range(4) for m in range(4))]

    def build(n: int) -> None:
        root, _ = begin(data_dir, base=None, work={}, resume=False)
        for name in files:
            (root / "index" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "index" / name).write_text(f"{n}\n" * 1000)
        publish(data_dir, root)
        collect_garbage(data_dir)

    build(0)
    stop = threading.Event()
    published = [0]

    def writer() -> None:
        while not stop.is_set():
            build(published[0] + 1)
            published[0] += 1
            # A pause a little longer than one copy: copies still overlap swaps and deletions, but a
            # reader is not starved on a loaded machine (a real ingest publishes once, not non-stop:
            # against a writer with no pause at all, readers gave up after 50 retries under CI load).
            time.sleep(0.01)

    thread = threading.Thread(target=writer)
    thread.start()
    copies = 0
    try:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            snap = snapshot(data_dir)
            assert snap is not None
            try:
                seen = {(snap / "index" / name).read_text().split("\n", 1)[0] for name in files}
            finally:
                shutil.rmtree(snap)
            assert len(seen) == 1, f"one copy holds files of generations {sorted(seen)}"
            copies += 1
    finally:
        stop.set()
        thread.join()
    assert copies >= 10 and published[0] >= 10, (copies, published[0])
    assert len(list((data_dir / "generations").iterdir())) == 1
