"""A throwaway PostgreSQL server for the tests, started from the machine's own PostgreSQL.

`initdb` makes a cluster in a temporary directory, `pg_ctl` starts it on a free loopback port
with durability off (it is thrown away), and it is stopped and deleted at the end of the test
session. PostgreSQL refuses to run as root, so as root (CI) the server runs as the `postgres`
system user that Debian's package creates; pytest-postgresql's process fixture cannot do that,
which is why this small helper exists.

Without PostgreSQL the tests that need it skip and say why; under `CI=true` (where `.ci/run`
installs it) that is a failure.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
STARTUP_SECONDS = 30


@dataclass(frozen=True, slots=True)
class PgServer:
    """A running throwaway server: connect as `user` (trusted) to 127.0.0.1:`port`."""

    port: int
    user: str = "quizbot"

    def dsn(self, database: str = "postgres") -> str:
        """Return the connection string of one database on this server."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"


def find_bin() -> Path | None:
    """Return the directory of the newest installed PostgreSQL's `initdb` and `pg_ctl`."""
    for directory in BIN_DIRS:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


def unavailable() -> str | None:
    """Return why no server can be started here, or None when one can."""
    if find_bin() is None:
        return "PostgreSQL is not installed (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root needs the 'postgres' system user (apt-get install postgresql)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(argv: list[str]) -> list[str]:
    # PostgreSQL will not run as root: hand the command to the postgres system user.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def running_server(*, durable: bool = False) -> Iterator[PgServer]:
    """Start a throwaway server, yield it, then stop it and delete its files.

    Tests run it without durability (nothing to keep); `durable` keeps PostgreSQL's defaults
    (fsync, synchronous commit), as the benchmarks need to measure what a real server does.
    """
    bindir = find_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed")
    root = Path(tempfile.mkdtemp(prefix="quizbot-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (root, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    server = PgServer(_free_port())
    fast = (
        "-c fsync=off",  # a throwaway cluster: durability would only cost time
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
    )
    options = " ".join(
        (
            f"-p {server.port}",
            f"-k {sockets}",
            "-c listen_addresses=127.0.0.1",
            *(() if durable else fast),
            "-c max_connections=200",
            "-c shared_buffers=256MB",
        )
    )
    initdb = [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", server.user]
    subprocess.run(
        _as_server_user([*initdb, "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True, capture_output=True, timeout=STARTUP_SECONDS,
    )  # fmt: skip
    pg_ctl = str(bindir / "pg_ctl")
    subprocess.run(
        _as_server_user([pg_ctl, "-D", str(data), "-l", str(log), "-w", "-o", options, "start"]),
        check=True, capture_output=True, timeout=STARTUP_SECONDS,
    )  # fmt: skip
    try:
        yield server
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            check=False, capture_output=True, timeout=STARTUP_SECONDS,
        )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)
