"""Table-driven tests of free-text answer matching and number parsing."""

from __future__ import annotations

import pytest

from bot.core.matching import MAX_GUESS_CHARS, Match, is_correct, match, normalise
from bot.core.numbers import Date, numbers_in, parse_date, parse_number

VUCIC = "Aleksandar Vučić"
ALIYEV = "Ilham Aliyev"
IES = "Institute of European Studies"

# (guess, answer, aliases, rivals, kind, how); how "rejected" means not accepted.
CASES = [
    # case, accents, spaces (spec table)
    ("vucic", "Vučić", (), (), None, "exact"),
    ("Vučić", "Vučić", (), (), None, "exact"),
    ("VUCIC ", "Vučić", (), (), None, "exact"),
    ("  v u č i ć", "Vučić", (), (), None, "exact"),
    ("Vu\u200bčić", "Vučić", (), (), None, "exact"),
    # a different person, close to a rival (spec table)
    ("Vučević", "Vučić", (), ("Vučević", "Tadić"), None, "rejected"),
    ("Vučević", "Vučić", (), (), None, "rejected"),
    ("Aleksandar Vučević", VUCIC, (), (), "person", "rejected"),
    # full name and unambiguous surname (spec table)
    ("Aleksandar Vucic", VUCIC, (), (), "person", "exact"),
    ("Vucic", VUCIC, (), (), "person", "surname"),
    ("Vucic", VUCIC, (), (), None, "surname"),
    ("President Vučić", VUCIC, (), (), "person", "surname"),
    ("Вучић", VUCIC, (), (), "person", "surname"),
    ("Aleksandar", VUCIC, (), (), "person", "rejected"),
    ("Vucic", VUCIC, (), ("Ana Vučić", "Boris Tadić"), "person", "rejected"),
    ("Aleksandar Vucic", VUCIC, (), ("Ana Vučić",), "person", "exact"),
    ("Ana Vucic", VUCIC, (), ("Ana Vučić",), "person", "rejected"),
    ("Ilham Aliyev", ALIYEV, (), (), "person", "exact"),
    ("Əliyev", ALIYEV, (), (), "person", "surname"),
    ("Ilham Aliev", ALIYEV, (), (), "person", "typo"),
    ("Aliev", ALIYEV, (), ("Boris Tadić",), "person", "typo"),
    ("Heydar Aliyev", ALIYEV, (), (), "person", "rejected"),
    ("Aliyev", ALIYEV, (), ("Heydar Aliyev",), "person", "rejected"),
    ("Ilham", ALIYEV, (), (), "person", "rejected"),
    ("Tadic", "Boris Tadić", (), (VUCIC, ALIYEV), "person", "surname"),
    ("Tadik", "Boris Tadić", (), (), "person", "rejected"),
    ("Radić", "Boris Tadić", (), (), "person", "rejected"),
    ("stevan gajic", "Stevan Gajić", (), (), "person", "exact"),
    ("Gajić", "Stevan Gajić", (), (VUCIC,), None, "surname"),
    ("Djokovic", "Novak Đoković", (), (), "person", "surname"),
    ("Dokovic", "Novak Đoković", (), (), "person", "surname"),
    ("Novak Đoković", "Novak Djokovic", (), (), "person", "exact"),
    # typo and local name as alias (spec table)
    ("Belgrad", "Belgrade", ("Beograd",), (), "place", "typo"),
    ("Beograd", "Belgrade", ("Beograd",), (), "place", "alias"),
    ("Belgarde", "Belgrade", ("Beograd",), (), "place", "typo"),
    ("Beograd", "Belgrade", (), (), "place", "rejected"),
    ("Budapest", "Belgrade", ("Beograd",), ("Budapest",), "place", "rejected"),
    ("Belgrad", "Belgrade", (), ("Belgrave",), "place", "typo"),
    ("Belgrad", "Belgrade", (), ("Budapest", "Baku"), "place", "typo"),
    ("Baku", "Baku", (), (), "place", "exact"),
    ("Bakü", "Baku", (), (), "place", "exact"),
    ("Baki", "Baku", (), (), "place", "rejected"),
    ("Kosovo", "Kosovo", (), (), "place", "exact"),
    ("kosova", "Kosovo", (), (), "place", "typo"),
    ("Kosova", "Kosovo", (), ("Kosovska Mitrovica", "Kosova"), "place", "rejected"),
    ("Kosova", "Kosovo", (), ("Kosovska",), "place", "rejected"),
    ("West Timor", "East Timor", (), (), "place", "rejected"),
    # numbers compare as numbers, never fuzzily (spec table)
    ("16", "16-fold", (), (), "number", "number"),
    ("sixteen", "16-fold", (), (), "number", "number"),
    ("16x", "16-fold", (), (), "number", "number"),
    ("16-fold", "16-fold", (), (), "number", "exact"),
    ("Sixteen-fold", "16-fold", (), (), None, "number"),
    ("16 times", "16-fold", (), (), None, "number"),
    ("a 16-fold increase", "16-fold", (), (), None, "number"),
    ("15", "16-fold", (), (), "number", "rejected"),
    ("160", "16-fold", (), (), "number", "rejected"),
    ("16 or 15", "16-fold", (), (), "number", "rejected"),
    ("many times", "16-fold", (), (), "number", "rejected"),
    ("2012", "2012", (), (), "date", "exact"),
    ("twenty twelve", "2012", (), (), "date", "number"),
    ("two thousand and twelve", "2012", (), (), None, "number"),
    ("2013", "2012", (), (), "date", "rejected"),
    ("1999", "1999", (), (), None, "exact"),
    ("199", "1999", (), (), None, "rejected"),
    ("19.99", "1999", (), (), None, "rejected"),
    ("nineteen ninety-nine", "1999", (), (), None, "number"),
    ("1,000", "1000", (), (), None, "number"),
    ("one hundred and twenty", "120", (), (), None, "number"),
    ("3.5", "3.5", (), (), None, "exact"),
    ("3 5", "3.5", (), (), None, "rejected"),
    # dates are compared by value, never fuzzily
    ("15 February", "February 15", (), (), "date", "number"),
    ("Feb 15", "February 15", (), (), "date", "number"),
    ("15 Feb", "February 15", (), (), "date", "number"),
    ("15th of February", "February 15", (), (), None, "number"),
    ("february 15", "February 15", (), (), "date", "exact"),
    ("February 16", "February 15", (), (), "date", "rejected"),
    ("February", "February 15", (), (), "date", "rejected"),
    ("Statehood Day", "February 15", (), (), "date", "rejected"),
    ("may", "May", (), (), "date", "exact"),
    ("march", "May", (), (), None, "rejected"),
    ("May 5", "May", (), (), None, "rejected"),
    # articles and punctuation (spec table)
    ("the statehood day", "Statehood Day", (), (), "event", "exact"),
    ("Statehood Day!", "Statehood Day", (), (), "event", "exact"),
    ("Statehod Day", "Statehood Day", (), (), "event", "typo"),
    ("Day", "Statehood Day", (), (), None, "rejected"),
    ("Statehood", "Statehood Day", (), (), None, "rejected"),
    # organisations, acronyms, outlets
    ("Caliber.Az", "Caliber.Az", (), (), "organisation", "exact"),
    ("caliber az", "Caliber.Az", (), (), "organisation", "exact"),
    ("CaliberAz", "Caliber.Az", (), (), "organisation", "exact"),
    ("NATO", "NATO", (), (), "organisation", "exact"),
    ("N.A.T.O.", "NATO", (), (), "organisation", "exact"),
    ("NAT", "NATO", (), (), "organisation", "rejected"),
    ("IES", IES, ("IES",), (), "organisation", "alias"),
    ("i.e.s.", IES, ("IES",), (), "organisation", "alias"),
    ("institute of european studies", IES, ("IES",), (), "organisation", "exact"),
    ("Institute of Europian Studies", IES, ("IES",), (), "organisation", "typo"),
    ("Institute European Studies", IES, ("IES",), (), "organisation", "typo"),
    ("European Studies", IES, ("IES",), (), "organisation", "rejected"),
    ("IEZ", IES, ("IES",), (), "organisation", "rejected"),
    (
        "Institute of Eastern Studies",
        IES,
        ("IES",),
        ("Institute of Eastern Studies",),
        "organisation",
        "rejected",
    ),
    ("Strategic Partnership Council", "Strategic Partnership Council", (), (), None, "exact"),
    ("Council", "Strategic Partnership Council", (), (), None, "rejected"),
    # substrings and near words are not matches
    ("chair", "air", (), (), None, "rejected"),
    ("air", "chair", (), (), None, "rejected"),
    ("airs", "air", (), (), None, "rejected"),
    ("Serbian", "Serbia", (), ("Serbian",), "place", "rejected"),
    ("Resolution 1245", "Resolution 1244", (), (), "event", "rejected"),
    ("Resolution 12 44", "Resolution 1244", (), (), "event", "rejected"),
    ("Rezolution 1244", "Resolution 1244", (), (), "event", "typo"),
    ("the", "The", (), (), None, "exact"),
    ("my dear friend", "“my dear friend”", (), (), "quote", "exact"),
]


