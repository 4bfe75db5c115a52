"""Guild question banks: validate an uploaded facts or bank YAML, generate, store and load them.

An upload is untrusted text. It is size-limited, must be UTF-8, goes through the same validator
as `quizbot check` (the safe loader refuses YAML tags), and a facts file is turned into a bank
from its reviewed facts only. The store keeps the bank YAML; banks are rebuilt from it at start.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from bot.core.bank import read_bank, read_facts
from bot.core.generate import bank_to_yaml, generate
from bot.core.models import Bank, Problem
from bot.store.records import GuildBankRow

if TYPE_CHECKING:
    from bot.services.catalog import Catalog
    from bot.store import Store

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 256 * 1024
#: The most YAML a bank generated from an upload may be (what the store keeps and re-reads).
MAX_GENERATED_BYTES = 2 * 1024 * 1024
# Bounds what one guild makes the bot hold in memory; also one autocomplete list (25).
MAX_GUILD_BANKS = 25
#: Distinct stored bank texts whose parsed bank is kept for sharing, at most.
SHARED_BANKS = 512
DEFAULT_UPLOAD_NAME = "upload.yaml"
_NAME_LEN = 64
_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


class UploadKind(StrEnum):
    """What an uploaded file holds."""

    FACTS = "facts"
    BANK = "bank"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A validated upload ready to store: its bank, the YAML to keep, and what was left out."""

    bank: Bank
    yaml_text: str
    kind: UploadKind
    facts: int = 0
    drafts_skipped: int = 0
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Refused:
    """Why an upload was not imported: one sentence, plus the located problems if any.

    `reason` is Markdown built only from validated slugs and `upload_name` file names, so it
    is shown as is; problems quote the upload's text and are shown in a code block.
    """

    reason: str
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Imported:
    """An upload that was validated and stored for a guild."""

    prepared: Prepared
    row: GuildBankRow


@dataclass(frozen=True, slots=True)
class BankInfo:
    """One bank as `/quiz banks` lists it; `bank` is None for a stored bank that failed to load."""

    slug: str
    title: str
    imported: bool
    bank: Bank | None = None
    added_by: int | None = None
    added_at: datetime | None = None
    topics: tuple[str, ...] = field(default=())

    @property
    def questions(self) -> int:
        """Return how many questions the bank has (0 when it did not load)."""
        return len(self.bank.questions) if self.bank is not None else 0


# -- pure steps ---------------------------------------------------------------------------
def upload_name(filename: str | None) -> str:
    """Return a short, harmless file name to locate problems with (`upload.yaml` by default)."""
    raw = (filename or "").strip()
    base = PureWindowsPath(PurePosixPath(raw).name).name
    safe = _UNSAFE_NAME_CHARS.sub("_", base).strip("._")
    return _cut(safe, _NAME_LEN) if safe else DEFAULT_UPLOAD_NAME


def size_refusal(size: int) -> Refused | None:
    """Return a refusal when a file is larger than an import may be (checked before download)."""
    if size > MAX_UPLOAD_BYTES:
        return Refused(
            f"The file is too large ({_kib(size)}); an imported bank may be at most "
            f"{_kib(MAX_UPLOAD_BYTES)}."
        )
    if size <= 0:
        return Refused("The file is empty.")
    return None


def oversize_refusal() -> Refused:
    """Return the refusal of a file found larger than the limit while downloading it."""
    return Refused(
        f"The file is larger than an imported bank may be ({_kib(MAX_UPLOAD_BYTES)} at most)."
    )


def decode(data: bytes, name: str) -> str | Refused:
    """Return the upload as text, or a located refusal when it is not UTF-8."""
    try:
        # utf-8-sig: a byte-order mark written by some editors is not part of the YAML.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problem = Problem(name, line, "file", f"not UTF-8 text (byte {exc.start + 1})")
        return Refused("The file is not UTF-8 text: save it as UTF-8 and try again.", (problem,))


def looks_like_facts(text: str) -> bool:
    """Return whether a document is a facts file (top-level `facts:`), as `quizbot check` does."""
    return any(line.startswith("facts:") for line in text.splitlines())


