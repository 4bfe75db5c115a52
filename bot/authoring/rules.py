"""Rules that find proper-noun phrases in a tagged sentence and tell people from places."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.authoring.gazetteer import MONTHS, gazetteer, word_set
from bot.authoring.tokens import Tag, Token
from bot.core.models import FactKind

_CONNECTORS = word_set("of for and de von van der al bin da di du la le del")
_DOTTED_TITLES = word_set("Dr Mr Mrs Ms Prof Sen Gov Gen Col Capt Lt Rev Jr Sr St Mt")
_PLACE_PREPOSITIONS = word_set(
    "in to from at near across towards toward into via around outside inside throughout"
)
_LOCATIVE_SUFFIXES = ("-based", "-born", "-headquartered", "-made")


@dataclass(frozen=True, slots=True)
class Mention:
    """A proper-noun phrase in a sentence, classified as far as the phrase alone allows."""

    text: str
    start: int
    end: int
    kind: FactKind | None
    titled: bool = False
    first: int = 0  # index of the mention's first token
    last: int = 0  # index of its last token

    @property
    def words(self) -> list[str]:
        """Return the words of the mention."""
        return self.text.split()


def _runs(tokens: list[Token]) -> list[list[Token]]:
    """Return maximal runs of capitalised words, joined by small connectors ("of", "for")."""
    runs: list[list[Token]] = []
    i, n = 0, len(tokens)
    while i < n:
        t = tokens[i]
        starts = t.tag is Tag.NAME or (
            t.tag is Tag.CAPADJ and i + 1 < n and tokens[i + 1].tag is Tag.NAME
        )
        if not starts:
            i += 1
            continue
        if t.tag is Tag.NAME and t.text.endswith(_LOCATIVE_SUFFIXES):
            runs.append([t])
            i += 1
            continue
        j, end = i + 1, i + 1 if t.tag is Tag.NAME else i
        while j < n:
            tj = tokens[j]
            if tj.tag is Tag.NAME and not tj.text.endswith(_LOCATIVE_SUFFIXES):
                j += 1
                end = j
                continue
            if tj.tag is Tag.CAPADJ:
                j += 1
                continue
            prev = tokens[j - 1]
            if tj.text == "." and (prev.text in _DOTTED_TITLES or len(prev.text) == 1):
                j += 1  # "Dr. Smith", "J. Smith"
                continue
            k = j
            while k < n and tokens[k].lower in _CONNECTORS and tokens[k].text.islower():
                k += 1
            if (
                k > j
                and tokens[k - 1].lower in ("of", "for")
                and k < n
                and tokens[k].lower == "the"
            ):
                k += 1  # "Institute for the Study of …"
            if k > j and k < n and tokens[k].tag in (Tag.NAME, Tag.CAPADJ):
                j = k
                continue
            break
        if end > i:
            runs.append(tokens[i:end])
            i = end
        else:
            i += 1
    return runs


@cache
def _titles_by_first_word() -> dict[str, list[tuple[str, ...]]]:
    """Return the titles as word tuples, grouped by first word, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for title in gazetteer().titles:  # already longest first
        parts = tuple(title.rstrip(".").split())
        out.setdefault(parts[0], []).append(parts)
    return out


def _title_length(words: list[str]) -> int:
    """Return how many leading words form a title ("Prime Minister", "Dr.")."""
    if not words:
        return 0
    for parts in _titles_by_first_word().get(words[0].rstrip("."), []):
        head = tuple(w.rstrip(".") for w in words[: len(parts)])
        if head == parts and len(words) > len(parts):
            return len(parts)
    return 0


def _span(sentence: str, tokens: list[Token], kind: FactKind | None, titled: bool) -> Mention:
    start, end = tokens[0].start, tokens[-1].end
    return Mention(sentence[start:end], start, end, kind, titled, tokens[0].index, tokens[-1].index)


def classify(words: list[str], lowercase_words: frozenset[str], *, titled: bool) -> FactKind | None:
    """Classify a proper-noun phrase by its words alone; None when the words do not tell."""
    g = gazetteer()
    phrase = " ".join(words)
    last = words[-1]
    if phrase in g.places:
        return FactKind.PLACE
    if last in g.organisation_words or any(w in g.organisation_heads for w in words):
        return FactKind.ORGANISATION
    if last in g.event_words:
        return FactKind.EVENT
    if last in g.place_words:
        return FactKind.PLACE
    if all(len(w) > 1 and w.replace(".", "").isupper() for w in words):
        return FactKind.ORGANISATION
    if any("." in w.strip(".") for w in words):
        return FactKind.ORGANISATION  # a news site such as "Example.Az"
    if titled:
        return FactKind.PERSON
    if 2 <= len(words) <= 4 and not any(
        w.lower() in lowercase_words or w in g.adjectives or w.lower() in g.function_words
        for w in words
    ):
        return FactKind.PERSON
    return None


def mentions(sentence: str, tokens: list[Token], lowercase_words: frozenset[str]) -> list[Mention]:
    """Return the proper-noun phrases of a sentence, with titles stripped and places split off."""
    out: list[Mention] = []
    for run in _runs(tokens):
        words = [t for t in run if t.text != "."]
        first = words[0]
        if len(words) == 1 and first.text.endswith(_LOCATIVE_SUFFIXES):
            prefix = first.text.rsplit("-", 1)[0]
            end = first.start + len(prefix)
            out.append(
                Mention(prefix, first.start, end, FactKind.PLACE, False, first.index, first.index)
            )
            continue
        for part in _split_and(words):
            _mention(sentence, part, out, lowercase_words)
    return sorted(out, key=lambda m: m.start)


