"""Draft a facts file from a plain-text article, offline and deterministically, by rules.

The draft is a starting point for a reviewer: every fact keeps the article's own sentence as its
statement (trimmed of negations), asks a cloze or wh-question, carries same-kind distractors and
is marked `reviewed: false`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from bot.authoring import distractors
from bot.authoring.candidates import Candidate, find_candidates, spoken
from bot.authoring.checks import LONGEST_RATIO, option_problem, swap_problem
from bot.authoring.context import ArticleContext, article_context
from bot.authoring.sentences import Article, parse_article
from bot.authoring.text import (
    cloze,
    cloze_question,
    lower_first,
    soften,
    statement_for,
    wh_question,
)
from bot.core.matching import normalise
from bot.core.models import Fact, FactKind, FactSet, QuestionKind

EXPLANATION = "Draft: review and rewrite in your own words."
TOPIC = "general"
MIN_PER_PARAGRAPH = 2
MAX_PER_PARAGRAPH = 6
WORDS_PER_FACT = 12
MIN_CLAIM_SCORE = 2.5
ENTITY_BONUS = 1.5
MAX_CLAIMS_PER_SENTENCE = 2
# Candidates this strong (a name, figure or date with its context) count towards a paragraph's cap.
STRONG = 5.0


@dataclass(frozen=True, slots=True)
class Draft:
    """A drafted fact before it gets an id."""

    candidate: Candidate
    statement: str
    question: str
    aliases: tuple[str, ...]
    distractors: tuple[str, ...] = field(default=())


def paragraph_cap(paragraph: str, strong: int = 0) -> int:
    """Return how many facts a paragraph may give: longer paragraphs hold more, and so do
    paragraphs dense with names, figures and dates (`strong` of them)."""
    words = len(paragraph.split())
    by_length = round(words / WORDS_PER_FACT)
    return max(MIN_PER_PARAGRAPH, min(MAX_PER_PARAGRAPH, max(by_length, strong)))


def slug(text: str, max_words: int = 5) -> str:
    """Return a lowercase-and-dashes id part for text ("Đoković" → "djokovic")."""
    # The matcher's folding spells letters that do not decompose (Đ, ø, ł, ə) as players type
    # them, instead of dropping them as a bare NFKD-to-ASCII would.
    words = re.findall(r"[a-z0-9]+", normalise(text))
    return "-".join(words[:max_words]) or "fact"


def surname(name: str) -> str:
    """Return a person's family name: the last word, or the first of "Park Min-jae"."""
    parts = name.split()
    if len(parts) >= 2 and "-" in parts[-1] and parts[-1][:1].isupper():
        return parts[0]  # a hyphenated given name after the family name, as in Korean
    return parts[-1]


def _aliases(c: Candidate, surnames: Counter[str]) -> tuple[str, ...]:
    """Return the forms a player may type besides the answer."""
    if c.kind in (FactKind.PERSON, FactKind.QUOTE):
        parts = c.answer.split()
        if len(parts) >= 2 and surnames[surname(c.answer)] == 1:
            return (surname(c.answer),)
        return ()
    if c.kind is FactKind.NUMBER and c.answer.endswith("-fold"):
        return (c.answer.removesuffix("-fold") + " times",)
    if c.kind is FactKind.DATE:
        m = re.fullmatch(r"([A-Z][a-z]+) (\d{1,2})", c.answer)
        if m:
            return (f"{m.group(2)} {m.group(1)}",)
        m = re.fullmatch(r"(\d{1,2}) ([A-Z][a-z]+)", c.answer)
        if m:
            return (f"{m.group(2)} {m.group(1)}",)
    return ()


