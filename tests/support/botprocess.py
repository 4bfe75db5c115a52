"""Run the real `quizbot run` in a process of its own, pointed at a fake Discord in the tests.

`python tests/support/botprocess.py API_BASE GATEWAY_URL [quizbot run options…]`: discord.py's
REST base and gateway URL are set to the fake's (`point_at`, which `pointed_at` also uses), the
client's waits that only pace real Discord are skipped (`fast_start`), then `quizbot run` runs
as a user would start it; DISCORD_TOKEN and QUIZBOT_DB come from the environment.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for `support`


def main(argv: list[str]) -> int:
    """Point discord.py at the fake Discord, then run `quizbot run` with the given options."""
    from bot import client
    from bot.cli import main as quizbot
    from support.fakediscord import fast_start
    from support.fakediscord.runner import point_at

    api_base, gateway_url, *options = argv
    point_at(api_base, gateway_url)
    build = client.build_bot

    def build_fast(*args: object, **kwargs: object) -> client.QuizBot:
        bot = build(*args, **kwargs)  # type: ignore[arg-type]
        fast_start(bot)
        return bot

    client.build_bot = build_fast  # type: ignore[assignment]
    return quizbot(["run", *options])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
