"""Neon-style Postgres: a throwaway cluster that requires TLS and SCRAM passwords, pgbouncer in
transaction mode in front of it, and the database stopping in the middle of a session.

The cluster is made by the test with the installed PostgreSQL (initdb runs as the `postgres` OS
user, since it refuses root), a self-signed certificate from openssl, `ssl = on` and `hostssl`
SCRAM rules only. Everything listens on 127.0.0.1 ports chosen at run time.
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from bookctl.config import load_settings
from bookctl.db import SessionLog, TurnRecord
from tests.pgcluster import as_postgres, free_port

PASSWORD = "neon-canary-pw-5150"


def _wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


class Cluster:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])

    def create(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        pwfile = self.root / "pw"
        pwfile.write_text("postgres-admin-pw\n")
        shutil.chown(self.root, "postgres")
        shutil.chown(pwfile, "postgres")
        out = as_postgres(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=scram-sha-256",
            f"--pwfile={pwfile}",
        )
        assert out.returncode == 0, out.stderr
        key, crt = self.data / "server.key", self.data / "server.crt"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(crt),
            ],
            check=True,
            capture_output=True,
        )
        for path in (key, crt):
            shutil.chown(path, "postgres")
        key.chmod(0o600)
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.root}'\n"
                "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n"
                "password_encryption = 'scram-sha-256'\nmax_connections = 60\n"
            )
        (self.data / "pg_hba.conf").write_text(
            "local all all scram-sha-256\n"
            "hostssl all all 127.0.0.1/32 scram-sha-256\n"
            "hostnossl all all 127.0.0.1/32 reject\n"
        )
        self.start()
        for sql in (f"CREATE ROLE neon LOGIN PASSWORD '{PASSWORD}'", "CREATE DATABASE neondb OWNER neon"):
            out = subprocess.run(
                [
                    str(self.bin / "psql"),
                    "-h",
                    str(self.root),
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "-d",
                    "postgres",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-c",
                    sql,
                ],
                capture_output=True,
                text=True,
                env={**os.environ, "PGPASSWORD": "postgres-admin-pw"},
            )
            assert out.returncode == 0, out.stderr

    def start(self) -> None:
        out = as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w", "start"
        )
        assert out.returncode == 0, out.stderr + (self.root / "log").read_text()

    def stop(self) -> None:
        as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


def _shared_tmp(prefix: str) -> Path:
    """A temp dir the `postgres` user can use (pytest's own tmp root is private to this user)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    root = _shared_tmp("bookctl-neon-")
    c = Cluster(root / "pg")
    try:
        c.create()
        yield c
    finally:
        c.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pgbouncer(cluster: Cluster):  # type: ignore[no-untyped-def]
    root = _shared_tmp("bookctl-pgbouncer-")
    port = free_port()
    (root / "userlist.txt").write_text(f'"neon" "{PASSWORD}"\n')
    (root / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"neondb = host=127.0.0.1 port={cluster.port} dbname=neondb\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = scram-sha-256\nauth_file = {root / 'userlist.txt'}\n"
        "pool_mode = transaction\nmax_client_conn = 100\ndefault_pool_size = 5\n"
        "server_tls_sslmode = require\nignore_startup_parameters = extra_float_digits\n"
        f"logfile = {root / 'pgbouncer.log'}\npidfile = {root / 'pgbouncer.pid'}\n"
    )
    for path in root.iterdir():
        shutil.chown(path, "postgres")
    shutil.chown(root, "postgres")
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    proc = subprocess.Popen(
        [*prefix, "pgbouncer", str(root / "pgbouncer.ini")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(port)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def _settings(tmp_path: Path, url: str):  # type: ignore[no-untyped-def]
    tmp_path.mkdir(parents=True, exist_ok=True)  # --site must be a folder that exists
    return load_settings({"site": tmp_path, "data_dir": tmp_path / "state", "database_url": url}, env={})


def test_neon_console_url_works_verbatim_with_tls(cluster: Cluster, tmp_path: Path) -> None:
    url = f"postgresql://neon:{PASSWORD}@127.0.0.1:{cluster.port}/neondb?sslmode=require&channel_binding=require"

    async def main() -> None:
        log = await SessionLog.open(_settings(tmp_path, url), required=True)
        assert log.target.notes and "channel_binding" in log.target.notes[0]
        sid = await log.start_session(site="s", provider="offline", model="m")
        await log.record_turn(sid, TurnRecord(question="q", answer="a", model="m"))
        assert len((await log.get_session(sid))["turns"]) == 1
        await log.close()

    asyncio.run(main())


def test_the_cluster_really_refuses_plain_connections(cluster: Cluster, tmp_path: Path) -> None:
    from bookctl.errors import ServiceError

    url = f"postgresql://neon:{PASSWORD}@127.0.0.1:{cluster.port}/neondb?sslmode=disable"
    with pytest.raises(ServiceError) as info:
        asyncio.run(SessionLog.open(_settings(tmp_path, url), required=True))
    assert PASSWORD not in str(info.value)


def test_twenty_sessions_through_pgbouncer_transaction_mode(pgbouncer: int, tmp_path: Path) -> None:
    url = f"postgresql://neon:{PASSWORD}@127.0.0.1:{pgbouncer}/neondb?pgbouncer=true"
    turns_each = 5

    async def one(n: int) -> str:
        log = await SessionLog.open(_settings(tmp_path / f"s{n}", url), required=True)
        sid = await log.start_session(site="s", provider="offline", model="m")
        for t in range(turns_each):
            await log.record_turn(sid, TurnRecord(question=f"q{n}-{t}", answer="a", model="m"))
        assert not log.journal.read(), f"session {n} had to journal: {log.last_error}"
        await log.close()
        return sid

    async def main() -> None:
        sids = await asyncio.gather(*(one(n) for n in range(20)))
        log = await SessionLog.open(_settings(tmp_path / "check", url), required=True)
        counts = [len((await log.get_session(sid))["turns"]) for sid in sids]
        await log.close()
        assert counts == [turns_each] * 20

    asyncio.run(main())


def test_database_stops_mid_session_nothing_is_lost(cluster: Cluster, tmp_path: Path) -> None:
    url = f"postgresql://neon:{PASSWORD}@127.0.0.1:{cluster.port}/neondb?sslmode=require"

    async def main() -> None:
        log = await SessionLog.open(_settings(tmp_path, url), required=True)
        sid = await log.start_session(site="s", provider="offline", model="m")
        await log.record_turn(sid, TurnRecord(question="before", answer="a", model="m"))
        cluster.stop()
        try:
            for n in range(3):
                await log.record_turn(sid, TurnRecord(question=f"during {n}", answer="a", model="m"))
            assert len(log.journal.read()) == 3
        finally:
            cluster.start()
        await log.close()
        log = await SessionLog.open(_settings(tmp_path, url), required=True)  # syncs the journal
        questions = [t["question"] for t in (await log.get_session(sid))["turns"]]
        assert questions == ["before", "during 0", "during 1", "during 2"]
        assert await log.sync() == {"written": 0, "skipped": 0, "pending": 0}
        await log.close()

    asyncio.run(main())


def test_database_stops_mid_conversation_answers_keep_coming(
    cluster: Cluster, indexed_corpus, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The REPL's case (defect: each turn took ~10 s and failed with ConnectionRefusedError, and its
    journaled turn had no answer): the memory goes on in the process, the turns are journaled with
    their answers, and after the restart one sync writes each exactly once."""
    from bookctl.chat import Assistant

    base, data_dir = indexed_corpus("kysely")
    url = f"postgresql://neon:{PASSWORD}@127.0.0.1:{cluster.port}/neondb?sslmode=require"
    settings = load_settings({"site": base.site, "data_dir": data_dir, "database_url": url}, env={})

    async def main() -> None:
        async with await Assistant.open(settings) as assistant:
            session = await assistant.session(origin="cli")
            first = await session.ask("How do I run migrations?")
            assert not assistant.log.journal.read()
            cluster.stop()
            try:
                during = []
                for question in ("What is a savepoint?", "How do I run migrations?"):
                    started = time.monotonic()
                    result = await session.ask(question)
                    during.append((result, time.monotonic() - started))
                # memory: the model was given the conversation so far, from the copy in process
                assert session.memory.degraded
                history = await session.memory.get_items()
                assert sum(1 for item in history if item.get("role") == "user") == 3
            finally:
                cluster.start()
            for result, seconds in during:
                assert result.answer and result.error is None and not result.abstained
                assert seconds < 8, f"a turn took {seconds:.1f} s while the database was down"
            journaled = [r for r in assistant.log.journal.read() if r["kind"] == "turn"]
            assert [r["answer"] for r in journaled] == [r.answer for r, _ in during]
            assert await assistant.log.sync() == {"written": 2, "skipped": 0, "pending": 0}
            logged = await assistant.log.get_session(session.id)
            assert logged is not None
            assert [t["answer"] for t in logged["turns"]] == [first.answer, *(r.answer for r, _ in during)]
            assert [t["seq"] for t in logged["turns"]] == [1, 2, 3]
            assert await assistant.log.sync() == {"written": 0, "skipped": 0, "pending": 0}

    asyncio.run(main())
