"""A throwaway PostgreSQL cluster the test can stop and start again (the machine's own on 5432 is
shared and must never be stopped): initdb + pg_ctl from the installed PostgreSQL, trust auth, on a
free 127.0.0.1 port, in a temp dir. initdb runs as the `postgres` OS user (it refuses root)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_postgres(*cmd: str) -> subprocess.CompletedProcess[str]:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)


class Cluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="bookctl-pg-"))  # the postgres user must reach it
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.port = free_port()
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def create(self) -> Cluster:
        shutil.chown(self.root, "postgres")
        out = as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust")
        assert out.returncode == 0, out.stderr
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\nfsync = off\n"
            )
        self.start()
        return self

    def start(self) -> None:
        out = as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w", "start"
        )
        assert out.returncode == 0, out.stderr + (self.root / "log").read_text()

    def stop(self) -> None:
        out = as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        assert out.returncode == 0, out.stderr

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
