"""Copy a real Docusaurus site's config, and the local files it reads, into tests/corpora/configs/<name>/.

    python tools/collect_config_fixture.py GIT_DIR SITE_FOLDER NAME REPO

GIT_DIR is a bare clone (e.g. from the search tool's fetch), SITE_FOLDER the folder of
docusaurus.config.* inside the repository ("." for the root), REPO owner/name for SOURCE.md.
The files kept are the ones the sandbox read while evaluating the config (bookctl.site.js), plus
package.json (the Docusaurus version) and the repository's licence.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bookctl.site.js import evaluate
from bookctl.site.siteconfig import find_config

OUT = Path(__file__).resolve().parent.parent / "tests" / "corpora" / "configs"


def main(git_dir: str, folder: str, name: str, repo: str) -> None:
    commit = subprocess.check_output(["git", "--git-dir", git_dir, "rev-parse", "HEAD"], text=True).strip()
    with tempfile.TemporaryDirectory() as tmp:
        # The code and data files of the site folder (not its docs, images or large files).
        listing = subprocess.check_output(
            ["git", "--git-dir", git_dir, "ls-tree", "-r", "-l", "HEAD", "--", folder], text=True
        )
        for line in listing.splitlines():
            meta, path = line.split("\t", 1)
            size = meta.split()[3]
            (Path(tmp) / path).parent.mkdir(parents=True, exist_ok=True)
            if "node_modules/" in path or not size.isdigit() or int(size) > 1_000_000:
                continue
            if not path.endswith(
                (
                    ".js",
                    ".cjs",
                    ".mjs",
                    ".ts",
                    ".mts",
                    ".cts",
                    ".tsx",
                    ".jsx",
                    ".json",
                    ".yaml",
                    ".yml",
                    ".css",
                    ".scss",
                )
            ):
                continue
            blob = subprocess.run(["git", "--git-dir", git_dir, "show", f"HEAD:{path}"], capture_output=True)
            if blob.returncode == 0:
                target = Path(tmp) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(blob.stdout)
        site = Path(tmp) / folder
        config = find_config(site)
        assert config is not None, "no docusaurus.config.* there"
        result = evaluate(config, root=site, call_function=True)
        files = [Path(f) for f in result.files] + [site / "package.json"]
        dest = OUT / name
        if dest.exists():
            shutil.rmtree(dest)
        for f in dict.fromkeys(files):
            if str(f).endswith("/"):  # a folder the config listed: its subfolders, kept by a .gitkeep
                for sub in Path(f).iterdir():
                    if sub.is_dir():
                        keep = dest / sub.resolve().relative_to(site.resolve()) / ".gitkeep"
                        keep.parent.mkdir(parents=True, exist_ok=True)
                        keep.touch()
            elif f.is_file():
                rel = f.resolve().relative_to(site.resolve())
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(f, dest / rel)
        licences = subprocess.check_output(
            ["git", "--git-dir", git_dir, "ls-tree", "--name-only", "HEAD"], text=True
        )
        licence = next((n for n in licences.split() if n.upper().startswith(("LICENSE", "LICENCE"))), None)
        if licence:
            (dest / licence).write_bytes(
                subprocess.check_output(["git", "--git-dir", git_dir, "show", f"HEAD:{licence}"])
            )
        kept = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
        (dest / "SOURCE.md").write_text(
            f"# {name}\n\n- repository: https://github.com/{repo}\n- commit: {commit}\n"
            f"- site folder: {folder}\n- licence: {licence or 'see the repository'} (copied here)\n"
            f"- files: the config and the local files it reads when evaluated, package.json "
            f"(collected by tools/collect_config_fixture.py)\n\n"
            + "".join(f"  - {k}\n" for k in kept if k != "SOURCE.md")
            + (f"\nStand-ins while evaluating: {', '.join(result.stand_ins)}\n" if result.stand_ins else "")
        )
        print(name, kept)


if __name__ == "__main__":
    main(*sys.argv[1:5])
