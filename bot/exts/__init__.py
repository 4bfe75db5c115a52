"""Features, one package each: its cog, views and embeds together (see `bot.client.EXTENSIONS`)."""
