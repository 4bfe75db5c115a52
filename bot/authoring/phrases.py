"""Find key phrases (short noun phrases and predicate adjectives) in a tagged sentence.

Rules, not a parser: a phrase is a run of content words; it scores higher where English puts
new information (the end of a clause), after a contrast ("not X, but Y"), inside a list, and when
its head word recurs across the article's paragraphs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.authoring.gazetteer import gazetteer, word_set
from bot.authoring.tokens import COPULAS, Tag, Token

MAX_WORDS = 3
PREDICATE_SCORE = 3.0
# A head word found in this share of paragraphs is the article's subject, not a detail.
TOPIC_SHARE = 0.25
# A head repeated in this many paragraphs adds nothing to a three-word phrase.
RECURRING_HEAD = 3
_CLAUSE_END = frozenset('.,;:—–)!?”"…')
_LIST_GLUE = frozenset({",", "and", "or"})
_DETERMINERS = word_set(
    "a an the this that these those its their his her our my your each every some any"
)
_INTENSIFIERS = frozenset({"very", "rarely", "often", "always", "never", "quite", "so", "too"})
# Nouns too vague to quiz on by themselves.
_VAGUE = word_set(
    "way ways time times part parts level levels case cases fact facts sense context issue "
    "issues matter matters terms glance practice thing things kind sort lot number area areas "
    "aspect aspects point points side sides form forms step steps role figures place effort "
    "end means view order respect addition years months days weeks decades today"
)


# Heads that carry little meaning of their own: "the bureaucratic level", "the personal dimension".
_FILLER_HEADS = word_set(
    "level levels dimension dimensions context attention aspect aspects stage sense way ways "
    "part side kind type extent degree manner basis terms matter"
)


# Endings that mark an adjective, which can never end a phrase ("stable bilateral").
_ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ous", "ful", "able", "ible", "ary", "less")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A key-phrase candidate: its text and span in the sentence, and how salient it looks."""

    text: str
    start: int
    end: int
    score: float


def head_key(word: str) -> str:
    """Return the frequency key of a word: lower case, a plural -s dropped."""
    low = word.lower()
    return low[:-1] if len(low) > 4 and low.endswith("s") and not low.endswith("ss") else low


def _np_able(tokens: list[Token], i: int) -> bool:
    t = tokens[i]
    if t.tag in (Tag.CONTENT, Tag.CAPADJ):
        return True
    if t.tag is Tag.VERB and t.lower.endswith(("ing", "ed")) and i + 1 < len(tokens):
        return tokens[i + 1].tag in (Tag.CONTENT, Tag.CAPADJ)  # "transforming energy market"
    return False


