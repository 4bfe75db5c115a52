"""Shared test support: the fake Discord, harnesses for the bot, and builders of test data."""
