"""Command groups shared by several cogs; other cogs attach their subcommands to them.

Define a subcommand with `@app_commands.command(...)` at module level and attach it in the cog's
`setup` with `add_quiz_commands(bot, cmd)`: loading an extension re-runs its module, so
`@QUIZ_GROUP.command` would register the name twice. The group lives once per process; the
first cog that attaches a command adds it to the bot's command tree.
"""

from __future__ import annotations

from typing import Any

from discord import app_commands
from discord.ext import commands

QUIZ_GROUP = app_commands.Group(
    name="quiz",
    description="Play quiz games in this channel",
    guild_only=True,
)


def add_quiz_commands(
    bot: commands.Bot | commands.AutoShardedBot, *subcommands: app_commands.Command[Any, ..., Any]
) -> None:
    """Attach subcommands to /quiz and make sure /quiz is in the bot's command tree."""
    for command in subcommands:
        # override: extensions re-run their module on load, creating fresh command objects.
        QUIZ_GROUP.add_command(command, override=True)
    if bot.tree.get_command(QUIZ_GROUP.name) is None:
        bot.tree.add_command(QUIZ_GROUP)
