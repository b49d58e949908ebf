"""Where the index goes (issue 14 item 8): beside the site, one site per data dir, no fallback to a
parent folder's index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.config import load_settings
from bookctl.errors import ConfigError

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
runner = CliRunner()


def _small(root: Path, keep: set[str]) -> Path:
    shutil.copytree(CORPORA / "kysely", root)
    for path in (root / "docs").iterdir():
        if path.name not in keep:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return root


def test_ingest_with_docs_and_sidebars_keeps_the_index_beside_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _small(tmp_path / "site", {"migrations.mdx", "intro.mdx"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(
        app, ["ingest", "--docs", str(site / "docs"), "--sidebars", str(site / "sidebars.js"), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data_dir"] == str(site / ".bookctl")
    assert not (elsewhere / ".bookctl").exists()
    found = runner.invoke(app, ["search", "run migrations with the Migrator", "--site", str(site), "--json"])
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)[0]["doc_id"] == "migrations"

    # another site into the same data dir: said, and --full asked for; nothing of the old index lost
    other = _small(tmp_path / "other", {"intro.mdx"})
    again = runner.invoke(app, ["ingest", str(other), "--data-dir", str(site / ".bookctl"), "--dry-run"])
    assert again.exit_code == 1
    assert "holds the index of another site" in again.output and "--full" in again.output
    assert len(again.output.strip().splitlines()) == 1
    still = runner.invoke(app, ["search", "Migrator", "--site", str(site), "--json"])
    assert json.loads(still.stdout)[0]["doc_id"] == "migrations"
    replaced = runner.invoke(
        app, ["ingest", str(other), "--data-dir", str(site / ".bookctl"), "--full", "--json"]
    )
    assert replaced.exit_code == 0, replaced.output


def test_a_site_folder_that_does_not_exist_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".bookctl").mkdir()  # a parent folder's data dir must not answer
    monkeypatch.chdir(tmp_path)
    for args in (["search", "x", "--site", str(tmp_path / "nope")], ["chapters", str(tmp_path / "nope")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert result.output.strip().splitlines() == [
            f"error: --site: site folder not found: {tmp_path / 'nope'} (pass an existing folder)"
        ]
    with pytest.raises(ConfigError, match="BOOKCTL_SITE: site folder not found"):
        load_settings({}, env={"BOOKCTL_SITE": str(tmp_path / "nope")})
