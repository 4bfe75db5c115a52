"""`quizbot run` without a token explains how to get one and exits 2."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import discord
import pytest

import bot.client
from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_run_without_token_exits_2_with_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN" in err
    assert "Developer Portal" in err and "Bot" in err and "Reset Token" in err
    assert "quizbot play" in err
    assert not (tmp_path / "quizbot.db").exists()  # nothing was opened


def test_run_without_token_as_a_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    (tmp_path / ".env").write_text("# no token here\nQUIZBOT_DB=x.db\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Reset Token" in proc.stderr
    assert "Traceback" not in proc.stderr


class _RefusedBot:
    """Stands in for QuizBot: records how it was built; Discord refuses its token."""

    built: ClassVar[dict[str, object]] = {}

    def __init__(self, db: str, questions: str, **kwargs: object) -> None:
        _RefusedBot.built = {"db": db, "questions": questions, **kwargs}

    async def __aenter__(self) -> _RefusedBot:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def start(self, token: str) -> None:
        raise discord.LoginFailure("Improper token has been passed.")


def test_run_passes_options_and_reports_a_rejected_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("DISCORD_TOKEN=sekret.from.dotenv\n", encoding="utf-8")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("QUIZBOT_DB", "env.db")
    monkeypatch.setattr(bot.client, "build_bot", _RefusedBot)
    (tmp_path / "qs").mkdir()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        code = main(["run", "--sync", "--guild", "42", "--questions", "qs"])
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert code == 1
    assert _RefusedBot.built == {
        "db": "env.db", "questions": "qs", "force_sync": True, "sync_guild": 42,
        "message_content": True, "web_url": None, "shard_ids": None, "shard_count": None,
    }  # fmt: skip
    captured = capsys.readouterr()
    assert "Discord rejected the token" in captured.err
    assert "sekret" not in captured.err + captured.out


class _OfflineBot(_RefusedBot):
    """Stands in for QuizBot on a machine whose network cannot reach Discord."""

    async def start(self, token: str) -> None:
        raise OSError(101, "Network is unreachable")


def test_run_without_network_explains_in_three_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "x")
    monkeypatch.setattr(bot.client, "build_bot", _OfflineBot)
    (tmp_path / "questions").mkdir()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        code = main(["run"])
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert code == 1
    err = capsys.readouterr().err
    assert "Cannot reach Discord (Network is unreachable)" in err
    assert "quizbot play" in err and "Traceback" not in err
