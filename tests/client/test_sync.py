"""Login, intents, and deliberate command sync: only when the tree changed, or when forced."""

from __future__ import annotations

from support.fakediscord import FakeDiscord
from support.quizharness import quiz_bot

from bot.client import TREE_HASH_KEY
from bot.store import Store

GLOBAL_PUT = r"/applications/\d+/commands"


async def test_login_syncs_once_then_only_when_changed_or_forced(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    async with quiz_bot(fake, tmp_path) as bot:
        assert bot.user is not None and bot.user.id == fake.bot_user.id
        assert bot.synced
        digest = await bot.store.meta.get(TREE_HASH_KEY)
        assert digest == bot.tree_digest()
    puts = fake.calls("PUT", GLOBAL_PUT)
    assert len(puts) == 1
    quiz = next(c for c in puts[0].json if c["name"] == "quiz")
    subs = {o["name"]: o for o in quiz["options"]}
    assert {"start", "stop", "skip", "topics", "settings"} <= set(subs)
    assert all(o["description"] for o in subs.values())
    assert {o["name"] for o in subs["start"]["options"]} == {
        "topic", "questions", "mode", "seconds", "bank",
    }  # fmt: skip
    # The group is for servers only.
    assert quiz.get("contexts") == [0] or quiz.get("dm_permission") is False

    # Same tree, same DB: no second sync.
    async with quiz_bot(fake, tmp_path) as bot:
        assert not bot.synced
    assert len(fake.calls("PUT", GLOBAL_PUT)) == 1

    # A changed tree (here: a stale hash) syncs again.
    store = await Store.open(tmp_path / "quiz.db")
    try:
        await store.meta.set(TREE_HASH_KEY, "stale")
    finally:
        await store.close()
    async with quiz_bot(fake, tmp_path) as bot:
        assert bot.synced
    assert len(fake.calls("PUT", GLOBAL_PUT)) == 2

    # --sync forces it even when nothing changed.
    async with quiz_bot(fake, tmp_path, force_sync=True) as bot:
        assert bot.synced
    assert len(fake.calls("PUT", GLOBAL_PUT)) == 3


async def test_guild_sync_copies_global_commands(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    guild_id = fake.guild.id
    async with quiz_bot(fake, tmp_path, force_sync=True, sync_guild=guild_id) as bot:
        assert bot.synced
    puts = fake.calls("PUT", rf"/applications/\d+/guilds/{guild_id}/commands")
    assert len(puts) == 1
    assert "quiz" in {c["name"] for c in puts[0].json}
    assert fake.calls("PUT", GLOBAL_PUT) == []


async def test_intents_and_mentions(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    async with quiz_bot(fake, tmp_path) as bot:
        intents = bot.intents
        assert intents.guilds and intents.guild_messages and intents.message_content
        assert not intents.members and not intents.presences
        assert bot.allowed_mentions is not None
        assert bot.allowed_mentions.to_dict()["parse"] == []
        identify = next(p for p in fake.gateway.received if p.get("op") == 2)
        assert identify["d"]["intents"] == intents.value
