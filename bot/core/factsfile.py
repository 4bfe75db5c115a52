"""Read `questions/<bank>/facts.yaml`: the facts people wrote and their hand-written items.

Safe loading, a strict schema and every problem located; the rules a fact or item must follow
are checked by `bot.core.validate`.
"""

from __future__ import annotations

import re
from typing import TypeVar

import yaml

from bot.core.models import (
    Fact,
    FactKind,
    FactSet,
    Item,
    Problem,
    QuestionKind,
)
from bot.core.validate import validate_facts
from bot.core.yamlio import Reader, line_of

__all__ = ["SLUG_RE", "enum_value", "header", "key_line", "read_facts"]

_E = TypeVar("_E", QuestionKind, FactKind)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The most facts one file may hold, and hand-written items beside them.
MAX_FACTS = 500
MAX_ITEMS = 500

_HEADER_REQUIRED = {"bank", "title", "source", "topics", "facts"}
_HEADER_OPTIONAL = {"paragraphs", "items"}
_FACT_REQUIRED = {
    "id",
    "paragraph",
    "kind",
    "topic",
    "statement",
    "question",
    "answer",
    "explanation",
}
_FACT_OPTIONAL = {
    "aliases",
    "distractors",
    "quote",
    "reviewed",
    "about",
    "class",
    "cites",
    "background",
    "false",
    "ask",
}
_ITEM_REQUIRED = {"id", "kind", "fact", "prompt", "answer", "distractors", "explanation"}
_ITEM_OPTIONAL = {"facts", "cites", "background", "aliases", "reviewed"}
#: The kinds a fact's `ask:` may name: those made from its own sentence.
GENERATED_KINDS = (
    QuestionKind.CHOICE,
    QuestionKind.TRUE_FALSE,
    QuestionKind.FILL,
    QuestionKind.NUMERIC,
)


def header(r: Reader, head: dict[str, yaml.Node]) -> tuple[str, str, str]:
    """Return the slug, title and source of a header ("" for each one missing or broken)."""
    slug = r.text(head.get("bank"), "bank", max_len=64)
    if slug is not None and not SLUG_RE.match(slug):
        r.problem(line_of(head["bank"]), "bank", f"{slug!r} is not a lowercase-and-dashes slug")
    title = r.text(head.get("title"), "title", max_len=256)
    source = r.text(head.get("source"), "source", max_len=500)
    return slug or "", title or "", source or ""


def key_line(head: dict[str, yaml.Node], key: str) -> int:
    """Return the line of a key's value, or 1 when the key is absent."""
    node = head.get(key)
    return line_of(node) if node is not None else 1


def enum_value(
    r: Reader, m: dict[str, yaml.Node], key: str, where: str, enum: type[_E]
) -> _E | None:
    """Return the enum member a key names, reporting a value that is not one of them."""
    text = r.text(m.get(key), f"{where}.{key}", max_len=32)
    if text is None:
        return None
    try:
        return enum(text)
    except ValueError:
        allowed = ", ".join(k.value for k in enum)
        r.problem(line_of(m[key]), f"{where}.{key}", f"{text!r} is not one of {allowed}")
        return None


def read_facts(text: str, name: str = "facts.yaml") -> tuple[FactSet | None, list[Problem]]:
    """Parse and validate a facts document; return it (None on errors) and every problem."""
    r = Reader(name)
    root = r.parse(text)
    if root is None:
        return None, r.problems
    head = r.mapping(root, "", _HEADER_REQUIRED, _HEADER_OPTIONAL)
    slug, title, source = header(r, head)
    paragraphs = r.integer(head.get("paragraphs"), "paragraphs")
    topics = r.text_map(head.get("topics"), "topics")
    facts: list[Fact] = []
    located: dict[int, tuple[str, dict[str, int]]] = {}
    for i, node in enumerate(r.items(head.get("facts"), "facts", max_items=MAX_FACTS)):
        fact = _read_fact(r, node, f"facts[{i}]")
        if fact is not None and isinstance(node, yaml.MappingNode):
            facts.append(fact)
            located[fact.line] = (f"facts[{i}]", _key_lines(node))
    items: list[Item] = []
    for i, node in enumerate(r.items(head.get("items"), "items", max_items=MAX_ITEMS)):
        item = _read_item(r, node, f"items[{i}]")
        if item is not None and isinstance(node, yaml.MappingNode):
            items.append(item)
            located[item.line] = (f"items[{i}]", _key_lines(node))
    if "facts" in head and not facts and not r.errors:
        r.problem(line_of(head["facts"]), "facts", "no facts")
    factset = FactSet(
        bank=slug,
        title=title,
        source=source,
        facts=tuple(facts),
        topics=topics,
        paragraphs=paragraphs,
        path=name,
        items=tuple(items),
    )
    r.problems.extend(validate_facts(factset, key_line(head, "topics"), located))
    return (None if r.errors else factset), r.problems


