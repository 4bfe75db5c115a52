"""Tokenise a sentence and give each word a coarse, rule-based word class."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.authoring.gazetteer import MONTHS, gazetteer, word_set

CURRENCY = re.compile(r"^(?:[A-Z]{1,2}\$|[€$£¥₹₩])")
_TOKEN = re.compile(
    # Clock and race times ("6:30", "2:19:42") are one token, and no quantity.
    r"(?P<time>\d{1,2}(?::\d\d){1,2}(?!\d))"
    r"|(?P<num>(?:[A-Z]{1,2}\$|[€$£¥₹₩])?\d+(?:[.,]\d+)*(?:s\b|-[^\W\d_]+)?%?)"
    # Digits may end a name ("LVM3", "A320") but never start a word.
    r"|(?P<word>[^\W\d_]+\d*(?:[’'\-.][^\W_]+)*)"
    r"|(?P<punct>\S)"
)
_POSSESSIVE = ("’s", "'s")
NEGATIVE = re.compile(r"\b(not|except)\b|n't\b|n’t\b", re.IGNORECASE)
COPULAS = word_set(
    "is are was were be been being become becomes became seem seems seemed remain remains "
    "remained appear appears appeared"
)


class Tag(StrEnum):
    """A coarse word class, enough to find names, numbers and key phrases."""

    FUNC = "func"
    VERB = "verb"
    ADV = "adv"
    NAME = "name"  # a capitalised word that is not a known adjective
    CAPADJ = "capadj"  # "European", "Western"
    CONTENT = "content"  # a noun or adjective, as far as rules can tell
    NUM = "num"
    POS = "pos"  # the possessive 's
    PUNCT = "punct"


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a sentence, with its offsets in the sentence text."""

    text: str
    start: int
    end: int
    tag: Tag
    index: int = 0  # position in the sentence's token list

    @property
    def lower(self) -> str:
        """Return the token in lower case."""
        return self.text.lower()


def raw_tokens(text: str) -> list[tuple[str, int, int, str]]:
    """Return (text, start, end, group) for each token, with possessives split off."""
    out: list[tuple[str, int, int, str]] = []
    for m in _TOKEN.finditer(text):
        group = m.lastgroup or "punct"
        word = m.group()
        if group == "word" and word.endswith(_POSSESSIVE) and len(word) > 2:
            out.append((word[:-2], m.start(), m.end() - 2, "word"))
            out.append((word[-2:], m.end() - 2, m.end(), "pos"))
            continue
        out.append((word, m.start(), m.end(), group))
    return out


def is_adverb(lower: str) -> bool:
    """Return whether a lower-case word is an -ly adverb."""
    return len(lower) > 4 and lower.endswith("ly") and lower not in gazetteer().not_adverbs


def tag_sentence(text: str, lowercase_words: frozenset[str]) -> list[Token]:
    """Tokenise and tag a sentence, given the words the article writes in lower case."""
    g = gazetteer()
    raw = raw_tokens(text)
    tokens: list[Token] = []
    first_word = True
    for i, (word, start, end, group) in enumerate(raw):
        if group == "num":
            tag = Tag.NUM
        elif group == "time":
            tag = Tag.PUNCT  # a time of day is neither a name nor a number to ask about
        elif group == "pos":
            tag = Tag.POS
        elif group == "punct":
            tag = Tag.PUNCT
        else:
            tag = _word_tag(word, first_word, lowercase_words, raw, i)
            first_word = False
        if group == "punct" and word in ".!?;:":
            first_word = True  # a colon or quote may start a new sentence-like unit
        tokens.append(Token(word, start, end, tag, len(tokens)))
    return _past_participles(_fix_verbs(tokens, g.verb_forms))


