"""Answer a player's question with the article's own facts, via a small BM25 index.

Each fact becomes one document whose fields carry different weights: the answer, question and
statement count most, aliases and quotes a little less, the explanation least. Facts from the same
paragraph lend each other their answers and the names in their statements at a low weight, so a
fact written as "the Serbian capital" is still found by "Belgrade" when a sibling names it.

A question gets hits only when they are good enough: the BM25 score must clear a floor, and the
matched query terms must carry most of the query's weight (IDF-weighted coverage), so a question
the article does not answer ("who won the world cup?") gets nothing rather than a random fact.
Question words nudge the ranking towards the kind of fact they ask for ("when" towards dates).
Facts name the people and bodies they are about (`about:`): those names are indexed, and a
question that names one may ask what it is or does in words no fact uses ("where does Gajić
work?"), which then need not match.
Over-long questions are cut to ``MAX_QUESTION_CHARS`` characters.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.matching import normalise
from bot.core.models import Fact, FactKind

__all__ = ["MAX_QUESTION_CHARS", "ArticleIndex", "AskHit", "terms"]

MAX_QUESTION_CHARS = 300
MAX_QUERY_TERMS = 40
K1 = 1.2
B = 0.75
MIN_SCORE = 3.0
MIN_COVERAGE = 0.6
# How much each entity a question names, and a fact is about, lifts the fact's score.
ABOUT_BOOST = 0.5
# A second hit must be nearly as good as the first, or it is noise beside a clear answer.
SECOND_HIT_RATIO = 0.5

FIELD_WEIGHTS = {
    "answer": 3.0,
    "about": 2.5,
    "question": 2.0,
    "statement": 2.0,
    "aliases": 1.5,
    "quote": 1.5,
    "explanation": 1.0,
    "context": 0.5,
}

_STOPWORD_TEXT = """
    a an the and or but if of to in on at by for from with about as into than then so
    is are was were be been being am do does did done has have had having will would shall should
    can could may might must what who whom whose which when where why how that this these those
    there here it its he she they them his her their him i me my we us our you your yours
    not no nor too very just also any some all each every both either neither such same other
    more most much many one ones own only again ever even still yet s t
    tell know say said mention explain get gets got happen happens happened
    go goes going went thing things kind up down out off mean article story text please according"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Words that name the same thing in this kind of news text; both sides are folded to the key.
SYNONYMS = {
    "serbian": "serbia",
    "serbians": "serbia",
    "serbs": "serbia",
    "serb": "serbia",
    "azerbaijani": "azerbaijan",
    "azerbaijanis": "azerbaijan",
    "azeri": "azerbaijan",
    "azeris": "azerbaijan",
    "european": "europe",
    "commerce": "trade",
    "trading": "trade",
    "grew": "grow",
    "growth": "grow",
    "grown": "grow",
    "increase": "grow",
    "increased": "grow",
    "rise": "grow",
    "rose": "grow",
    "surge": "grow",
    "begin": "start",
    "begins": "start",
    "commence": "start",
    "launch": "start",
    "launched": "start",
    "fly": "flight",
    "flies": "flight",
    "trip": "visit",
    "called": "call",
    "referred": "call",
    "refer": "call",
    "refers": "call",
    "nickname": "call",
    "defense": "defence",
    "highway": "road",
    "motorway": "road",
    "built": "build",
    "meet": "meeting",
    "met": "meeting",
    "talks": "meeting",
    "expert": "analyst",
    "guest": "visit",
    "come": "visit",
    "came": "visit",
    "arrive": "visit",
    "arrived": "visit",
    "attack": "aggression",
    "attacked": "aggression",
    "presidency": "president",
    "supplier": "supply",
    "important": "sensitive",
    "visitor": "visit",
    "want": "keen",
    "wish": "keen",
    "eager": "keen",
    "issue": "question",
    "matter": "question",
    "relation": "tie",
    "relationship": "tie",
    "expand": "extend",
    "see": "regard",
    "view": "regard",
    "consider": "regard",
}

# Words that ask what an entity is or does ("where does Gajić work?", "what does Baku think?"):
# a fact about the entity answers them, so once the question names one they need not match.
_ENTITY_TEXT = """work works job role position occupation profession employ employed employer
    think thinks believe believes opinion stance"""
ENTITY_WORDS = frozenset(_ENTITY_TEXT.split())

# Question words that hint at the kind of fact wanted; a gentle nudge, never a filter.
KIND_HINTS: dict[str, dict[FactKind, float]] = {
    "when": {FactKind.DATE: 1.3},
    "who": {FactKind.PERSON: 1.3, FactKind.QUOTE: 1.15},
    "where": {FactKind.PLACE: 1.3},
    "much": {FactKind.NUMBER: 1.3},
    "many": {FactKind.NUMBER: 1.3},
}

_SUFFIXES = (
    ("isation", "iz"),
    ("ization", "iz"),
    ("ising", "iz"),
    ("izing", "iz"),
    ("ised", "iz"),
    ("ized", "iz"),
    ("ise", "iz"),
    ("ize", "iz"),
    ("ies", "y"),
    ("ing", ""),
    ("ed", ""),
    ("es", "e"),
    ("s", ""),
)


def _stem(word: str) -> str:
    """Strip one common English suffix, then a final e, keeping at least a 3-letter stem."""
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: -len(suffix)] + repl
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


