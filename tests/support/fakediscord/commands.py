"""Build the `data` of application-command, autocomplete and modal-submit interactions."""

from __future__ import annotations

from typing import Any

from support.fakediscord.channels import channel_payload
from support.fakediscord.payloads import (
    FakeChannel,
    FakeFile,
    FakeGuild,
    FakeUser,
    member_payload,
    user_payload,
)
from support.fakediscord.store import MessageStore

# Application command option types.
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN = 1, 2, 3, 4, 5
USER, CHANNEL, NUMBER, ATTACHMENT = 6, 7, 10, 11
TEXT_INPUT, LABEL = 4, 18


def find_command(
    commands: dict[int | None, list[dict[str, Any]]], guild_id: int | None, name: str
) -> dict[str, Any] | None:
    """Return the synced slash command `name` visible in a guild (or in DMs when None)."""
    scopes = ([guild_id] if guild_id is not None else []) + [None]
    for scope in scopes:
        for cmd in commands.get(scope, []):
            if cmd["name"] == name and cmd.get("type", 1) == 1:
                return cmd
    return None


def _infer_type(value: Any) -> int:
    if isinstance(value, FakeUser):
        return USER
    if isinstance(value, FakeChannel):
        return CHANNEL
    if isinstance(value, FakeFile):
        return ATTACHMENT
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return NUMBER
    return STRING


def _leaf_definitions(
    cmd: dict[str, Any] | None, group: str | None, sub: str | None
) -> list[dict[str, Any]] | None:
    """Return the option definitions of the invoked (sub)command, or None if not synced."""
    if cmd is None:
        return None
    options = cmd.get("options") or []
    for wanted, kind in ((group, SUB_COMMAND_GROUP), (sub, SUB_COMMAND)):
        if wanted is None:
            continue
        found = next((o for o in options if o["name"] == wanted and o["type"] == kind), None)
        if found is None:
            raise ValueError(
                f"/{cmd['name']} has no synced {'group' if kind == 2 else 'subcommand'} {wanted!r}"
            )
        options = found.get("options") or []
    return options


def build_command_data(
    *,
    commands: dict[int | None, list[dict[str, Any]]],
    store: MessageStore,
    guild: FakeGuild | None,
    name: str,
    group: str | None,
    sub: str | None,
    options: dict[str, Any],
    unsynced_id: int,
    focused: str | None = None,
) -> dict[str, Any]:
    """Return the interaction `data` for `/name [group] [sub] options...`.

    Option types come from the commands the bot synced; before any sync they are inferred
    from the Python values (FakeUser, FakeChannel, FakeFile, bool, int, float, str).
    """
    guild_id = guild.id if guild is not None else None
    cmd = find_command(commands, guild_id, name)
    if cmd is None and (commands.get(None) or commands.get(guild_id)):
        raise ValueError(f"/{name} is not a synced command here; synced: {_names(commands)}")
    defs = _leaf_definitions(cmd, group, sub)
    by_name = {d["name"]: d for d in defs or []}
    if defs is not None:
        unknown = set(options) - set(by_name)
        if unknown:
            raise ValueError(
                f"/{name} has no option(s) {sorted(unknown)}; it has {sorted(by_name)}"
            )
        missing = [d["name"] for d in defs if d.get("required") and d["name"] not in options]
        if missing and focused is None:
            raise ValueError(f"/{name} requires option(s) {missing}")
    resolved: dict[str, dict[str, Any]] = {}
    leaf: list[dict[str, Any]] = []
    for key, value in options.items():
        kind = by_name[key]["type"] if key in by_name else _infer_type(value)
        option: dict[str, Any] = {"name": key, "type": kind, "value": value}
        if key == focused:
            option["focused"] = True
        else:
            option["value"] = _resolve(value, guild, store, resolved)
        leaf.append(option)
    tree = leaf
    if sub is not None:
        tree = [{"name": sub, "type": SUB_COMMAND, "options": tree}]
    if group is not None:
        tree = [{"name": group, "type": SUB_COMMAND_GROUP, "options": tree}]
    data: dict[str, Any] = {
        "id": cmd["id"] if cmd else str(unsynced_id),
        "name": name,
        "type": 1,
        "options": tree,
    }
    if cmd is not None and "guild_id" in cmd:
        data["guild_id"] = cmd["guild_id"]
    if resolved:
        data["resolved"] = resolved
    return data


def _names(commands: dict[int | None, list[dict[str, Any]]]) -> list[str]:
    return sorted({c["name"] for cmds in commands.values() for c in cmds})


def _resolve(
    value: Any, guild: FakeGuild | None, store: MessageStore, resolved: dict[str, dict[str, Any]]
) -> Any:
    """Return the wire value of an option, adding users, channels and files to `resolved`."""
    if isinstance(value, FakeUser):
        resolved.setdefault("users", {})[str(value.id)] = user_payload(value)
        if guild is not None:
            member = member_payload(value, guild, with_user=False, with_permissions=True)
            resolved.setdefault("members", {})[str(value.id)] = member
        return str(value.id)
    if isinstance(value, FakeChannel):
        resolved.setdefault("channels", {})[str(value.id)] = channel_payload(value, permissions=0)
        return str(value.id)
    if isinstance(value, FakeFile):
        attachment = store.add_file(value)
        resolved.setdefault("attachments", {})[attachment["id"]] = attachment
        return attachment["id"]
    return value


def modal_answer(
    components: list[dict[str, Any]], values: dict[str, str | list[str]]
) -> list[dict[str, Any]]:
    """Return modal-submit components mirroring the modal's layout, filled with `values`."""
    known: set[str] = set()
    answer: list[dict[str, Any]] = []
    for comp in components:
        if comp["type"] == 1:
            row = [_filled(c, values, known) for c in comp.get("components", [])]
            answer.append({"type": 1, "components": row})
        elif comp["type"] == LABEL:
            answer.append({"type": LABEL, "component": _filled(comp["component"], values, known)})
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"the modal has no input(s) {sorted(unknown)}; it has {sorted(known)}")
    return answer


def _filled(
    comp: dict[str, Any], values: dict[str, str | list[str]], known: set[str]
) -> dict[str, Any]:
    custom_id = comp["custom_id"]
    known.add(custom_id)
    value = values.get(custom_id)
    if comp["type"] == TEXT_INPUT:
        if value is None and comp.get("required", True):
            raise ValueError(f"modal input {custom_id!r} is required")
        return {"type": TEXT_INPUT, "custom_id": custom_id, "value": value or ""}
    picked = [value] if isinstance(value, str) else list(value or [])
    return {"type": comp["type"], "custom_id": custom_id, "values": picked}