def _mention(
    sentence: str, words: list[Token], out: list[Mention], lowercase_words: frozenset[str]
) -> None:
    """Add the mention(s) one run of capitalised words makes."""
    g = gazetteer()
    while words and words[0].tag is Tag.CAPADJ and len(words) > 1:
        texts = [t.text for t in words]
        if classify(texts, lowercase_words, titled=False) in (
            FactKind.ORGANISATION,
            FactKind.EVENT,
        ):
            break
        words = words[1:]  # "Serbian Stevan Smith": the adjective is not part of the name
    texts = [t.text for t in words]
    if " ".join(texts) in g.titles or (len(texts) == 1 and texts[0] in g.adjectives):
        return  # a title or an adjective alone names nobody
    if len(texts) == 1 and texts[0] in MONTHS:
        return  # months are read as dates
    n_title = _title_length(texts)
    titled = n_title > 0
    words = words[n_title:]
    if titled and words and words[0].lower == "of":
        words = _split_of(sentence, words[1:], out, lowercase_words)
    words = _split_affiliation(sentence, words, out, lowercase_words, titled)
    if not words or all(t.tag is Tag.CAPADJ or t.lower in _CONNECTORS for t in words):
        return
    kind = classify([t.text for t in words], lowercase_words, titled=titled)
    out.append(_span(sentence, words, kind, titled))


def _split_of(
    sentence: str, words: list[Token], out: list[Mention], lowercase_words: frozenset[str]
) -> list[Token]:
    """Split "of Azerbaijan Ilham Aliyev" (after a title) into a place and a name."""
    g = gazetteer()
    for k in range(len(words) - 1, 0, -1):
        head = " ".join(t.text for t in words[:k])
        if head in g.places:
            out.append(_span(sentence, words[:k], FactKind.PLACE, False))
            return words[k:]
    if len(words) >= 3:
        out.append(
            _span(
                sentence,
                words[:-2],
                classify([t.text for t in words[:-2]], lowercase_words, titled=False)
                or FactKind.PLACE,
                False,
            )
        )
        return words[-2:]
    if words:
        out.append(_span(sentence, words, FactKind.PLACE, False))
    return []


def _split_affiliation(
    sentence: str,
    words: list[Token],
    out: list[Mention],
    lowercase_words: frozenset[str],
    titled: bool,
) -> list[Token]:
    """Split "Ingrid Solberg of the Nordic Institute" into a person and an organisation."""
    at = next((i for i, t in enumerate(words) if t.lower in ("of", "from")), None)
    if at is None or at == 0:
        return words
    left = [t.text for t in words[:at]]
    if classify(left, lowercase_words, titled=titled) is not FactKind.PERSON:
        return words
    rest = words[at + 1 :]
    while rest and rest[0].lower == "the":
        rest = rest[1:]
    if rest:
        texts = [t.text for t in rest]
        out.append(_span(sentence, rest, classify(texts, lowercase_words, titled=False), False))
    return words[:at]


def _split_and(words: list[Token]) -> list[list[Token]]:
    """Split "Baku and Belgrade" into two names unless the whole is one known name."""
    g = gazetteer()
    whole = " ".join(t.text for t in words)
    if not any(t.lower == "and" for t in words) or whole in g.places:
        return [words]
    if words[0].text in g.organisation_heads:
        return [words]  # "Ministry of Trade and Industry"
    parts: list[list[Token]] = [[]]
    for t in words:
        if t.lower == "and":
            parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]


def _neighbours_before(tokens: list[Token], mention: Mention, limit: int = 2) -> list[Token]:
    """Return the last few non-punctuation tokens before a mention, in sentence order."""
    i = mention.first
    out: list[Token] = []
    while i > 0 and len(out) < limit:
        i -= 1
        if tokens[i].tag is not Tag.PUNCT:
            out.insert(0, tokens[i])
    return out


def context_kind(tokens: list[Token], mention: Mention) -> FactKind | None:
    """Guess a name's kind from its neighbours: "in X" is a place, "X said" a person."""
    from bot.authoring.sentences import SPEECH_VERBS

    before = _neighbours_before(tokens, mention)
    after = tokens[mention.last + 1 : mention.last + 2]
    if before and before[-1].lower in _PLACE_PREPOSITIONS:
        return FactKind.PLACE
    after_the = len(before) > 1 and before[-1].lower == "the"
    if after_the and before[-2].lower in _PLACE_PREPOSITIONS:
        return FactKind.PLACE  # "on the Ossen Hills"
    opens_sentence = not before
    speech = after and after[0].lower in SPEECH_VERBS.split("|")
    if speech and not opens_sentence and len(mention.words) == 1:
        return FactKind.PERSON
    return None


def refine(tokens: list[Token], mention: Mention) -> FactKind | None:
    """Correct a guessed person from context: people take no article ("the journal X")."""
    before = _neighbours_before(tokens, mention)
    if (
        before
        and before[-1].lower in gazetteer().organisation_before
        and mention.kind
        in (
            None,
            FactKind.PERSON,
        )
    ):
        return FactKind.ORGANISATION
    if mention.kind is FactKind.PERSON and not mention.titled:
        if before and (before[-1].lower == "the" or before[-1].lower in _PLACE_PREPOSITIONS):
            return context_kind(tokens, mention)
        if before and before[-1].tag is Tag.CONTENT and before[-1].lower.endswith("s"):
            return None  # "… shop owners Market Street"
    return mention.kind
