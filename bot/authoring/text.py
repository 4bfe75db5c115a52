"""Build a draft fact's statement and question from the sentence an answer was found in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.authoring.gazetteer import MONTHS, word_set
from bot.authoring.tokens import NEGATIVE
from bot.core.models import FactKind
from bot.core.validate import contains_answer

BLANK = "_____"
MAX_STATEMENT_WORDS = 60
MAX_WINDOW_WORDS = 28
_CUT_OFF = (",", ";", ":", "—", "–")
_CLAUSE_SPLIT = re.compile(r"\s*[,;:—–()]\s*|\s+(?=(?:but|if|unless|because|although|whereas)\s)")
KIND_NOUNS = {
    FactKind.PERSON: "person",
    FactKind.PLACE: "place",
    FactKind.ORGANISATION: "organisation",
    FactKind.DATE: "date",
    FactKind.NUMBER: "number",
    FactKind.EVENT: "event",
    FactKind.CLAIM: "phrase",
    FactKind.QUOTE: "person",
}
_WH = {
    FactKind.PERSON: "Who",
    FactKind.QUOTE: "Who",
    FactKind.ORGANISATION: "Which organisation",
    FactKind.PLACE: "Which place",
    FactKind.EVENT: "Which event",
    FactKind.CLAIM: "What",
}


_SOFT_NEGATION = re.compile(r"\bnot (?:only|just|merely)\s+", re.IGNORECASE)


def soften(text: str, start: int, end: int) -> tuple[str, int, int]:
    """Drop "not only" / "not just" (their "but also" keeps the sense), moving the answer span."""
    out: list[str] = []
    pos = 0
    shift_start = shift_end = 0
    for m in _SOFT_NEGATION.finditer(text):
        if m.start() < end and m.end() > start:
            continue  # never cut into the answer
        out.append(text[pos : m.start()])
        pos = m.end()
        removed = m.end() - m.start()
        if m.end() <= start:
            shift_start += removed
        if m.end() <= end:
            shift_end += removed
    out.append(text[pos:])
    return "".join(out), start - shift_start, end - shift_end


def words_in(text: str) -> int:
    """Return the number of words in text."""
    return len(text.split())


def _clauses(text: str) -> list[tuple[int, int]]:
    """Return the [start, end) spans of the clauses of a sentence, split at commas and dashes."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


@dataclass(frozen=True, slots=True)
class Window:
    """Clauses around an answer, with the answer's offsets inside the composed text."""

    text: str
    start: int
    end: int
    at_start: bool  # the window begins where the sentence begins
    at_end: bool  # the window ends where the sentence ends


def _before_negation(piece: str) -> str:
    """Return the words of a clause before its negation ("… is not merely X" → "… is")."""
    m = NEGATIVE.search(piece)
    head = piece[: m.start()].strip() if m else piece
    return head if words_in(head) >= 2 else ""


def window(text: str, start: int, end: int, max_words: int = MAX_WINDOW_WORDS) -> Window | None:
    """Return the clauses around [start, end): short, and cut before any negation."""
    spans = _clauses(text)
    inside = [i for i, (a, b) in enumerate(spans) if a < end and b > start]
    if not inside:
        return None
    lo, hi = inside[0], inside[-1]
    if NEGATIVE.search(text[spans[lo][0] : spans[hi][1]]):
        return None
    left = right = ""
    open_left = open_right = True
    while open_left or open_right:
        for side in ("right", "left"):
            cand = hi + 1 if side == "right" else lo - 1
            if not 0 <= cand < len(spans) or not (open_right if side == "right" else open_left):
                if side == "right":
                    open_right = False
                else:
                    open_left = False
                continue
            a = spans[min(lo, cand)][0]
            b = spans[max(hi, cand)][1]
            piece = text[spans[cand][0] : spans[cand][1]]
            if words_in(text[a:b]) > max_words:
                open_right = open_right and side != "right"
                open_left = open_left and side != "left"
                continue
            if NEGATIVE.search(piece):
                head = _before_negation(piece)
                if side == "right":
                    gap = text[spans[hi][1] : spans[cand][0]]
                    right, open_right = (f"{gap}{head} …" if head else ""), False
                else:
                    left, open_left = (f"{head} … " if head else ""), False
                continue
            lo, hi = min(lo, cand), max(hi, cand)
    a, b = spans[lo][0], spans[hi][1]
    composed = left + text[a:b] + right
    shift = len(left) - a
    at_start = a == 0 or bool(left and lo == 1)
    return Window(composed, start + shift, end + shift, at_start, b >= len(text) and not right)


