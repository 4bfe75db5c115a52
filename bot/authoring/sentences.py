"""Split a plain-text article into paragraphs, sentences and attributed quoted passages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.authoring.gazetteer import gazetteer

OPEN_QUOTES = "“„«‘‹"
CLOSE_QUOTES = "”»’›"
STRAIGHT = '"'
_CLOSERS = "”\"’')]»"
_OPENERS = "“\"‘'([«„"
_TERMINATORS = ".!?…"
_SPACES = re.compile(r"\s*")
_OPENING_RUN = re.compile(f"[{re.escape(_OPENERS)}]*")
# Abbreviations that may also end a sentence: split only when a common sentence opener follows.
_MAYBE_END = {"etc", "inc", "ltd", "co", "corp", "est", "no"}
SPEECH_VERBS = (
    "said|says|say|added|adds|noted|notes|stated|states|told|tells|explained|explains|remarked|"
    "wrote|writes|asked|asks|emphasised|emphasized|stressed|declared|continued|recalled|argued|"
    "warned|insisted|concluded|replied|answered|commented|announced|observed|pointed out|"
    "underlined|highlighted|admitted|claimed|joked|laughed"
)
_SPEECH = re.compile(rf"^(?:{SPEECH_VERBS})$", re.IGNORECASE)
PRONOUNS = {"he", "she", "they", "we", "i"}
# How far from a quotation mark its speaker is looked for; the attribution clause is far shorter.
_SPEAKER_REACH = 400
_WORD = re.compile(r"[^\W\d_][\w’'.\-]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Article:
    """An article: its title and its paragraphs, numbered from 1."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Passage:
    """A quoted passage, possibly spanning sentences and paragraphs, with its speaker as written."""

    text: str
    paragraph: int
    end_paragraph: int
    start: int
    end: int
    speaker: str | None


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a paragraph, with the passage it is quoted from, if any."""

    text: str
    paragraph: int
    start: int
    passage: Passage | None = None

    @property
    def quoted(self) -> bool:
        """Return whether the sentence is spoken inside a quoted passage."""
        return self.passage is not None


def parse_article(text: str) -> Article:
    """Split text into a title (first non-empty line) and paragraphs (each later non-empty line)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return Article("", ())
    return Article(lines[0], tuple(lines[1:]))


def _token_before(text: str, i: int) -> str:
    """Return the word that ends at position i (exclusive), without leading marks."""
    j = i
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    return text[j:i].lstrip(_OPENERS + "—–-")


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(a.lower() for a in gazetteer().abbreviations)


_OPENER_WORDS = {
    "the", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i", "in", "on",
    "at", "a", "an", "but", "and", "however", "there", "its", "his", "her", "their", "our",
}  # fmt: skip


def _ends_sentence(text: str, dot: int, nxt: int) -> bool:
    """Return whether the full stop at `dot` ends a sentence, given where the next word starts."""
    token = _token_before(text, dot)
    low = token.lower()
    if not token:
        return True
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # an initial: "J. Smith"
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token):
        return False  # dotted acronyms: U.S., e.g., a.m.
    if low in _MAYBE_END:
        first = _WORD.match(text, nxt)
        return bool(first) and first.group(0).lower() in _OPENER_WORDS
    return low not in _abbreviations()


def split_sentences(paragraph: str) -> list[tuple[int, str]]:
    """Split a paragraph into (offset, sentence) pairs; abbreviations and decimals stay whole."""
    out: list[tuple[int, str]] = []
    start = 0
    i = 0
    n = len(paragraph)
    while i < n:
        c = paragraph[i]
        if c not in _TERMINATORS:
            i += 1
            continue
        j = i + 1
        while j < n and (paragraph[j] in _TERMINATORS or paragraph[j] in _CLOSERS):
            j += 1
        if j >= n:
            break
        if not paragraph[j].isspace():
            i = j  # "3.5", "Caliber.Az", "e.g.": no space, no boundary
            continue
        # Positions, not slices of the rest: a long paragraph must not be copied per full stop.
        nxt = _SPACES.match(paragraph, j).end()
        word = _OPENING_RUN.match(paragraph, nxt).end()
        boundary = word < n and (paragraph[word].isupper() or paragraph[word].isdigit())
        if boundary and c == ".":
            boundary = _ends_sentence(paragraph, i, word)
        if boundary:
            piece = paragraph[start:j].strip()
            if piece:
                out.append((start, piece))
            start = nxt
        i = j
    piece = paragraph[start:].strip()
    if piece:
        out.append((start, piece))
    return out


_SINGLE_OPEN, _SINGLE_CLOSE = "‘‹", "’›"


def _marks(paragraph: str) -> list[tuple[int, str, str]]:
    """Return (position, "open" or "close", style) for each quotation mark of a paragraph.

    Double marks (“ ” „ « » and straight ") and single ones (‘ ’ ‹ ›) are told apart, so a
    passage closes only with a mark of its own style. A ’ between letters is an apostrophe.
    """
    found: list[tuple[int, str, str]] = []
    n = len(paragraph)
    for i, c in enumerate(paragraph):
        before = paragraph[i - 1] if i else " "
        after = paragraph[i + 1] if i + 1 < n else " "
        if c in _SINGLE_OPEN and (before.isspace() or before in '([{—–-/“"'):
            found.append((i, "open", "single"))
        elif c in _SINGLE_CLOSE and not before.isspace() and not after.isalnum():
            found.append((i, "close", "single"))
        elif c == "„":
            found.append((i, "open", "low"))  # German and Czech: „…“ or „…”
        elif c == "“" and not after.isalnum() and not before.isspace():
            found.append((i, "close", "low"))  # a “ after the words closes a „ passage
        elif c in OPEN_QUOTES and c not in _SINGLE_OPEN:
            found.append((i, "open", "double"))
        elif c in CLOSE_QUOTES and c not in _SINGLE_CLOSE:
            found.append((i, "close", "double"))
        elif c == STRAIGHT:
            side = "open" if before.isspace() or before in "([{—–-/" else "close"
            found.append((i, side, "double"))
    return found