Case = tuple[str, str, tuple[str, ...], tuple[str, ...], str | None, str]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]!r} vs {c[1]!r}" for c in CASES])
def test_match_table(case: Case) -> None:
    guess, answer, aliases, rivals, kind, how = case
    assert match(guess, answer, aliases, rivals, kind=kind) == Match(how != "rejected", how, answer)


def test_table_has_enough_accepts_and_rejects() -> None:
    accepted = [c for c in CASES if c[-1] != "rejected"]
    rejected = [c for c in CASES if c[-1] == "rejected"]
    assert len(accepted) >= 40
    assert len(rejected) >= 40


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]!r} vs {c[1]!r}" for c in CASES])
def test_is_correct_agrees_with_match_without_kind(case: Case) -> None:
    guess, answer, aliases, rivals, _kind, _how = case
    assert (
        is_correct(guess, answer, aliases, rivals) == match(guess, answer, aliases, rivals).accepted
    )


def test_expected_is_the_answer_as_written() -> None:
    result = match("vucic", "  Aleksandar Vučić ", kind="person")
    assert result.accepted
    assert result.how == "surname"
    assert result.expected == "Aleksandar Vučić"


@pytest.mark.parametrize(
    ("guess", "answer", "aliases", "exact"),
    [
        ("VUCIC", "Vučić", (), True),
        ("the statehood day!", "Statehood Day", (), True),
        ("Belgrad", "Belgrade", (), False),
        ("Beograd", "Belgrade", ("Beograd",), False),
        ("16", "16-fold", (), False),
        ("16-fold", "16-fold", (), True),
        ("Feb 15", "February 15", (), False),
        ("Paris", "Belgrade", (), False),
    ],
)
def test_exact_only_without_leniency(
    guess: str, answer: str, aliases: tuple[str, ...], exact: bool
) -> None:
    assert match(guess, answer, aliases).exact is exact


