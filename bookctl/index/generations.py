"""Index generations: an ingest never changes the index that readers are using.

Under the data dir:
    index                 a symlink to generations/<id>/index, the live index; replaced atomically
                          (rename(2)). A plain folder in data dirs made before generations.
    generations/<id>/
        index/            one complete index: meta.json, edge/, titles.npz, chunks-cache.json
        work.json         what the ingest building it started from (base index, engine, model)

An ingest (holding the ingest lock) copies the live index into a new generation, or starts an empty
one for a rebuild, writes `work.json` once that base is complete (copied, or a new store created),
brings the generation up to date and publishes it by swapping the `index` symlink; then it deletes
every other generation. A killed ingest leaves its generation unpublished: the next ingest with the
same base and model resumes it (every point carries the hashes the diff needs, so what is there is
kept and the rest is done); any other leftover is deleted. `--full` never resumes.

A reader (`snapshot`) copies the live index's meta.json, titles.npz and edge/ into a private
temporary folder and reads only that copy: qdrant-edge takes an exclusive lock on its folder and
rewrites some of its files when it opens one, so two processes cannot share it, and a published
generation must never change. The copy is taken again when the live index changed while it was
being copied, so a search or an answer sees one complete index, the old or the new, never a mix.
The server engine (QDRANT_URL) keeps its points in the server's collection, which an ingest
updates in place; only its local files go through generations.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bookctl.errors import IndexStateError

GENERATIONS = "generations"
WORK = "work.json"
READ = ("meta.json", "titles.npz", "edge")  # what a reader copies
BASE = ("titles.npz", "edge")  # what an ingest copies from the live index (meta.json is written last)


def live_index(data_dir: Path) -> Path | None:
    """The live index folder, resolved (a later swap does not move it); None when there is none."""
    link = data_dir / "index"
    target = Path(os.path.realpath(link))
    return target if target.is_dir() else None


def _copy_file(src: str | Path, dst: str | Path) -> None:
    """Copy a file, keeping its holes: qdrant-edge preallocates sparse 32 MiB files (WAL, payload
    pages) that a plain copy would write out in full (~190 MB for a 100-chunk index)."""
    if not hasattr(os, "SEEK_DATA"):
        shutil.copyfile(src, dst)
        return
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        fd_in, fd_out = fin.fileno(), fout.fileno()
        size = os.fstat(fd_in).st_size
        pos = 0
        while pos < size:
            try:
                start = os.lseek(fd_in, pos, os.SEEK_DATA)
            except OSError as exc:
                if exc.errno == errno.ENXIO:  # only a hole is left
                    break
                raise
            end = os.lseek(fd_in, start, os.SEEK_HOLE)
            os.lseek(fd_in, start, os.SEEK_SET)
            os.lseek(fd_out, start, os.SEEK_SET)
            while start < end:
                block = os.read(fd_in, min(end - start, 1 << 20))
                if not block:
                    break
                os.write(fd_out, block)
                start += len(block)
            pos = end
        os.ftruncate(fd_out, size)


def _copy(src: Path, dst: Path, names: tuple[str, ...]) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for name in names:
        if (src / name).is_dir():
            shutil.copytree(src / name, dst / name, copy_function=_copy_file)
        elif (src / name).exists():
            _copy_file(src / name, dst / name)


def snapshot(data_dir: Path) -> Path | None:
    """A private copy of the live index, as a folder holding `index/` (laid out like a data dir), or
    None when there is no index. The caller deletes it (shutil.rmtree) when done with it."""
    for attempt in range(50):
        live = live_index(data_dir)
        if live is None:
            if attempt < 5 and (data_dir / GENERATIONS).is_dir():  # an old index being moved aside
                time.sleep(0.01)
                continue
            return None
        tmp = Path(tempfile.mkdtemp(prefix="bookctl-index-"))
        try:
            _copy(live, tmp / "index", READ)
        except OSError:  # a generation deleted under the copy: the live index changed, read it again
            shutil.rmtree(tmp, ignore_errors=True)
            time.sleep(min(0.2, 0.01 * attempt))
            continue
        if live_index(data_dir) == live:  # live throughout the copy, so never changed nor deleted
            return tmp
        shutil.rmtree(tmp, ignore_errors=True)
    raise IndexStateError(
        f"the index in {data_dir} kept changing while it was being read",
        fix="try again when the running ingest has finished",
    )


def _new_root(data_dir: Path) -> Path:
    name = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    return data_dir / GENERATIONS / name


def _work(base: Path | None, work: dict[str, Any]) -> dict[str, Any]:
    return {"base": str(base) if base is not None else None, **work}


def begin(data_dir: Path, *, base: Path | None, work: dict[str, Any], resume: bool) -> tuple[Path, bool]:
    """The generation an ingest builds, as (root, resumed); call with the ingest lock held.

    `base` is the live index folder the ingest updates, or None for a rebuild; `work` names the
    engine and model. An unpublished generation with the same base and work is resumed when
    `resume`; otherwise a new one gets a copy of `base` (or nothing), and the caller calls
    `mark_resumable` once its store is open. Other leftovers are deleted."""
    wanted = _work(base, work)
    folder = data_dir / GENERATIONS
    live = live_index(data_dir)
    if resume and folder.is_dir():
        for root in sorted(folder.iterdir(), reverse=True):  # newest first
            if Path(os.path.realpath(root / "index")) == live:
                continue
            try:
                found = json.loads((root / WORK).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if found == wanted and (root / "index").is_dir():
                collect_garbage(data_dir, keep=root)
                return root, True
    collect_garbage(data_dir)
    root = _new_root(data_dir)
    if base is not None:
        _copy(base, root / "index", BASE)
    else:
        (root / "index").mkdir(parents=True)
    return root, False


def mark_resumable(root: Path, *, base: Path | None, work: dict[str, Any]) -> None:
    """Mark a new generation resumable: its base is complete (the copy done, or a new store created
    with its payload indexes). A generation without the mark is never resumed."""
    (root / WORK).write_text(json.dumps(_work(base, work)), encoding="utf-8")


def publish(data_dir: Path, root: Path) -> None:
    """Make generation `root` the live index, atomically; call with the ingest lock held."""
    link = data_dir / "index"
    if link.exists() and not link.is_symlink():  # a data dir from before generations: move it aside, once
        legacy = _new_root(data_dir)
        legacy.mkdir(parents=True)
        os.rename(link, legacy / "index")
    tmp = data_dir / "index.new"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(root / "index", data_dir), tmp)
    os.replace(tmp, link)
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def collect_garbage(data_dir: Path, keep: Path | None = None) -> None:
    """Delete every generation but the live one (and `keep`); call with the ingest lock held."""
    live = live_index(data_dir)
    folder = data_dir / GENERATIONS
    for root in sorted(folder.iterdir()) if folder.is_dir() else []:
        if root == keep or Path(os.path.realpath(root / "index")) == live:
            continue
        shutil.rmtree(root, ignore_errors=True)
    tmp = data_dir / "index.new"
    if tmp.is_symlink():
        tmp.unlink()
