"""Skips that say what is missing, and turn into failures in CI, whose script installs it all."""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    """Tell whether the tests run in CI."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require(available: bool, reason: str) -> None:
    """Skip (fail in CI) unless `available`; `reason` says what is missing and how to get it."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{reason} — CI installs it in .ci/run, so its absence is a broken set-up")
    pytest.skip(reason)
