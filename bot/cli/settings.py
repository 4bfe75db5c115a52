"""Settings for `quizbot run`: defaults in code, overridden by a `.env` file, then by env vars."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_DB = "quizbot.db"
DEFAULT_QUESTIONS = "questions"
ENV_TOKEN = "DISCORD_TOKEN"
ENV_DB = "QUIZBOT_DB"
ENV_QUESTIONS = "QUIZBOT_QUESTIONS"
ENV_LOG_LEVEL = "QUIZBOT_LOG_LEVEL"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class LogLevelError(ValueError):
    """QUIZBOT_LOG_LEVEL names no level."""


def log_level(environ: Mapping[str, str], default: str) -> str:
    """Return the log level the environment asks for (any case), or `default` when unset.

    Raises LogLevelError naming the valid levels: a typo would otherwise hide every log line.
    """
    raw = (environ.get(ENV_LOG_LEVEL) or "").strip()
    if not raw:
        return default
    if raw.upper() not in LOG_LEVELS:
        raise LogLevelError(
            f"{ENV_LOG_LEVEL}={raw!r} is not a log level; use one of {', '.join(LOG_LEVELS)}."
        )
    return raw.upper()


ENV_MESSAGE_CONTENT = "QUIZBOT_MESSAGE_CONTENT"
ENV_WEB_URL = "QUIZBOT_WEB_URL"
ENV_SHARDS = "QUIZBOT_SHARDS"
ENV_SHARD_COUNT = "QUIZBOT_SHARD_COUNT"


class ShardsError(ValueError):
    """Shard ids or a shard count that cannot be run."""


def parse_shards(ids: str | None, count: str | int | None) -> tuple[list[int], int] | None:
    """Return (shard ids, shard count) from "0-3" or "0,2,5" (or "0-3,6") and a count.

    None when neither is given (the bot runs every shard Discord recommends). Raises
    ShardsError with a sentence when only one is given or an id is outside 0..count-1.
    """
    ids = (ids or "").strip()
    text = str(count).strip() if count is not None else ""
    if not ids and not text:
        return None
    if not ids or not text:
        raise ShardsError("--shards and --shard-count go together (e.g. --shards 0-3 "
                          "--shard-count 8): the ids this process runs, and the total")  # fmt: skip
    if not text.isdigit() or int(text) < 1:
        raise ShardsError(f"the shard count must be a positive whole number, not {text!r}")
    total = int(text)
    chosen: set[int] = set()
    for part in ids.split(","):
        low, _, high = part.strip().partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise ShardsError(f"cannot read shard ids {ids!r}: use e.g. 0-3 or 0,2,5")
        first, last = int(low), int(high or low)
        if first > last or last >= total:
            raise ShardsError(
                f"shard ids {part.strip()!r} are outside 0-{total - 1} (the count is {total})"
            )
        chosen.update(range(first, last + 1))
    return sorted(chosen), total
_ON = ("1", "true", "yes", "on")
_OFF = ("0", "false", "no", "off")


@dataclass(frozen=True, slots=True)
class Settings:
    """What the bot needs to run; the token is kept out of repr so it never reaches a log."""

    token: str | None = None
    db_path: str = DEFAULT_DB
    questions_dir: str = DEFAULT_QUESTIONS
    log_level: str = "INFO"
    #: Ask Discord for the privileged Message Content intent (classic, typed games need it).
    message_content: bool = True
    #: Public address of `quizbot web`; with it, `/quiz settings web_page` gives the page's link.
    web_url: str | None = None
    #: Run only these shards of this many (`--shards 0-3 --shard-count 8`); None: every shard.
    shard_ids: str | None = None
    shard_count: str | None = None

    def __repr__(self) -> str:
        token = "set" if self.token else "missing"
        return (
            f"Settings(token={token}, db_path={self.db_path!r}, "
            f"questions_dir={self.questions_dir!r}, log_level={self.log_level!r}, "
            f"message_content={self.message_content!r}, web_url={self.web_url!r})"
        )


def parse_env_file(text: str) -> dict[str, str]:
    """Return the KEY=value pairs of a .env text (comments, blank lines and `export` allowed)."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            # An unquoted value ends where an inline comment starts.
            value = value.split(" #", 1)[0].rstrip()
        values[key] = value
    return values


def read_env_file(path: Path) -> dict[str, str]:
    """Return the pairs of a .env file, or nothing when it is missing or unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc)
        return {}
    return parse_env_file(text)


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Return settings from the code defaults, the .env file, then the environment."""
    merged: dict[str, str] = {}
    if env_file is not None:
        merged.update(read_env_file(env_file))
    merged.update(os.environ if environ is None else environ)
    token = (merged.get(ENV_TOKEN) or "").strip() or None
    return Settings(
        token=token,
        db_path=merged.get(ENV_DB) or DEFAULT_DB,
        questions_dir=merged.get(ENV_QUESTIONS) or DEFAULT_QUESTIONS,
        log_level=(merged.get(ENV_LOG_LEVEL) or "INFO").upper(),
        message_content=_switch(merged, ENV_MESSAGE_CONTENT, default=True),
        web_url=(merged.get(ENV_WEB_URL) or "").strip() or None,
        shard_ids=(merged.get(ENV_SHARDS) or "").strip() or None,
        shard_count=(merged.get(ENV_SHARD_COUNT) or "").strip() or None,
    )


def db_target(given: str | None, environ: Mapping[str, str] | None = None) -> str:
    """Return the database a command uses: --db, else QUIZBOT_DB (env or .env), else the default.

    A path (or `sqlite:PATH`) is a SQLite file; `postgresql://user:password@host/db` a server.
    """
    if given:
        return given
    return load_settings(environ).db_path


def _switch(values: Mapping[str, str], key: str, *, default: bool) -> bool:
    """Return an on/off setting; a value that is neither is named in a warning and ignored."""
    raw = (values.get(key) or "").strip().lower()
    if not raw:
        return default
    if raw in _ON:
        return True
    if raw in _OFF:
        return False
    choice = "on" if default else "off"
    log.warning(
        "%s=%s is not on or off (use %s or %s); leaving it %s",
        key, values[key], "/".join(_ON), "/".join(_OFF), choice,
    )  # fmt: skip
    return default
