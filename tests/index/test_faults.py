"""An ingest killed with SIGKILL at any point converges to a clean ingest; both engines agree."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bookctl.config import load_settings
from bookctl.index import open_store, read_meta
from bookctl.ingest import ingest

CORPORA = Path(__file__).resolve().parent.parent / "corpora"

# Runs an ingest that SIGKILLs itself when the embed stage reaches `kill_at` chunks.
KILLER = """
import os, signal, sys
from bookctl.config import load_settings
from bookctl.ingest import ingest
site, data_dir, kill_at, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
settings = load_settings({"site": site, "data_dir": data_dir, "batch_size": batch}, env={})
def progress(stage, done, total):
    if stage == "embed" and done >= kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
ingest(settings, progress=progress)
"""


def _state(settings, data_dir: Path) -> dict:  # type: ignore[no-untyped-def]
    meta = read_meta(data_dir)
    store = open_store(settings, data_dir, dim=384, create=False)
    try:
        points = {p.id: p.payload for p in store.scroll()}
    finally:
        store.close()
    meta_view = {k: v for k, v in (meta.__dict__ if meta else {}).items() if k not in {"last_ingest", "site"}}
    return {"points": points, "meta": meta_view}


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kysely copy cut to its recipes (about 100 chunks) so each kill run stays short."""
    root = tmp_path_factory.mktemp("small") / "site"
    shutil.copytree(CORPORA / "kysely", root)
    for path in (root / "docs").iterdir():
        if path.name not in {"recipes", "intro.mdx"}:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return root


@pytest.fixture(scope="module")
def clean_state(small_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    data_dir = tmp_path_factory.mktemp("clean")
    settings = load_settings({"site": small_site, "data_dir": data_dir}, env={})
    ingest(settings)
    return _state(settings, data_dir)


@pytest.mark.parametrize("seed", range(4))
def test_kill_9_during_ingest_converges(small_site: Path, clean_state: dict, tmp_path: Path, seed: int) -> None:
    import random

    total = len(clean_state["points"])
    rng = random.Random(seed)
    data_dir = tmp_path / "state"
    kills = 0
    # first a killed fresh ingest, then an edit and a killed incremental one
    for step in range(2):
        if step == 1:
            doc = small_site / "docs" / "intro.mdx"
            original = doc.read_text()
            doc.write_text(original + f"\n\n## Added section {seed}\n\nA new paragraph about kill tests.\n")
        kill_at = rng.randint(1, max(1, total - 1)) if step == 0 else 1
        out = subprocess.run([sys.executable, "-c", KILLER, str(small_site), str(data_dir), str(kill_at), "8"],
                             capture_output=True, text=True, timeout=300)
        kills += out.returncode == -signal.SIGKILL
        if step == 1:
            doc.write_text(original)
    assert kills >= 1
    settings = load_settings({"site": small_site, "data_dir": data_dir}, env={})
    ingest(settings)
    assert _state(settings, data_dir) == clean_state


def test_engines_agree(tmp_path: Path, small_site: Path) -> None:
    """Same ingest and queries through qdrant-edge and qdrant-client (local mode, the server API)."""
    edge = load_settings({"site": small_site, "data_dir": tmp_path / "edge"}, env={})
    server = load_settings({"site": small_site, "data_dir": tmp_path / "server"},
                           env={"QDRANT_URL": f"local:{tmp_path / 'qdrant'}"})
    ingest(edge)
    ingest(server)
    from bookctl.index import open_searcher

    a, b = open_searcher(edge), open_searcher(server)
    try:
        assert a.store.count() == b.store.count() > 0
        for query in ["reusable helpers with expression builder", "raw SQL template tag", "deduplicate joins",
                      "schemas and search_path", "logging queries", "conditional selects"]:
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