def _word_tag(
    word: str,
    first: bool,
    lowercase_words: frozenset[str],
    raw: list[tuple[str, int, int, str]],
    i: int,
) -> Tag:
    g = gazetteer()
    low = word.lower()
    if word == "I":
        return Tag.FUNC
    if word[:1].isupper():
        if word in g.adjectives or word.split("-", maxsplit=1)[0] in g.adjectives:
            return Tag.CAPADJ
        # At the start of a sentence a capital proves nothing: trust the article's own usage.
        common = low in g.function_words or low in lowercase_words or is_adverb(low)
        # "Residents of Barreiro …": a plural noun opening a sentence before a preposition.
        nxt = raw[i + 1][0] if i + 1 < len(raw) else ""
        common = common or (low.endswith("s") and len(low) > 4 and nxt in _PREPOSITIONS)
        if first and (common or low.endswith("ing")):
            return _lower_tag(low)
        if word in MONTHS:
            return Tag.FUNC if first and word == "May" else Tag.NAME  # "May I …" is no month
        if low in g.function_words and len(word) > 1 and not word.isupper():
            return _lower_tag(low)
        return Tag.NAME
    return _lower_tag(low)


def _lower_tag(low: str) -> Tag:
    g = gazetteer()
    if low in g.function_words:
        return Tag.FUNC
    if low in g.verb_forms:
        return Tag.VERB
    if is_adverb(low):
        return Tag.ADV
    return Tag.CONTENT


_PREPOSITIONS = frozenset({"of", "in", "from", "at", "on", "across", "near"})
_ARTICLES = word_set("a an the its their his her our my your each every some any no")
_DEMONSTRATIVES = word_set("this these those")


def _fix_verbs(tokens: list[Token], verb_forms: frozenset[str]) -> list[Token]:
    """Read verb forms that stand where nouns do as nouns ("the signing", "mutual support")."""
    out = list(tokens)
    for i, t in enumerate(out):
        if t.tag is not Tag.VERB or i == 0:
            continue
        prev = out[i - 1]
        nxt = out[i + 1] if i + 1 < len(out) else None
        low = t.lower
        third_person = low.endswith("s") and not low.endswith("ss")
        base = low in gazetteer().verb_bases
        after_article = prev.tag is Tag.FUNC and prev.lower in _ARTICLES
        # "these links" is a noun, "this applies" a verb.
        after_demonstrative = prev.lower in _DEMONSTRATIVES and not (
            prev.lower == "this" and third_person
        )
        after_pos = prev.tag is Tag.POS
        before_of = nxt is not None and nxt.lower == "of" and low.endswith("ing")
        # A bare verb form after a singular noun or adjective is a noun: "mutual support".
        after_singular = base and prev.tag is Tag.CONTENT and not prev.lower.endswith("s")
        # "air links always accelerate": a plural -s form followed by a verb is the subject.
        following = [x for x in out[i + 1 : i + 3] if x.tag is not Tag.ADV]
        subject = third_person and bool(following) and following[0].tag is Tag.VERB
        subject = subject and prev.tag is Tag.CONTENT
        if (
            after_article
            or after_demonstrative
            or after_pos
            or before_of
            or after_singular
            or subject
        ):
            out[i] = Token(t.text, t.start, t.end, Tag.CONTENT, t.index)
    return out


_NOT_PARTICIPLES = frozenset({"hundred", "kindred", "sacred", "naked", "wicked", "rugged"})


def _past_participles(tokens: list[Token]) -> list[Token]:
    """Read an unknown "-ed" word that does not modify a following noun as a verb ("farmed")."""
    out = list(tokens)
    for i, t in enumerate(out):
        low = t.lower
        if t.tag is not Tag.CONTENT or not low.endswith("ed") or low.endswith("eed"):
            continue
        if len(low) <= 5 or low in _NOT_PARTICIPLES:
            continue
        nxt = out[i + 1] if i + 1 < len(out) else None
        if nxt is None or nxt.tag not in (Tag.CONTENT, Tag.CAPADJ):
            out[i] = Token(t.text, t.start, t.end, Tag.VERB, t.index)
    return out


def article_lowercase_words(paragraphs: tuple[str, ...]) -> frozenset[str]:
    """Return every word the article writes in lower case somewhere (not at a sentence start)."""
    words: set[str] = set()
    for para in paragraphs:
        for word, _, _, group in raw_tokens(para):
            if group == "word" and word[:1].islower():
                words.add(word)
    return frozenset(words)