def _draft(c: Candidate, aliases: tuple[str, ...]) -> Draft | None:
    """Build the statement and question of a candidate, or None when no clean one exists."""
    if c.statement is not None and c.question is not None:
        return Draft(c, c.statement, c.question, aliases)
    text, shift = spoken(c.sentence)
    start, end = c.start - shift, c.end - shift
    if start < 0 or end > len(text):
        return None
    text, start, end = soften(text, start, end)
    c = replace(c, start=start, end=end)
    answers = (c.answer, *aliases)
    statement = statement_for(text, start, end)
    if statement is None:
        return None
    speaker = c.speaker if c.speaker and normalise(c.speaker) != normalise(c.answer) else None
    question = None if speaker else wh_question(c.kind, text, start, end, answers)
    if question is None:
        blanked = cloze(text, start, end, answers)
        if blanked is None:
            return None
        question = cloze_question(c.kind, blanked, speaker, c.answer)
    if speaker:
        statement = f"According to {speaker}, {lower_first(statement, c.answer)}"
    if c.answer not in statement:
        return None
    return Draft(c, statement, question, aliases)


def is_phrase(c: Candidate) -> bool:
    """Return whether a candidate is a key phrase rather than a name, number or date."""
    return c.kind is FactKind.CLAIM and c.cls in ("", "claim/phrase")


def priority(c: Candidate) -> float:
    """Return how strongly a candidate asks to be drafted: names, numbers and dates first."""
    return c.score + (0.0 if is_phrase(c) else ENTITY_BONUS)


def _select(
    candidates: list[Candidate], caps: dict[int, int], surnames: Counter[str]
) -> list[Draft]:
    """Draft the best candidates: one fact per answer, each paragraph up to its cap."""
    ranked = sorted(
        candidates, key=lambda c: (-priority(c), c.paragraph, c.sentence.start, c.start)
    )
    used: set[str] = set()
    taken: Counter[int] = Counter()
    claims: Counter[int] = Counter()
    paragraph_claims: Counter[int] = Counter()
    drafts: list[Draft] = []
    for c in ranked:
        is_claim = is_phrase(c)
        if is_claim and (
            c.score < MIN_CLAIM_SCORE or claims[id(c.sentence)] >= MAX_CLAIMS_PER_SENTENCE
        ):
            continue
        # One "who said it" per speaker and paragraph: a second would ask the same thing.
        quoted = f"quote:{c.answer}:{c.paragraph}"
        key = quoted if c.kind is FactKind.QUOTE else normalise(c.key or c.answer)
        cap = caps.get(c.paragraph, MIN_PER_PARAGRAPH)
        # Names can fill a paragraph's quota; one claim still gets in to say what it argues.
        if is_claim and not paragraph_claims[c.paragraph]:
            cap += 1
        if key in used or taken[c.paragraph] >= cap:
            continue
        d = _draft(c, _aliases(c, surnames))
        if d is None:
            continue  # no clean statement or question: the next candidate gets the place
        used.add(key)
        taken[c.paragraph] += 1
        claims[id(c.sentence)] += is_claim
        paragraph_claims[c.paragraph] += is_claim
        drafts.append(d)
    return drafts


def class_of(c: Candidate) -> str:
    """Return a candidate's class; numbers and dates by their form."""
    if c.kind is FactKind.QUOTE:
        return "person"
    return c.cls or c.kind.value


def draft_facts(article: Article) -> list[Draft]:
    """Return the drafted facts of an article, in article order."""
    candidates = find_candidates(article)
    strong: dict[int, set[str]] = {}
    for c in candidates:
        if not is_phrase(c) and priority(c) >= STRONG:
            strong.setdefault(c.paragraph, set()).add(normalise(c.key or c.answer))
    caps = {
        p: paragraph_cap(para, len(strong.get(p, ())))
        for p, para in enumerate(article.paragraphs, start=1)
    }
    people = {c.key or c.answer for c in candidates if c.kind in (FactKind.PERSON, FactKind.QUOTE)}
    surnames = Counter(surname(name) for name in people)
    drafts = _select(candidates, caps, surnames)
    ctx = context_of(article, candidates)
    named = [c for c in candidates if c.kind not in (FactKind.NUMBER, FactKind.DATE)]
    same = distractors.SameKind((class_of(c), c.key or c.answer, c.paragraph) for c in named)
    out = [_with_distractors(d, same, ctx) for d in drafts]
    out.sort(key=lambda d: (d.candidate.paragraph, d.candidate.sentence.start, d.candidate.start))
    return out


