"""Short, stable references to names inside custom ids (which Discord caps at 100 characters)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def digest(*parts: str, size: int = 16) -> str:
    """Return a short, stable hex digest of some text parts."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:size]


def short_ref(value: str | None, limit: int = 20) -> str:
    """Return a value to embed in a custom_id: itself when short and plain, else '#<hash>'."""
    if not value:
        return ""
    if len(value) <= limit and ":" not in value and not value.startswith("#"):
        return value
    return "#" + digest(value, size=10)


def match_ref(token: str, candidates: Iterable[str]) -> str | None:
    """Return the value a `short_ref` token stands for among candidates (None if unknown)."""
    if not token:
        return None
    if not token.startswith("#"):
        return token
    return next((c for c in candidates if short_ref(c) == token), None)
