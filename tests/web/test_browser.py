"""The leaderboard page in a real headless Chromium, as a person would open it.

Debian's `chromium` is driven by Playwright with that executable (no browser is downloaded).
Without Chromium or Playwright the test skips and says why; in CI (`CI=true`) that is a failure,
since `.ci/run` installs both.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from support.fakediscord import MANAGE_GUILD, FakeDiscord
from support.learnkit import Played, command, description, seed_game
from support.pictures import decode, require, save_screenshot
from support.quizharness import quiz_bot
from support.webkit import fill, shipped_banks

from bot.store import Leaderboard, Store
from bot.web import create_app, page_path

CHROMIUM = Path("/usr/bin/chromium")
HAVE_CHROMIUM = CHROMIUM.is_file()
HAVE_PLAYWRIGHT = importlib.util.find_spec("playwright") is not None
# As root and on a closed network: no sandbox, and none of Chromium's background requests.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GUILD = 42
PLAYERS = 37
ROWS_JS = (
    """rows => rows.map(row => [...row.cells].slice(0, 3).map(cell => cell.innerText.trim()))"""
)


def _shown(board: Leaderboard) -> list[list[str]]:
    """Return rank, name and points of each row, as the page should show them."""
    return [[str(r.rank), r.name, f"{r.points:,}"] for r in board.rows]


@pytest.fixture
async def base_url(store: Store) -> AsyncIterator[str]:
    """Serve the page on a free loopback port for the browser."""
    runner = web.AppRunner(create_app(store, shipped_banks()))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """Start Debian's Chromium through Playwright, or skip (fail in CI) saying what is missing."""
    require(
        HAVE_CHROMIUM,
        f"browser test skipped: no Chromium at {CHROMIUM} (apt-get install chromium)",
    )
    require(
        HAVE_PLAYWRIGHT,
        "browser test skipped: Playwright is not installed (pip install -e '.[test]')",
    )
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield chromium
        finally:
            await chromium.close()


async def test_chromium_shows_the_same_top_ten_as_the_store(
    store: Store, base_url: str, browser: Any, tmp_path: Path
) -> None:
    await fill(store, GUILD, PLAYERS)
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    await page.goto(base_url + page_path(GUILD))

    every = await store.boards.leaderboard(GUILD, period="all", limit=10)
    week = await store.boards.leaderboard(GUILD, period="week", limit=10)
    shown_all = await page.eval_on_selector_all('section[data-period="all"] tbody tr', ROWS_JS)
    shown_week = await page.eval_on_selector_all('section[data-period="week"] tbody tr', ROWS_JS)
    assert shown_all == _shown(every)
    assert shown_week == _shown(week)
    assert len(shown_all) == 10
    # Every name is really on screen, and the style sheet loaded under the page's CSP.
    for cell in await page.locator('section[data-period="all"] td.name').all():
        assert await cell.is_visible()
    colour = await page.evaluate("getComputedStyle(document.body).color")
    assert colour == "rgb(242, 243, 245)"
    assert errors == []

    shot = tmp_path / "leaderboard-page.png"
    await page.screenshot(path=str(shot), full_page=True)
    assert decode(shot.read_bytes()).width == 1280

    # A person pages on: the next ten, as the store ranks them.
    await page.locator('section[data-period="all"] a[rel="next"]').click()
    await page.wait_for_url("**/g/42?page=2")
    second = await store.boards.leaderboard(GUILD, period="all", limit=10, offset=10)
    assert await page.eval_on_selector_all('section[data-period="all"] tbody tr', ROWS_JS) == (
        _shown(second)
    )


async def test_on_a_phone_the_page_fits_the_screen(
    store: Store, base_url: str, browser: Any
) -> None:
    await fill(store, GUILD, PLAYERS)
    page = await browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    await page.goto(base_url + page_path(GUILD) + "?topic=energy")
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, "nothing scrolls sideways on a phone"
    # The less important columns give way; rank, name, points and accuracy stay.
    assert not await page.locator("th.wide").first.is_visible()
    assert await page.locator('section[data-period="all"] td.points').first.is_visible()


async def test_the_readme_screenshot_of_the_page(store: Store, base_url: str, browser: Any) -> None:
    await fill(store, 43, 23, tricky=False)
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    await page.goto(base_url + page_path(43))
    every = await store.boards.leaderboard(43, period="all", limit=10)
    shown = await page.eval_on_selector_all('section[data-period="all"] tbody tr', ROWS_JS)
    assert shown == _shown(every)
    png = await page.screenshot(full_page=True)
    assert decode(png).width == 1280
    save_screenshot("web-page.png", png)


async def test_the_link_from_discord_opens_the_same_top_ten_as_leaderboard(
    fake_discord: FakeDiscord, browser: Any, tmp_path: Path
) -> None:
    # One database behind the bot and the page; a manager turns the page on in Discord, and
    # the browser shows what /leaderboard shows.
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    players = [fake.add_user(f"Ђорђе {i:02d}") for i in range(13)]
    runner: web.AppRunner | None = None
    site_url = "http://127.0.0.1"
    async with quiz_bot(fake, tmp_path) as bot:
        runner = web.AppRunner(create_app(bot.store, bot.catalog))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        site_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        bot.web_url = site_url
        try:
            await seed_game(
                bot, fake.guild.id, [Played(p, True, 900 - 40 * i) for i, p in enumerate(players)]
            )
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            off = await page.goto(site_url + page_path(fake.guild.id))
            assert off is not None and off.status == 404  # off until a manager turns it on

            settings = await command(fake, admin, "quiz settings", {"web_page": True})
            fields = {f["name"]: f["value"] for f in settings.embeds[0]["fields"]}
            link = fields["Leaderboard web page"].removeprefix("On: ")
            assert link == site_url + page_path(fake.guild.id)

            board = await command(fake, admin, "leaderboard")
            lines = [ln for ln in description(board).splitlines() if " pts " in ln][:10]
            in_discord = [(ln.split("**")[1], ln.split(" — ")[1].split(" pts")[0]) for ln in lines]

            await page.goto(link)
            rows = await page.eval_on_selector_all('section[data-period="all"] tbody tr', ROWS_JS)
            on_the_web = [(name, points) for _, name, points in rows]
            assert len(on_the_web) == 10
            assert on_the_web == in_discord
        finally:
            await runner.cleanup()
