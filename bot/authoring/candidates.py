"""Collect every answer candidate of an article: names, numbers, dates, key phrases and quotes."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.authoring.numbers import numbers_and_dates
from bot.authoring.phrases import head_key, key_phrases
from bot.authoring.rules import SKIP, Mention, context_class, kind_of, mentions, refine
from bot.authoring.sentences import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    PRONOUNS,
    STRAIGHT,
    Article,
    Passage,
    Sentence,
    find_passages,
    sentences,
)
from bot.authoring.text import tidy_end, wh_question, words_in
from bot.authoring.tokens import NEGATIVE, Tag, Token, article_lowercase_words, tag_sentence
from bot.core.models import FactKind
from bot.core.validate import contains_answer

_INLINE_QUOTE = re.compile(r"[“„][^”]*”|«[^»]*»|\"[^\"]*\"")
KIND_SCORES = {
    FactKind.PERSON: 4.5,
    FactKind.ORGANISATION: 4.5,
    FactKind.EVENT: 4.5,
    FactKind.PLACE: 3.5,
    FactKind.QUOTE: 4.5,
}
# A place named in this share of paragraphs is the article's subject, too obvious to ask about.
TOPIC_SHARE = 0.3
MAX_QUOTE_WORDS = 20


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible fact: an answer found in a sentence, how good it looks, and who said it."""

    kind: FactKind
    answer: str
    paragraph: int
    sentence: Sentence
    start: int
    end: int
    score: float
    speaker: str | None = None
    quote: str | None = None
    statement: str | None = None
    question: str | None = None
    key: str = ""
    cls: str = ""  # "place/city", "organisation/party", "claim/work", …


@dataclass
class _Sentence:
    sentence: Sentence
    tokens: list[Token]
    mentions: list[Mention]


