"""Nearby numbers of the same form, used by the generator and the extractor alike."""

from __future__ import annotations

import re

import pytest

from bot.core.distractors import number_neighbours


@pytest.mark.parametrize(
    ("answer", "first"),
    [
        ("16-fold", ["8-fold", "12-fold", "20-fold"]),
        ("300 km", ["200 km", "400 km", "600 km"]),
        ("2.5 million", ["1.2 million", "1.9 million", "3.1 million"]),
        ("1,000", ["2,000", "3,000", "4,000"]),
        ("2012", ["2007", "2015", "2010"]),
    ],
)
def test_neighbours_keep_the_answer_form(answer: str, first: list[str]) -> None:
    got = number_neighbours(answer)
    assert got[:3] == first
    assert answer not in got
    assert len(got) == len(set(got))
    values = [_value(g) for g in got]
    assert _value(answer) not in values
    assert all(v > 0 for v in values)
    assert all(g.replace(_raw(g), "") == answer.replace(_raw(answer), "") for g in got)


def _raw(text: str) -> str:
    match = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    assert match is not None
    return match.group()


def _value(text: str) -> float:
    return float(_raw(text).replace(",", ""))


def test_text_without_a_number_has_no_neighbours() -> None:
    assert number_neighbours("Statehood Day") == []
