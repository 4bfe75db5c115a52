"""Property tests of free-text matching: it is stable, total and fair on any text."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.core.matching import MAX_GUESS_CHARS, is_correct, match, normalise
from bot.core.numbers import parse_date, parse_number

KINDS = st.sampled_from(
    [None, "person", "place", "organisation", "date", "number", "quote", "event", "claim"]
)
# Names, numbers and dates in the shapes a bank holds, plus arbitrary text.
NAMEISH = st.sampled_from(
    [
        "Aleksandar Vučić",
        "Ilham Aliyev",
        "Đoković",
        "Belgrade",
        "16-fold",
        "February 15",
        "May",
        "1999",
        "Caliber.Az",
        "Institute of European Studies",
    ]
)
ANSWERS = NAMEISH | st.text(min_size=1, max_size=60)
SHORT = st.text(max_size=80)


def strip_accents(text: str) -> str:
    """Remove combining accents the way a player's keyboard would omit them."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@given(st.text())
@settings(max_examples=500)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text())
def test_normalise_output_is_lowercase_words(text: str) -> None:
    normal = normalise(text)
    assert normal == normal.strip()
    assert "  " not in normal
    assert normal == normal.casefold()


@given(ANSWERS, st.lists(st.text(max_size=30), max_size=3), st.lists(SHORT, max_size=5), KINDS)
@settings(max_examples=300)
def test_guess_equal_to_answer_is_accepted(
    answer: str, aliases: list[str], rivals: list[str], kind: str | None
) -> None:
    assume(normalise(answer))
    result = match(answer, answer, aliases, rivals, kind=kind)
    assert result.accepted
    assert result.exact
    assert result.expected == answer.strip()


@given(ANSWERS, st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=3), KINDS)
@settings(max_examples=300)
def test_guess_equal_to_an_alias_is_accepted(
    answer: str, aliases: list[str], kind: str | None
) -> None:
    for alias in aliases:
        assume(normalise(alias))
        assert match(alias, answer, aliases, kind=kind).accepted


@given(SHORT, ANSWERS, st.lists(SHORT, max_size=3), st.lists(SHORT, max_size=3), KINDS)
@settings(max_examples=300)
def test_never_raises_on_any_text(
    guess: str, answer: str, aliases: list[str], rivals: list[str], kind: str | None
) -> None:
    result = match(guess, answer, aliases, rivals, kind=kind)
    assert result.accepted == (result.how in {"exact", "alias", "number", "surname", "typo"})
    assert is_correct(guess, answer, aliases, rivals) in (True, False)
    normalise(guess)
    parse_number(guess)
    parse_date(guess)


@given(st.text())
def test_parsers_never_raise_on_any_text(text: str) -> None:
    value = parse_number(text)
    assert value is None or isinstance(value, float)
    date = parse_date(text)
    assert date is None or 1 <= date.month <= 12


@given(st.text(min_size=MAX_GUESS_CHARS + 1, max_size=MAX_GUESS_CHARS + 300), ANSWERS)
def test_long_guesses_are_rejected(guess: str, answer: str) -> None:
    assert match(guess, answer).how == "too_long"


@given(NAMEISH, st.integers(min_value=MAX_GUESS_CHARS + 1, max_value=2000))
def test_long_padding_rejects_even_the_answer(answer: str, size: int) -> None:
    guess = answer.ljust(size, "!")
    assert not is_correct(guess, answer)


@given(st.text(max_size=60), ANSWERS, st.lists(SHORT, max_size=3), KINDS)
@settings(max_examples=300)
def test_case_of_the_guess_does_not_matter(
    guess: str, answer: str, rivals: list[str], kind: str | None
) -> None:
    expected = match(guess, answer, rivals=rivals, kind=kind).accepted
    assert match(guess.upper(), answer, rivals=rivals, kind=kind).accepted == expected
    assert match(guess.lower(), answer, rivals=rivals, kind=kind).accepted == expected


@given(st.text(max_size=60), ANSWERS, st.lists(SHORT, max_size=3), KINDS)
@settings(max_examples=300)
def test_accents_of_the_guess_do_not_matter(
    guess: str, answer: str, rivals: list[str], kind: str | None
) -> None:
    expected = match(guess, answer, rivals=rivals, kind=kind).accepted
    assert match(strip_accents(guess), answer, rivals=rivals, kind=kind).accepted == expected


@given(NAMEISH, KINDS)
def test_answer_with_case_and_accents_changed_is_accepted(answer: str, kind: str | None) -> None:
    for guess in (answer.upper(), answer.lower(), strip_accents(answer)):
        assert match(guess, answer, kind=kind).accepted


EDIT_CHARS = "abcdeiouvz čćđšžəı16-."


@st.composite
def near_misses(draw: st.DrawFn) -> tuple[str, str]:
    """Draw a bank-like answer and a guess a few random edits away from it."""
    answer = draw(NAMEISH)
    guess = list(answer)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(guess)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        char = draw(st.sampled_from(EDIT_CHARS))
        if op == "insert":
            guess.insert(at, char)
        elif at < len(guess):
            guess[at : at + 1] = [char] if op == "replace" else []
    return "".join(guess), answer


@given(near_misses(), st.lists(NAMEISH, max_size=3), KINDS)
@settings(max_examples=500)
def test_near_misses_are_symmetric_under_case_and_accents(
    pair: tuple[str, str], rivals: list[str], kind: str | None
) -> None:
    guess, answer = pair
    expected = match(guess, answer, rivals=rivals, kind=kind).accepted
    for variant in (guess.upper(), guess.lower(), guess.swapcase(), strip_accents(guess)):
        assert match(variant, answer, rivals=rivals, kind=kind).accepted == expected


@given(
    NAMEISH, st.lists(st.booleans(), min_size=1), st.lists(st.sampled_from("\u0301\u0308\u030c"))
)
def test_answer_with_random_case_and_added_accents_is_accepted(
    answer: str, upper: list[bool], accents: list[str]
) -> None:
    chars = [
        (ch.upper() if upper[i % len(upper)] else ch.lower())
        + (accents[i] if i < len(accents) and ch.isalpha() else "")
        for i, ch in enumerate(answer)
    ]
    assert match("".join(chars), answer).accepted
