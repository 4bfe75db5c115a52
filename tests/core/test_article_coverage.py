"""The Baku–Belgrade facts trace back to the article: all paragraphs covered, all answers found."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

from bot.core.bank import load_facts
from bot.core.models import Fact, FactKind, FactSet

REPO = Path(__file__).resolve().parents[2]
FACTS = REPO / "questions" / "baku-belgrade" / "facts.yaml"
DEFAULT_ARTICLE = REPO.parent / "shared" / "seed" / "article.txt"

# Paragraphs judged to state nothing a reader could check (pure rhetoric, transitions).
# Every paragraph of this article states something checkable, so the set is empty; a paragraph
# listed here must come with a comment saying why it has no fact.
NO_CHECKABLE_STATEMENT: frozenset[int] = frozenset()

# A run of this many consecutive article words in our text counts as a pasted sentence.
COPIED_RUN = 12

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"'})
_DASHES = re.compile(r"[‐‑‒–—―−]")
# Letters that Unicode does not decompose into a base letter plus an accent.
_LETTERS = str.maketrans({"đ": "d", "ð": "d", "ł": "l", "ø": "o", "ı": "i", "ß": "ss"})
_NUMBER_WORDS = {
    word: str(i)
    for i, word in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
            *("seventeen", "eighteen", "nineteen", "twenty"),
        )
    )
}
_TOKEN_RE = re.compile(r"\d+|[^\W\d_]+")
_WORD_RE = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*")


def _article_path() -> Path:
    override = os.environ.get("QUIZBOT_ARTICLE")
    return Path(override) if override else DEFAULT_ARTICLE


def _norm(text: str) -> str:
    """Return text casefolded, without accents, with one kind of quote, dash and space."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _DASHES.sub("-", text.translate(_QUOTES))
    return " ".join(text.split())


def _appears(form: str, paragraph: str) -> bool:
    """Return whether form appears in the paragraph as whole words, after normalising both."""
    needle = _norm(form)
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", _norm(paragraph))


def _tokens(text: str) -> set[str]:
    """Return the digit runs and words of text, number words spelled as digits."""
    return {_NUMBER_WORDS.get(t, t) for t in _TOKEN_RE.findall(_norm(text))}


def _supported(fact: Fact, paragraph: str) -> bool:
    """Return whether the answer, or one of its aliases, is found in the paragraph."""
    forms = (fact.answer, *fact.aliases)
    if any(_appears(form, paragraph) for form in forms):
        return True
    if fact.kind in (FactKind.NUMBER, FactKind.DATE):
        # "16-fold" against "16 fold", "sixteen-fold" against "16-fold": same digits and words.
        found = _tokens(paragraph)
        return any(_tokens(form) and _tokens(form) <= found for form in forms)
    return False


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(_norm(text))


def _runs(lines: list[str]) -> set[tuple[str, ...]]:
    """Return every run of COPIED_RUN consecutive words in the lines."""
    out: set[tuple[str, ...]] = set()
    for line in lines:
        words = _words(line)
        out.update(tuple(words[i : i + COPIED_RUN]) for i in range(len(words) - COPIED_RUN + 1))
    return out


def _copied(text: str, runs: set[tuple[str, ...]]) -> list[str]:
    """Return the article word runs that text reproduces."""
    words = _words(text)
    found = {
        " ".join(words[i : i + COPIED_RUN])
        for i in range(len(words) - COPIED_RUN + 1)
        if tuple(words[i : i + COPIED_RUN]) in runs
    }
    return sorted(found)


@pytest.fixture(scope="module")
def article_lines() -> list[str]:
    """Return the article's non-empty lines: the title, then one line per paragraph."""
    path = _article_path()
    if not path.is_file():
        pytest.skip(f"article not found at {path} (set QUIZBOT_ARTICLE to its path)")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def paragraphs(article_lines: list[str]) -> list[str]:
    """Return the paragraphs, numbered from 1 by their position after the title."""
    return article_lines[1:]


@pytest.fixture(scope="module")
def factset() -> FactSet:
    """Return the facts written for the article."""
    return load_facts(FACTS)


def test_declared_paragraph_count_matches_the_article(
    factset: FactSet, paragraphs: list[str]
) -> None:
    assert factset.paragraphs == len(paragraphs)


def test_every_fact_points_at_an_existing_paragraph(
    factset: FactSet, paragraphs: list[str]
) -> None:
    bad = [
        f"{f.id}: paragraph {f.paragraph}"
        for f in factset.facts
        if not 1 <= f.paragraph <= len(paragraphs)
    ]
    assert not bad, f"paragraphs must be within 1..{len(paragraphs)}:\n" + "\n".join(bad)


def test_every_checkable_paragraph_has_a_fact(factset: FactSet, paragraphs: list[str]) -> None:
    numbers = set(range(1, len(paragraphs) + 1))
    assert numbers >= NO_CHECKABLE_STATEMENT
    covered = {f.paragraph for f in factset.facts}
    missing = sorted(numbers - NO_CHECKABLE_STATEMENT - covered)
    assert not missing, f"paragraphs without any fact: {missing}"


def test_every_answer_is_supported_by_its_paragraph(
    factset: FactSet, paragraphs: list[str]
) -> None:
    failures = [
        f"{f.id} (paragraph {f.paragraph}): neither {f.answer!r} nor an alias is in the paragraph"
        for f in factset.facts
        if 1 <= f.paragraph <= len(paragraphs) and not _supported(f, paragraphs[f.paragraph - 1])
    ]
    assert not failures, "\n".join(failures)


def test_every_quote_is_worded_as_in_its_paragraph(factset: FactSet, paragraphs: list[str]) -> None:
    quotes = [f for f in factset.facts if f.kind is FactKind.QUOTE]
    assert quotes, "the article's quotations deserve quote facts"
    failures = [
        f"{f.id} (paragraph {f.paragraph}): {f.quote!r} is not worded so in the paragraph"
        for f in quotes
        if 1 <= f.paragraph <= len(paragraphs)
        and not (f.quote and _appears(f.quote, paragraphs[f.paragraph - 1]))
    ]
    assert not failures, "\n".join(failures)


def test_no_article_sentence_is_copied(factset: FactSet, article_lines: list[str]) -> None:
    runs = _runs(article_lines)
    failures = [
        f"{f.id}.{field}: {run!r}"
        for f in factset.facts
        for field in ("statement", "question", "explanation")
        for run in _copied(getattr(f, field), runs)
    ]
    assert not failures, f"{COPIED_RUN}+ words copied from the article:\n" + "\n".join(failures)


def test_the_checks_catch_a_wrong_answer_and_a_pasted_sentence(paragraphs: list[str]) -> None:
    # Guards the checks above against passing vacuously, e.g. after a change of normalisation.
    first = paragraphs[0]
    right = Fact("t", "s", 1, FactKind.DATE, "t", "q", "February 15", "e")
    wrong = Fact("t", "s", 1, FactKind.DATE, "t", "q", "March 15", "e")
    assert _supported(right, first)
    assert not _supported(wrong, first)
    assert _copied(f"As the article put it: {first}", _runs(paragraphs))
    assert not _copied(
        "Ilham Aliyev visited Belgrade on Serbia's national holiday.", _runs(paragraphs)
    )