class Spans:
    """Non-overlapping [start, end) spans kept sorted, for fast overlap tests."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for a, b in sorted(spans):
            if self._ends and a < self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], b)  # merge overlapping spans
            else:
                self._starts.append(a)
                self._ends.append(b)

    def overlaps(self, a: int, b: int) -> bool:
        """Return whether [a, b) overlaps a kept span."""
        i = bisect_right(self._starts, a) - 1
        if i >= 0 and self._ends[i] > a:
            return True
        return i + 1 < len(self._starts) and self._starts[i + 1] < b

    def add(self, a: int, b: int) -> None:
        """Keep [a, b), which must not overlap a kept span."""
        i = bisect_right(self._starts, a)
        self._starts.insert(i, a)
        self._ends.insert(i, b)


class _People:
    """The people an article names, so "Gajić" and "he" resolve to "Stevan Gajić"."""

    def __init__(self, full_names: list[str]) -> None:
        self.full = dict.fromkeys(full_names)  # a dict: ordered, and `in` is quick
        self._parts: dict[str, set[str]] = {}
        for name in self.full:
            for part in (name.split()[0], name.split()[-1]):
                self._parts.setdefault(part, set()).add(name)

    def add_alone(self, names: list[str]) -> None:
        """Add names known only in one form ("President Aliyev"), unless they are known already."""
        for name in names:
            if self.resolve(name) is None:
                self.full[name] = None
                self._parts.setdefault(name.split()[-1], set()).add(name)

    def resolve(self, text: str) -> str | None:
        """Return the full name a mention stands for, if exactly one fits."""
        if text in self.full:
            return text
        names = self._parts.get(text.rsplit(maxsplit=1)[-1], set()) if text else set()
        return next(iter(names)) if len(names) == 1 else None


def find_candidates(article: Article) -> list[Candidate]:
    """Return every candidate of the article, scored; selection happens later."""
    lowercase = article_lowercase_words(article.paragraphs)
    passages = find_passages(article)
    tagged: list[_Sentence] = []
    for s in sentences(article, passages):
        tokens = tag_sentence(s.text, lowercase)
        found = [refine(tokens, m) for m in mentions(s.text, tokens, lowercase)]
        tagged.append(_Sentence(s, tokens, found))
    known = _known_classes(tagged)
    heads = _head_paragraphs(tagged)
    people = _People(
        [
            m.text
            for t in tagged
            for m in t.mentions
            if m.kind is FactKind.PERSON and len(m.words) > 1
        ]
    )
    people.add_alone(
        [m.text for t in tagged for m in t.mentions if m.kind is FactKind.PERSON and m.titled]
    )
    resolved = [_resolve(t, people, known) for t in tagged]
    n_par = max(1, len(article.paragraphs))
    paragraphs_of: dict[tuple[FactKind, str], set[int]] = {}
    for t, r in zip(tagged, resolved, strict=True):
        for kind, canonical, _, _ in r:
            paragraphs_of.setdefault((kind, canonical), set()).add(t.sentence.paragraph)
    speakers = _speakers(tagged, resolved, people)
    out: list[Candidate] = []
    for t, r in zip(tagged, resolved, strict=True):
        s = t.sentence
        speaker = speakers.get(id(s.passage)) if s.passage else None
        taken: list[tuple[int, int]] = [(m.start, m.end) for m in t.mentions if m.cls == SKIP]
        for kind, canonical, m, cls in r:
            taken.append((m.start, m.end))
            score = KIND_SCORES.get(kind, 4.0)  # named things: titles, craft, prizes
            share = len(paragraphs_of[(kind, canonical)]) / n_par
            if kind is FactKind.PLACE and share > TOPIC_SHARE:
                score -= 2.5
            if cls == "place/continent":
                score -= 1.5  # "in Europe" is rarely what a paragraph is about
            if canonical != m.text:
                score -= 1.5  # "Gajić" alone: the fact should use the full name elsewhere
            out.append(
                Candidate(
                    kind,
                    m.text,
                    s.paragraph,
                    s,
                    m.start,
                    m.end,
                    score,
                    speaker,
                    key=canonical,
                    cls=cls,
                )
            )
        names = Spans(taken)
        for f in numbers_and_dates(s.text, t.tokens):
            if names.overlaps(f.start, f.end):
                continue  # the "25" of "25 de Abril Bridge" belongs to the name
            taken.append((f.start, max(f.end, f.unit_end)))
            cls = "claim/fraction" if f.kind is FactKind.CLAIM else f.kind.value
            out.append(
                Candidate(
                    f.kind,
                    f.answer,
                    s.paragraph,
                    s,
                    f.start,
                    f.end,
                    f.score,
                    speaker,
                    key=f.answer,
                    cls=cls,
                )
            )
        quoted = [] if s.passage else [m.span() for m in _INLINE_QUOTE.finditer(s.text)]
        blocked = Spans([*taken, *quoted])
        for p in key_phrases(s.text, t.tokens, heads, n_par):
            if blocked.overlaps(p.start, p.end):
                continue
            out.append(
                Candidate(
                    FactKind.CLAIM,
                    p.text,
                    s.paragraph,
                    s,
                    p.start,
                    p.end,
                    p.score,
                    speaker,
                    key=p.text,
                    cls="claim/phrase",
                )
            )
    out.extend(_quotes(tagged, speakers))
    out.extend(_embedded_quotes(passages, tagged, resolved, people))
    return _best_overlaps(out)


def _head_paragraphs(tagged: list[_Sentence]) -> Counter[str]:
    """Return in how many paragraphs each content word's head key occurs."""
    by_paragraph: dict[int, set[str]] = {}
    for t in tagged:
        keys = by_paragraph.setdefault(t.sentence.paragraph, set())
        keys.update(head_key(tok.text) for tok in t.tokens if tok.tag is Tag.CONTENT)
    return Counter(key for keys in by_paragraph.values() for key in keys)


