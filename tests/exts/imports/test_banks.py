"""Imported banks end to end: played, listed, removed with confirmation, kept per server."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from support.fakediscord import MANAGE_GUILD, FakeDiscord, FakeUser
from support.importkit import (
    SLUG,
    TITLE,
    banks,
    facts_text,
    hold_bank_reads,
    import_file,
    wait_guild_banks_loaded,
)
from support.learnkit import Played, command, description, press, seed_game
from support.quizharness import (
    TEST_BANK,
    TEST_BANK_SLUG,
    buttons_of,
    embed_title,
    manual_clock,
    quiz_bot,
    start_game,
    wait_edit,
    wait_message,
)

from bot.client import QuizBot
from bot.kit.choices import STILL_LOADING
from bot.store import GuildBankRow
from bot.store.guilds import GuildsRepo


async def _import(fake: FakeDiscord, admin: FakeUser) -> None:
    reply = await import_file(fake, admin, facts_text().encode(), "lantern.yaml")
    assert embed_title(reply.message or {}).startswith("Bank imported"), reply.embeds


async def test_a_game_on_the_imported_bank_asks_its_questions(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        await _import(fake, admin)
        inter = await fake.autocomplete(
            alice, fake.channel, "quiz start", {"bank": "lant"}, focused="bank"
        )
        choices = (await fake.response_to(inter)).choices or []
        assert [c["value"] for c in choices] == [SLUG]
        mark = fake.mark()
        start = await start_game(fake, alice, bank=SLUG, questions=1)
        announced = await fake.response_to(start)
        assert announced.embeds[0]["title"] == f"Quiz: {TITLE}"
        question = await wait_message(fake, mark, title="Question 1/1")
        prompts = {q.prompt for q in bot.catalog.banks_for(fake.guild.id)[SLUG].questions}
        shown = question["embeds"][0]["description"]
        assert any(p[:80] in shown for p in prompts), shown
        topics = await fake.response_to(await fake.slash(alice, fake.channel, "quiz topics"))
        assert "Customs of the fair" in str(topics.embeds)


async def test_banks_lists_built_in_and_imported_banks(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        await _import(fake, admin)
        reply = await banks(fake, alice)
        assert reply.ephemeral
        [embed] = reply.embeds
        text = embed["description"]
        count = len(bot.catalog.banks_for(fake.guild.id)[SLUG].questions)
        assert f"**{TITLE}** · `{SLUG}`" in text
        assert f"{count} questions · History of the fair, Customs of the fair" in text
        assert f"imported by <@{admin.id}> <t:" in text
        assert f"`{TEST_BANK_SLUG}`" in text
        assert "built-in" in text
        assert "2 bank(s), 1 imported" in embed["footer"]["text"]


async def test_removal_asks_the_invoker_to_confirm(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    other_admin = fake.add_user("other-admin", permissions=MANAGE_GUILD)
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        await _import(fake, admin)
        refused = await banks(fake, alice, remove=SLUG)
        assert "Manage Server" in refused.content
        built_in = await banks(fake, admin, remove=TEST_BANK_SLUG)
        assert "cannot be removed" in built_in.content
        unknown = await banks(fake, admin, remove="no-such-bank")
        assert "no imported bank named `no-such-bank`" in unknown.content

        inter = await fake.autocomplete(admin, fake.channel, "quiz banks", {"remove": ""}, "remove")
        assert [c["value"] for c in (await fake.response_to(inter)).choices or []] == [SLUG]
        prompt = await banks(fake, admin, remove=SLUG)
        assert prompt.ephemeral
        assert prompt.embeds[0]["title"] == "Remove this bank?"
        confirm_id, _cancel_id = prompt.custom_ids
        # Only the invoker may answer; someone else's click changes nothing.
        intruder = await fake.response_to(
            await fake.click(other_admin, prompt.message_id, confirm_id)
        )
        assert intruder.ephemeral
        assert "Only the person who asked" in intruder.content
        assert [r.slug for r in await bot.store.guilds.banks(fake.guild.id)] == [SLUG]

        done = await fake.response_to(await fake.click(admin, prompt.message_id, confirm_id))
        assert done.embeds[0]["title"] == "Bank removed"
        assert all(b.get("disabled") for b in buttons_of(done.message or {}))
        assert await bot.store.guilds.banks(fake.guild.id) == []
        assert SLUG not in bot.catalog.banks_for(fake.guild.id)
        again = await fake.response_to(await start_game(fake, alice, bank=SLUG, questions=1))
        assert "Unknown bank" in again.content


async def test_removal_prompt_expires_on_the_bot_clock(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path) as bot:
        await _import(fake, admin)
        prompt = await banks(fake, admin, remove=SLUG)
        cancel = await fake.response_to(
            await fake.click(admin, prompt.message_id, prompt.custom_ids[1])
        )
        assert cancel.embeds[0]["title"] == "Kept"

        prompt = await banks(fake, admin, remove=SLUG)
        await manual_clock(bot).advance(59)
        assert fake.message(prompt.message_id)["embeds"][0]["title"] == "Remove this bank?"
        await manual_clock(bot).advance(1)
        expired = await wait_edit(fake, prompt.message_id, lambda m: embed_title(m) == "Timed out")
        assert all(b.get("disabled") for b in buttons_of(expired))
        assert [r.slug for r in await bot.store.guilds.banks(fake.guild.id)] == [SLUG]
        assert SLUG in bot.catalog.banks_for(fake.guild.id)


async def test_another_server_does_not_see_the_imported_bank(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    other_guild = fake.add_guild("Other Guild")
    elsewhere = fake.add_channel("elsewhere", other_guild)
    async with quiz_bot(fake, tmp_path) as bot:
        await _import(fake, admin)
        assert SLUG not in bot.catalog.banks_for(other_guild.id)
        listed = await banks(fake, admin, channel=elsewhere)
        assert TITLE not in listed.embeds[0]["description"]
        assert f"`{TEST_BANK_SLUG}`" in listed.embeds[0]["description"]
        inter = await fake.autocomplete(admin, elsewhere, "quiz start", {"bank": ""}, "bank")
        values = [c["value"] for c in (await fake.response_to(inter)).choices or []]
        assert values == [TEST_BANK_SLUG]
        refused = await fake.response_to(await start_game(fake, admin, elsewhere, bank=SLUG))
        assert "Unknown bank" in refused.content
        # The other server may import a bank of the same name for itself.
        reply = await import_file(fake, admin, facts_text().encode(), channel=elsewhere)
        assert embed_title(reply.message or {}).startswith("Bank imported")


@pytest.mark.expect_errors(r"skipping stored guild \d+ bank old-bank: it no longer validates")
async def test_imported_banks_are_loaded_again_after_a_restart(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    guild_id = fake.guild.id
    async with quiz_bot(fake, tmp_path) as bot:
        await _import(fake, admin)
        # A stored bank that stopped validating (e.g. after a rule got stricter).
        await bot.store.guilds.save_bank(
            guild_id, "old-bank", "Old bank", "generated: 1\n", admin.id
        )
        before = bot.catalog.banks_for(guild_id)[SLUG].questions
    async with quiz_bot(fake, tmp_path) as restarted:
        assert isinstance(restarted, QuizBot)
        await wait_guild_banks_loaded(restarted, guild_id)
        loaded = restarted.catalog.banks_for(guild_id)
        assert loaded[SLUG].questions == before
        assert "old-bank" not in loaded
        listed = (await banks(fake, admin)).embeds[0]["description"]
        assert "could not be loaded" in listed
        mark = fake.mark()
        await fake.response_to(await start_game(fake, admin, bank=SLUG, questions=1))
        await wait_message(fake, mark, title="Question 1/1")


async def test_right_after_a_restart_autocomplete_answers_at_once_and_a_start_waits_briefly(
    fake_discord: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path):
        await _import(fake, admin)
    gate = asyncio.Event()
    read = GuildsRepo.banks

    async def held_read(store: GuildsRepo, guild_id: int) -> list[GuildBankRow]:
        await gate.wait()
        return await read(store, guild_id)

    monkeypatch.setattr(GuildsRepo, "banks", held_read)
    async with quiz_bot(fake, tmp_path):
        # Suggestions never wait for a server's imports: the built-in bank is offered at once.
        inter = await fake.autocomplete(admin, fake.channel, "quiz start", {"bank": ""}, "bank")
        assert [c["value"] for c in (await fake.response_to(inter)).choices or []] == [
            TEST_BANK_SLUG
        ]
        # A command waits a moment (at most 1.5 s) and then says the banks are still loading.
        held = await fake.response_to(await start_game(fake, admin, bank=SLUG, questions=1))
        assert held.content == STILL_LOADING
        gate.set()
        mark = fake.mark()
        started = await fake.response_to(await start_game(fake, admin, bank=SLUG, questions=1))
        assert [e["title"] for e in started.embeds] == [f"Quiz: {TITLE}"], started.content
        await wait_message(fake, mark, title="Question 1/1")


@pytest.mark.expect_errors(r"skipping stored bank test-bank of guild \d+: a built-in bank")
async def test_a_stored_bank_named_like_a_built_in_one_never_replaces_it(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    guild_id = fake.guild.id
    async with quiz_bot(fake, tmp_path) as bot:
        await _import(fake, admin)
        # Stored before a built-in bank of the same name was added to the questions directory.
        shadow = TEST_BANK.replace("title: A small test bank", "title: Shadow")
        await bot.store.guilds.save_bank(guild_id, TEST_BANK_SLUG, "Shadow", shadow, admin.id)
    async with quiz_bot(fake, tmp_path) as restarted:
        await wait_guild_banks_loaded(restarted, guild_id)
        loaded = restarted.catalog.banks_for(guild_id)
        assert loaded[TEST_BANK_SLUG] is restarted.catalog.banks[TEST_BANK_SLUG]
        assert SLUG in loaded


async def test_a_page_click_right_after_a_restart_keeps_the_imported_bank_filter(
    fake_discord: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    players = [fake.add_user(f"player{i:02d}") for i in range(11)]
    # Over 20 characters, so the page buttons carry a hash of it, looked up again on click.
    long_slug = "lantern-fair-of-old-orvell"
    text = facts_text().replace(f'bank: "{SLUG}"', f'bank: "{long_slug}"')
    async with quiz_bot(fake, tmp_path) as bot:
        imported = await import_file(fake, admin, text.encode())
        assert embed_title(imported.message or {}).startswith("Bank imported")
        await seed_game(bot, fake.guild.id, [Played(p, True, 100) for p in players], long_slug)
        await seed_game(bot, fake.guild.id, [Played(admin, True, 5)])
        board = await command(fake, admin, "leaderboard", {"bank": long_slug})
        assert board.embeds[0]["footer"]["text"] == "Page 1/2 · 11 players"
        forward = board.components[0]["components"][1]["custom_id"]
        assert long_slug not in forward
    release = hold_bank_reads(monkeypatch)
    async with quiz_bot(fake, tmp_path) as restarted:
        restarted.add_listener(release, "on_interaction")
        page2 = await press(fake, admin, board.message or {}, forward)
        assert page2.embeds[0]["footer"]["text"] == "Page 2/2 · 11 players"
        assert description(page2).startswith(f"*Bank: {TITLE}*")


async def test_a_failed_load_of_imported_banks_is_tried_again_by_the_next_command(
    fake_discord: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path):
        await _import(fake, admin)
    read = GuildsRepo.banks
    calls = 0

    async def locked_once(store: GuildsRepo, guild_id: int) -> list[GuildBankRow]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise sqlite3.OperationalError("database is locked")
        return await read(store, guild_id)

    monkeypatch.setattr(GuildsRepo, "banks", locked_once)
    async with quiz_bot(fake, tmp_path) as restarted:
        load = restarted.catalog.load_of(fake.guild.id)
        assert load is not None
        await asyncio.wait({load})
        assert SLUG not in restarted.catalog.banks_for(fake.guild.id)
        started = await fake.response_to(await start_game(fake, admin, bank=SLUG, questions=1))
        assert [e["title"] for e in started.embeds] == [f"Quiz: {TITLE}"], started.content