def _key_lines(node: yaml.MappingNode) -> dict[str, int]:
    return {k.value: line_of(v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _read_fact(r: Reader, node: yaml.Node, where: str) -> Fact | None:
    before = len(r.errors)
    m = r.mapping(node, where, _FACT_REQUIRED, _FACT_OPTIONAL)
    if not m:
        return None
    kind = enum_value(r, m, "kind", where, FactKind)
    fact = dict(
        id=r.text(m.get("id"), f"{where}.id", max_len=64),
        paragraph=r.integer(m.get("paragraph"), f"{where}.paragraph"),
        topic=r.text(m.get("topic"), f"{where}.topic", max_len=64),
        statement=r.text(m.get("statement"), f"{where}.statement", max_len=600),
        question=r.text(m.get("question"), f"{where}.question", max_len=400),
        answer=r.text(m.get("answer"), f"{where}.answer", max_len=100),
        explanation=r.text(m.get("explanation"), f"{where}.explanation", max_len=1000),
    )
    aliases = r.text_list(m.get("aliases"), f"{where}.aliases", max_len=100)
    distractors = r.text_list(m.get("distractors"), f"{where}.distractors", max_len=100)
    quote = r.text(m.get("quote"), f"{where}.quote", max_len=300)
    reviewed = r.boolean(m.get("reviewed"), f"{where}.reviewed")
    about = r.text_list(m.get("about"), f"{where}.about", max_len=100)
    answer_class = r.text(m.get("class"), f"{where}.class", max_len=64)
    cites = r.int_list(m.get("cites"), f"{where}.cites")
    background = r.text(m.get("background"), f"{where}.background", max_len=600)
    false = r.text(m.get("false"), f"{where}.false", max_len=600)
    ask = _kinds(r, m.get("ask"), f"{where}.ask")
    if len(r.errors) > before or kind is None or any(v is None for v in fact.values()):
        return None
    return Fact(
        id=str(fact["id"]),
        statement=str(fact["statement"]),
        paragraph=int(fact["paragraph"] or 0),
        kind=kind,
        topic=str(fact["topic"]),
        question=str(fact["question"]),
        answer=str(fact["answer"]),
        explanation=str(fact["explanation"]),
        aliases=tuple(aliases),
        distractors=tuple(distractors),
        quote=quote,
        reviewed=True if reviewed is None else reviewed,
        line=line_of(node),
        about=tuple(about),
        background=background or "",
        answer_class=answer_class,
        cites=tuple(cites),
        false=false,
        ask=ask,
    )


def _kinds(r: Reader, node: yaml.Node | None, where: str) -> tuple[QuestionKind, ...]:
    names = r.text_list(node, where, max_len=32)
    kinds: list[QuestionKind] = []
    allowed = ", ".join(k.value for k in GENERATED_KINDS)
    for i, name in enumerate(names):
        if name not in {k.value for k in GENERATED_KINDS}:
            r.problem(
                line_of(node) if node else 0, f"{where}[{i}]", f"{name!r}: not one of {allowed}"
            )
        elif QuestionKind(name) not in kinds:
            kinds.append(QuestionKind(name))
    return tuple(kinds)


def _read_item(r: Reader, node: yaml.Node, where: str) -> Item | None:
    before = len(r.errors)
    m = r.mapping(node, where, _ITEM_REQUIRED, _ITEM_OPTIONAL)
    if not m:
        return None
    kind = enum_value(r, m, "kind", where, QuestionKind)
    values = dict(
        id=r.text(m.get("id"), f"{where}.id", max_len=64),
        fact=r.text(m.get("fact"), f"{where}.fact", max_len=64),
        prompt=r.text(m.get("prompt"), f"{where}.prompt", max_len=600),
        answer=r.text(m.get("answer"), f"{where}.answer", max_len=100),
        explanation=r.text(m.get("explanation"), f"{where}.explanation", max_len=1000),
    )
    distractors = r.text_list(m.get("distractors"), f"{where}.distractors", max_len=100)
    facts = r.text_list(m.get("facts"), f"{where}.facts", max_len=64)
    cites = r.int_list(m.get("cites"), f"{where}.cites")
    background = r.text(m.get("background"), f"{where}.background", max_len=600)
    aliases = r.text_list(m.get("aliases"), f"{where}.aliases", max_len=100)
    reviewed = r.boolean(m.get("reviewed"), f"{where}.reviewed")
    if len(r.errors) > before or kind is None or any(v is None for v in values.values()):
        return None
    if kind in GENERATED_KINDS[1:]:
        r.problem(
            line_of(m["kind"]),
            f"{where}.kind",
            f"{kind.value!r} questions are made from a fact's own sentence: list it in the "
            "fact's `ask:` instead",
        )
        return None
    return Item(
        id=str(values["id"]),
        kind=kind,
        fact=str(values["fact"]),
        prompt=str(values["prompt"]),
        answer=str(values["answer"]),
        distractors=tuple(distractors),
        explanation=str(values["explanation"]),
        facts=tuple(facts),
        background=background or "",
        cites=tuple(cites),
        aliases=tuple(aliases),
        reviewed=True if reviewed is None else reviewed,
        line=line_of(node),
    )
