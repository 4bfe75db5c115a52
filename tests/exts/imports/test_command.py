"""`/quiz import` against the fake Discord: accept a valid file, or refuse and keep nothing."""

from __future__ import annotations

from pathlib import Path

from support.fakediscord import MANAGE_GUILD, FakeDiscord, FakeFile
from support.importkit import SLUG, TITLE, attachment_downloads, facts_text, import_file
from support.quizharness import fields_of, quiz_bot

from bot.services.imports import MAX_UPLOAD_BYTES

DEFERRED = 5
ANSWERED = 4


async def test_manager_imports_a_facts_file_and_gets_a_private_summary(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        reply = await import_file(fake, admin, facts_text().encode(), "lantern.yaml")
        assert reply.type == DEFERRED  # download and validation may take a moment
        assert reply.ephemeral
        [embed] = reply.embeds
        assert embed["title"] == f"Bank imported: {TITLE}"
        fields = fields_of(embed)
        assert fields["Name"] == f"`{SLUG}`"
        rows = await bot.store.guilds.banks(fake.guild.id)
        assert [(r.slug, r.added_by) for r in rows] == [(SLUG, admin.id)]
        bank = bot.catalog.banks_for(fake.guild.id)[SLUG]
        assert fields["Questions"].startswith(f"{len(bank.questions)} (")
        assert "Generated from 6 reviewed facts" in fields["Source"]
        assert f"/quiz start bank:{SLUG}" in embed["description"]
        assert attachment_downloads(fake, mark) == 1
        # Nothing reached the channel: the summary is for the importer only.
        assert fake.messages_in(fake.channel, include_ephemeral=False) == []
        assert reply.message is not None
        assert reply.message["allowed_mentions"] == {"parse": []}


async def test_broken_file_shows_located_errors_and_stores_nothing(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    text = facts_text().replace('answer: "300"', "answer: 300")
    line = text.splitlines().index("    answer: 300") + 1
    async with quiz_bot(fake, tmp_path) as bot:
        reply = await import_file(fake, admin, text.encode(), "upload.yaml")
        assert reply.ephemeral
        [embed] = reply.embeds
        assert embed["title"] == "Nothing was imported"
        assert f"upload.yaml:{line}: facts[3].answer: expected text" in embed["description"]
        assert "```" in embed["description"]
        assert await bot.store.guilds.banks(fake.guild.id) == []
        assert SLUG not in bot.catalog.banks_for(fake.guild.id)


async def test_many_problems_fit_one_page(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    # 300 facts with an unknown topic: far more located problems than one embed can hold.
    parts = facts_text().split("  - id:")
    founder = parts[2]
    assert founder.startswith(' "founder"')
    text = parts[0] + "".join(
        "  - id:" + founder.replace('"founder"', f'"founder-{i}"').replace('"history"', '"nope"')
        for i in range(300)
    )
    async with quiz_bot(fake, tmp_path) as bot:
        reply = await import_file(fake, admin, text.encode(), "many.yaml")
        [embed] = reply.embeds
        assert len(embed["description"]) <= 4096
        assert "more" in embed["description"].splitlines()[-2]
        assert await bot.store.guilds.banks(fake.guild.id) == []


async def test_too_large_file_is_refused_before_download(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    data = facts_text().encode() + b"#" * MAX_UPLOAD_BYTES
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        reply = await import_file(fake, admin, data, "huge.yaml")
        assert reply.type == ANSWERED
        assert reply.ephemeral
        assert "too large" in reply.embeds[0]["description"]
        assert attachment_downloads(fake, mark) == 0
        assert await bot.store.guilds.banks(fake.guild.id) == []


async def test_a_file_larger_than_it_claims_is_cut_off_while_downloading(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    # The attachment says 2 KB; the download is 40 MB of padding. Only the limit is read.
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    data = facts_text().encode() + b"#" * (40 * 1024 * 1024)
    liar = FakeFile("liar.yaml", data, "application/x-yaml", announced_size=2048)
    async with quiz_bot(fake, tmp_path) as bot:
        reply = await fake.response_to(
            await fake.slash(admin, fake.channel, "quiz import", {"file": liar})
        )
        assert reply.ephemeral
        description = reply.embeds[0]["description"]
        assert description.startswith("The file is larger than an imported bank may be")
        assert await bot.store.guilds.banks(fake.guild.id) == []


async def test_non_manager_is_refused_and_nothing_is_downloaded(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        reply = await import_file(fake, alice, facts_text().encode())
        assert reply.ephemeral
        assert "Manage Server" in reply.content
        assert attachment_downloads(fake, mark) == 0
        assert await bot.store.guilds.banks(fake.guild.id) == []


async def test_untrusted_text_is_refused_clearly(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    tagged = facts_text().replace(
        f'title: "{TITLE}"', 'title: !!python/object/apply:os.system ["x"]'
    )
    latin1 = facts_text().replace("Salt Bridge at dusk", "Sält Bridge at dusk").encode("latin-1")
    async with quiz_bot(fake, tmp_path) as bot:
        reply = await import_file(fake, admin, tagged.encode(), "tags.yaml")
        assert "tags.yaml:3: yaml: tags are not allowed" in reply.embeds[0]["description"]
        reply = await import_file(fake, admin, latin1, "latin.yaml")
        description = reply.embeds[0]["description"]
        assert "not UTF-8" in description
        assert "latin.yaml:" in description
        assert await bot.store.guilds.banks(fake.guild.id) == []


async def test_slug_clash_with_a_built_in_bank_is_refused(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    clash = facts_text().replace(f'"{SLUG}"', '"test-bank"')
    async with quiz_bot(fake, tmp_path) as bot:
        assert "test-bank" in bot.catalog.banks
        reply = await import_file(fake, admin, clash.encode())
        assert "built-in bank" in reply.embeds[0]["description"]
        assert await bot.store.guilds.banks(fake.guild.id) == []
        assert bot.catalog.banks_for(fake.guild.id)["test-bank"] is bot.catalog.banks["test-bank"]


async def test_title_from_the_file_can_neither_ping_nor_format(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    loud = facts_text().replace(f'title: "{TITLE}"', 'title: "@everyone **free** <@123>"')
    async with quiz_bot(fake, tmp_path):
        reply = await import_file(fake, admin, loud.encode())
        title = reply.embeds[0]["title"]
        assert "@everyone" not in title
        assert "@\u200beveryone" in title
        assert "\\*\\*free\\*\\*" in title
        assert reply.message is not None
        assert reply.message["allowed_mentions"] == {"parse": []}


async def test_failed_download_is_reported_and_stores_nothing(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path) as bot:
        fake.fail_next("GET", r"/attachments/\d+/.+", status=404, code=0, message="Not Found")
        reply = await import_file(fake, admin, facts_text().encode())
        assert reply.ephemeral
        assert "could not download the file" in reply.content
        assert await bot.store.guilds.banks(fake.guild.id) == []
        assert fake.bot_errors == []
