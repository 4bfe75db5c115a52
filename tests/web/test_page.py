"""The leaderboard page over HTTP: boards equal the store's, escaped names, no ids, 404s, pages."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Mapping

import pytest
from aiohttp.test_utils import TestClient, TestServer
from support.webkit import TRICKY_NAMES, fill, read_boards, shipped_banks, user_id

from bot.core.models import Bank
from bot.store import GuildSettings, LeaderRow, Store
from bot.web import create_app, page_path

GUILD = 42
PLAYERS = 37


@pytest.fixture
async def client(store: Store) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(store, shipped_banks()))) as c:
        yield c


async def _page(client: TestClient, path: str, status: int = 200) -> str:
    response = await client.get(path)
    html = await response.text()
    assert response.status == status, html
    return html


def _expected(rows: list[LeaderRow]) -> list[list[str]]:
    """Return board rows as the page should show them: rank, name, points, accuracy, …"""
    return [
        [
            str(r.rank),
            r.name,
            f"{r.points:,}",
            f"{r.accuracy:.0%}",
            str(r.games),
            str(r.best_streak),
        ]
        for r in rows
    ]


async def test_the_page_shows_page_one_of_each_board_as_the_store_ranks_it(
    client: TestClient, store: Store
) -> None:
    await fill(store, GUILD, PLAYERS)
    boards = read_boards(await _page(client, page_path(GUILD))).boards
    every = await store.boards.leaderboard(GUILD, period="all", limit=10)
    week = await store.boards.leaderboard(GUILD, period="week", limit=10)
    assert len(every.rows) == len(week.rows) == 10
    assert boards["all"] == _expected(every.rows)
    assert boards["week"] == _expected(week.rows)
    assert boards["all"] != boards["week"], "the fixture makes the two boards differ"


async def test_names_are_escaped_and_user_ids_never_appear(
    client: TestClient, store: Store
) -> None:
    await fill(store, GUILD, PLAYERS)
    names = {
        row[1]
        for page in range(1, 5)
        for row in read_boards(await _page(client, f"/g/{GUILD}?page={page}")).boards["all"]
    }
    assert set(TRICKY_NAMES) <= names, "every name reads back exactly, markup and all"
    pages = [await _page(client, f"/g/{GUILD}?page={p}&week_page={p}") for p in range(1, 5)]
    assert any("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html for html in pages)
    assert any("Ana &amp; &lt;b&gt;Marija&lt;/b&gt;" in html for html in pages)
    for html in pages:
        assert "<script" not in html and "<b>" not in html
        assert not any(str(user_id(i)) in html for i in range(PLAYERS))


async def test_a_player_without_a_name_is_unnamed_not_an_id(
    client: TestClient, store: Store
) -> None:
    await fill(store, GUILD, 3)
    raw = sqlite3.connect(store.path)
    raw.execute("DELETE FROM players WHERE user_id = ?", (user_id(0),))
    raw.commit()
    raw.close()
    html = await _page(client, f"/g/{GUILD}")
    assert str(user_id(0)) not in html
    names = [row[1] for row in read_boards(html).boards["all"]]
    assert "Unnamed player" in names


async def test_boards_page_on_their_own_and_links_keep_the_other_page(
    client: TestClient, store: Store
) -> None:
    await fill(store, GUILD, PLAYERS)
    html = await _page(client, f"/g/{GUILD}?page=2")
    boards = read_boards(html)
    second = await store.boards.leaderboard(GUILD, limit=10, offset=10)
    assert boards.boards["all"] == _expected(second.rows)
    assert [row[0] for row in boards.boards["week"]][:1] == ["1"]
    assert f"/g/{GUILD}?page=3" in boards.links  # next
    assert f"/g/{GUILD}" in boards.links  # previous: page 1 needs no parameter
    assert f"/g/{GUILD}?page=2&week_page=2" in boards.links  # the weekly board's next
    last = read_boards(await _page(client, f"/g/{GUILD}?page=4")).boards["all"]
    assert len(last) == PLAYERS - 30
    # A page past the end (a stale link) shows the last page rather than nothing.
    assert read_boards(await _page(client, f"/g/{GUILD}?page=99")).boards["all"] == last


async def test_a_topic_shows_that_topics_boards(client: TestClient, store: Store) -> None:
    await fill(store, GUILD, PLAYERS)
    html = await _page(client, f"/g/{GUILD}?topic=energy")
    energy = await store.boards.leaderboard(GUILD, topic="energy", limit=10)
    assert read_boards(html).boards["all"] == _expected(energy.rows)
    assert "Energy</a>" in html and 'aria-current="page"' in html
    chips = [
        link for link in read_boards(html).links if re.fullmatch(r"/g/\d+\?topic=[\w-]+", link)
    ]
    assert sorted(chips) == sorted(
        f"/g/{GUILD}?topic={t}" for t in ("diplomacy", "economy-travel", "energy")
    )
    # A topic of the bank that nobody scored in yet: empty boards, said plainly.
    quiet = await _page(client, f"/g/{GUILD}?topic=geopolitics")
    assert read_boards(quiet).boards == {"all": [], "week": []}
    assert "No scores yet." in quiet
    await _page(client, f"/g/{GUILD}?topic=no-such-topic", 404)


async def test_servers_without_the_page_get_the_same_404_as_unknown_ones(
    client: TestClient, store: Store
) -> None:
    await fill(store, GUILD, 5)
    await fill(store, 7, 5, web_page=False)
    unknown = await _page(client, "/g/999", 404)
    assert await _page(client, "/g/7", 404) == unknown
    assert "Marko" not in unknown
    await store.guilds.save_settings(GuildSettings(GUILD, web_page=False))
    assert await _page(client, f"/g/{GUILD}", 404) == unknown
    for path in ("/", "/g/", "/g/abc", "/g/99999999999999999999", "/g/42/x", "/static/nope.css"):
        html = await _page(client, path, 404)
        assert "Traceback" not in html
        assert "There is no leaderboard page here." in html


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page=-1", "page=1e3", "week_page=100001"])
async def test_a_bad_page_number_gets_a_clear_400(
    client: TestClient, store: Store, query: str
) -> None:
    await fill(store, GUILD, 3)
    html = await _page(client, f"/g/{GUILD}?{query}", 400)
    name = query.split("=", 1)[0]
    assert f"?{name}= must be a whole number from 1 to 100,000." in html


async def test_responses_carry_type_security_and_cache_headers(
    client: TestClient, store: Store
) -> None:
    await fill(store, GUILD, 3)
    for path, status in ((f"/g/{GUILD}", 200), ("/g/1", 404)):
        response = await client.get(path)
        assert response.status == status
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    css = await client.get("/static/style.css")
    assert css.status == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert "--gold" in await css.text()
    icon = await client.get("/static/icon.svg")
    assert icon.status == 200
    assert icon.headers["Content-Type"].startswith("image/svg+xml")


class BrokenBanks:
    """A bank source that fails, as a corrupt import might."""

    async def ready(self, guild_id: int | None) -> Mapping[str, Bank]:
        raise RuntimeError("secret detail of the failure")


async def test_a_failure_is_a_plain_500_page_without_details(store: Store) -> None:
    await fill(store, GUILD, 3)
    async with TestClient(TestServer(create_app(store, BrokenBanks()))) as client:
        html = await _page(client, f"/g/{GUILD}", 500)
    assert "Please try again in a moment." in html
    assert "secret detail" not in html and "Traceback" not in html


async def test_the_heading_names_the_server_when_the_caller_knows_it(store: Store) -> None:
    await fill(store, GUILD, 3)
    app = create_app(store, shipped_banks(), guild_name={GUILD: "Kafana <Quiz>"}.get)
    async with TestClient(TestServer(app)) as client:
        html = await _page(client, f"/g/{GUILD}")
    assert "<h1>Kafana &lt;Quiz&gt;</h1>" in html
