"""`quizbot run --shards 0-3 --shard-count 8`: which shards this process runs."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.cli.settings import ShardsError, load_settings, parse_shards


@pytest.mark.parametrize(
    ("ids", "count", "expected"),
    [
        ("0-3", "8", ([0, 1, 2, 3], 8)),
        ("0,2,5", "6", ([0, 2, 5], 6)),
        ("4-5, 0", 8, ([0, 4, 5], 8)),
        ("7", "8", ([7], 8)),
        (None, None, None),
    ],
)
def test_shard_ids_and_count_are_read(ids, count, expected) -> None:
    assert parse_shards(ids, count) == expected


@pytest.mark.parametrize(
    ("ids", "count", "message"),
    [
        ("0-3", None, "go together"),
        (None, "8", "go together"),
        ("0-8", "8", "outside 0-7"),
        ("3-1", "8", "outside"),
        ("a", "8", "cannot read"),
        ("0", "zero", "positive whole number"),
        ("0", "0", "positive whole number"),
    ],
)
def test_impossible_shards_are_refused_in_a_sentence(ids, count, message) -> None:
    with pytest.raises(ShardsError, match=message):
        parse_shards(ids, count)


def test_the_settings_come_from_the_environment(tmp_path) -> None:
    env = {"QUIZBOT_SHARDS": "2-3", "QUIZBOT_SHARD_COUNT": "4"}
    settings = load_settings(env, tmp_path / "none.env")
    assert parse_shards(settings.shard_ids, settings.shard_count) == ([2, 3], 4)


def test_run_refuses_bad_shards_before_connecting(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "questions").mkdir()
    monkeypatch.setenv("DISCORD_TOKEN", "token")
    code = main(["run", "--shards", "0-9", "--shard-count", "8"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == "quizbot run: shard ids '0-9' are outside 0-7 (the count is 8)"
    assert not (tmp_path / "quizbot.db").exists()
