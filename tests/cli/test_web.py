"""`quizbot web`: serves the page from a database it only reads, and says clearly what is wrong."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support.storekit import FakeClock
from support.webkit import QUESTIONS, fill

from bot.cli import main
from bot.store import Store, migrate

GUILD = 42


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database(path: Path, guild: int = GUILD, players: int = 8) -> list[str]:
    async def build() -> list[str]:
        async with await Store.open(path, clock=FakeClock()) as store:
            return await fill(store, guild, players)

    return asyncio.run(build())


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_serves_the_page_until_interrupted_and_never_writes(tmp_path: Path) -> None:
    db = tmp_path / "quiz.db"
    names = _database(db)
    before = db.read_bytes()
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "bot",
        "web",
        "--port",
        str(port),
        "--db",
        str(db),
        "--questions",
        str(QUESTIONS),
    ]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as server:
        try:
            assert server.stdout is not None
            banner = server.stdout.readline()
            assert f"http://127.0.0.1:{port}/g/<server id>" in banner
            deadline = time.monotonic() + 20
            while True:
                try:
                    status, html = _get(f"http://127.0.0.1:{port}/g/{GUILD}")
                    break
                except OSError:
                    assert time.monotonic() < deadline, "the server never answered"
                    time.sleep(0.05)
            assert status == 200
            assert "Јована Ђурђевић" in html
            assert names[0] not in html  # the raw markup of the first name is escaped
            assert _get(f"http://127.0.0.1:{port}/g/7")[0] == 404
        finally:
            server.send_signal(signal.SIGINT)
            _, errors = server.communicate(timeout=20)
    assert server.returncode == 0, errors
    assert "Traceback" not in errors
    # Read-only: the file (and its WAL) is exactly as the bot left it.
    assert db.read_bytes() == before


def test_a_missing_database_is_refused_with_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["web", "--db", str(tmp_path / "none.db")]) == 2
    err = capsys.readouterr().err
    assert "no database at" in err and "quizbot run" in err
    assert not (tmp_path / "none.db").exists()


def test_an_old_database_is_refused_without_changing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "old.db"
    asyncio.run(migrate(db, 4))
    code = main(["web", "--db", str(db), "--port", str(_free_port())])
    assert code == 2
    assert "older than this quizbot's" in capsys.readouterr().err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4


def test_a_port_in_use_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "quiz.db"
    _database(db, players=2)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["web", "--db", str(db), "--port", str(port)]) == 1
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_a_bad_port_is_an_argument_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["web", "--port", port])
    assert exit_info.value.code == 2
    assert "is not a port number (1-65535)" in capsys.readouterr().err
