"""Bank autocomplete answers at once with the server's loaded banks, within Discord's limits."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.core.models import Bank
from bot.kit.choices import bank_autocomplete

GUILD = 111
OTHER_GUILD = 222


def _bank(slug: str, title: str) -> Bank:
    return Bank(slug=slug, title=title, source="s", questions=())


class _Holder:
    def __init__(self, banks: dict[int | None, dict[str, Bank]]) -> None:
        self.banks = banks

    def banks_for(self, guild_id: int | None) -> dict[str, Bank]:
        return self.banks.get(guild_id, {})


async def bank_choices(holder: _Holder, guild_id: int, current: str) -> list[Any]:
    """Return what the `bank` option's autocomplete offers in a guild."""
    client = SimpleNamespace(catalog=holder)
    interaction = SimpleNamespace(client=client, guild_id=guild_id, namespace=SimpleNamespace())
    return await bank_autocomplete(interaction, current)  # type: ignore[arg-type]


async def test_bank_choices_list_the_guild_banks_matching_what_was_typed() -> None:
    own = {"lantern-fair": _bank("lantern-fair", "The Lantern Fair"), "baku": _bank("baku", "Baku")}
    holder = _Holder({GUILD: own, OTHER_GUILD: {"baku": own["baku"]}})
    assert [c.value for c in await bank_choices(holder, GUILD, "")] == ["baku", "lantern-fair"]
    assert [c.value for c in await bank_choices(holder, GUILD, "LANT")] == ["lantern-fair"]
    assert [c.value for c in await bank_choices(holder, GUILD, "fair")] == ["lantern-fair"]
    assert [c.value for c in await bank_choices(holder, OTHER_GUILD, "lant")] == []
    long = _bank("long", "T" * 300)
    [choice] = await bank_choices(_Holder({GUILD: {"long": long}}), GUILD, "")
    assert len(choice.name) <= 100
    many = {f"b-{i:02d}": _bank(f"b-{i:02d}", f"Bank {i}") for i in range(40)}
    assert len(await bank_choices(_Holder({GUILD: many}), GUILD, "")) == 25
