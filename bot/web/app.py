"""The leaderboard web page: one page per server that turned it on, served with aiohttp.

`GET /g/{guild_id}` shows the all-time and weekly boards side by side, for every topic or one
(`?topic=`), each paged on its own (`?page=`, `?week_page=`). A server that never turned the
page on, or that does not exist, gets the same 404, so the page reveals nothing about either.
Players appear by display name only: no user id is in the HTML or in any link.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Protocol

import jinja2
from aiohttp import web

from bot.core.models import Bank
from bot.store import Store
from bot.web import boards

log = logging.getLogger(__name__)

CSS = "/static/style.css"
ICON = "/static/icon.svg"
#: The only files served as they are, with their types: the page needs nothing else.
STATIC_FILES = {"style.css": "text/css", "icon.svg": "image/svg+xml"}
MAX_GUILD_ID = 2**63 - 1
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The page loads nothing but its own style sheet: no scripts, no frames, no foreign requests.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BankSource(Protocol):
    """Where the page reads bank and topic names (the bot's `Catalog` is one)."""

    async def ready(self, guild_id: int | None) -> Mapping[str, Bank]:
        """Return the banks a guild can play, its own imports included."""
        ...


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bot.web", "templates"),
        autoescape=True,  # every name on the page is untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def _page_number(request: web.Request, name: str) -> int:
    """Return a page number from the query (default 1); refuse anything else with a 400."""
    raw = request.query.get(name, "1").strip()
    if not raw.isdecimal() or not 1 <= int(raw) <= boards.MAX_PAGE:
        raise web.HTTPBadRequest(
            text=f"?{name}= must be a whole number from 1 to {boards.MAX_PAGE:,}."
        )
    return int(raw)


class Site:
    """The handlers, with the store, the bank names and the templates they share."""

    def __init__(
        self,
        store: Store,
        banks: BankSource,
        guild_name: Callable[[int], str | None] | None = None,
    ) -> None:
        self.store = store
        self.banks = banks
        self.guild_name = guild_name
        self.templates = _environment()
        folder = Path(__file__).with_name("static")
        self.static = {name: (folder / name).read_bytes() for name in STATIC_FILES}

    def render(self, template: str, http_status: int = 200, **context: object) -> web.Response:
        """Return a rendered template as an HTML response."""
        html = self.templates.get_template(template).render(css=CSS, icon=ICON, **context)
        return web.Response(
            text=html, status=http_status, content_type="text/html", charset="utf-8"
        )

    async def static_file(self, request: web.Request) -> web.Response:
        """Serve the style sheet or the icon (read once, at start-up)."""
        name = request.match_info["name"]
        if name not in self.static:
            raise web.HTTPNotFound()
        response = web.Response(
            body=self.static[name], content_type=STATIC_FILES[name], charset="utf-8"
        )
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    async def guild_page(self, request: web.Request) -> web.Response:
        """Show a server's boards, or 404 when it has no page."""
        guild_id = int(request.match_info["guild_id"])
        if guild_id > MAX_GUILD_ID or not (await self.store.guilds.settings(guild_id)).web_page:
            raise web.HTTPNotFound()
        page = _page_number(request, "page")
        week_page = _page_number(request, "week_page")
        banks = await self.banks.ready(guild_id)
        topics = await boards.topics(self.store, guild_id, banks)
        topic = request.query.get("topic", "").strip() or None
        scored = {t.slug for t in topics}
        if topic is not None and topic not in scored and not boards.known_topic(banks, topic):
            raise web.HTTPNotFound(text="This server has no such topic.")
        all_time = await boards.board(self.store, guild_id, "all", topic, page)
        weekly = await boards.board(self.store, guild_id, "week", topic, week_page)

        def link(**changes: str | int | None) -> str:
            query: dict[str, str | int | None] = {
                "topic": topic,
                "page": all_time.page,
                "week_page": weekly.page,
                **changes,
            }
            kept = {k: str(v) for k, v in query.items() if v not in (None, "", 1)}
            url = request.app.router["guild"].url_for(guild_id=str(guild_id))
            return str(url.with_query(kept))

        chips = [
            {"label": name, "url": link(topic=slug, page=1, week_page=1), "current": slug == topic}
            for slug, name in [(None, "All topics"), *((t.slug, t.name) for t in topics)]
        ]
        dates = boards.week_dates(weekly.label)
        week_detail = f"{_day(dates[0])} – {_day(dates[1])} (UTC)" if dates else weekly.label
        title = (self.guild_name(guild_id) if self.guild_name else None) or "Leaderboard"
        sections = [
            self._section(all_time, "All time", "Every game so far", "page", link),
            self._section(weekly, "This week", week_detail, "week_page", link),
        ]
        response = self.render(
            "page.html",
            title=title,
            topic_name=boards.topic_name(banks, topic) if topic else None,
            chips=chips,
            boards=sections,
        )
        # Boards change as games end: let browsers and proxies keep a page for a short while.
        response.headers["Cache-Control"] = "public, max-age=30"
        return response

    @staticmethod
    def _section(
        view: boards.BoardView,
        heading: str,
        detail: str,
        param: str,
        link: Callable[..., str],
    ) -> dict[str, object]:
        players = f"{view.players:,} player{'' if view.players == 1 else 's'}"
        return {
            "period": view.period,
            "heading": heading,
            "detail": detail,
            "players": players,
            "lines": view.lines,
            "page": view.page,
            "pages": view.pages,
            "prev": link(**{param: view.page - 1}) if view.page > 1 else None,
            "next": link(**{param: view.page + 1}) if view.page < view.pages else None,
            "empty": "No scores yet." if view.period == "all" else "No scores this week yet.",
        }

    @web.middleware
    async def errors(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer every failure with a short page of our own: never a traceback."""
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            response = self._error(exc.status, exc.reason, exc.text)
        except Exception:
            log.exception("the web page failed on %s", request.path)
            response = self._error(500, "Something went wrong", "Please try again in a moment.")
        response.headers.update(SECURITY_HEADERS)
        return response

    def _error(self, status: int, reason: str, text: str | None) -> web.Response:
        message = text if text and not text.startswith(f"{status}:") else None
        defaults = {404: "There is no leaderboard page here.", 400: "That address is not valid."}
        return self.render(
            "error.html",
            http_status=status,
            status=status,
            title=reason,
            message=message or defaults.get(status, reason),
        )


def create_app(
    store: Store,
    banks: BankSource,
    *,
    guild_name: Callable[[int], str | None] | None = None,
) -> web.Application:
    """Return the web app for an open store; `banks` names the topics of each server.

    `guild_name` (optional) gives a server's name for the page's heading, when the caller
    knows it (the running bot does; `quizbot web` alone does not).
    """
    site = Site(store, banks, guild_name)
    app = web.Application(middlewares=[site.errors])
    app.router.add_get(r"/g/{guild_id:\d{1,20}}", site.guild_page, name="guild")
    app.router.add_get("/static/{name}", site.static_file)
    return app
