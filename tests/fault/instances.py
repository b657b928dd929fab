"""A private PostgreSQL cluster for fault tests, on a free port, so a test may stop and start it without
touching the machine's shared server; and a bounded wait on a condition."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import free_port


def wait_for(condition, *, timeout: float, interval: float = 0.2, what: str = "the condition"):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout} s for {what}")
        time.sleep(interval)


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        pytest.skip("needs PostgreSQL's server programs (/usr/lib/postgresql/*/bin)")
    return Path(found[-1]).parent


@dataclass
class PostgresInstance:
    port: int
    data_dir: Path
    bin_dir: Path
    user: str | None  # the system user running the server when the tests run as root

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        return subprocess.run([*prefix, *command], check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.data_dir}"
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-o",
            options,
            "-w",
            "-l",
            str(self.data_dir / "server.log"),
            "start",
        )

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop", check=False)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


@contextmanager
def postgres_instance() -> Iterator[PostgresInstance]:
    """A fresh PostgreSQL cluster (trust authentication on 127.0.0.1), removed afterwards."""
    bin_dir = _postgres_bin()
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            user = pwd.getpwnam("postgres").pw_name
        except KeyError:
            pytest.skip("running as root needs a 'postgres' system user for a private PostgreSQL")
    data_dir = Path(tempfile.mkdtemp(prefix="fault-pg-"))
    if user:
        shutil.chown(data_dir, user)
    instance = PostgresInstance(port=free_port(), data_dir=data_dir, bin_dir=bin_dir, user=user)
    try:
        instance._run(str(bin_dir / "initdb"), "-D", str(data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        instance.start()
        yield instance
    finally:
        instance.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
