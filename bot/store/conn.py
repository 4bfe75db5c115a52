"""The connection the repositories speak to, and PostgreSQL behind the same few methods.

Repositories write their SQL once, in the dialect both backends share: `?` (or `?N`) and
`:name` placeholders, `ON CONFLICT` upserts, `RETURNING`, and `json_each(?)` to pass a list.
On SQLite they get an `aiosqlite.Connection`; on PostgreSQL a `PgConn` that rewrites the
placeholders to `$N`, `json_each` to `json_array_elements_text`, and answers `execute`,
`execute_fetchall` and `executemany` as aiosqlite does. The few statements that cannot be
shared (the score fold, the answer insert, migrations) check for a `PgConn` and run their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import asyncpg


#: A result row: read by index (and on both backends by column name too).
Row = Any


class Conn(Protocol):
    """The part of a connection the store uses, whichever the backend."""

    @property
    def in_transaction(self) -> bool: ...

    async def execute(self, sql: str, parameters: Any = ...) -> Any: ...

    async def execute_fetchall(self, sql: str, parameters: Any = ...) -> Iterable[Any]: ...

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> Any: ...

    async def close(self) -> None: ...


def is_postgres_url(target: object) -> bool:
    """Tell whether a database target names a PostgreSQL server (`postgresql://…`)."""
    text = str(target)
    return text.startswith(("postgresql://", "postgres://"))


#: PostgreSQL's "try again" errors: a deadlock victim, a serialization failure.
TRANSIENT_STATES = frozenset({"40P01", "40001"})


def is_transient(exc: BaseException) -> bool:
    """Tell whether a failed statement is worth running again as it was."""
    return getattr(exc, "sqlstate", None) in TRANSIENT_STATES


def describe(target: object) -> str:
    """Name a database for people: a path as given, a server's URL without its password."""
    text = str(target)
    if not is_postgres_url(text):
        return text
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", text)


def database_errors() -> tuple[type[Exception], ...]:
    """Return what a database can raise besides MigrationError, on either backend."""
    import sqlite3

    errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    try:
        import asyncpg
    except ImportError:  # PostgreSQL is optional: then only SQLite is possible
        return errors
    return (*errors, asyncpg.PostgresError, asyncpg.InterfaceError)


class PgCursor:
    """A finished statement's row count, read from PostgreSQL's command tag."""

    __slots__ = ("rowcount",)

    def __init__(self, status: str | None) -> None:
        last = (status or "").rsplit(" ", 1)[-1]
        self.rowcount = int(last) if last.isdigit() else -1


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS = re.compile(r"[0-9]+")


@lru_cache(maxsize=512)
def translate(sql: str) -> tuple[str, tuple[str, ...] | None]:
    """Rewrite one statement for PostgreSQL; return it and its parameter names, in order.

    `?` takes the number after the highest one so far and `?N` is `$N`, as in SQLite; each
    distinct `:name` becomes the next `$N` (the names are returned so a mapping can be laid out
    in order; None when the statement's parameters are positional). Quoted text, quoted names
    and comments are left alone, and so are PostgreSQL's `::` casts.
    """
    out: list[str] = []
    names: list[str] = []
    highest = 0
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            end = i + 1
            while end < n:
                if sql[end] == ch:
                    if end + 1 < n and sql[end + 1] == ch:  # a doubled quote inside
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[i : end + 1])
            i = end + 1
        elif ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end])
            i = end
        elif ch == "?":
            digits = _DIGITS.match(sql, i + 1)
            if digits:
                number = int(digits[0])
                i = digits.end()
            else:
                number = highest + 1
                i += 1
            highest = max(highest, number)
            out.append(f"${number}")
        elif ch == ":" and sql.startswith("::", i):
            out.append("::")
            i += 2
        elif ch == ":" and (word := _WORD.match(sql, i + 1)):
            name = word[0]
            if name not in names:
                names.append(name)
            out.append(f"${names.index(name) + 1}")
            i = word.end()
        else:
            out.append(ch)
            i += 1
    text = "".join(out)
    text = re.sub(r"\bjson_each\(", "json_array_elements_text(", text)
    text = re.sub(r"\bAS REAL\b", "AS DOUBLE PRECISION", text)
    text = re.sub(r"^\s*BEGIN IMMEDIATE\s*$", "BEGIN", text)
    if names and highest:
        raise ValueError("a statement mixes ? and :name placeholders")
    return text, (tuple(names) if names else None)


def arguments(names: tuple[str, ...] | None, parameters: Any) -> Sequence[Any]:
    """Lay a statement's parameters out in `$N` order."""
    if names is None:
        if isinstance(parameters, Mapping):
            raise TypeError("named parameters given to a statement with ? placeholders")
        return tuple(parameters)
    if not isinstance(parameters, Mapping):
        raise TypeError("a statement with :name placeholders needs a mapping")
    return tuple(parameters[name] for name in names)


class PgConn:
    """An asyncpg connection that takes the store's shared SQL (see the module's docstring)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.raw = conn

    @property
    def in_transaction(self) -> bool:
        """Tell whether a transaction is open on this connection."""
        return bool(self.raw.is_in_transaction())

    async def execute(self, sql: str, parameters: Any = ()) -> PgCursor:
        """Run one statement; return its row count."""
        text, names = translate(sql)
        args = arguments(names, parameters)
        status = await self.raw.execute(text, *args)
        return PgCursor(status)

    async def execute_fetchall(self, sql: str, parameters: Any = ()) -> list[Any]:
        """Run one query and return its rows (each readable by index or by column name)."""
        text, names = translate(sql)
        return list(await self.raw.fetch(text, *arguments(names, parameters)))

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> PgCursor:
        """Run one statement for each set of parameters (pipelined, one round trip)."""
        text, names = translate(sql)
        await self.raw.executemany(text, [arguments(names, p) for p in parameters])
        return PgCursor(None)

    async def close(self) -> None:
        """Close the connection."""
        await self.raw.close()
