"""An ingest killed with SIGKILL at any point converges to a clean ingest; both engines agree.

The kill runs are subprocesses that SIGKILL themselves at a chosen point of the ingest: at a
progress callback (parse, each embed batch) or right before/after one of the steps that follow
(copying the live index into a new generation, relabel, delete, flush, title vectors, meta.json,
chunk cache, closing the store, publishing the generation, deleting the old one). The steps are
reached by wrapping the functions ingest calls, in the killed process only; bookctl has no hook.

Each case starts from no index or from a clean index of the old site, kills one or two ingests of
the new site, and checks after every kill that a reader sees exactly the old index or exactly the
new one (a killed ingest never leaves a half-built index live), then that the next ingest
converges to exactly the state of a clean ingest of the new site (point ids, payloads, meta.json,
title vectors) and leaves no other generation behind.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bookctl.config import load_settings
from bookctl.errors import InputError
from bookctl.index import open_searcher
from bookctl.index.generations import GENERATIONS, live_index
from bookctl.index.titles import read_titles
from bookctl.ingest import ingest

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
BATCH = 3  # chunks per embed batch in runs killed while embedding: many batches, many places to stop

# Runs an ingest that SIGKILLs itself at the n-th time it reaches `hook`.
KILLER = r"""
import json, os, shutil, signal, sys
spec = json.loads(sys.argv[1])
hook, n = spec["hook"], spec["n"]
seen = {"count": 0, "published": False}

def hit(name):
    if name == hook:
        seen["count"] += 1
        if seen["count"] >= n:
            os.kill(os.getpid(), signal.SIGKILL)

def wrap(owner, attr, name, when="after", cond=lambda *a, **k: True):
    original = getattr(owner, attr)
    def wrapper(*a, **k):
        if when == "before" and cond(*a, **k):
            hit(name)
        out = original(*a, **k)
        if when == "after" and cond(*a, **k):
            hit(name)
        return out
    setattr(owner, attr, wrapper)

import bookctl.index as index
import bookctl.index.generations as generations
import bookctl.index.titles as titles
from bookctl.config import load_settings
from bookctl.index.store import EdgeStore
from bookctl.ingest import ingest

def named(name, pos=1):
    return lambda *a, **k: os.path.basename(str(a[pos])) == name

wrap(generations, "_copy_file", "copy", "before", lambda *a, **k: "/generations/" in str(a[1]))
wrap(generations, "begin", "begun")
wrap(EdgeStore, "set_payload", "relabel")
wrap(EdgeStore, "delete", "delete", cond=lambda self, ids: bool(ids))
wrap(EdgeStore, "flush", "flush")
wrap(os, "replace", "titles-write", "before", named("titles.npz"))
wrap(titles, "update_titles", "titles")
wrap(os, "replace", "meta-write", "before", named("meta.json"))
wrap(index, "write_meta", "meta")
wrap(os, "replace", "cache", cond=named("chunks-cache.json"))
wrap(EdgeStore, "close", "closed")
wrap(os, "symlink", "link")
original_publish = generations.publish
def publish(*a, **k):
    original_publish(*a, **k)
    seen["published"] = True
    hit("published")
generations.publish = publish
wrap(shutil, "rmtree", "gc", cond=lambda *a, **k: seen["published"])

def progress(stage, done, total):
    if stage == "parse":
        hit("parse")
    elif stage == "embed" and done == 0:
        print("EMBED_TOTAL", total, flush=True)
    elif stage == "embed" and hook == "embed" and done >= n:
        os.kill(os.getpid(), signal.SIGKILL)

