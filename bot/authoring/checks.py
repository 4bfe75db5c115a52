"""Teacher-grade checks on drafted questions, beyond what the bank validator enforces.

- **Class**: every option of a choice question is of the answer's class (a city among cities,
  a party among parties, a date of the same form within a few years, a number of the same form
  and magnitude), whether the article named it, a shipped pool holds it, or its words show it;
  an option no source can place is not counted against the question. A place from a shipped
  list lies in the answer's region, and the generator's shared Balkan and Caucasus pool is
  used only for articles of those regions.
- **False statement**: a true/false item made false by swapping a distractor in reads as natural
  English: "a"/"an" agree, no "the the", no option already named in the sentence, a capital
  where a sentence starts, and the grammatical number of a phrase kept.
- **Longest answer**: the correct option is not the giveaway, much longer than every other.

Drafting uses the same checks to choose and order distractors, so what it writes meets them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.authoring.context import (
    SHARED_POOL_REGIONS,
    ArticleContext,
    date_class,
    number_class,
    same_class,
    shared_pool,
    word_class,
)
from bot.authoring.gazetteer import gazetteer
from bot.core.matching import normalise
from bot.core.models import FALSE, Bank, Fact, FactKind, Question, QuestionKind
from bot.core.numbers import parse_number
from bot.core.quality import indefinite_article
from bot.core.validate import contains_answer

# The correct option is a giveaway when it is this much longer than the longest other one.
LONGEST_RATIO = 1.5
# Numbers more than this factor away from the answer are of another magnitude.
MAGNITUDE = 5.0
# Years (and decades) further than this from the answer are not "within a few years";
# drafts stay within five.
MAX_YEARS = 10
MAX_DECADES = 30
_YEAR_IN = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class Finding:
    """One check a question fails."""

    question_id: str
    rule: str  # "class", "false-statement" or "longest"
    message: str

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rule}: {self.message}"


def _plural(phrase: str) -> bool:
    head = phrase.rsplit(maxsplit=1)[-1].lower() if phrase.split() else ""
    return len(head) > 3 and head.endswith("s") and not head.endswith(("ss", "us", "is"))


def swap_problem(statement: str, answer: str, distractor: str, cls: str = "") -> str | None:
    """Return why swapping distractor for answer in statement reads badly; None if it reads well."""
    at = statement.find(answer)
    if at < 0:
        return f"the statement does not contain {answer!r}"
    if contains_answer(statement, (distractor,)) is not None:
        return f"{distractor!r} is already named in the statement"
    before = statement[:at]
    article = re.search(r"\b(an?)\s+$", before, re.IGNORECASE)
    if article and article.group(1).lower() != indefinite_article(distractor):
        return f"“{article.group(1)} {distractor}” does not agree"
    if re.search(r"\bthe\s+$", before, re.IGNORECASE) and distractor.lower().startswith("the "):
        return f"“the {distractor}” repeats the article"
    if at == 0 and distractor[:1].islower():
        return f"the sentence would start with a small letter ({distractor!r})"
    if cls == "claim/phrase" and _plural(answer) != _plural(distractor):
        return f"{distractor!r} and {answer!r} differ in number"
    return None


def _number_problem(answer: str, option: str) -> str | None:
    if number_class(option) != number_class(answer):
        return f"{option!r} is not written like {answer!r}"
    a, o = parse_number(answer), parse_number(option)
    if a and o and not 1 / MAGNITUDE <= o / a <= MAGNITUDE:
        return f"{option!r} is of another magnitude than {answer!r}"
    return None


def _date_problem(answer: str, option: str) -> str | None:
    form = date_class(answer)
    if date_class(option) != form:
        return f"{option!r} is not a date in the form of {answer!r}"
    years_a, years_o = _YEAR_IN.findall(answer), _YEAR_IN.findall(option)
    if years_a and years_o:
        limit = MAX_DECADES if form == "date/decade" else MAX_YEARS
        if abs(int(years_a[0]) - int(years_o[0])) > limit:
            return f"{option!r} is more than {limit} years from {answer!r}"
    return None


def _region_problem(answer: str, option: str, ctx: ArticleContext) -> str | None:
    """Return why an option comes from another region's pool; None when it does not.

    The article's own names are always fair. A place from a shipped list must lie in the
    answer's region (the article's, when the answer is not a known place); a name from the
    generator's shared pools (curated for the Balkans and the Caucasus) fits only there.
    """
    if ctx.in_article(option):
        return None
    g = gazetteer()
    region = g.region_of.get(answer) or ctx.region
    where = g.region_of.get(option)
    if where and where != "world" and region and where != region:
        return f"{option!r} is from another region's list ({where}, not {region})"
    if option in shared_pool() and ctx.region not in SHARED_POOL_REGIONS:
        return f"{option!r} comes from the shared Balkan and Caucasus pool"
    return None


def option_problem(
    kind: FactKind, cls: str, answer: str, option: str, ctx: ArticleContext
) -> str | None:
    """Return why an option does not stand beside the answer; None when it is of its class."""
    if kind is FactKind.NUMBER:
        return _number_problem(answer, option)
    if kind is FactKind.DATE:
        return _date_problem(answer, option)
    if kind is FactKind.QUOTE:
        kind, cls = FactKind.PERSON, "person"
    other = ctx.class_of(option) or word_class(option)
    if other and cls and not same_class(cls, other):
        return f"{option!r} ({other}) is not of the answer's class ({cls})"
    if cls == "claim/phrase" and _plural(answer) != _plural(option):
        return f"{option!r} and {answer!r} differ in number"
    return _region_problem(answer, option, ctx)


def swapped_in(statement: str, answer: str, prompt: str) -> str | None:
    """Return the option a false true/false item put in place of the answer, if it did."""
    body = prompt.removeprefix("True or false? ")
    at = statement.find(answer)
    if at < 0:
        return None
    head, tail = statement[:at], statement[at + len(answer) :]
    if not body.startswith(head) or not body.endswith(tail) or len(body) < len(head) + len(tail):
        return None
    return body[len(head) : len(body) - len(tail)]


def _question_findings(q: Question, fact: Fact, cls: str, ctx: ArticleContext) -> list[Finding]:
    out: list[Finding] = []
    if q.kind in (QuestionKind.CHOICE, QuestionKind.WHO_SAID):
        for option in q.choices:
            if normalise(option) == normalise(q.answer):
                continue
            problem = option_problem(fact.kind, cls, fact.answer, option, ctx)
            if problem:
                out.append(Finding(q.id, "class", problem))
        others = [len(o) for o in q.choices if o != q.answer]
        if others and len(q.answer) > LONGEST_RATIO * max(others):
            out.append(Finding(q.id, "longest", f"{q.answer!r} is much the longest option"))
    elif q.kind is QuestionKind.TRUE_FALSE and q.answer == FALSE:
        distractor = swapped_in(fact.statement, fact.answer, q.prompt)
        if distractor:
            problem = swap_problem(fact.statement, fact.answer, distractor, cls)
            problem = problem or option_problem(fact.kind, cls, fact.answer, distractor, ctx)
            if problem:
                out.append(Finding(q.id, "false-statement", problem))
    return out


def audit(bank: Bank, ctx: ArticleContext) -> list[Finding]:
    """Return every teacher-grade check the questions of a generated bank fail."""
    facts = {f.id: f for f in bank.facts}
    out: list[Finding] = []
    for q in bank.questions:
        fact = facts.get(q.fact_id)
        if fact is None:
            continue
        cls = "person" if fact.kind is FactKind.QUOTE else ctx.class_of(fact.answer, fact.kind)
        out.extend(_question_findings(q, fact, cls, ctx))
    return out