def context_of(article: Article, candidates: list[Candidate]) -> ArticleContext:
    """Return the article's region, field and the class of each answer it names."""
    pairs = [(c.key or c.answer, class_of(c)) for c in candidates if c.kind is not FactKind.QUOTE]
    pairs += [(c.answer, class_of(c)) for c in candidates if c.key and c.key != c.answer]
    people = {c.key or c.answer for c in candidates if class_of(c) == "person"}
    pairs += [(surname(name), "person") for name in people]
    return article_context(article.paragraphs, pairs)


def _order(d: Draft, picked: list[str], ctx: ArticleContext) -> list[str]:
    """Choose the distractors to keep, in order.

    Only options of the answer's class; first the one that makes the most natural false
    statement (the generator swaps the first into the true/false item); and never three that
    are all much shorter than the answer, which would give it away.
    """
    c = d.candidate
    cls = class_of(c)
    ok = [x for x in picked if option_problem(c.kind, cls, c.answer, x, ctx) is None]
    chosen = ok[: distractors.COUNT]
    longest = max((len(x) for x in chosen), default=0)
    if chosen and len(c.answer) > LONGEST_RATIO * longest:
        longer = [x for x in ok[distractors.COUNT :] if len(c.answer) <= LONGEST_RATIO * len(x)]
        if longer:
            chosen = [*chosen[:-1], longer[0]]
    natural = [x for x in chosen if swap_problem(d.statement, c.answer, x, cls) is None]
    if not natural:
        natural = [x for x in ok if swap_problem(d.statement, c.answer, x, cls) is None][:1]
        chosen = [*natural, *chosen[: distractors.COUNT - len(natural)]]
    return natural + [x for x in chosen if x not in natural]


def _with_distractors(d: Draft, same: distractors.SameKind, ctx: ArticleContext) -> Draft:
    """Return the draft with distractors of its class: the article's own first."""
    c = d.candidate
    cls = class_of(c)
    if cls == "person" and c.key and c.answer == surname(c.key) != c.key:
        return _surname_distractors(d, same, ctx)
    picked = distractors.pick(
        c.kind,
        cls,
        answer=c.answer,
        aliases=d.aliases,
        question=d.question,
        statement=d.statement,
        article_same=same.near(cls, c.key or c.answer, c.paragraph),
        ctx=ctx,
        count=distractors.COUNT + 8,
    )
    return replace(d, distractors=tuple(_order(d, picked, ctx)))


def _surname_distractors(d: Draft, same: distractors.SameKind, ctx: ArticleContext) -> Draft:
    """Return a draft whose answer is a surname ("Han") with other people's surnames."""
    c = d.candidate
    full = distractors.pick(
        c.kind,
        "person",
        answer=c.key,
        aliases=(),
        question=d.question,
        statement=d.statement,
        article_same=same.near("person", c.key, c.paragraph),
        ctx=ctx,
        count=distractors.COUNT + 3,
    )
    names = list(dict.fromkeys(surname(n) for n in full))
    taken = {normalise(c.answer)}
    kept = [n for n in names if normalise(n) not in taken]
    return replace(d, distractors=tuple(kept[: distractors.COUNT]))


def extract(
    text: str, bank: str, *, title: str | None = None, source: str = "", path: str = ""
) -> FactSet:
    """Return a draft FactSet for an article (first line title, one paragraph per line)."""
    article = parse_article(text)
    drafts = draft_facts(article)
    facts: list[Fact] = []
    ids: Counter[str] = Counter()
    for d in drafts:
        c = d.candidate
        base = f"said-{slug(c.answer, 3)}" if c.kind is FactKind.QUOTE else slug(c.answer)
        ids[base] += 1
        fact_id = base if ids[base] == 1 else f"{base}-{ids[base]}"
        facts.append(
            Fact(
                id=fact_id,
                statement=_closed(d.statement),
                paragraph=c.paragraph,
                kind=c.kind,
                topic=TOPIC,
                question=d.question,
                answer=c.answer,
                explanation=EXPLANATION,
                aliases=d.aliases,
                distractors=d.distractors,
                quote=c.quote if c.kind is FactKind.QUOTE else None,
                reviewed=False,
            )
        )
    facts = _with_false_versions(bank, _one_statement_each(facts))
    return FactSet(
        bank=bank,
        title=title or article.title or bank,
        source=source or "unknown",
        facts=tuple(facts),
        topics={TOPIC: "General"},
        paragraphs=len(article.paragraphs),
        path=path,
    )