settings = load_settings({"site": spec["site"], "data_dir": spec["data_dir"], "batch_size": spec["batch"]}, env={})
ingest(settings, progress=progress)
"""


@dataclass(frozen=True)
class Kill:
    hook: str
    n: int = 1

    def __str__(self) -> str:
        return self.hook if self.n == 1 else f"{self.hook}{self.n}"


def _kill_points(seed: int) -> list[tuple[str, tuple[Kill, ...]]]:
    """21 (start, kills) cases over every step of an ingest, fresh or incremental; where in a stage
    (which batch, which point, which file) is drawn from `seed`."""
    rng = random.Random(seed)
    first = rng.randint(1, 60)
    return [
        # a fresh ingest (no index yet) of the new site: about 100 chunks, over 30 batches
        ("empty", (Kill("parse"),)),
        ("empty", (Kill("embed", rng.randint(1, 90)),)),
        ("empty", (Kill("embed", first), Kill("embed", rng.randint(1, 30)))),  # killed again while resuming
        ("empty", (Kill("closed"),)),
        ("empty", (Kill("published"),)),
        # an incremental ingest from the old site's index: 6 chunks to embed (2 batches), 5 to relabel,
        # 11 to remove, one title to embed (`sites` checks what these need)
        ("old", (Kill("copy", rng.randint(1, 40)),)),
        ("old", (Kill("begun"),)),
        ("old", (Kill("embed", rng.randint(1, 5)),)),
        ("old", (Kill("relabel", rng.randint(1, 4)),)),
        ("old", (Kill("delete"),)),
        ("old", (Kill("flush"),)),
        ("old", (Kill("titles-write"),)),
        ("old", (Kill("titles"),)),
        ("old", (Kill("meta-write"),)),
        ("old", (Kill("meta"),)),
        ("old", (Kill("cache"),)),
        ("old", (Kill("closed"),)),
        ("old", (Kill("link"),)),
        ("old", (Kill("published"),)),
        ("old", (Kill("gc"),)),
        ("old", (Kill("embed", 1), Kill("relabel", rng.randint(1, 5)))),  # killed again while resuming
    ]


KILL_POINTS = _kill_points(seed=20240607)
PUBLISHED = {"published", "gc"}  # kills after the new generation went live


def _v2(site: Path) -> None:
    """The new version of the site: two docs removed, one added, two edited (one of them its
    title), one whose sections only moved down (metadata only)."""
    recipes = site / "docs" / "recipes"
    (recipes / "0012-logging.md").unlink()
    (recipes / "0009-excessively-deep-types.md").unlink()
    schemas = recipes / "0007-schemas.md"
    schemas.write_text("\n\n" + schemas.read_text())
    raw = recipes / "0003-raw-sql.md"
    raw.write_text(raw.read_text().replace("# Raw SQL", "# Raw SQL snippets", 1))
    cond = recipes / "0005-conditional-selects.md"
    cond.write_text(
        cond.read_text().replace(
            "Sometimes you may want to select some fields", "Now and then you may want to pick some fields", 1
        )
    )
    (recipes / "0013-kill-tests.md").write_text(
        "# Kill tests\n\nA doc that only the new version of the site has.\n\n"
        + "".join(
            f"## Step {n}\n\nStep {n} of a killed ingest. {'The next run converges to a clean ingest. ' * 12}\n\n"
            for n in range(1, 5)
        )
    )


def _settings(site: Path, data_dir: Path) -> Any:
    return load_settings({"site": site, "data_dir": data_dir}, env={})


def _state(site: Path, data_dir: Path) -> dict[str, Any] | None:
    """What a reader sees: points with payloads, meta.json and the title vectors; None: no index."""
    try:
        searcher = open_searcher(_settings(site, data_dir))
    except InputError:
        return None
    try:
        points = {p.id: p.payload for p in searcher.store.scroll()}
        titles = {doc_id: h for doc_id, (h, _) in read_titles(searcher.snapshot).items()}
        meta = {k: v for k, v in searcher.meta.__dict__.items() if k != "last_ingest"}
    finally:
        searcher.close()
    return {"points": points, "meta": meta, "titles": titles}


@dataclass
class Sites:
    site: Path  # the new version of the site
    old_dir: Path  # a clean ingest of the old version
    old: dict[str, Any]
    new: dict[str, Any]  # the state of a clean ingest of the new version


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    root = tmp_path_factory.mktemp("kill")
    site = root / "site"
    shutil.copytree(CORPORA / "kysely", site)
    for path in (site / "docs").iterdir():
        if path.name not in {"recipes", "intro.mdx"}:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    old_dir = root / "old"
    ingest(_settings(site, old_dir))
    old = _state(site, old_dir)
    _v2(site)
    new_dir = root / "new"
    ingest(_settings(site, new_dir))
    new = _state(site, new_dir)
    # what the kill points need: a fresh ingest with over 90 chunks; an incremental one with 2 or more
    # embed batches, 5 or more points to relabel and some to remove
    plan = ingest(_settings(site, old_dir), dry_run=True)
    assert old is not None and new is not None and len(new["points"]) > 90
    assert plan.added + plan.updated >= 5 and plan.relabeled >= 5 and plan.removed >= 1, plan
    return Sites(site, old_dir, old, new)


@pytest.mark.parametrize(
    ("start", "kills"),
    KILL_POINTS,
    ids=[f"{start}-{'-'.join(map(str, kills))}" for start, kills in KILL_POINTS],
)
def test_kill_9_during_ingest_converges(
    sites: Sites, tmp_path: Path, start: str, kills: tuple[Kill, ...]
) -> None:
    data_dir = tmp_path / "state"
    if start == "old":
        shutil.copytree(sites.old_dir, data_dir, symlinks=True)
    before = sites.old if start == "old" else None
    killed, totals = 0, []
    for kill in kills:
        spec = {
            "site": str(sites.site),
            "data_dir": str(data_dir),
            "batch": BATCH if kill.hook == "embed" else 64,
            "hook": kill.hook,
            "n": kill.n,
        }
        out = subprocess.run(
            [sys.executable, "-c", KILLER, json.dumps(spec)], capture_output=True, text=True, timeout=300
        )
        assert out.returncode == -signal.SIGKILL, (
            f"{kill} was never reached: rc {out.returncode}\n{out.stderr}"
        )
        killed += 1
        totals += [int(line.split()[1]) for line in out.stdout.splitlines() if line.startswith("EMBED_TOTAL")]
        # a reader sees the old index or the new one, whole; it goes live only at publish
        expected = sites.new if kill.hook in PUBLISHED else before
        assert _state(sites.site, data_dir) == expected, f"after the kill at {kill}"
        before = expected
    assert killed == len(kills)
    if len(kills) == 2 and kills[1].hook == "embed":  # the second run resumed the first one's generation
        assert totals[-1] < totals[0], totals
    ingest(_settings(sites.site, data_dir))
    assert _state(sites.site, data_dir) == sites.new
    # nothing is left of the killed runs: one generation, the live one
    generations = list((data_dir / GENERATIONS).iterdir())
    assert len(generations) == 1 and generations[0] / "index" == live_index(data_dir)
    assert not os.path.lexists(data_dir / "index.new")


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kysely copy cut to its recipes (about 100 chunks)."""
    root = tmp_path_factory.mktemp("small") / "site"
    shutil.copytree(CORPORA / "kysely", root)
    for path in (root / "docs").iterdir():
        if path.name not in {"recipes", "intro.mdx"}:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return root