# Keyed by stem, so every inflection of a word ("increases", "increased") meets its synonym.
_STEM_SYNONYMS = {_stem(word): _stem(key) for word, key in SYNONYMS.items()}
# The index terms of the entity words, dropped from a question that names an entity.
_ENTITY_TERMS = frozenset(_STEM_SYNONYMS.get(_stem(w), _stem(w)) for w in ENTITY_WORDS)


def terms(text: str) -> list[str]:
    """Return the index terms of a text: folded, stopwords dropped, stemmed, synonyms merged."""
    out: list[str] = []
    for word in normalise(text).split():
        if word in STOPWORDS:
            continue
        stem = _stem(word)
        out.append(_STEM_SYNONYMS.get(stem, stem))
    return out


@dataclass(frozen=True, slots=True)
class AskHit:
    """A fact that answers the question, with its score."""

    fact: Fact
    score: float
    coverage: float


@dataclass(frozen=True, slots=True)
class _Doc:
    """One indexed fact: weighted term frequencies and weighted length."""

    fact: Fact
    tf: dict[str, float]
    length: float


def _fields(fact: Fact, context: Iterable[str]) -> dict[str, str]:
    """Return the texts indexed for a fact, by field name."""
    return {
        "answer": fact.answer,
        "about": " ".join(fact.about),
        "question": fact.question,
        "statement": fact.statement,
        "aliases": " ".join(fact.aliases),
        "quote": fact.quote or "",
        "explanation": fact.explanation,
        "context": " ".join(context),
    }


def _names(text: str) -> list[str]:
    """Return the capitalised words of a text after its first word: its names, roughly."""
    words = text.split()
    return [w for w in words[1:] if w[:1].isupper()]


class ArticleIndex:
    """A BM25 index over one article's facts."""

    def __init__(self, facts: Sequence[Fact]) -> None:
        siblings: dict[int, list[Fact]] = {}
        for fact in facts:
            siblings.setdefault(fact.paragraph, []).append(fact)
        self._docs: list[_Doc] = []
        for fact in facts:
            context = [
                " ".join((f.answer, *f.aliases, *_names(f.statement)))
                for f in siblings[fact.paragraph]
                if f.id != fact.id
            ]
            tf: dict[str, float] = {}
            length = 0.0
            for name, text in _fields(fact, context).items():
                weight = FIELD_WEIGHTS[name]
                words = terms(text)
                length += weight * len(words)
                for word in words:
                    tf[word] = tf.get(word, 0.0) + weight
            self._docs.append(_Doc(fact, tf, length))
        # The names facts are about: a question naming one is a question about that entity.
        self._doc_about = {fact.id: set(terms(" ".join(fact.about))) for fact in facts}
        self._about = set().union(*self._doc_about.values())
        n = len(self._docs)
        self._avg_length = sum(d.length for d in self._docs) / n if n else 1.0
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(doc.tf.keys())
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        # A term the article never uses weighs as much as the rarest possible one.
        self._unknown_idf = math.log(1 + (n + 0.5) / 0.5)

    def __len__(self) -> int:
        return len(self._docs)

    def idf(self, term: str) -> float:
        """Return a term's inverse document frequency (high for terms absent from the index)."""
        return self._idf.get(term, self._unknown_idf)

    def _score(self, doc: _Doc, query: dict[str, float], total: float) -> tuple[float, float]:
        """Return (BM25 score, share of the query's IDF `total` found) for one document."""
        score = found = 0.0
        norm = K1 * (1 - B + B * doc.length / self._avg_length)
        for term, idf in query.items():
            tf = doc.tf.get(term, 0.0)
            if tf:
                score += idf * tf * (K1 + 1) / (tf + norm)
                found += idf
        return score, (found / total if total else 0.0)

    def ask(self, question: str, k: int = 2) -> list[AskHit]:
        """Return up to `k` facts that answer the question, best first; [] if none does well."""
        text = question[:MAX_QUESTION_CHARS]
        asked = list(dict.fromkeys(terms(text)))[:MAX_QUERY_TERMS]
        if self._about.intersection(asked):
            asked = [t for t in asked if t not in _ENTITY_TERMS] or asked
        query = {t: self.idf(t) for t in asked}
        if not query or k <= 0 or not self._docs:
            return []
        total = sum(query.values())
        words = set(normalise(text).split())
        boosts = [KIND_HINTS[w] for w in words if w in KIND_HINTS]
        named = self._about.intersection(query)
        # A question that only names an entity ("Who is Gajić?") asks what the facts about it
        # say: a name many facts share scores low, so it needs no score floor, only the name.
        floor = 0.0 if named and named == set(query) else MIN_SCORE
        hits: list[AskHit] = []
        for doc in self._docs:
            score, coverage = self._score(doc, query, total)
            for boost in boosts:
                score *= boost.get(doc.fact.kind, 1.0)
            # Facts about the entities the question names come before facts that mention them,
            # and the fact whose answer is the entity (who it is) before the rest.
            about = self._doc_about[doc.fact.id]
            score *= 1 + ABOUT_BOOST * len(named & about)
            if named and named <= set(terms(doc.fact.answer)):
                score *= 1 + ABOUT_BOOST
            if score < floor or coverage < MIN_COVERAGE:
                continue
            hits.append(AskHit(doc.fact, score, coverage))
        hits.sort(key=lambda h: (-h.score, h.fact.id))
        if not hits:
            return []
        best = hits[0].score
        return [h for h in hits[:k] if h.score >= best * SECOND_HIT_RATIO]
