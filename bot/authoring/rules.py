"""Rules that find proper-noun phrases in a tagged sentence and tell what each one names.

A mention gets a kind (person, place, organisation, event, claim) and a class within it
("place/city", "organisation/party", "claim/work"), from three sources, strongest first: the
words of the name ("… River", "… University", a known city), the common noun the article puts
before it ("the film X", "the town of X", "a rover named X"), and its neighbours ("in X" is a
place, "X said" a person).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from bot.authoring.gazetteer import MONTHS, gazetteer, word_set
from bot.authoring.tokens import Tag, Token
from bot.core.models import FactKind

_CONNECTORS = word_set("of for and de da do dos das del della di du la le von van der al bin")
_DOTTED_TITLES = word_set("Dr Mr Mrs Ms Prof Sen Gov Gen Col Capt Lt Rev Jr Sr St Mt")
_PLACE_PREPOSITIONS = word_set(
    "in to from at near across towards toward into via around outside inside throughout"
)
_LOCATIVE_SUFFIXES = ("-based", "-born", "-headquartered", "-made")
_NAMING = word_set("named called dubbed nicknamed titled entitled")
_WORK_AFTER = word_set("directed written produced painted composed published released starring")
# Compass words and "New" start place names that end in a country ("South Africa").
_PLACE_PREFIXES = word_set("North South East West Central New Upper Lower Greater")
_AGE = re.compile(r"^(?:\d+|[A-Za-z]+(?:-[a-z]+)?)-year-old$", re.IGNORECASE)
# Sentence openers and quotation marks after which a capital "The" starts a sentence, not a title.
_OPENERS = frozenset('.!?:;“"‘(«„—–')
SKIP = "skip"  # the class of a phrase that names nothing worth asking about ("Standard Time")

_KIND_OF_CLASS = {
    "person": FactKind.PERSON,
    "place": FactKind.PLACE,
    "organisation": FactKind.ORGANISATION,
    "event": FactKind.EVENT,
    "claim": FactKind.CLAIM,
}


def kind_of(cls: str) -> FactKind | None:
    """Return the fact kind a class belongs to ("place/city" → place)."""
    return _KIND_OF_CLASS.get(cls.split("/", 1)[0])


@dataclass(frozen=True, slots=True)
class Mention:
    """A proper-noun phrase in a sentence, classified as far as the sentence allows."""

    text: str
    start: int
    end: int
    kind: FactKind | None
    titled: bool = False
    first: int = 0  # index of the mention's first token
    last: int = 0  # index of its last token
    cls: str = ""  # "place/city", "organisation/party", …; "" when only the kind is known
    strong: bool = False  # the class comes from the name's own words or a noun before it

    @property
    def words(self) -> list[str]:
        """Return the words of the mention."""
        return self.text.split()


def _starts_title(tokens: list[Token], i: int) -> bool:
    """Return whether a capital "The" inside a sentence opens a title ("won The Salt Garden")."""
    t = tokens[i]
    if t.text != "The" or i == 0 or tokens[i - 1].text in _OPENERS:
        return False
    return i + 1 < len(tokens) and tokens[i + 1].tag in (Tag.NAME, Tag.CAPADJ)


def _runs(tokens: list[Token]) -> list[list[Token]]:
    """Return maximal runs of capitalised words, joined by small connectors ("of", "for")."""
    runs: list[list[Token]] = []
    i, n = 0, len(tokens)
    while i < n:
        t = tokens[i]
        starts = (
            t.tag is Tag.NAME
            or (t.tag is Tag.CAPADJ and i + 1 < n and tokens[i + 1].tag is Tag.NAME)
            or _starts_title(tokens, i)
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


def _suffix_class(words: list[str]) -> str:
    """Return the class the last word (or two) of a name gives: "… River" is a water."""
    g = gazetteer()
    if len(words) >= 2 and " ".join(words[-2:]) in g.suffix_class and len(words) > 2:
        return g.suffix_class[" ".join(words[-2:])]
    if len(words) >= 2 and words[-1] in g.suffix_class:
        return g.suffix_class[words[-1]]
    return ""


def label(words: list[str], lowercase_words: frozenset[str], *, titled: bool) -> tuple[str, bool]:
    """Return a name's class from its words alone, and whether the words settle it.

    The class is "" when the words do not tell; `SKIP` when the phrase names nothing to ask
    about (a time zone, the Moon).
    """
    g = gazetteer()
    phrase = " ".join(words)
    if phrase in g.not_names or any(phrase.endswith(f" {n}") and " " in n for n in g.not_names):
        return SKIP, True
    if phrase in g.place_class:
        return g.place_class[phrase], True
    if phrase in g.places:
        return "place", True
    suffix = _suffix_class(words)
    if not suffix and len(words) >= 3 and words[1] == "of" and words[0] in g.suffix_class:
        suffix = g.suffix_class[words[0]]  # "Assembly of the Republic", "Bay of Bengal"
    heads = [w for w in words[:-1] if w in g.organisation_heads]
    if heads and not suffix.startswith("organisation"):
        return g.suffix_class.get(heads[0], "organisation"), True
    if suffix:
        return suffix, True
    if len(words) > 1 and words[-1] in g.countries and words[0] not in _PLACE_PREFIXES:
        return "organisation/body", True  # "Athletics Kenya", "Air India"
    if all(len(w) > 1 and w.replace(".", "").isupper() for w in words):
        return "organisation", False  # an acronym: the noun after it may say otherwise
    if any("." in w.strip(".") for w in words):
        return "organisation/media", True  # a news site such as "Example.Az"
    if titled:
        return "person", True
    if 2 <= len(words) <= 4 and not any(
        w.lower() in lowercase_words or w in g.adjectives or w.lower() in g.function_words
        for w in words
    ):
        return "person", False
    return "", False


def classify(words: list[str], lowercase_words: frozenset[str], *, titled: bool) -> FactKind | None:
    """Classify a proper-noun phrase by its words alone; None when the words do not tell."""
    cls, _ = label(words, lowercase_words, titled=titled)
    return kind_of(cls)


def _make(
    sentence: str, tokens: list[Token], cls: str, titled: bool, *, strong: bool = False
) -> Mention:
    start, end = tokens[0].start, tokens[-1].end
    return Mention(
        sentence[start:end],
        start,
        end,
        kind_of(cls),
        titled,
        tokens[0].index,
        tokens[-1].index,
        cls,
        strong,
    )


def mentions(sentence: str, tokens: list[Token], lowercase_words: frozenset[str]) -> list[Mention]:
    """Return the proper-noun phrases of a sentence, with titles stripped and places split off."""
    out: list[Mention] = []
    for run in _runs(tokens):
        words = [t for t in run if t.text != "."]
        first = words[0]
        if len(words) == 1 and first.text.endswith(_LOCATIVE_SUFFIXES):
            prefix = first.text.rsplit("-", 1)[0]
            cls = gazetteer().place_class.get(prefix, "place")
            end = first.start + len(prefix)
            out.append(
                Mention(prefix, first.start, end, FactKind.PLACE, False, first.index,
                        first.index, cls, True)
            )  # fmt: skip
            continue
        if first.text == "The" and first.index > 0:
            _title(sentence, words, out, lowercase_words)
            continue
        for part in _split_and(words):
            _mention(sentence, part, out, lowercase_words)
    return sorted((_with_number(sentence, tokens, m) for m in out), key=lambda m: m.start)


def _with_number(sentence: str, tokens: list[Token], m: Mention) -> Mention:
    """Extend a place or organisation over a leading number: "25 de Abril Bridge"."""
    i = m.first
    if i < 2 or not m.strong or not m.cls.startswith(("place/", "organisation/", "event/")):
        return m
    if tokens[i - 1].lower not in _CONNECTORS or tokens[i - 2].tag is not Tag.NUM:
        return m
    start = tokens[i - 2].start
    return replace(m, text=sentence[start : m.end], start=start, first=i - 2)


def _title(
    sentence: str, words: list[Token], out: list[Mention], lowercase_words: frozenset[str]
) -> None:
    """Add a name that starts with a capital "The" mid-sentence: a title, unless its words tell."""
    g = gazetteer()
    whole = " ".join(t.text for t in words)
    if whole in g.place_class:
        out.append(_make(sentence, words, g.place_class[whole], False, strong=True))
        return
    body = words[1:]
    cls, strong = label([t.text for t in body], lowercase_words, titled=False)
    if strong and cls not in ("person", SKIP):
        out.append(_make(sentence, body, cls, False, strong=True))
        return
    out.append(_make(sentence, words, "claim/work", False, strong=True))


def _mention(
    sentence: str, words: list[Token], out: list[Mention], lowercase_words: frozenset[str]
) -> None:
    """Add the mention(s) one run of capitalised words makes."""
    g = gazetteer()
    while words and (_AGE.match(words[0].text) or words[0].lower in _CONNECTORS):
        words = words[1:]  # "Nineteen-year-old Grace Wanjiku", "for Tohoku University"
    while words and words[0].tag is Tag.CAPADJ and len(words) > 1:
        cls, _ = label([t.text for t in words], lowercase_words, titled=False)
        if cls.startswith(("organisation", "event", "place")):
            break
        words = words[1:]  # "Serbian Stevan Smith": the adjective is not part of the name
    texts = [t.text for t in words]
    if not texts or " ".join(texts) in g.titles or (len(texts) == 1 and texts[0] in g.adjectives):
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
    cls, strong = label([t.text for t in words], lowercase_words, titled=titled)
    out.append(_make(sentence, words, cls, titled, strong=strong))


def _split_of(
    sentence: str, words: list[Token], out: list[Mention], lowercase_words: frozenset[str]
) -> list[Token]:
    """Split "of Azerbaijan Ilham Aliyev" (after a title) into a place and a name."""
    g = gazetteer()
    for k in range(len(words) - 1, 0, -1):
        head = " ".join(t.text for t in words[:k])
        if head in g.places:
            out.append(_make(sentence, words[:k], g.place_class.get(head, "place"), False,
                             strong=True))  # fmt: skip
            return words[k:]
    # "Minister of Mining Carolina Vidal": a portfolio unless its words name a place.
    head = words[:-2] if len(words) >= 3 else words
    cls, strong = label([t.text for t in head], lowercase_words, titled=False)
    if not cls.startswith(("place", "organisation")):
        cls, strong = SKIP, True
    out.append(_make(sentence, head, cls, False, strong=strong))
    return words[-2:] if len(words) >= 3 else []


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
    if label(left, lowercase_words, titled=titled)[0] != "person":
        return words
    rest = words[at + 1 :]
    while rest and rest[0].lower == "the":
        rest = rest[1:]
    if rest:
        cls, strong = label([t.text for t in rest], lowercase_words, titled=False)
        out.append(_make(sentence, rest, cls, False, strong=strong))
    return words[:at]


def _split_and(words: list[Token]) -> list[list[Token]]:
    """Split "Baku and Belgrade" into two names unless the whole is one known name."""
    g = gazetteer()
    whole = " ".join(t.text for t in words)
    if not any(t.lower == "and" for t in words) or whole in g.places:
        return [words]
    if words[0].text in g.organisation_heads:
        return [words]  # "Ministry of Trade and Industry"
    if _suffix_class([t.text for t in words]).startswith(("organisation", "event")) and not (
        _suffix_class([t.text for t in words[: [t.lower for t in words].index("and")]])
    ):
        return [words]  # "Asian Contents and Film Market", "Bosnia and Herzegovina Railways"
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


def _noun_before(tokens: list[Token], mention: Mention) -> str:
    """Return the class the common noun before a name gives ("the film X", "a rover named X")."""
    g = gazetteer()
    i = mention.first - 1
    if i >= 0 and tokens[i].lower in _NAMING:
        i -= 1  # "a rover named X"
        if i >= 0 and tokens[i].text == ",":
            i -= 1  # "The lander, called X"
        noun = tokens[i].lower if i >= 0 else ""
        return g.noun_class.get(noun, "claim/name")
    if i >= 1 and tokens[i].text == "," and tokens[i - 1].lower in g.noun_class:
        cls = g.noun_class[tokens[i - 1].lower]  # "a second mission, X,"
        return cls if cls.startswith("claim") or mention.cls != "person" else ""
    if i >= 0 and tokens[i].lower in ("name", "names"):
        return "claim/name"
    # "the Japanese animated film X", "the Bengaluru company X": skip modifiers.
    k = i
    while k >= 0 and i - k < 3:
        t = tokens[k]
        if t.tag is Tag.PUNCT or t.lower in ("the", "a", "an"):
            break
        if t.text.islower() and t.lower in g.noun_class:
            return g.noun_class[t.lower]
        if t.tag not in (Tag.CONTENT, Tag.CAPADJ, Tag.NAME, Tag.VERB):
            break
        k -= 1
    return ""


def _place_noun_before(tokens: list[Token], mention: Mention) -> str:
    """Return the place class of "the town of X", "the coast of X"; "" when there is none."""
    i = mention.first - 1
    if i >= 1 and tokens[i].lower == "the":
        i -= 1  # "the salt flat of the Salar de Atacama"
    if i < 1 or tokens[i].lower != "of":
        return ""
    return gazetteer().place_nouns.get(tokens[i - 1].lower, "")


def _appositive_after(tokens: list[Token], mention: Mention) -> str:
    """Return the place class of "X, a small town in …", "X, a group of islands"; else ""."""
    g = gazetteer()
    i = mention.last + 1
    if i + 1 >= len(tokens) or tokens[i].text != "," or tokens[i + 1].lower not in ("a", "an"):
        return ""
    for k in range(i + 2, min(i + 6, len(tokens))):
        t = tokens[k]
        if t.lower in g.place_nouns:
            return g.place_nouns[t.lower]
        if t.lower == "group" and k + 2 < len(tokens) and tokens[k + 1].lower == "of":
            return g.place_nouns.get(tokens[k + 2].lower, "")
        if t.tag not in (Tag.CONTENT, Tag.CAPADJ, Tag.ADV, Tag.VERB):
            return ""
    return ""


_ACTING = word_set(
    "promised promises said says announced announces plans planned asked asks decided decides "
    "approved approves rejected rejects voted votes warned warns agreed agrees"
)


def _acts(tokens: list[Token], mention: Mention) -> bool:
    """Return whether a named area acts like a body ("the Nairobi City County promised")."""
    words = mention.words
    if len(words) < 2 or words[-1] not in ("County", "Municipality", "Region", "District"):
        return False
    nxt = tokens[mention.last + 1] if mention.last + 1 < len(tokens) else None
    return nxt is not None and nxt.lower in _ACTING


def _place_noun_after(tokens: list[Token], mention: Mention) -> str:
    """Return the place class of "the X salt flat", "the X river": a place noun after a name."""
    g = gazetteer()
    for t in tokens[mention.last + 1 : mention.last + 3]:
        if not t.text.islower():
            return ""
        cls = g.place_nouns.get(t.lower) or g.suffix_class.get(t.text.capitalize(), "")
        if cls.startswith("place/"):
            return cls
    return ""


def _work_after(tokens: list[Token], mention: Mention) -> bool:
    """Return whether a name is followed by "directed by", "written by": a work."""
    after = [t for t in tokens[mention.last + 1 : mention.last + 3] if t.tag is not Tag.PUNCT]
    return bool(after) and after[0].lower in _WORK_AFTER


def context_class(tokens: list[Token], mention: Mention) -> str:
    """Guess a name's class from its neighbours: "in X" is a place, "X said" a person."""
    from bot.authoring.sentences import SPEECH_VERBS

    before = _neighbours_before(tokens, mention)
    after = tokens[mention.last + 1 : mention.last + 2]
    if _work_after(tokens, mention):
        return "claim/work"
    if before and before[-1].lower in _PLACE_PREPOSITIONS:
        return "place/settlement"
    after_the = len(before) > 1 and before[-1].lower == "the"
    if after_the and before[-2].lower in _PLACE_PREPOSITIONS:
        return "place"  # "on the Ossen Hills"
    opens_sentence = not before
    speech = after and after[0].lower in SPEECH_VERBS.split("|")
    if speech and not opens_sentence and len(mention.words) == 1:
        return "person"
    return ""


