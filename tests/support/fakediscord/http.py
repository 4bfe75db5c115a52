"""HTTP front of the fake Discord server: records every request and answers it as Discord would."""

from __future__ import annotations

import copy
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from support.fakediscord.payloads import FakeFile
from support.fakediscord.store import Call, DiscordError

if TYPE_CHECKING:
    from support.fakediscord import FakeDiscord

log = logging.getLogger(__name__)
API_PREFIX = "/api/v10"


@dataclass
class _Failure:
    method: str
    path_re: re.Pattern[str]
    status: int
    code: int
    message: str
    times: int
    when: Callable[[Call], bool] | None = None
    retry_after: float | None = None


class HttpFront:
    """Route requests to the REST handlers (or attachment downloads) and log them as `Call`s."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.log: list[Call] = []
        self.failures: list[_Failure] = []

    def fail_next(
        self,
        method: str,
        path_re: str,
        *,
        status: int,
        code: int,
        message: str,
        times: int,
        when: Callable[[Call], bool] | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Fail the next `times` calls matching `method`, `path_re` (and `when`) with an error."""
        failure = _Failure(
            method, re.compile(path_re), status, code, message, times, when, retry_after
        )
        self.failures.append(failure)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Record, answer and reply to one HTTP request."""
        path = request.path
        is_api = path.startswith(API_PREFIX)
        rel = path[len(API_PREFIX) :] if is_api else path
        call = Call(request.method, rel, dict(request.query), None, time.time())
        self.log.append(call)
        try:
            call.json, call.files = await read_body(request)
            status, payload = await self._answer(request, call, is_api)
        except DiscordError as err:
            status, payload = err.status, {"message": err.message, "code": err.code}
            if err.retry_after is not None:
                return _rate_limited(err.retry_after, call, self.fake)
        except Exception as exc:
            # A 5xx would make discord.py sleep and retry, so internal errors answer 400.
            log.exception("fake Discord failed on %s %s", call.method, call.path)
            self.fake.errors.append(f"fake Discord error on {call.method} {call.path}: {exc!r}")
            status, payload = 400, {"message": f"fake Discord error: {exc!r}", "code": 0}
        # A snapshot: stored messages change in place when they are edited later.
        call.status, call.response = status, copy.deepcopy(payload)
        self.fake.notify()
        if status == 204:
            return web.Response(status=204)
        if isinstance(payload, FakeFile):
            return web.Response(body=payload.data, headers={"Content-Type": payload.content_type})
        # Exactly `application/json`: discord.py does not parse JSON with a charset suffix.
        headers = {"Content-Type": "application/json"}
        return web.Response(status=status, body=json.dumps(payload).encode(), headers=headers)

    async def _answer(self, request: web.Request, call: Call, is_api: bool) -> tuple[int, Any]:
        for failure in self.failures:
            matches = failure.method == call.method and failure.path_re.fullmatch(call.path)
            if matches and (failure.when is None or failure.when(call)):
                failure.times -= 1
                if failure.times <= 0:
                    self.failures.remove(failure)
                call.route = "fail_next"
                error = DiscordError(failure.status, failure.code, failure.message)
                error.retry_after = failure.retry_after
                raise error
        if not is_api:
            m = re.fullmatch(r"/attachments/(\d+)/[^/]+", call.path)
            if call.method == "GET" and m and int(m[1]) in self.fake.store.files:
                call.route = "attachment"
                return 200, self.fake.store.files[int(m[1])]
            raise DiscordError(404, 0, "404: Not Found")
        auth = request.headers.get("Authorization")
        if auth is not None and auth != f"Bot {self.fake.token}":
            raise DiscordError(401, 0, "401: Unauthorized")
        found = self.fake.rest.match(call.method, call.path)
        if found is None:
            raise DiscordError(404, 0, "404: Not Found")
        handler, params = found
        call.route = handler.__name__
        return await handler(call, params)


def _rate_limited(retry_after: float, call: Call, fake: FakeDiscord) -> web.Response:
    """Answer 429 as Discord does: the wait in the JSON body and in the rate-limit headers."""
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
    call.status, call.response = 429, body
    fake.notify()
    headers = {
        "Content-Type": "application/json",
        # discord.py takes a 429 without `Via` for a Cloudflare ban and gives up at once.
        "Via": "1.1 google",
        "Retry-After": str(max(1, round(retry_after))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": "fakediscord",
        "X-RateLimit-Scope": "user",
    }
    return web.Response(status=429, body=json.dumps(body).encode(), headers=headers)


async def read_body(request: web.Request) -> tuple[Any, list[FakeFile]]:
    """Return the JSON body (or multipart payload_json) and the uploaded files."""
    if request.content_type.startswith("multipart/"):
        body: Any = None
        files: list[FakeFile] = []
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, aiohttp.BodyPartReader):
                continue
            if part.name == "payload_json":
                body = json.loads(await part.text())
            elif part.filename is not None:
                ctype = part.headers.get("Content-Type", "application/octet-stream")
                files.append(FakeFile(part.filename, bytes(await part.read()), ctype))
        return body, files
    raw = await request.read()
    return (json.loads(raw) if raw else None), []
