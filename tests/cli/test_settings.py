"""Settings: code defaults, a .env file, then environment variables; the token never shows."""

from __future__ import annotations

from pathlib import Path

from bot.cli.settings import DEFAULT_DB, load_settings, parse_env_file


def test_parse_env_file() -> None:
    text = """
# comment
export DISCORD_TOKEN="abc.def"
QUIZBOT_DB=games.db  # trailing comment
QUIZBOT_QUESTIONS='my banks'
not a line
=value
"""
    assert parse_env_file(text) == {
        "DISCORD_TOKEN": "abc.def",
        "QUIZBOT_DB": "games.db",
        "QUIZBOT_QUESTIONS": "my banks",
    }


def test_environment_beats_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_TOKEN=from-file\nQUIZBOT_DB=file.db\n", encoding="utf-8")
    settings = load_settings({"QUIZBOT_DB": "env.db"}, env_file)
    assert settings.token == "from-file"
    assert settings.db_path == "env.db"
    assert settings.questions_dir == "questions"


def test_defaults_and_no_token(tmp_path: Path) -> None:
    settings = load_settings({}, tmp_path / "missing.env")
    assert settings.token is None
    assert settings.db_path == DEFAULT_DB


def test_token_never_in_repr() -> None:
    settings = load_settings({"DISCORD_TOKEN": "secret-token-value"}, None)
    assert settings.token == "secret-token-value"
    assert "secret-token-value" not in repr(settings)
    assert "secret-token-value" not in str(settings)


def test_the_web_page_address_is_a_setting() -> None:
    assert load_settings({}, env_file=None).web_url is None
    url = "https://quiz.example.org/"
    settings = load_settings({"QUIZBOT_WEB_URL": f" {url} "}, env_file=None)
    assert settings.web_url == url
    assert url in repr(settings)