def _known_classes(tagged: list[_Sentence]) -> dict[str, tuple[str, str]]:
    """Return the class and full form of each name the article settles somewhere.

    "the rover named Chakra" settles Chakra everywhere; "won The Salt Garden" settles "Salt
    Garden" where a sentence opens with it.
    """
    votes: dict[str, Counter[str]] = {}
    for t in tagged:
        for m in t.mentions:
            if m.strong and m.cls and m.cls != SKIP:
                votes.setdefault(m.text, Counter())[m.cls] += 1
    out: dict[str, tuple[str, str]] = {}
    for name, c in votes.items():
        cls = c.most_common(1)[0][0]
        out[name] = (cls, name)
        if name.startswith("The "):
            out.setdefault(name.removeprefix("The "), (cls, name))
    return out


def _resolve(
    t: _Sentence, people: _People, known: dict[str, tuple[str, str]]
) -> list[tuple[FactKind, str, Mention, str]]:
    """Return (kind, canonical answer, mention, class) for each mention whose kind is known."""
    out: list[tuple[FactKind, str, Mention, str]] = []
    for mention in t.mentions:
        if mention.cls == SKIP:
            continue
        m, canonical = mention, mention.text
        if not m.strong and m.text in known:
            cls, canonical = known[m.text]
            m = replace(m, cls=cls, kind=kind_of(cls))
        full = people.resolve(m.text) if m.kind in (None, FactKind.PERSON) else None
        if full is not None:
            out.append((FactKind.PERSON, full, m, "person"))
            continue
        cls = m.cls if m.kind is not None else context_class(t.tokens, m)
        kind = kind_of(cls)
        if kind is not None:
            out.append((kind, canonical, m, cls))
    return out


def _speakers(
    tagged: list[_Sentence],
    resolved: list[list[tuple[FactKind, str, Mention, str]]],
    people: _People,
) -> dict[int, str]:
    """Return the full name of each quoted passage's speaker, keyed by the passage's id."""
    out: dict[int, str] = {}
    last_person: str | None = None
    for t, r in zip(tagged, resolved, strict=True):
        q = t.sentence.passage
        if q is not None and id(q) not in out:
            name = _speaker_name(q, people, last_person)
            if name is not None:
                out[id(q)] = name
        persons = [c for k, c, _, _ in r if k is FactKind.PERSON]
        if persons:
            last_person = persons[-1]
    return out


def _speaker_name(q: Passage, people: _People, last_person: str | None) -> str | None:
    """Return the full name of a passage's speaker ("he" is the last person named)."""
    if q.speaker is None:
        return None
    if q.speaker in PRONOUNS:
        return last_person
    return people.resolve(q.speaker) or q.speaker


def _embedded_quotes(
    passages: list[Passage],
    tagged: list[_Sentence],
    resolved: list[list[tuple[FactKind, str, Mention, str]]],
    people: _People,
) -> list[Candidate]:
    """Return "who said it" candidates for short quotes inside a sentence ("a “shared vision”")."""
    out: list[Candidate] = []
    starts: dict[int, list[int]] = {}
    rows: dict[int, list[tuple[_Sentence, list[tuple[FactKind, str, Mention, str]]]]] = {}
    for t, r in zip(tagged, resolved, strict=True):
        starts.setdefault(t.sentence.paragraph, []).append(t.sentence.start)
        rows.setdefault(t.sentence.paragraph, []).append((t, r))
    for q in passages:
        if q.paragraph != q.end_paragraph or q.paragraph not in rows:
            continue
        at = bisect_right(starts[q.paragraph], q.start) - 1
        if at < 0:
            continue
        t, r = rows[q.paragraph][at]  # the sentence the quotation opens in
        s = t.sentence
        if s.passage == q:
            continue
        start = q.start - s.start
        named = people.resolve(q.speaker) if q.speaker else None
        subject = next(
            (
                (c, m)
                for k, c, m, _ in r
                if k is FactKind.PERSON and m.end <= start and named in (None, c)
            ),
            None,
        )
        if subject is None:
            continue
        name, m = subject
        quote = tidy_end(q.text)
        text = s.text[: m.start] + name + s.text[m.end :]
        answers = (name, *name.split())
        question = wh_question(FactKind.QUOTE, text, m.start, m.start + len(name), answers)
        if question is None:
            question = f"Who said “{quote}”?"
        if NEGATIVE.search(text) or contains_answer(question, answers):
            continue
        out.append(_quote(name, s, quote, text, question))
    return out