def context_kind(tokens: list[Token], mention: Mention) -> FactKind | None:
    """Guess a name's kind from its neighbours: "in X" is a place, "X said" a person."""
    return kind_of(context_class(tokens, mention))


def refine(tokens: list[Token], mention: Mention) -> Mention:
    """Correct a mention's class from the words around it."""
    if mention.cls == SKIP:
        return mention
    cls = mention.cls
    noun = _noun_before(tokens, mention)
    if noun and (not mention.strong or (cls == "organisation" and noun.startswith("organ"))):
        return _with(mention, noun, strong=True)  # "the film X", "the state company X"
    place = _place_noun_before(tokens, mention)
    if place and (not mention.strong or cls == "place"):
        known = gazetteer().place_class.get(mention.text)
        return _with(mention, known or place, strong=True)  # "the town of X"
    after = _followed_by_class_noun(tokens, mention)
    if after:
        return _with(mention, after, strong=True)  # "a PSLV rocket"
    noun_after = _place_noun_after(tokens, mention)
    if noun_after and (not mention.strong or cls == "place"):
        return _with(mention, noun_after, strong=True)  # "the Maricunga salt flat"
    apposed = _appositive_after(tokens, mention)
    if apposed and not mention.strong and mention.cls != "person":
        return _with(mention, apposed, strong=True)  # "Iten, a small town in …"
    if _work_after(tokens, mention) and not mention.strong:
        return _with(mention, "claim/work", strong=True)
    if cls in ("place/area", "place/settlement", "place") and _acts(tokens, mention):
        return _with(mention, "organisation/public", strong=True)  # "the County promised"
    if cls == "person" and not mention.titled and not mention.strong:
        before = _neighbours_before(tokens, mention)
        if before and (
            before[-1].lower == "the"
            or (before[-1].lower in _PLACE_PREPOSITIONS and before[-1].lower != "to")
        ):
            return _with(mention, context_class(tokens, mention), strong=False)
        if before and before[-1].tag is Tag.CONTENT and before[-1].lower.endswith("s"):
            return _with(mention, "", strong=False)  # "… shop owners Market Street"
    return mention


def _followed_by_class_noun(tokens: list[Token], mention: Mention) -> str:
    """Return the class a noun right after an acronym gives ("a PSLV rocket")."""
    text = mention.text.replace("-", "")
    if not text.isalnum() or not any(c.isupper() for c in text[1:]):
        return ""
    nxt = tokens[mention.last + 1] if mention.last + 1 < len(tokens) else None
    if nxt is None or not nxt.text.islower():
        return ""
    cls = gazetteer().noun_class.get(nxt.lower, "")
    return cls if cls.startswith("claim") else ""


def _with(mention: Mention, cls: str, *, strong: bool) -> Mention:
    return replace(mention, cls=cls, kind=kind_of(cls), strong=strong)