def test_rejected_result_is_never_exact() -> None:
    result = match("march", "May")
    assert (result.accepted, result.exact) == (False, False)


@pytest.mark.parametrize("guess", ["", " ", "\t\n", "\u200b", "?!", "🤷"])
def test_empty_guess(guess: str) -> None:
    assert match(guess, "Belgrade") == Match(False, "empty", "Belgrade")


def test_too_long_guess_even_when_it_contains_the_answer() -> None:
    guess = "Belgrade " * 30
    assert len(guess) > MAX_GUESS_CHARS
    assert match(guess, "Belgrade") == Match(False, "too_long", "Belgrade")
    assert match("Belgrade" + " " * (MAX_GUESS_CHARS - 8), "Belgrade").accepted


@pytest.mark.parametrize(
    "guess",
    [
        "\x00\x07\x1b[31mred",
        "👍🏽 Beograd 🇷🇸",
        "\u202eedargleB",
        "בלגרד",
        "a\u0300\u0301\u0302" * 20,
        "x" * 2000,
        "\ud800",
        "9" * 150,
        "1" * 200,
    ],
)
def test_odd_text_never_raises(guess: str) -> None:
    for answer in ("Belgrade", "16-fold", "February 15", VUCIC):
        result = match(guess, answer, ("Beograd",), ("Budapest",))
        assert result.expected == answer
        assert result.how in {"exact", "alias", "number", "surname", "typo", "rejected"} | {
            "empty",
            "too_long",
        }


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Vučić", "vucic"),
        ("Đoković", "djokovic"),
        ("The Statehood Day!", "statehood day"),
        ("  A  hundred   ", "hundred"),
        ("the", "the"),
        ("The A Team", "team"),
        ("Caliber.Az", "caliber az"),
        ("Baku’s", "bakus"),
        ("Əliyev", "aliyev"),
        ("Beograd\u200b", "beograd"),
        ("ŁÓDŹ", "lodz"),
        ("Straße", "strasse"),
        ("Београд", "beograd"),
        ("", ""),
        ("...", ""),
    ],
)
def test_normalise(text: str, normal: str) -> None:
    assert normalise(text) == normal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("16", 16),
        ("sixteen", 16),
        ("16x", 16),
        ("16 ×", 16),
        ("16-fold", 16),
        ("16 times", 16),
        ("sixteen-fold", 16),
        ("tenfold", 10),
        ("1,000", 1000),
        ("10,000,000", 10_000_000),
        ("2012", 2012),
        ("twenty twelve", 2012),
        ("twenty oh five", 2005),
        ("nineteen ninety-nine", 1999),
        ("one hundred and twenty", 120),
        ("a hundred", 100),
        ("twelve hundred", 1200),
        ("one thousand two hundred thirty-four", 1234),
        ("3.5", 3.5),
        ("3,5", 3.5),
        ("3.5 million", 3_500_000),
        ("-5", -5),
        ("１６", 16),
        ("15th", 15),
        ("fifteenth", 15),
        ("twenty-first", 21),
        ("16%", 16),
        ("zero", 0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x",
        "a",
        "and",
        "hundred",
        "one two",
        "sixteen five",
        "twenty twenty twenty",
        "one and",
        "thousand thousand",
        "nan",
        "inf",
        "1e5",
        "May",
        "Belgrade",
        "16 or 15",
        "1" * 500,
    ],
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_numbers_in_finds_digit_groups() -> None:
    assert numbers_in("a 16-fold increase") == [16]
    assert numbers_in("in 2012.") == [2012]
    assert numbers_in("16 or 15") == [16, 15]
    assert numbers_in("many") == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("February 15", Date(2, 15, None)),
        ("15 February", Date(2, 15, None)),
        ("Feb 15", Date(2, 15, None)),
        ("15th of February", Date(2, 15, None)),
        ("the fifteenth of February", Date(2, 15, None)),
        ("February 15, 2024", Date(2, 15, 2024)),
        ("2024-02-15", Date(2, 15, 2024)),
        ("May", Date(5, None, None)),
        ("March 1999", Date(3, None, 1999)),
        ("February 30", None),
        ("may be", None),
        ("15", None),
        ("February March", None),
        ("Statehood Day", None),
    ],
)
def test_parse_date(text: str, date: Date | None) -> None:
    assert parse_date(text) == date


def test_year_in_dates_must_agree_only_when_both_give_it() -> None:
    assert match("15 Feb 2024", "February 15, 2024").accepted
    assert match("15 Feb", "February 15, 2024").accepted
    assert not match("15 Feb 2023", "February 15, 2024").accepted
