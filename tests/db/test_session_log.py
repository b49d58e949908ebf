"""The session log on SQLite and Postgres: migrations, round trips, journal, exactly-once sync."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bookctl.cli import app
from bookctl.config import load_settings
from bookctl.db import SessionLog, TurnRecord
from bookctl.db.urls import resolve_database_url
from bookctl.errors import ConfigError, ServiceError

runner = CliRunner()


def _settings(tmp_path: Path, url: str | None):  # type: ignore[no-untyped-def]
    return load_settings({"site": tmp_path, "data_dir": tmp_path / "state", "database_url": url}, env={})


def test_round_trip(tmp_path: Path, database_url: str) -> None:
    async def main() -> None:
        log = await SessionLog.open(_settings(tmp_path, database_url), required=True)
        sid = await log.start_session(site="book", provider="offline", model="offline-extractive")
        for n in range(3):
            await log.record_turn(
                sid,
                TurnRecord(
                    question=f"q{n}",
                    answer=f"a{n}",
                    model="m",
                    citations=[{"url": f"/docs/x#{n}"}],
                    abstained=n == 2,
                    latency_ms={"total": 12.5},
                    retrieved=[{"chunk_id": "c", "score": 1}],
                ),
            )
        session = await log.get_session(sid)
        assert [t["question"] for t in session["turns"]] == ["q0", "q1", "q2"]
        assert [t["seq"] for t in session["turns"]] == [1, 2, 3]
        assert session["turns"][2]["abstained"] is True
        assert session["turns"][0]["citations"] == [{"url": "/docs/x#0"}]
        listed = await log.list_sessions()
        assert any(r["id"] == sid and r["turns"] == 3 for r in listed)
        # continuing a session appends, numbering on
        await log.close()
        log = await SessionLog.open(_settings(tmp_path, database_url), required=True)
        assert await log.start_session(site="book", provider="offline", model="m", session_id=sid) == sid
        await log.record_turn(sid, TurnRecord(question="q3", answer="a3", model="m"))
        assert [t["seq"] for t in (await log.get_session(sid))["turns"]] == [1, 2, 3, 4]
        await log.close()

    asyncio.run(main())


def test_database_down_turns_are_journaled_then_synced_once(tmp_path: Path, database_url: str) -> None:
    down = "postgresql://postgres@127.0.0.1:9/nowhere"

    async def main() -> None:
        log = await SessionLog.open(_settings(tmp_path, down))
        assert not log.available and log.last_error
        sid = await log.start_session(site="book", provider="offline", model="m")
        for n in range(5):
            await log.record_turn(sid, TurnRecord(question=f"q{n}", answer="a", model="m"))
        await log.close()
        assert len(log.journal.read()) == 6
        # the database comes back: the next open syncs, and a second sync writes nothing
        log = await SessionLog.open(_settings(tmp_path, database_url), required=True)
        session = await log.get_session(sid)
        assert session is not None and len(session["turns"]) == 5
        assert await log.sync() == {"written": 0, "skipped": 0, "pending": 0}
        await log.close()

    asyncio.run(main())


def test_sync_is_idempotent_when_records_are_already_there(tmp_path: Path, database_url: str) -> None:
    async def main() -> None:
        log = await SessionLog.open(_settings(tmp_path, database_url), required=True)
        sid = await log.start_session(site="b", provider="offline", model="m")
        turn = TurnRecord(question="q", answer="a", model="m")
        await log.record_turn(sid, turn)
        # a crash between the database write and the journal cleanup leaves a duplicate behind
        log.journal.append({"kind": "turn", "session_id": sid, "seq": 1, **turn.__dict__})
        assert (await log.sync())["skipped"] == 1
        assert len((await log.get_session(sid))["turns"]) == 1
        await log.close()

    asyncio.run(main())


def test_sessions_cli(tmp_path: Path, database_url: str) -> None:
    async def seed() -> str:
        log = await SessionLog.open(_settings(tmp_path, database_url), required=True)
        sid = await log.start_session(site="b", provider="offline", model="m")
        await log.record_turn(
            sid,
            TurnRecord(
                question="What is ROS?",
                answer="A middleware [1]",
                model="m",
                citations=[{"n": 1, "where": "Intro", "url": "/docs/ros"}],
            ),
        )
        await log.close()
        return sid

    sid = asyncio.run(seed())
    env = {"BOOKCTL_DATABASE_URL": database_url}
    args = ["--data-dir", str(tmp_path / "state")]
    out = runner.invoke(app, ["sessions", "list", "--json", *args], env=env)
    assert out.exit_code == 0, out.output
    assert sid in {r["id"] for r in json.loads(out.stdout)}
    out = runner.invoke(app, ["sessions", "show", sid, "--json", *args], env=env)
    assert json.loads(out.stdout)["turns"][0]["question"] == "What is ROS?"
    out = runner.invoke(app, ["sessions", "export", "--format", "md", "--session", sid, *args], env=env)
    assert "## 1. What is ROS?" in out.stdout and "</docs/ros>" in out.stdout
    out = runner.invoke(app, ["sessions", "export", "--session", sid, *args], env=env)
    assert json.loads(out.stdout.splitlines()[0])["id"] == sid
    out = runner.invoke(app, ["sessions", "show", "nope", *args], env=env)
    assert out.exit_code == 2 and "no session 'nope'" in out.output


@pytest.mark.parametrize(
    ("url", "expect_ssl", "pooled", "note"),
    [
        (
            "postgresql://alex:AbC123@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?sslmode=require",
            "require",
            False,
            False,
        ),
        (
            "postgresql://alex:AbC123@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/neondb"
            "?sslmode=require&channel_binding=require",
            "require",
            True,
            True,
        ),
        ("postgres://u:p@127.0.0.1:6432/db?pgbouncer=true", None, True, False),
        ("postgresql://u@h/db?sslmode=disable", False, False, False),
    ],
)
def test_neon_urls_are_translated(
    url: str, expect_ssl: object, pooled: bool, note: bool, tmp_path: Path
) -> None:
    target = resolve_database_url(url, tmp_path)
    assert target.url.startswith("postgresql+asyncpg://")
    assert "sslmode" not in target.url and "channel_binding" not in target.url
    assert target.connect_args.get("ssl") == expect_ssl
    assert target.pooled is pooled
    if pooled:
        assert target.connect_args["statement_cache_size"] == 0
        assert target.connect_args["prepared_statement_cache_size"] == 0
    assert bool(target.notes) is note
    assert "AbC123" not in target.shown


def test_bad_database_urls(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unsupported database URL scheme"):
        resolve_database_url("mysql://u:secret@h/db", tmp_path)
    with pytest.raises(ConfigError, match="sslmode"):
        resolve_database_url("postgresql://h/db?sslmode=sometimes", tmp_path)


def test_unreachable_database_never_shows_the_password(tmp_path: Path) -> None:
    canary = "canary-pw-9f8e"
    settings = _settings(tmp_path, f"postgresql://postgres:{canary}@127.0.0.1:9/db")
    with pytest.raises(ServiceError) as info:
        asyncio.run(SessionLog.open(settings, required=True))
    assert canary not in str(info.value) and "127.0.0.1:9" in str(info.value)
    out = runner.invoke(
        app,
        ["doctor", "--json", "--data-dir", str(tmp_path / "state")],
        env={"BOOKCTL_DATABASE_URL": f"postgresql://postgres:{canary}@127.0.0.1:9/db"},
    )
    assert out.exit_code == 1
    assert canary not in out.output
    db = next(c for c in json.loads(out.stdout) if c["check"] == "database")
    assert not db["ok"] and db["fix"]


def test_head_revision_matches_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bookctl.db import HEAD_REVISION, MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION


def test_new_conversations_do_not_grow_the_compiled_statement_cache(
    tmp_path: Path, database_url: str
) -> None:
    """Each conversation's memory (the SDK's SQLAlchemySession) declared its own tables, so its
    statements were compiled again and cached once more per conversation: memory that grew with
    every conversation a server saw. Now the memory's statements are compiled once per process."""

    async def main() -> None:
        log = await SessionLog.open(_settings(tmp_path, database_url), required=True)
        try:
            cache = log.engine.sync_engine._compiled_cache  # type: ignore[union-attr]

            async def conversation(n: int) -> None:
                memory = log.memory(f"conv-{n}")
                await memory.add_items([{"role": "user", "content": f"question {n}"}])
                assert [i["content"] for i in await memory.get_items()] == [f"question {n}"]

            for n in range(3):
                await conversation(n)
            after_three = len(cache)
            for n in range(3, 23):
                await conversation(n)
            assert len(cache) <= after_three + 2, (after_three, len(cache))
        finally:
            await log.close()

    asyncio.run(main())