def tidy_end(text: str) -> str:
    """Strip closing punctuation from a clause, keeping a closing quotation mark."""
    t = text.rstrip()
    closing = ""
    if t.endswith(("”", '"')):
        closing, t = t[-1], t[:-1].rstrip()
    t = t.rstrip(" .,;:!?—–")
    if closing and (t.count("“") > t.count("”") or t.count('"') % 2 == 1):
        t += closing
    return t


def statement_for(text: str, start: int, end: int) -> str | None:
    """Return a statement holding the answer: the sentence, or its clauses without negation."""
    if not NEGATIVE.search(text) and words_in(text) <= MAX_STATEMENT_WORDS:
        # A quoted sentence cut before its attribution ends "…,”": end it as a sentence.
        return tidy_end(text) + "." if text.endswith(_CUT_OFF) else text
    w = window(text, start, end, max_words=40)
    if w is None:
        return None
    body = tidy_end(w.text)
    return body if body.endswith("…") else body + "."


def cloze(text: str, start: int, end: int, answers: tuple[str, ...]) -> str | None:
    """Return the clauses around the answer with the answer blanked, or None if it leaks."""
    w = window(text, start, end)
    if w is None:
        return None
    body = w.text[: w.start] + BLANK + w.text[w.end :]
    if contains_answer(body, answers) is not None:
        return None
    body = tidy_end(body.replace("“", "‘").replace("”", "’"))
    prefix = "" if w.at_start else "… "
    suffix = "" if w.at_end or body.endswith("…") else " …"
    return f"{prefix}{body.strip()}{suffix}"


def cloze_question(
    kind: FactKind, blanked: str, speaker: str | None = None, answer: str = ""
) -> str:
    """Return a multiple-choice stem around a blanked sentence."""
    noun = KIND_NOUNS[kind]
    if kind is FactKind.DATE and answer.isdigit():
        noun = "year"
    elif kind is FactKind.DATE and answer in MONTHS:
        noun = "month"
    by = f" (said by {speaker})" if speaker else ""
    return f"Which {noun} completes this{by}: “{blanked}”?"


def wh_question(
    kind: FactKind, text: str, start: int, end: int, answers: tuple[str, ...]
) -> str | None:
    """Turn a sentence whose subject is the answer into a question: "Who referred to …?"."""
    head = text[:start].strip(' “"')
    if head or kind not in _WH:
        return None
    rest = text[end:]
    m = re.match(r"\s+([a-z][\w’'-]*)", rest)
    if m is None:
        return None
    w = window(text, start, end)
    if w is None:
        return None
    body = tidy_end(w.text[w.end :])
    if NEGATIVE.search(body) or contains_answer(body, answers) is not None:
        return None
    if words_in(body) < 3:
        return None
    return f"{_WH[kind]}{body}?"


def lower_first(text: str, keep: str) -> str:
    """Lower-case the first letter of a sentence unless it starts a name or the answer."""
    first = text.split(" ", 1)[0].strip('“",;:')
    if not first or text.startswith(keep) or not first[0].isupper():
        return text
    if first.lower() in _SENTENCE_OPENERS and text[0].isalpha():
        return text[0].lower() + text[1:]
    return text


_SENTENCE_OPENERS = word_set(
    "the this that these those it its there today we our as in on at for by with unlike "
    "following beyond although while because if when since a an both each some many most"
)