def find_passages(article: Article, max_span: int = 4) -> list[Passage]:
    """Return the quoted passages of the article, each with the speaker named next to it."""
    passages: list[Passage] = []
    open_at: tuple[int, int] | None = None  # (paragraph index, offset just after the mark)
    style = ""
    for p, para in enumerate(article.paragraphs):
        if open_at is not None and p - open_at[0] >= max_span:
            open_at = None  # an unclosed quote: give up rather than swallow the article
        for pos, side, mark_style in _marks(para):
            if side == "open":
                if open_at is not None and open_at[0] == p:
                    continue  # a nested or stray mark; keep the outer passage
                open_at, style = (p, pos + 1), mark_style
            elif open_at is not None and (
                mark_style == style or (style == "low" and mark_style == "double")
            ):
                passages.append(_passage(article, open_at, (p, pos)))
                open_at = None
    return passages


def _passage(article: Article, start: tuple[int, int], end: tuple[int, int]) -> Passage:
    paras = article.paragraphs
    (p0, o0), (p1, o1) = start, end
    if p0 == p1:
        text = paras[p0][o0:o1]
    else:
        text = " ".join([paras[p0][o0:], *paras[p0 + 1 : p1], paras[p1][:o1]])
    # The speaker is named next to the marks: read only that much of a paragraph, not all of it.
    after = paras[p1][o1 + 1 : o1 + 1 + _SPEAKER_REACH]
    before = paras[p0][max(0, o0 - 1 - _SPEAKER_REACH) : o0 - 1]
    speaker = _speaker_after(after) or _speaker_before(before)
    return Passage(text.strip(), p0 + 1, p1 + 1, o0, o1, speaker)


def _words(text: str) -> list[str]:
    return [w.rstrip(".’'").removesuffix("’s") for w in _WORD.findall(text)]


def _name_run(words: list[str]) -> list[str]:
    """Return the leading run of capitalised words."""
    run: list[str] = []
    for w in words:
        if w[:1].isupper():
            run.append(w)
        else:
            break
    return run


def _speaker_after(tail: str) -> str | None:
    """Read the speaker from the words after a closing mark: ', Smith said.' or 'said Smith'."""
    clause = re.split(r"[.!?;:“”\"‘«»]", tail, maxsplit=1)[0]
    if len(clause) > 80 or not clause.strip():
        return None
    words = _words(clause)
    if not words:
        return None
    if words[0].lower() in PRONOUNS and len(words) > 1 and _SPEECH.match(words[1]):
        return words[0].lower()
    run = _name_run(words)
    if run and len(words) > len(run) and _SPEECH.match(words[len(run)]):
        return " ".join(run)
    if _SPEECH.match(words[0]):
        after = _name_run(words[1:])
        return " ".join(after) if after else None
    return None


def _speaker_before(head: str) -> str | None:
    """Read the speaker from the words before an opening mark: 'Smith said: “' or 'According to'."""
    clause = re.split(r"[.!?;“”\"‘«»]", head)[-1].strip().rstrip(",:— ").strip()
    if not clause or len(clause) > 120:
        return None
    m = re.search(r"\b[Aa]ccording to ([^,]+)$", clause)
    if m:
        run = _name_run(_words(m.group(1)))
        return " ".join(run) if run else None
    words = _words(clause)
    verbs = [i for i, w in enumerate(words) if _SPEECH.match(w)]
    if not verbs or verbs[-1] < len(words) - 4:
        return None  # the speech verb must sit right before the quotation
    v = verbs[-1]
    if v and words[v - 1].lower() in PRONOUNS:
        return words[v - 1].lower()
    run: list[str] = []
    for w in reversed(words[:v]):
        if not w[:1].isupper():
            break
        run.insert(0, w)
    return " ".join(run) if run else None


def sentences(article: Article, passages: list[Passage] | None = None) -> list[Sentence]:
    """Return every sentence of the article, linked to the quoted passage it lies in."""
    if passages is None:
        passages = find_passages(article)
    out: list[Sentence] = []
    j = 0  # passages before j end before the current sentence starts
    for p, para in enumerate(article.paragraphs, start=1):
        for offset, text in split_sentences(para):
            while j < len(passages) and (passages[j].end_paragraph, passages[j].end) < (p, offset):
                j += 1
            found = None
            k = j
            while k < len(passages) and (passages[k].paragraph, passages[k].start - 1) < (
                p,
                offset + len(text),
            ):
                if _covers(passages[k], p, offset, len(text)):
                    found = passages[k]
                    break
                k += 1
            out.append(Sentence(text, p, offset, found))
    return out


def _covers(q: Passage, paragraph: int, offset: int, length: int) -> bool:
    """Return whether a sentence is spoken in a passage: it starts inside, or mostly lies in it."""
    if not q.paragraph <= paragraph <= q.end_paragraph:
        return False
    lo = q.start - 1 if paragraph == q.paragraph else 0
    hi = q.end + 1 if paragraph == q.end_paragraph else offset + length
    covered = min(hi, offset + length) - max(lo, offset)
    return lo <= offset < hi or covered * 2 > length