def _chunks(tokens: list[Token]) -> list[tuple[int, int]]:
    """Return [start, end) token ranges of noun-phrase-like runs, "A of B" joined when B is bare."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(tokens)
    while i < n:
        if not _np_able(tokens, i):
            i += 1
            continue
        j = i
        while j < n and _np_able(tokens, j):
            j += 1
        runs.append((i, j))
        i = j
    joined: list[tuple[int, int]] = []
    k = 0
    while k < len(runs):
        a, b = runs[k]
        if k + 1 < len(runs):
            c, d = runs[k + 1]
            bare_b = d - c == 1 and (d >= n or not _np_able(tokens, d))
            if c == b + 1 and tokens[b].lower in ("of", "for") and b - a <= 2 and bare_b:
                joined.append((a, d))  # "a new density of connections"
                k += 2
                continue
        joined.append((a, b))
        k += 1
    return joined


def _trim(tokens: list[Token], a: int, b: int) -> tuple[int, int]:
    """Drop weak leading modifiers and participles, and anything after the head noun."""
    weak = gazetteer().weak_modifiers
    while b > a and (tokens[b - 1].tag is not Tag.CONTENT or tokens[b - 1].lower in weak):
        b -= 1  # "the closures next year" ends on "closures"
    has_of = any(tokens[k].lower in ("of", "for") for k in range(a, b))
    while a < b and (tokens[a].lower in weak or tokens[a].tag is Tag.VERB):
        a += 1
    if not has_of and b - a > MAX_WORDS:
        a = b - MAX_WORDS
    return a, b


def _before(tokens: list[Token], a: int, skip: frozenset[str], limit: int = 3) -> list[Token]:
    """Return up to `limit` tokens before index a, nearest first, skipping determiners."""
    out: list[Token] = []
    k = a - 1
    while k >= 0 and len(out) < limit:
        if tokens[k].lower not in skip:
            out.append(tokens[k])
        k -= 1
    return out


def key_phrases(
    sentence: str, tokens: list[Token], head_paragraphs: Mapping[str, int], paragraphs: int
) -> list[Phrase]:
    """Return the key-phrase candidates of a sentence with their scores."""
    out: list[Phrase] = []

    def share(token: Token) -> float:
        return head_paragraphs.get(head_key(token.text), 1) / max(1, paragraphs)

    chunks = [_trim(tokens, a, b) for a, b in _chunks(tokens)]
    chunks = [(a, b) for a, b in chunks if b > a]
    ends = [_ends_clause(tokens, chunks, i) for i in range(len(chunks))]
    # Chunks that start before the first non-function word open the sentence.
    opening = next((i for i, t in enumerate(tokens) if t.tag is not Tag.FUNC), len(tokens))
    for idx, (a, b) in enumerate(chunks):
        words = tokens[a:b]
        nxt = tokens[b] if b < len(tokens) else None
        if nxt is not None and nxt.tag in (Tag.NAME, Tag.CAPADJ, Tag.NUM):
            continue  # a modifier of a name or number ("direct Baku flights"), not a phrase
        if a > 0 and tokens[a - 1].text in "–-" and words[0].tag is Tag.CAPADJ:
            continue  # the tail of "Azerbaijani–Serbian relations"
        content = [t for t in words if t.lower not in ("of", "for")]
        recurring = head_paragraphs.get(head_key(words[-1].text), 1) >= RECURRING_HEAD
        noun_before = len(words) > 1 and not words[-2].lower.endswith(_ADJECTIVE_ENDINGS)
        if len(content) == MAX_WORDS and words[-2].tag is Tag.CONTENT and recurring and noun_before:
            words, content = words[:-1], content[:-1]  # "defence industry cooperation"
        if len(words) == 1 and (words[0].lower in _VAGUE or len(words[0].text) < 4):
            continue
        if len(words) == 1 and words[0].lower in gazetteer().noun_class:
            continue  # "its president, Mary Njeri": a role or a sort of thing, not a fact
        score = 1.0
        if a <= opening:
            score += 0.75  # the subject that opens the sentence
        if ends[idx]:
            score += 1.5  # end focus: a clause ends on its news
        prev = _before(tokens, a, _DETERMINERS)
        prev_words = [t.lower for t in prev[:3]]
        marked = prev_words[:1] == ["but"] or prev_words[:2] == ["than", "rather"]
        if marked:
            score += 1.5
        if prev_words[:1] == ["as"] and a > 0 and tokens[a - 1].lower in ("a", "an"):
            score += 1.0  # a role: "as a gas supplier"
        if "not" in prev_words[:2] or (prev_words[:1] == ["merely"]):
            score -= 2.0  # the negated half of "not X, but Y" is the wrong answer
        listed = _in_list(tokens, chunks, idx)
        if listed:
            score += 1.0
        head_share = share(words[-1])
        if head_share > TOPIC_SHARE:
            score -= 1.0 if len(content) == 1 else 0.0  # the article's own subject: too obvious
        else:
            freq = head_paragraphs.get(head_key(words[-1].text), 1)
            score += min(1.5, 0.5 * (freq - 1))
        if len(content) == 1 and not (listed or marked):
            score -= 0.5
        if words[-1].lower in _FILLER_HEADS:
            score -= 1.0
        score += {1: 0.0, 2: 0.5}.get(len(content), -0.25)
        text = sentence[words[0].start : words[-1].end]
        out.append(Phrase(text, words[0].start, words[-1].end, score))
    out.extend(_predicates(sentence, tokens))
    return out


def _ends_clause(tokens: list[Token], chunks: list[tuple[int, int]], idx: int) -> bool:
    """Return whether a chunk ends its clause, or belongs to a list that does."""
    while True:
        b = chunks[idx][1]
        nxt = tokens[b] if b < len(tokens) else None
        if nxt is None or (nxt.text in _CLAUSE_END and not _glued_next(tokens, chunks, idx)):
            return True
        if idx + 1 < len(chunks) and _glued(tokens, chunks[idx], chunks[idx + 1]):
            idx += 1  # "transit routes and logistical constraints." ends as a whole
            continue
        return False


def _glued(tokens: list[Token], left: tuple[int, int], right: tuple[int, int]) -> bool:
    between = [t.lower for t in tokens[left[1] : right[0]]]
    has_glue = any(w in _LIST_GLUE for w in between)
    return has_glue and all(w in _LIST_GLUE or w in _DETERMINERS for w in between)


def _glued_next(tokens: list[Token], chunks: list[tuple[int, int]], idx: int) -> bool:
    return idx + 1 < len(chunks) and _glued(tokens, chunks[idx], chunks[idx + 1])


def _in_list(tokens: list[Token], chunks: list[tuple[int, int]], idx: int) -> bool:
    """Return whether chunk idx is one item of a list ("tourism, transport, and investment")."""
    here = chunks[idx]
    return (idx > 0 and _glued(tokens, chunks[idx - 1], here)) or _glued_next(tokens, chunks, idx)


def _predicates(sentence: str, tokens: list[Token]) -> list[Phrase]:
    """Return clause-final predicate adjectives: "is very high", "are rarely accidental"."""
    out: list[Phrase] = []
    for i, t in enumerate(tokens):
        if t.lower not in COPULAS:
            continue
        k = i + 1
        start = k
        if k < len(tokens) and (tokens[k].lower in _INTENSIFIERS or tokens[k].tag is Tag.ADV):
            k += 1
        if k >= len(tokens) or tokens[k].tag is not Tag.CONTENT:
            continue
        end_ok = k + 1 >= len(tokens) or tokens[k + 1].text in _CLAUSE_END
        if not end_ok or tokens[start].lower in ("merely", "not"):
            continue
        a = start if k > start else k
        text = sentence[tokens[a].start : tokens[k].end]
        out.append(Phrase(text, tokens[a].start, tokens[k].end, PREDICATE_SCORE))
    return out
