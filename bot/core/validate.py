"""Item-writing rules for facts and generated questions (after Haladyna, Downing & Rodriguez)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from rapidfuzz import fuzz

from bot.core.matching import normalise, parse_number
from bot.core.models import (
    FACT_OPINION_CHOICES,
    FALSE,
    ORDER_ARROW,
    TRUE,
    Bank,
    Fact,
    FactKind,
    FactSet,
    Problem,
    QuestionKind,
)

DISTRACTOR_MAX_SIMILARITY = 85
MIN_DISTRACTORS = 3
MAX_CHOICES = 5
#: Kinds whose options are whole arrangements of the same parts: alike by design.
_WHOLE_OPTION_KINDS = frozenset({QuestionKind.ORDER, QuestionKind.MATCH})
#: A blank longer than this is an exact phrase to recall, not a word.
MAX_FILL_WORDS = 6
_ID_RE = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
_NEGATIVE_RE = re.compile(r"\b(not|except)\b|n't\b", re.IGNORECASE)
_ABOVE_RE = re.compile(r"\b(all|none|both|neither) of the (above|options|answers)\b", re.IGNORECASE)


def contains_answer(text: str, answers: Iterable[str]) -> str | None:
    """Return the answer form that appears as whole words in text, if any."""
    haystack = f" {normalise(text)} "
    for answer in answers:
        needle = normalise(answer)
        if needle and f" {needle} " in haystack:
            return answer
    return None


def too_close(candidate: str, answers: Iterable[str]) -> bool:
    """Return whether a distractor could be mistaken for the answer or an alias."""
    norm = normalise(candidate)
    for answer in answers:
        other = normalise(answer)
        if norm == other:
            return True
        if parse_number(candidate) is not None and parse_number(answer) is not None:
            continue  # numbers are compared as numbers, never fuzzily
        if fuzz.ratio(norm, other) >= DISTRACTOR_MAX_SIMILARITY:
            return True
    return False


def same_form(distractor: str, answer: str) -> bool:
    """Return whether a distractor looks like the answer: digits with digits, similar length."""
    if any(c.isdigit() for c in distractor) != any(c.isdigit() for c in answer):
        return False
    short, long_ = sorted((len(distractor), len(answer)))
    return long_ <= 3 * short + 12


def _stem_problem(text: str) -> str | None:
    if _NEGATIVE_RE.search(text):
        return "negative stem (NOT, EXCEPT): ask what is true instead"
    if _ABOVE_RE.search(text):
        return "'all/none of the above' is not allowed"
    return None


def validate_facts(
    factset: FactSet,
    topics_line: int = 1,
    located: dict[int, tuple[str, dict[str, int]]] | None = None,
) -> list[Problem]:
    """Return every rule a facts file breaks (warnings for drafts not yet reviewed).

    `located` maps a fact's line to its place in the file and the line of each of its keys.
    """
    located = located or {}
    out: list[Problem] = []
    file = factset.path
    if not factset.topics:
        out.append(Problem(file, topics_line, "topics", "declare at least one topic"))
    seen: dict[str, int] = {}
    for i, f in enumerate(factset.facts):
        at, lines = located.get(f.line, (f"facts[{i}]", {}))

        def add(
            field: str, message: str, *, warning: bool = False, at: str = at, lines=lines, f=f
        ) -> None:
            line = lines.get(field.split("[", maxsplit=1)[0], f.line)
            out.append(Problem(file, line, f"{at}.{field}", message, warning))

        if not _ID_RE.match(f.id):
            add("id", f"{f.id!r} must be lowercase words joined by dashes")
        if f.id in seen:
            add("id", f"duplicate id {f.id!r} (first at line {seen[f.id]})")
        seen.setdefault(f.id, f.line)
        if f.paragraph < 1 or (factset.paragraphs is not None and f.paragraph > factset.paragraphs):
            limit = factset.paragraphs if factset.paragraphs is not None else "?"
            add("paragraph", f"paragraph {f.paragraph} does not exist (the article has {limit})")
        if factset.topics and f.topic not in factset.topics:
            add("topic", f"unknown topic {f.topic!r} (declared: {', '.join(factset.topics)})")
        if f.answer not in f.statement:
            add("statement", f"must contain the answer {f.answer!r} word for word")
        if not f.question.rstrip().endswith("?"):
            add("question", "must be a question ending with '?'")
        if (found := contains_answer(f.question, (f.answer, *f.aliases))) is not None:
            add("question", f"gives the answer away ({found!r} appears in it)")
        if (stem := _stem_problem(f.question)) is not None:
            add("question", stem)
        if f.kind is FactKind.QUOTE and not f.quote:
            add("quote", "a quote fact needs the quoted words")
        if f.kind is not FactKind.QUOTE and f.quote:
            add("quote", "only quote facts carry quoted words")
        if f.kind is FactKind.NUMBER and parse_number(f.answer) is None:
            add("answer", f"a number fact needs a number as its answer, got {f.answer!r}")
        normal = Counter(normalise(d) for d in f.distractors)
        for j, d in enumerate(f.distractors):
            if too_close(d, (f.answer, *f.aliases)):
                add(f"distractors[{j}]", f"{d!r} is too close to the answer to be clearly wrong")
            elif normal[normalise(d)] > 1:
                add(f"distractors[{j}]", f"{d!r} appears twice")
        _check_fact_fields(factset, f, add)
        if not f.reviewed:
            add(
                "reviewed",
                "drafted fact not reviewed yet; check it, then set reviewed: true",
                warning=True,
            )
    out.extend(_validate_items(factset, seen, located))
    return out


def _cites_problem(factset: FactSet, cites: Iterable[int]) -> str | None:
    top = factset.paragraphs
    for n in cites:
        if n < 0 or (top is not None and n > top):
            return f"paragraph {n} does not exist (0 is the title; the article has {top or '?'})"
    return None


def _check_fact_fields(factset: FactSet, f: Fact, add: Callable[..., None]) -> None:
    """The optional fields: cited paragraphs, the false version, the kinds asked."""
    if (problem := _cites_problem(factset, f.cites)) is not None:
        add("cites", problem)
    if f.false is not None:
        if normalise(f.false) == normalise(f.statement):
            add("false", "the false version must differ from the statement")
        if f.kind is FactKind.QUOTE:
            add("false", "a quote is not made false by rewording it; ask who said it instead")
    if QuestionKind.NUMERIC in f.ask and parse_number(f.answer) is None:
        add("ask", f"numeric needs a number as the answer, got {f.answer!r}")
    if QuestionKind.FILL in f.ask and (
        len(f.answer.split()) > MAX_FILL_WORDS or f.statement.count(f.answer) != 1
    ):
        add(
            "ask",
            f"fill needs a blank of at most {MAX_FILL_WORDS} words that the statement holds once",
        )


def _events(ordering: str) -> list[str]:
    return sorted(normalise(part) for part in ordering.split(ORDER_ARROW.strip()))


def _validate_items(
    factset: FactSet, seen: dict[str, int], located: dict[int, tuple[str, dict[str, int]]]
) -> list[Problem]:
    out: list[Problem] = []
    facts = {f.id for f in factset.facts}
    for i, item in enumerate(factset.items):
        at, lines = located.get(item.line, (f"items[{i}]", {}))

        def add(field: str, message: str, at: str = at, lines=lines, line=item.line) -> None:
            where = lines.get(field.split("[", maxsplit=1)[0], line)
            out.append(Problem(factset.path, where, f"{at}.{field}", message))

        if not _ID_RE.match(item.id):
            add("id", f"{item.id!r} must be lowercase words joined by dashes")
        if item.id in seen:
            add("id", f"duplicate id {item.id!r} (first at line {seen[item.id]})")
        seen.setdefault(item.id, item.line)
        for key, ref in (("fact", item.fact), *(("facts", x) for x in item.facts)):
            if ref not in facts:
                add(key, f"no fact has the id {ref!r}")
        if (problem := _cites_problem(factset, item.cites)) is not None:
            add("cites", problem)
        if (stem := _stem_problem(item.prompt)) is not None:
            add("prompt", stem)
        if item.kind is QuestionKind.FACT_OPINION:
            if {item.answer, *item.distractors} != set(FACT_OPINION_CHOICES):
                add("distractors", f"the options are {', '.join(FACT_OPINION_CHOICES)}")
            continue
        if len(item.distractors) < MIN_DISTRACTORS:
            add("distractors", f"needs at least {MIN_DISTRACTORS} distractors")
        if item.kind is QuestionKind.ORDER:
            parts = _events(item.answer)
            if len(parts) < 3:  # two events are a true/false, not an ordering
                add("answer", f"an ordering joins at least 3 events with {ORDER_ARROW.strip()!r}")
        for j, d in enumerate(item.distractors):
            if item.kind is QuestionKind.ORDER and _events(d) != parts:
                add(f"distractors[{j}]", f"{d!r} is not the same events in another order")
            elif item.kind in _WHOLE_OPTION_KINDS:
                if normalise(d) == normalise(item.answer):
                    add(f"distractors[{j}]", f"{d!r} is the answer itself")
            elif too_close(d, (item.answer, *item.aliases)):
                add(f"distractors[{j}]", f"{d!r} is too close to the answer to be clearly wrong")
    return out


def validate_bank(bank: Bank) -> list[Problem]:
    """Return every item-writing rule the questions of a bank break."""
    out: list[Problem] = []
    file = bank.path
    seen: dict[str, int] = {}
    for q in bank.questions:

        def add(field: str, message: str, q_id: str = q.id, line: int = q.line) -> None:
            out.append(Problem(file, line, f"{q_id}.{field}", message))

        if q.id in seen:
            add("id", f"duplicate id (first at line {seen[q.id]})")
        seen.setdefault(q.id, q.line)
        if q.paragraph < 1:
            add("paragraph", f"paragraph {q.paragraph} does not exist")
        if bank.topics and q.topic not in bank.topics:
            add("topic", f"unknown topic {q.topic!r}")
        if (stem := _stem_problem(q.prompt)) is not None:
            add("prompt", stem)
        answers = (q.answer, *q.aliases)
        if q.kind is QuestionKind.TRUE_FALSE:
            if q.choices != (TRUE, FALSE) or q.answer not in (TRUE, FALSE):
                add(
                    "choices",
                    "a true/false question has choices [True, False] and one of them as answer",
                )
            continue
        # A fact-or-opinion prompt names its three labels by design: no label gives itself away.
        fixed_labels = q.kind is QuestionKind.FACT_OPINION
        if not fixed_labels and (found := contains_answer(q.prompt, answers)) is not None:
            add("prompt", f"gives the answer away ({found!r} appears in it)")
        if q.kind.has_choices:
            _check_choices(q.choices, q.answer, answers, add, q.kind)
        elif q.choices:
            add("choices", f"a {q.kind.value} question is answered in free text and has no choices")
        if q.kind is QuestionKind.NUMERIC and parse_number(q.answer) is None:
            add("answer", f"a numeric question needs a number as its answer, got {q.answer!r}")
    out.extend(_check_balance(bank))
    return out


def _check_choices(
    choices: tuple[str, ...], answer: str, answers: tuple[str, ...], add, kind: QuestionKind
) -> None:
    if answer not in choices:
        add("answer", f"{answer!r} is not among the choices")
        return
    if set(choices) == set(FACT_OPINION_CHOICES):
        return
    if not MIN_DISTRACTORS + 1 <= len(choices) <= MAX_CHOICES:
        add("choices", f"needs {MIN_DISTRACTORS + 1} to {MAX_CHOICES} choices, has {len(choices)}")
    normal = Counter(normalise(c) for c in choices)
    for c in choices:
        if normal[normalise(c)] > 1:
            add("choices", f"{c!r} appears twice (after normalising)")
        elif _ABOVE_RE.search(c):
            add("choices", f"{c!r}: 'all/none of the above' is not allowed")
        elif kind in _WHOLE_OPTION_KINDS:
            continue  # an ordering or pairing differs from the answer in its arrangement only
        elif c != answer and too_close(c, answers):
            add("choices", f"{c!r} is too close to the answer to be clearly wrong")
        elif c != answer and not same_form(c, answer):
            add("choices", f"{c!r} does not look like the answer {answer!r} (kind or length)")


def _check_balance(bank: Bank) -> list[Problem]:
    out: list[Problem] = []
    positions = Counter(
        q.correct_index
        for q in bank.questions
        if q.kind.has_choices and q.kind is not QuestionKind.TRUE_FALSE and len(q.choices) == 4
    )
    total = sum(positions.values())
    if total >= 8:
        counts = [positions.get(i, 0) for i in range(4)]
        if max(counts) - min(counts) > max(2, total // 10):
            shown = ", ".join(f"{'ABCD'[i]}={n}" for i, n in enumerate(counts))
            out.append(
                Problem(
                    bank.path,
                    1,
                    "questions",
                    f"the correct option's position is uneven ({shown})",
                    warning=True,
                )
            )
    tf = [q.answer for q in bank.questions if q.kind is QuestionKind.TRUE_FALSE]
    if len(tf) >= 6:
        share = tf.count(FALSE) / len(tf)
        if not 0.3 <= share <= 0.7:
            out.append(
                Problem(
                    bank.path,
                    1,
                    "questions",
                    f"{share:.0%} of true/false items are false; keep it near half",
                    warning=True,
                )
            )
    return out