def test_engines_agree(tmp_path: Path, small_site: Path) -> None:
    """Same ingest and queries through qdrant-edge and qdrant-client (local mode, the server API)."""
    edge = load_settings({"site": small_site, "data_dir": tmp_path / "edge"}, env={})
    server = load_settings(
        {"site": small_site, "data_dir": tmp_path / "server"},
        env={"QDRANT_URL": f"local:{tmp_path / 'qdrant'}"},
    )
    ingest(edge)
    ingest(server)
    from bookctl.index import open_searcher

    a, b = open_searcher(edge), open_searcher(server)
    try:
        assert a.store.count() == b.store.count() > 0
        for query in [
            "reusable helpers with expression builder",
            "raw SQL template tag",
            "deduplicate joins",
            "schemas and search_path",
            "logging queries",
            "conditional selects",
        ]:
            for mode in ("dense", "sparse", "hybrid"):
                ha = a.search(query, k=5, mode=mode)
                hb = b.search(query, k=5, mode=mode)
                assert [h.chunk_id for h in ha][:3] == [h.chunk_id for h in hb][:3], (query, mode)
                for x, y in zip(ha, hb, strict=True):
                    if x.chunk_id == y.chunk_id:
                        assert x.score == pytest.approx(y.score, rel=1e-3, abs=1e-4), (query, mode)
            assert a.section("recipes/raw-sql", "") == b.section("recipes/raw-sql", "")
    finally:
        a.close()
        b.close()