def _one_statement_each(facts: list[Fact]) -> list[Fact]:
    """Keep one true/false item per drafted sentence: the others are asked as choices only.

    Several facts drafted from one sentence share its statement: judging it once is enough.
    """
    first: dict[str, str] = {}
    for f in facts:
        first.setdefault(f.statement, f.id)
    return [
        f if first[f.statement] == f.id or f.kind is FactKind.QUOTE
        else replace(f, ask=(QuestionKind.CHOICE,))
        for f in facts
    ]  # fmt: skip


def _closed(statement: str) -> str:
    """Return a statement whose quotation, cut short by the draft, is closed again."""
    body, end = (statement[:-1], statement[-1]) if statement.endswith(".") else (statement, "")
    if body.count("“") > body.count("”"):
        body += "”"
    elif body.count('"') % 2:
        body += '"'
    return body + end


def _with_false_versions(bank: str, facts: list[Fact]) -> list[Fact]:
    """Propose a false version for about half the drafts: the first distractor swapped in.

    `_order` put first the distractor that reads most naturally in the sentence; a reviewer
    checks that the article rules the proposed version out, or rewrites it.
    """
    ranked = sorted(
        (
            f
            for f in facts
            if f.kind is not FactKind.QUOTE
            and f.distractors
            and (not f.ask or QuestionKind.TRUE_FALSE in f.ask)
        ),
        key=lambda f: hashlib.sha256(f"{bank}\x1f{f.id}".encode()).hexdigest(),
    )
    chosen = {f.id for f in ranked[: len(ranked) // 2]}
    return [
        replace(f, false=f.statement.replace(f.answer, f.distractors[0], 1))
        if f.id in chosen and swap_problem(f.statement, f.answer, f.distractors[0]) is None
        else f
        for f in facts
    ]


_YAML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quoted(text: str) -> str:
    """Return text as a YAML double-quoted scalar (never coerced, always one line)."""
    out: list[str] = []
    for ch in text:
        if ch in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co") or ch == "\ufeff":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(quoted(i) for i in items) + "]"


def facts_to_yaml(factset: FactSet, article_name: str = "") -> str:
    """Serialise a draft FactSet in the facts.yaml schema, every string double-quoted."""
    lines = [
        "# Draft facts written by `quizbot extract`"
        + (f" from {article_name}" if article_name else "")
        + ".",
        "# Every fact is a draft: check it against the article, rewrite the statement and the",
        "# question in your own words, fix the kind and the distractors, then set reviewed: true.",
        f"bank: {quoted(factset.bank)}",
        f"title: {quoted(factset.title)}",
        f"source: {quoted(factset.source)}",
    ]
    if factset.paragraphs is not None:
        lines.append(f"paragraphs: {factset.paragraphs}")
    lines.append("topics:")
    lines.extend(f"  {quoted(k)}: {quoted(v)}" for k, v in factset.topics.items())
    lines.append("facts:")
    for f in factset.facts:
        lines += [
            f"  - id: {quoted(f.id)}",
            f"    paragraph: {f.paragraph}",
            f"    kind: {quoted(f.kind.value)}",
            f"    topic: {quoted(f.topic)}",
            f"    statement: {quoted(f.statement)}",
            f"    question: {quoted(f.question)}",
            f"    answer: {quoted(f.answer)}",
            f"    aliases: {_list(f.aliases)}",
            f"    distractors: {_list(f.distractors)}",
            f"    explanation: {quoted(f.explanation)}",
        ]
        if f.quote is not None:
            lines.append(f"    quote: {quoted(f.quote)}")
        if f.false is not None:
            lines.append(f"    false: {quoted(f.false)}")
        if f.ask:
            lines.append(f"    ask: {_list(tuple(k.value for k in f.ask))}")
        lines.append(f"    reviewed: {'true' if f.reviewed else 'false'}")
    return "\n".join(lines) + "\n"
