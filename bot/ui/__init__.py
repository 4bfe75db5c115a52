"""Discord views and embed builders; every text goes through `bot.ui.limits`."""
