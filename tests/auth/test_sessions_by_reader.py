"""`bookctl sessions list --user ID`: the author sees one reader's sessions (SQLite and Postgres)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.config import load_settings
from bookctl.db import SessionLog, TurnRecord
from tests.db.conftest import database_url, postgres_db  # noqa: F401  (SQLite and a throwaway Postgres)


def test_sessions_list_by_user(tmp_path: Path, database_url: str) -> None:  # noqa: F811
    settings = load_settings(
        {"site": tmp_path, "data_dir": tmp_path / "state", "database_url": database_url}, env={}
    )

    async def log_sessions() -> dict[str, list[str]]:
        log = await SessionLog.open(settings, required=True)
        made: dict[str, list[str]] = {"ada": [], "grace": [], "": []}
        for user in ("ada", "grace", "ada", None):
            sid = await log.start_session(site="book", provider="offline", model="m", user=user, origin="web")
            await log.record_turn(sid, TurnRecord(question="q", answer="a", model="m"))
            made[user or ""].append(sid)
        await log.close()
        return made

    made = asyncio.run(log_sessions())
    args = ["sessions", "list", "--data-dir", str(tmp_path / "state"), "--json"]
    env = {"BOOKCTL_DATABASE_URL": database_url}
    runner = CliRunner()
    ada = json.loads(runner.invoke(app, [*args, "--user", "ada"], env=env).output)
    assert sorted(r["id"] for r in ada) == sorted(made["ada"]) and {r["user"] for r in ada} == {"ada"}
    assert all(r["turns"] == 1 and r["origin"] == "web" for r in ada)
    assert json.loads(runner.invoke(app, [*args, "--user", "nobody"], env=env).output) == []
    assert len(json.loads(runner.invoke(app, args, env=env).output)) == 4
    table = runner.invoke(
        app, ["sessions", "list", "--data-dir", str(tmp_path / "state"), "--user", "grace"], env=env
    )
    assert table.exit_code == 0 and made["grace"][0] in table.output and made["ada"][0] not in table.output