def prepare(data: bytes, filename: str | None) -> Prepared | Refused:
    """Validate an uploaded file and build the bank it defines; never raise on bad input."""
    name = upload_name(filename)
    if (too_big := size_refusal(len(data))) is not None:
        return too_big
    text = decode(data, name)
    if isinstance(text, Refused):
        return text
    if looks_like_facts(text):
        return _prepare_facts(text, name)
    return _prepare_bank(text, name)


def _prepare_facts(text: str, name: str) -> Prepared | Refused:
    factset, problems = read_facts(text, name)
    if factset is None:
        return Refused(f"`{name}` has problems; nothing was imported.", _errors(problems))
    reviewed = [f for f in factset.facts if f.reviewed]
    if not reviewed:
        return Refused(
            f"None of the {len(factset.facts)} facts in `{name}` is reviewed. Check each fact, "
            "set `reviewed: true` on it, and upload the file again."
        )
    bank_name = f"{name} (generated bank)"
    bank_yaml = bank_to_yaml(generate(factset), text)
    if len(bank_yaml.encode()) > MAX_GENERATED_BYTES:
        return Refused(
            f"The bank made from `{name}` would be {_kib(len(bank_yaml.encode()))}, more than "
            f"an imported bank may be ({_kib(MAX_GENERATED_BYTES)}): split the facts into "
            "smaller files."
        )
    bank, bank_problems = read_bank(bank_yaml, bank_name)
    if bank is None:
        return Refused(
            f"The facts in `{name}` are valid, but the bank made from them is not.",
            _errors(bank_problems),
        )
    return Prepared(
        bank=bank,
        yaml_text=bank_yaml,
        kind=UploadKind.FACTS,
        facts=len(reviewed),
        drafts_skipped=len(factset.facts) - len(reviewed),
        warnings=tuple(p for p in (*problems, *bank_problems) if p.warning),
    )


def _prepare_bank(text: str, name: str) -> Prepared | Refused:
    bank, problems = read_bank(text, name)
    if bank is None:
        return Refused(f"`{name}` has problems; nothing was imported.", _errors(problems))
    warnings = tuple(p for p in problems if p.warning)
    return Prepared(bank=bank, yaml_text=text, kind=UploadKind.BANK, warnings=warnings)


