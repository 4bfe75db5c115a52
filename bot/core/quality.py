"""Teacher-grade rules on a generated bank: what a demanding quiz writer would send back.

Errors stop a bank; warnings are printed and counted but the bank still loads:
- error `false-statement`: a true/false statement that does not read as an English sentence;
- warning `longest`: the right option is much the longest (and, bank-wide, the longest too often);
- warning `class`: an option of another class than the answer's (a prime minister among
  presidents, mining among service sectors);
- warning `giveaway`: a word of the answer in the stem that no wrong option shares;
- warning `grounding`: a name, place, year or number in an explanation that the cited paragraphs
  never mention and that is not set apart as background (needs the article);
- warning `duplicate`: two questions whose stems are near copies (a rewording gives itself away).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

import yaml
from rapidfuzz import fuzz

from bot.core.article import Article
from bot.core.matching import normalise
from bot.core.models import TRUE_FALSE_PREFIX, Bank, Problem, Question, QuestionKind

__all__ = [
    "LONGEST_RATIO",
    "LONGEST_SHARE",
    "check_bank",
    "check_grounding",
    "classes_of",
    "false_statement_problem",
    "indefinite_article",
]

#: The right option is a cue when it is this much longer than every other option.
LONGEST_RATIO = 1.2
#: ...and the bank leans on that cue when the right option is the longest in more items than this.
LONGEST_SHARE = 0.3
#: Stems this similar (edit-distance ratio after normalising) are the same question.
DUPLICATE_SIMILARITY = 90
#: Stems this similar are one question, whatever keeps them apart.
SAME_STEM = 98
_OPTION_KINDS = frozenset(
    {
        QuestionKind.CHOICE,
        QuestionKind.WHO_SAID,
        QuestionKind.ORDER,
        QuestionKind.MATCH,
        QuestionKind.WHY,
        QuestionKind.MAIN_IDEA,
    }
)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "its",
        "it",
        "his",
        "her",
        "their",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "did",
        "does",
        "do",
        "has",
        "have",
        "had",
        "not",
        "no",
        "than",
        "then",
        "there",
        "into",
        "over",
        "under",
        "about",
        "after",
        "before",
        "between",
        "during",
        "since",
        "until",
        "while",
        "also",
        "only",
        "more",
        "most",
        "very",
        "such",
        "both",
        "each",
        "other",
        "another",
        "same",
        "own",
        "article",
        "says",
        "said",
    ]
)
_VOWEL_SOUND = re.compile(
    r"^(?:a|e(?!u)|i|o(?!ne|nce)|u(?!ni|s[eu]|ro|ti)|hour|honest|honou?r|heir|8|11|18)", re.I
)
_WORD = re.compile(r"[\w'’-]+")
_CITATION = re.compile(r"\b(?:[Pp]aragraphs?)\s+\d+(?:\s*(?:,|and|or|to|–|-)\s*\d+)*")
_NUMBER = re.compile(r"\d[\d,.]*")
# A capitalised word that does not open a sentence or a quotation.
_NAME = re.compile(r"(?<![.!?:;“\"(]\s)(?<!^)(?<![“\"(])\b([A-ZÀ-ÖØ-ÞĐŠŽČĆ][\w.’'-]*)")


@cache
def _classes() -> dict[str, frozenset[str]]:
    text = resources.files("bot.core").joinpath("data/classes.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {name: frozenset(normalise(m) for m in members) for name, members in data.items()}


def classes_of(text: str) -> frozenset[str]:
    """Return the classes a name is a known member of (none for a name the data lacks)."""
    key = normalise(text)
    return frozenset(name for name, members in _classes().items() if key in members)


def _problem(bank: Bank, q: Question, rule: str, message: str, *, warning: bool = True) -> Problem:
    return Problem(bank.path, q.line or 1, f"{q.id}.{rule}", message, warning)


def _longest(q: Question) -> bool:
    others = [len(o) for o in q.choices if o != q.answer]
    return bool(others) and len(q.answer) > max(others)


def _longest_cue(bank: Bank, q: Question) -> Iterator[Problem]:
    others = [len(o) for o in q.choices if o != q.answer]
    if others and len(q.answer) > LONGEST_RATIO * max(others):
        yield _problem(
            bank,
            q,
            "longest",
            f"the right option is much the longest ({len(q.answer)} "
            f"characters, the next {max(others)}): lengthen the others or shorten it",
        )


def _class_mismatch(bank: Bank, q: Question) -> Iterator[Problem]:
    wanted = {q.answer_class} if q.answer_class else set(classes_of(q.answer))
    if not wanted:
        return
    for option in q.choices:
        if option == q.answer:
            continue
        found = classes_of(option)
        if found and not found & wanted:
            yield _problem(
                bank,
                q,
                "class",
                f"{option!r} is {_a(sorted(found)[0])}, the answer {_a(sorted(wanted)[0])}: "
                "every option should be of the answer's class",
            )


def indefinite_article(word: str) -> str:
    """Return the indefinite article English puts before a word: "an hour", "a one-off"."""
    return "an" if _VOWEL_SOUND.match(word) else "a"


def _a(noun: str) -> str:
    return f"{indefinite_article(noun)} {noun}"


def _content_words(text: str) -> dict[str, str]:
    """Return the content words of a text, keyed by a crude stem (no plural -s)."""
    return {
        word.removesuffix("s"): word
        for word in normalise(text).split()
        if len(word) >= 4 and word not in _STOP
    }


def _giveaway(bank: Bank, q: Question) -> Iterator[Problem]:
    stem = _content_words(q.prompt)
    shared = set().union(*(_content_words(o) for o in q.choices if o != q.answer))
    answer = _content_words(q.answer)
    cue = sorted(answer[k] for k in (answer.keys() & stem.keys()) - shared)
    if cue:
        yield _problem(
            bank,
            q,
            "giveaway",
            f"the stem shares {', '.join(repr(w) for w in cue)} with the "
            "answer and with no wrong option: it points at the answer",
        )


def false_statement_problem(statement: str) -> str | None:
    """Return why a statement does not read as an English sentence, or None when it does."""
    text = statement.strip()
    words = _WORD.findall(text)
    if len(words) < 4:
        return "too short to be a statement"
    first = text.lstrip("“\"'‘(")
    if not (first[:1].isupper() or first[:1].isdigit()):
        return "does not start with a capital letter"
    if not text.rstrip("”\"'’)").endswith((".", "!", "?", "…")):
        return "does not end like a sentence"
    if "_____" in text:
        return "still has a blank in it"
    lowered = [w.lower() for w in words]
    for a, b in itertools.pairwise(lowered):
        if a == b and a.isalpha() and a not in {"that", "had"}:
            return f"repeats the word {a!r}"
    for article, word in zip(lowered, words[1:], strict=False):
        if article in ("a", "an") and word[:1].isalpha():
            right = indefinite_article(word)
            if article != right and not word.split("-")[0].isupper():
                return f"{article!r} before {word!r}: write {right!r}"
    for opening, closing in (("(", ")"), ("“", "”")):
        if text.count(opening) != text.count(closing):
            return f"unbalanced {opening}{closing}"
    if text.count('"') % 2:
        return "unbalanced quotation marks"
    return None


def _false_statement(bank: Bank, q: Question) -> Iterator[Problem]:
    statement = q.prompt.removeprefix(TRUE_FALSE_PREFIX)
    if (problem := false_statement_problem(statement)) is not None:
        yield _problem(bank, q, "false-statement", problem, warning=False)


def _stem(q: Question) -> str:
    text = q.prompt.removeprefix(TRUE_FALSE_PREFIX).removeprefix("Fill in the blank: ")
    return normalise(text.replace("_____", " "))


def _duplicates(bank: Bank) -> Iterator[Problem]:
    """Near-copy stems: a rewording of one fact, or two questions that could meet in a game.

    Two questions of different facts whose stems differ only where they show each other's
    answers are kept apart by selection, so they are not reported unless they are the same.
    """
    stems = [(q, _stem(q)) for q in bank.questions]
    for i, (q, stem) in enumerate(stems):
        for other, other_stem in stems[i + 1 :]:
            if not stem:
                continue
            ratio = fuzz.ratio(stem, other_stem)
            apart = not set(q.facts).isdisjoint(other.facts) and q.fact_id != other.fact_id
            if ratio >= SAME_STEM or (ratio >= DUPLICATE_SIMILARITY and not apart):
                yield _problem(
                    bank,
                    other,
                    "duplicate",
                    f"its stem is a near copy of {q.id}'s: ask the fact another way, or drop one",
                )


def check_bank(bank: Bank) -> list[Problem]:
    """Return every teacher-grade rule the questions of a bank break (grounding aside)."""
    out: list[Problem] = []
    options = [q for q in bank.questions if q.kind in _OPTION_KINDS and q.choices]
    for q in bank.questions:
        if q.kind is QuestionKind.TRUE_FALSE:
            out.extend(_false_statement(bank, q))
        if q in options:
            out.extend(_longest_cue(bank, q))
            out.extend(_class_mismatch(bank, q))
            out.extend(_giveaway(bank, q))
    longest = sum(_longest(q) for q in options)
    if len(options) >= 8 and longest / len(options) > LONGEST_SHARE:
        out.append(
            Problem(
                bank.path,
                1,
                "questions",
                f"the right option is the longest in {longest} of "
                f"{len(options)} option questions ({longest / len(options):.0%}); keep it under "
                f"{LONGEST_SHARE:.0%}",
                warning=True,
            )
        )
    out.extend(_duplicates(bank))
    return out


def _known(word: str, text: str, words: set[str]) -> bool:
    key = normalise(word)
    if not key:
        return True
    if f" {key} " in f" {text} ":
        return True
    # "Serbian" for "Serbia", "Azerbaijani" for "Azerbaijan": the same name, another ending.
    stem = key[: max(5, len(key) - 3)]
    return any(w.startswith(stem) or key.startswith(w[: max(5, len(w) - 3)]) for w in words)


def ungrounded(explanation: str, grounds: str) -> list[str]:
    """Return the names and numbers of an explanation that the grounding text never mentions."""
    text = normalise(grounds)
    words = {w for w in text.split() if len(w) >= 4}
    missing: list[str] = []
    # "Paragraph 3", "paragraphs 1 and 2" cite the article; they are not claims about the world.
    explanation = _CITATION.sub("paragraph", explanation)
    for sentence in re.split(r"(?<=[.!?])\s+", explanation):
        for match in _NAME.finditer(sentence):
            if match.start() == 0:
                continue
            name = match.group(1).rstrip(".’'")
            if name.lower() in _STOP or _known(name, text, words):
                continue
            missing.append(name)
        for number in _NUMBER.findall(sentence):
            digits = number.rstrip(".,")
            if digits not in grounds:
                missing.append(digits)
    return list(dict.fromkeys(missing))


def check_grounding(bank: Bank, article: Article) -> list[Problem]:
    """Return a warning for each explanation that says what its cited paragraphs do not."""
    out: list[Problem] = []
    for q in bank.questions:
        grounds = " ".join((article.text((q.paragraph, *q.cites)), q.prompt, q.answer))
        missing = ungrounded(q.explanation, grounds)
        if missing:
            cited = ", ".join(str(p) for p in (q.paragraph, *q.cites))
            out.append(
                _problem(
                    bank,
                    q,
                    "grounding",
                    f"the explanation names {', '.join(missing)}, which "
                    f"paragraph(s) {cited} never mention: cite the paragraph that does, or move "
                    "it to background",
                )
            )
    return out
