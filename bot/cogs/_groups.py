"""Command groups shared by several cogs; other cogs attach their subcommands to them.

Define a subcommand with `@app_commands.command(...)` at module level and attach it in the cog's
`setup` with `QUIZ_GROUP.add_command(cmd, override=True)`: loading an extension re-runs its
module, so `@QUIZ_GROUP.command` would register the name twice. The group lives once per
process; the quiz cog adds it to each bot's command tree.
"""

from __future__ import annotations

from discord import app_commands

QUIZ_GROUP = app_commands.Group(
    name="quiz",
    description="Play quiz games in this channel",
    guild_only=True,
)
