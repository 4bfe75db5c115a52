"""Guild bank imports against a real SQLite store: validate, generate, store, load, refuse."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.bank import read_bank
from bot.core.models import Bank
from bot.services import imports
from bot.services.catalog import Catalog
from bot.services.imports import (
    MAX_UPLOAD_BYTES,
    Imported,
    Importer,
    Prepared,
    Refused,
    UploadKind,
    bank_infos,
    import_upload,
    load_guild_banks,
    prepare,
    upload_name,
)
from bot.store import GuildBankRow, Store

FACTS = Path(__file__).parents[1] / "data" / "imports" / "lantern-fair.facts.yaml"
GUILD = 111
OTHER_GUILD = 222
ADMIN = 7
NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def facts_text() -> str:
    return FACTS.read_text(encoding="utf-8")


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(tmp_path / "quiz.sqlite3", clock=lambda: NOW)
    try:
        yield s
    finally:
        await s.close()


def bank_yaml_from(facts_text: str, slug: str) -> str:
    """Return the bank `quizbot generate` makes of the facts, under another slug."""
    prepared = prepare(facts_text.replace('"lantern-fair"', f'"{slug}"').encode(), "f.yaml")
    assert isinstance(prepared, Prepared)
    return prepared.yaml_text


async def test_valid_facts_file_is_stored_as_a_generated_bank(
    store: Store, facts_text: str
) -> None:
    result = await import_upload(
        store, GUILD, facts_text.encode(), "lantern.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(result, Imported), result
    prepared = result.prepared
    assert prepared.kind is UploadKind.FACTS
    assert prepared.facts == 6
    assert prepared.drafts_skipped == 0
    assert prepared.bank.slug == "lantern-fair"
    assert len(prepared.bank.questions) >= 6
    rows = await store.guilds.banks(GUILD)
    assert [(r.slug, r.title, r.added_by, r.added_at) for r in rows] == [
        ("lantern-fair", "The Lantern Fair of Orvell", ADMIN, NOW)
    ]
    # The store keeps the generated bank, not the facts, and it validates on its own.
    assert rows[0].yaml_text == prepared.yaml_text
    assert "questions:" in rows[0].yaml_text
    assert "statement:" not in rows[0].yaml_text
    reread, problems = read_bank(rows[0].yaml_text, "stored")
    assert reread is not None, problems
    assert [q.id for q in reread.questions] == [q.id for q in prepared.bank.questions]
    loaded = await load_guild_banks(store, GUILD, set())
    assert set(loaded) == {"lantern-fair"}
    assert loaded["lantern-fair"].questions == prepared.bank.questions


async def test_valid_bank_file_is_stored_as_uploaded(store: Store, facts_text: str) -> None:
    text = bank_yaml_from(facts_text, "lantern-bank")
    result = await import_upload(
        store, GUILD, text.encode(), "bank.yaml", added_by=ADMIN, global_slugs={"other"}
    )
    assert isinstance(result, Imported), result
    assert result.prepared.kind is UploadKind.BANK
    [row] = await store.guilds.banks(GUILD)
    assert (row.slug, row.yaml_text) == ("lantern-bank", text)


async def test_broken_file_gives_located_errors_and_stores_nothing(
    store: Store, facts_text: str
) -> None:
    broken = facts_text.replace('answer: "300"', "answer: 300").replace(
        'topic: "customs"', 'topic: "weather"', 1
    )
    result = await import_upload(
        store, GUILD, broken.encode(), "upload.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(result, Refused)
    shown = [str(p) for p in result.problems]
    answer_line = broken.splitlines().index("    answer: 300") + 1
    assert f"upload.yaml:{answer_line}: facts[3].answer: expected text" in "\n".join(shown)
    assert any(": facts[2].topic: unknown topic 'weather'" in s for s in shown), shown
    assert all(not p.warning for p in result.problems)
    assert await store.guilds.banks(GUILD) == []


async def test_too_large_file_is_refused(store: Store, facts_text: str) -> None:
    padded = facts_text + "#" * (MAX_UPLOAD_BYTES + 1 - len(facts_text.encode()))
    assert imports.size_refusal(len(padded.encode())) is not None
    assert imports.size_refusal(MAX_UPLOAD_BYTES) is None
    result = await import_upload(
        store, GUILD, padded.encode(), "big.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(result, Refused)
    assert "too large" in result.reason
    assert await store.guilds.banks(GUILD) == []


@pytest.mark.parametrize(
    "tag", ['!!python/object/apply:os.system ["echo hi"]', '!custom "Orvell"', '!!binary "aGk="']
)
async def test_yaml_tags_are_refused(store: Store, facts_text: str, tag: str) -> None:
    tagged = facts_text.replace('title: "The Lantern Fair of Orvell"', f"title: {tag}")
    result = await import_upload(
        store, GUILD, tagged.encode(), "tags.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(result, Refused)
    assert any(p.field == "yaml" and "tags" in p.message for p in result.problems), result
    assert result.problems[0].line == 3
    assert await store.guilds.banks(GUILD) == []


async def test_non_utf8_file_is_refused_with_its_line(store: Store, facts_text: str) -> None:
    data = facts_text.encode().replace(b"Salt Bridge at dusk", b"S\xe4lt Bridge at dusk")
    result = await import_upload(
        store, GUILD, data, "latin1.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(result, Refused)
    assert "not UTF-8" in result.reason
    [problem] = result.problems
    expected_line = facts_text.splitlines().index(
        '    statement: "Every lantern is launched from the Salt Bridge at dusk."'
    )
    assert problem.line == expected_line + 1
    assert await store.guilds.banks(GUILD) == []


async def test_slug_of_a_built_in_bank_is_refused(store: Store, facts_text: str) -> None:
    result = await import_upload(
        store, GUILD, facts_text.encode(), "x.yaml", added_by=ADMIN, global_slugs={"lantern-fair"}
    )
    assert isinstance(result, Refused)
    assert "built-in" in result.reason
    assert await store.guilds.banks(GUILD) == []


async def test_slug_of_another_guild_bank_is_refused_and_keeps_the_first(
    store: Store, facts_text: str
) -> None:
    first = await import_upload(
        store, GUILD, facts_text.encode(), "a.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(first, Imported)
    changed = facts_text.replace("The Lantern Fair of Orvell", "Another fair")
    second = await import_upload(
        store, GUILD, changed.encode(), "b.yaml", added_by=ADMIN + 1, global_slugs=set()
    )
    assert isinstance(second, Refused)
    assert "/quiz banks remove:lantern-fair" in second.reason
    [row] = await store.guilds.banks(GUILD)
    assert (row.title, row.added_by) == ("The Lantern Fair of Orvell", ADMIN)
    # Another guild may use the same name: imported banks are per guild.
    other = await import_upload(
        store, OTHER_GUILD, changed.encode(), "b.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(other, Imported)


async def test_only_reviewed_facts_are_used(store: Store, facts_text: str) -> None:
    one_draft = facts_text.replace("reviewed: true", "reviewed: false", 1)
    result = await import_upload(
        store, GUILD, one_draft.encode(), "d.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(result, Imported)
    assert (result.prepared.facts, result.prepared.drafts_skipped) == (5, 1)
    assert "first-fair" not in {q.fact_id for q in result.prepared.bank.questions}
    assert [p.field for p in result.prepared.warnings] == ["facts[0].reviewed"]


async def test_facts_without_any_reviewed_fact_are_refused(store: Store, facts_text: str) -> None:
    drafts = facts_text.replace("reviewed: true", "reviewed: false")
    result = await import_upload(
        store, GUILD, drafts.encode(), "d.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(result, Refused)
    assert "reviewed: true" in result.reason
    assert await store.guilds.banks(GUILD) == []


async def test_a_guild_may_keep_a_bounded_number_of_banks(
    store: Store, facts_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_GUILD_BANKS", 1)
    assert isinstance(
        await import_upload(
            store, GUILD, facts_text.encode(), "a.yaml", added_by=ADMIN, global_slugs=set()
        ),
        Imported,
    )
    second = facts_text.replace('"lantern-fair"', '"lantern-two"')
    result = await import_upload(
        store, GUILD, second.encode(), "b.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(result, Refused)
    assert "most it may keep" in result.reason
    assert [r.slug for r in await store.guilds.banks(GUILD)] == ["lantern-fair"]


async def test_stored_bank_that_no_longer_validates_is_skipped_with_a_log(
    store: Store, facts_text: str, caplog: pytest.LogCaptureFixture
) -> None:
    good = bank_yaml_from(facts_text, "good-bank")
    await store.guilds.save_bank(GUILD, "good-bank", "Good", good, ADMIN)
    await store.guilds.save_bank(GUILD, "old-bank", "Old", "generated: true\nbank: 3\n", ADMIN)
    await store.guilds.save_bank(
        GUILD, "built-in", "Shadow", bank_yaml_from(facts_text, "built-in"), ADMIN
    )
    with caplog.at_level(logging.ERROR, logger="bot.services.imports"):
        loaded = await load_guild_banks(store, GUILD, {"built-in"})
    assert set(loaded) == {"good-bank"}
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "old-bank" in logged
    assert "no longer validates" in logged
    assert "built-in bank has that slug" in logged


def test_upload_names_are_made_harmless() -> None:
    assert upload_name("facts.yaml") == "facts.yaml"
    assert upload_name("../../etc/passwd") == "passwd"
    assert upload_name("C:\\Users\\me\\my facts.yaml") == "my_facts.yaml"
    assert upload_name("<@123> @everyone.yaml") == "123_everyone.yaml"
    assert upload_name("") == "upload.yaml"
    assert upload_name("x" * 300).endswith("…")
    assert len(upload_name("x" * 300)) == 64


def _bank(slug: str, title: str) -> Bank:
    return Bank(slug=slug, title=title, source="s", questions=())


def test_bank_infos_list_built_in_banks_then_imports_and_flag_broken_ones() -> None:
    built_in = {"baku": _bank("baku", "Baku")}
    rows = [
        GuildBankRow(GUILD, "zeta", "Zeta quiz", "…", ADMIN, NOW),
        GuildBankRow(GUILD, "alpha", "Alpha quiz", "…", ADMIN, NOW),
    ]
    loaded = {"zeta": replace(_bank("zeta", "Zeta quiz"), topics={"t": "Topic"})}
    infos = bank_infos(built_in, rows, loaded)
    assert [(i.slug, i.imported, i.bank is not None) for i in infos] == [
        ("baku", False, True),
        ("alpha", True, False),
        ("zeta", True, True),
    ]
    assert infos[2].topics == ("t",)
    assert infos[2].added_by == ADMIN


# -- limits: what one upload may make the bot build, store and check ------------------------
async def test_anchors_and_aliases_are_refused_before_anything_is_built(
    store: Store, facts_text: str
) -> None:
    # One alias list reused by every fact once turned a 23 KB upload into a 1 MB stored bank.
    shared = facts_text.replace(
        'distractors: ["1875", "1903", "1912"]', 'distractors: &years ["1875", "1903", "1912"]'
    ).replace('distractors: ["Tobias Wren", "Marta Finch", "Oskar Lund"]', "distractors: *years")
    result = await import_upload(
        store, GUILD, shared.encode(), "aliases.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(result, Refused)
    [problem] = result.problems
    assert problem.line == 17 and "anchors and aliases" in problem.message  # the anchor
    assert await store.guilds.banks(GUILD) == []


async def test_merge_keys_are_refused(store: Store, facts_text: str) -> None:
    merged = facts_text.replace(
        '  - id: "founder"\n', '  - id: "founder"\n    <<: {reviewed: true}\n'
    )
    result = prepare(merged.encode(), "merge.yaml")
    assert isinstance(result, Refused)
    assert any("merge keys" in p.message for p in result.problems)


async def test_lists_and_files_past_their_limits_are_refused_located(facts_text: str) -> None:
    many = ", ".join(f'"Name {i}"' for i in range(31))
    long_list = facts_text.replace(
        'distractors: ["Tobias Wren", "Marta Finch", "Oskar Lund"]', f"distractors: [{many}]"
    )
    result = prepare(long_list.encode(), "long.yaml")
    assert isinstance(result, Refused)
    assert [str(p) for p in result.problems] == [
        "long.yaml:27: facts[1].distractors: too many items (31 > 30)"
    ]
    head, _, first = facts_text.partition("facts:\n")
    block = first.split("  - id:")[1]
    crowd = head + "facts:\n" + "".join(
        "  - id:" + block.replace('"first-fair"', f'"fair-{i}"', 1) for i in range(501)
    )
    result = prepare(crowd.encode(), "crowd.yaml")
    assert isinstance(result, Refused)
    assert any("too many items (501 > 500)" in p.message for p in result.problems)


async def test_imports_are_worked_on_one_at_a_time_across_servers(
    store: Store, facts_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy = 0
    most = 0

    def slow_prepare(data: bytes, filename: str | None) -> Prepared | Refused:
        nonlocal busy, most
        busy += 1
        most = max(most, busy)
        try:
            time.sleep(0.05)  # CPU-bound work in the worker thread
            return prepare(data, filename)
        finally:
            busy -= 1

    monkeypatch.setattr(imports, "prepare", slow_prepare)
    importer = Importer(store, Catalog(Path("nowhere"), store))
    uploads = [
        facts_text.replace('"lantern-fair"', f'"fair-{guild}"').encode() for guild in range(4)
    ]
    results = await asyncio.gather(
        *(importer.import_file(g, data, "f.yaml", added_by=ADMIN) for g, data in enumerate(uploads))
    )
    assert all(isinstance(r, Imported) for r in results)
    assert most == 1


async def test_a_generated_bank_over_its_size_limit_is_refused(
    store: Store, facts_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_GENERATED_BYTES", 4096)
    result = await import_upload(
        store, GUILD, facts_text.encode(), "big.yaml", added_by=ADMIN, global_slugs=set()
    )
    assert isinstance(result, Refused)
    assert result.reason.startswith("The bank made from `big.yaml` would be")
    assert await store.guilds.banks(GUILD) == []


async def test_identical_stored_banks_are_parsed_once_and_shared(
    store: Store, facts_text: str, tmp_path: Path
) -> None:
    same = bank_yaml_from(facts_text, "fair")
    other = bank_yaml_from(facts_text, "other-fair")
    for guild in (1, 2, 3):
        await store.guilds.save_bank(guild, "fair", "Fair", same, ADMIN)
    await store.guilds.save_bank(3, "other-fair", "Other", other, ADMIN)
    catalog = Catalog(tmp_path / "no-built-ins", store)
    for guild in (1, 2, 3):
        assert await catalog.ensure(guild, wait=None)
    banks = [catalog.banks_for(g)["fair"] for g in (1, 2, 3)]
    assert banks[0] is banks[1] is banks[2]  # one parsed bank for three servers
    assert catalog.banks_for(3)["other-fair"] is not banks[0]
    assert catalog.shared.parsed == 2


async def test_the_shared_banks_are_bounded(store: Store, facts_text: str) -> None:
    shared = imports.SharedBanks(limit=2)
    rows = [
        GuildBankRow(GUILD, slug, slug, bank_yaml_from(facts_text, slug), ADMIN, NOW)
        for slug in ("a-bank", "b-bank", "c-bank")
    ]
    first = shared.get(rows[0])
    for row in rows[1:]:
        shared.get(row)
    assert len(shared) == 2
    again = shared.get(rows[0])  # forgotten: parsed anew, equal but not the same object
    assert again == first and again is not first
    assert shared.parsed == 4