def _quote(name: str, s: Sentence, quote: str, statement: str, question: str) -> Candidate:
    """Return a "who said it" candidate, drafted already."""
    return Candidate(
        FactKind.QUOTE,
        name,
        s.paragraph,
        s,
        -1,
        -1,
        KIND_SCORES[FactKind.QUOTE],
        quote=quote,
        statement=statement,
        question=question,
        key=name,
        cls="person",
    )


def _quotes(tagged: list[_Sentence], speakers: dict[int, str]) -> list[Candidate]:
    """Return "who said it" candidates: one per quoted passage and paragraph."""
    out: list[Candidate] = []
    done: set[tuple[int, int]] = set()
    for t in tagged:
        s = t.sentence
        q = s.passage
        if q is None or (id(q), s.paragraph) in done:
            continue
        name = speakers.get(id(q))
        if name is None:
            continue
        excerpt = _excerpt(spoken(s)[0])
        if excerpt is None or contains_answer(excerpt, (name, *name.split())) is not None:
            continue
        done.add((id(q), s.paragraph))
        out.append(
            _quote(name, s, excerpt, f"{name} said: “{excerpt}.”", f"Who said: “{excerpt}”?")
        )
    return out


def spoken(sentence: Sentence) -> tuple[str, int]:
    """Return the words of a quoted sentence without its quotation marks and attribution.

    Returns the words and their offset in the sentence: `Costa said: "This bridge joins …`
    gives `This bridge joins …` and the offset of its first letter.
    """
    text = sentence.text
    q = sentence.passage
    if q is None:
        return text, 0
    end = len(text)
    if sentence.paragraph == q.end_paragraph and 0 <= q.end - sentence.start < len(text):
        end = q.end - sentence.start
    start = 0
    if sentence.paragraph == q.paragraph and 0 < q.start - sentence.start < end:
        start = q.start - sentence.start  # the attribution before the opening mark is cut
    body = text[start:end]
    lead = len(body) - len(body.lstrip(f"{OPEN_QUOTES}{STRAIGHT} "))
    return body[lead:].rstrip(f" {CLOSE_QUOTES}{STRAIGHT}"), start + lead


def _excerpt(text: str) -> str | None:
    """Return a short, negation-free excerpt of a quoted sentence, or None."""
    body = text.strip().strip(f"{OPEN_QUOTES}{CLOSE_QUOTES}{STRAIGHT}").strip()
    if NEGATIVE.search(body):
        return None
    if words_in(body) > MAX_QUOTE_WORDS:
        parts = body.split(", ")
        kept: list[str] = []
        for part in parts:
            if words_in(" ".join([*kept, part])) > MAX_QUOTE_WORDS:
                break
            kept.append(part)
        if not kept:
            return None
        body = ", ".join(kept)
    body = tidy_end(body)
    return body if words_in(body) >= 4 else None


def _best_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep, among candidates whose spans overlap in one sentence, only the best scored."""
    out: list[Candidate] = []
    by_sentence: dict[int, list[Candidate]] = {}
    for c in cands:
        by_sentence.setdefault(id(c.sentence), []).append(c)
    for group in by_sentence.values():
        kept = Spans()
        for c in sorted(group, key=lambda c: (-c.score, -(c.end - c.start), c.start)):
            if c.start >= 0:
                if kept.overlaps(c.start, c.end):
                    continue
                kept.add(c.start, c.end)
            out.append(c)
    return out