def _errors(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(p for p in problems if not p.warning)


def slug_refusal(
    slug: str, global_slugs: Iterable[str], guild_slugs: Iterable[str]
) -> Refused | None:
    """Return a refusal when a slug is taken by a global bank or another of the guild's banks."""
    if slug in set(global_slugs):
        return Refused(
            f"`{slug}` is the name of a built-in bank. Change `bank:` in the file to another "
            "lowercase-and-dashes name and upload it again."
        )
    if slug in set(guild_slugs):
        return Refused(
            f"This server already has a bank named `{slug}`. Remove it first with "
            f"`/quiz banks remove:{slug}`, or change `bank:` in the file and upload it again."
        )
    return None


def parse_stored(row: GuildBankRow) -> Bank | None:
    """Rebuild a stored guild bank; log and return None when it no longer validates."""
    bank, problem = parse_stored_text(row)
    if problem is not None:
        log.error("%s", problem)
    return bank


def bank_infos(
    global_banks: Mapping[str, Bank],
    rows: Iterable[GuildBankRow],
    loaded: Mapping[str, Bank],
) -> list[BankInfo]:
    """Return the banks a guild sees: built-in ones first, then its imports, each by title."""
    built_in = [
        BankInfo(b.slug, b.title, imported=False, bank=b, topics=tuple(b.topics))
        for b in sorted(global_banks.values(), key=lambda b: (b.title.casefold(), b.slug))
    ]
    imported = []
    for row in sorted(rows, key=lambda r: (r.title.casefold(), r.slug)):
        bank = loaded.get(row.slug)
        imported.append(
            BankInfo(
                row.slug,
                row.title,
                imported=True,
                bank=bank,
                added_by=row.added_by,
                added_at=row.added_at,
                topics=tuple(bank.topics) if bank is not None else (),
            )
        )
    return built_in + imported


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kib(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


# -- store-backed steps -------------------------------------------------------------------
async def import_upload(
    store: Store,
    guild_id: int,
    data: bytes,
    filename: str | None,
    *,
    added_by: int,
    global_slugs: Iterable[str],
    cpu: asyncio.Semaphore | None = None,
) -> Imported | Refused:
    """Validate an upload and store its bank for one guild; store nothing when refused.

    Callers serialise imports per guild (the store replaces a bank of the same name, so the
    name check and the save must not interleave with another import).
    """
    # Parsing and generating a large file takes CPU time; keep the event loop free meanwhile,
    # and (with `cpu`) let only so many uploads be worked on at once, whatever the servers.
    if cpu is None:
        prepared = await asyncio.to_thread(prepare, data, filename)
    else:
        async with cpu:
            prepared = await asyncio.to_thread(prepare, data, filename)
    if isinstance(prepared, Refused):
        return prepared
    rows = await store.guilds.banks(guild_id)
    slug = prepared.bank.slug
    if (clash := slug_refusal(slug, global_slugs, (r.slug for r in rows))) is not None:
        return clash
    if len(rows) >= MAX_GUILD_BANKS:
        return Refused(
            f"This server already has {len(rows)} imported banks, the most it may keep. "
            "Remove one with `/quiz banks remove:` first."
        )
    await store.guilds.save_bank(guild_id, slug, prepared.bank.title, prepared.yaml_text, added_by)
    saved = next((r for r in await store.guilds.banks(guild_id) if r.slug == slug), None)
    if saved is None or saved.yaml_text != prepared.yaml_text:
        # Another writer (e.g. a second bot process) stored this name in between.
        return Refused(f"Another import of `{slug}` finished at the same time; try again.")
    return Imported(prepared, saved)


class SharedBanks:
    """Parsed stored banks by the hash of their YAML, so identical imports share one Bank.

    Many servers import the same file: each distinct text is parsed once and held once. At
    most `limit` texts are remembered (the least recently used go first); a bank a server
    still plays stays in memory through that server, whatever this forgets. Thread-safe: the
    parsing runs in worker threads.
    """

    def __init__(self, limit: int = SHARED_BANKS) -> None:
        self.limit = limit
        self._banks: OrderedDict[bytes, Bank | None] = OrderedDict()
        self._guard = threading.Lock()
        self.parsed = 0

    def __len__(self) -> int:
        return len(self._banks)

    def _lookup(self, row: GuildBankRow) -> tuple[bytes, bool, Bank | None]:
        """Return the text's key, whether it was parsed before, and the bank it gave."""
        key = hashlib.sha256(row.yaml_text.encode()).digest()
        with self._guard:
            if key not in self._banks:
                return key, False, None
            self._banks.move_to_end(key)
            return key, True, self._banks[key]

    def known(self, row: GuildBankRow) -> Bank | None:
        """Return the bank of an identical text parsed before (None: not known, or broken)."""
        _, _, bank = self._lookup(row)
        return bank if bank is not None and bank.slug == row.slug else None

    def remember(self, row: GuildBankRow, bank: Bank | None) -> None:
        """Keep a bank parsed elsewhere (a worker process) for the identical texts to come."""
        self._keep(hashlib.sha256(row.yaml_text.encode()).digest(), bank)

    def _keep(self, key: bytes, bank: Bank | None) -> None:
        with self._guard:
            self.parsed += 1
            self._banks[key] = bank
            while len(self._banks) > self.limit:
                self._banks.popitem(last=False)

    def get(self, row: GuildBankRow) -> Bank | None:
        """Return the row's bank, parsed only if no identical text was parsed before."""
        key, seen, bank = self._lookup(row)
        if seen:
            return bank if bank is None or bank.slug == row.slug else parse_stored(row)
        bank = parse_stored(row)
        self._keep(key, bank)
        return bank


async def load_guild_banks(
    store: Store,
    guild_id: int,
    global_slugs: Iterable[str],
    shared: SharedBanks | None = None,
    pool: Callable[[], Executor] | None = None,
) -> dict[str, Bank]:
    """Return a guild's stored banks that still validate and do not shadow a built-in bank.

    Parsed in a worker thread, or with `pool` (called for the executor only when something is
    to be parsed) in worker processes: parsing a large YAML text
    holds the interpreter lock for long stretches (the C parser does not let go of it), and in
    a process of its own neither that nor the parser's garbage stays with the bot.
    """
    rows = await store.guilds.banks(guild_id)
    taken = set(global_slugs)
    if pool is None:
        # Up to MAX_GUILD_BANKS large YAML texts: parse them off the event loop.
        return await asyncio.to_thread(_parse_stored_rows, rows, taken, shared)
    loop = asyncio.get_running_loop()
    banks: dict[str, Bank] = {}
    for row in rows:
        if _shadows(row, taken):
            continue
        bank = shared.known(row) if shared is not None else None
        if bank is None:
            bank, problem = await loop.run_in_executor(pool(), parse_stored_text, row)
            if problem is not None:
                log.error("%s", problem)
            if shared is not None:
                shared.remember(row, bank)
        if bank is not None:
            banks[row.slug] = bank
    return banks


def parse_stored_text(row: GuildBankRow) -> tuple[Bank | None, str | None]:
    """Rebuild a stored bank (in a worker process); return it, or None and why."""
    name = f"guild {row.guild_id} bank {row.slug}"
    try:
        bank, problems = read_bank(row.yaml_text, name)
    except Exception as exc:
        return None, f"skipping stored {name}: it could not be read: {exc!r}"
    if bank is None:
        shown = "; ".join(str(p) for p in _errors(problems)[:5])
        return None, f"skipping stored {name}: it no longer validates: {shown}"
    if bank.slug != row.slug:
        return None, f"skipping stored {name}: its YAML names bank {bank.slug!r}"
    return bank, None


def _shadows(row: GuildBankRow, taken: set[str]) -> bool:
    """Tell (and log) whether a stored bank has the slug of a built-in one, so is skipped."""
    if row.slug not in taken:
        return False
    log.error("skipping stored bank %s of guild %s: a built-in bank has that slug",
              row.slug, row.guild_id)  # fmt: skip
    return True


def _parse_stored_rows(
    rows: Iterable[GuildBankRow], taken: set[str], shared: SharedBanks | None = None
) -> dict[str, Bank]:
    banks: dict[str, Bank] = {}
    for row in rows:
        if _shadows(row, taken):
            continue
        bank = parse_stored(row) if shared is None else shared.get(row)
        if bank is not None:
            banks[row.slug] = bank
    return banks


class Importer:
    """A guild's imports and removals, one at a time per guild, kept in step with the catalog.

    One at a time per guild, so a bank's name is checked and taken at once.
    """

    def __init__(self, store: Store, catalog: Catalog) -> None:
        self.store = store
        self.catalog = catalog
        self._locks: dict[int, asyncio.Lock] = {}
        #: One upload worked on at a time across every server, so imports cannot tie up the CPUs.
        self.cpu = asyncio.Semaphore(1)

    def _lock(self, guild_id: int) -> asyncio.Lock:
        return self._locks.setdefault(guild_id, asyncio.Lock())

    async def import_file(
        self, guild_id: int, data: bytes, filename: str | None, *, added_by: int
    ) -> Imported | Refused:
        """Validate an upload, store its bank for the guild and make it playable there."""
        async with self._lock(guild_id):
            result = await import_upload(
                self.store, guild_id, data, filename, added_by=added_by,
                global_slugs=self.catalog.banks, cpu=self.cpu,
            )  # fmt: skip
            if isinstance(result, Imported):
                self.catalog.add(guild_id, result.prepared.bank)
        if isinstance(result, Imported):
            log.info(
                "guild %s imported bank %s (%d questions) from %s", guild_id, result.row.slug,
                len(result.prepared.bank.questions), result.prepared.kind,
            )  # fmt: skip
        return result

    async def remove(self, guild_id: int, slug: str) -> bool:
        """Delete a guild's imported bank from the store and the catalog; return if it existed."""
        async with self._lock(guild_id):
            removed = await self.store.guilds.delete_bank(guild_id, slug)
            self.catalog.remove(guild_id, slug)
        log.info("guild %s removed imported bank %s", guild_id, slug)
        return removed

    async def infos(self, guild_id: int) -> list[BankInfo]:
        """Return the banks a guild sees: built-in ones first, then its imports."""
        rows = await self.store.guilds.banks(guild_id)
        return bank_infos(self.catalog.banks, rows, self.catalog.banks_for(guild_id))
