"""Load facts and banks from YAML: safe loading, strict schema, every problem located."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import yaml

from bot.core.models import (
    Bank,
    BankError,
    Fact,
    FactKind,
    FactSet,
    Problem,
    Question,
    QuestionKind,
)
from bot.core.validate import validate_bank, validate_facts
from bot.core.yamlio import Reader, line_of

_E = TypeVar("_E", QuestionKind, FactKind)

MAX_FILE_BYTES = 1_000_000
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_FACTS_HEADER_REQUIRED = {"bank", "title", "source", "topics", "facts"}
_FACTS_HEADER_OPTIONAL = {"paragraphs"}
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
_FACT_OPTIONAL = {"aliases", "distractors", "quote", "reviewed"}
_BANK_HEADER_REQUIRED = {"generated", "bank", "title", "source", "topics", "questions"}
_BANK_HEADER_OPTIONAL = {"facts_sha256"}
_QUESTION_REQUIRED = {
    "id",
    "kind",
    "fact",
    "paragraph",
    "topic",
    "fact_kind",
    "prompt",
    "answer",
    "explanation",
}
_QUESTION_OPTIONAL = {"choices", "aliases", "rivals"}


#: The most facts one file may hold, and questions one bank (a long article has ~100 facts).
MAX_FACTS = 500
MAX_QUESTIONS = 2000

def facts_digest(text: str) -> str:
    """Return the digest that ties a generated bank to the facts text it came from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text_file(path: Path) -> tuple[str | None, list[Problem]]:
    """Return a file's UTF-8 text (None when unusable) and the problems that stopped it."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(name, 0, "file", f"cannot read: {exc.strerror or exc}")]
    if size > MAX_FILE_BYTES:
        return None, [Problem(name, 0, "file", f"too large ({size} bytes > {MAX_FILE_BYTES})")]
    try:
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError:
        return None, [Problem(name, 1, "file", "not UTF-8 text")]
    except OSError as exc:
        return None, [Problem(name, 0, "file", f"cannot read: {exc.strerror or exc}")]


def read_facts(text: str, name: str = "facts.yaml") -> tuple[FactSet | None, list[Problem]]:
    """Parse and validate a facts document; return it (None on errors) and every problem."""
    r = Reader(name)
    root = r.parse(text)
    if root is None:
        return None, r.problems
    head = r.mapping(root, "", _FACTS_HEADER_REQUIRED, _FACTS_HEADER_OPTIONAL)
    slug, title, source = _header(r, head)
    paragraphs = r.integer(head.get("paragraphs"), "paragraphs")
    topics = r.text_map(head.get("topics"), "topics")
    facts: list[Fact] = []
    located: dict[int, tuple[str, dict[str, int]]] = {}
    for i, node in enumerate(r.items(head.get("facts"), "facts", max_items=MAX_FACTS)):
        fact = _read_fact(r, node, f"facts[{i}]")
        if fact is not None and isinstance(node, yaml.MappingNode):
            facts.append(fact)
            lines = {k.value: line_of(v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            located[fact.line] = (f"facts[{i}]", lines)
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
    )
    r.problems.extend(validate_facts(factset, _line(head, "topics"), located))
    return (None if r.errors else factset), r.problems


def _header(r: Reader, head: dict[str, yaml.Node]) -> tuple[str, str, str]:
    """Return the slug, title and source of a header ("" for each one missing or broken)."""
    slug = r.text(head.get("bank"), "bank", max_len=64)
    if slug is not None and not SLUG_RE.match(slug):
        r.problem(line_of(head["bank"]), "bank", f"{slug!r} is not a lowercase-and-dashes slug")
    title = r.text(head.get("title"), "title", max_len=256)
    source = r.text(head.get("source"), "source", max_len=500)
    return slug or "", title or "", source or ""


def _line(head: dict[str, yaml.Node], key: str) -> int:
    node = head.get(key)
    return line_of(node) if node is not None else 1


def _read_fact(r: Reader, node: yaml.Node, where: str) -> Fact | None:
    before = len(r.errors)
    m = r.mapping(node, where, _FACT_REQUIRED, _FACT_OPTIONAL)
    if not m:
        return None
    fact_id = r.text(m.get("id"), f"{where}.id", max_len=64)
    kind = _enum(r, m, "kind", where, FactKind)
    fact = dict(
        id=fact_id,
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
    )


def read_bank(text: str, name: str = "bank.yaml") -> tuple[Bank | None, list[Problem]]:
    """Parse and validate a bank document; return it (None on errors) and every problem."""
    r = Reader(name)
    root = r.parse(text)
    if root is None:
        return None, r.problems
    head = r.mapping(root, "", _BANK_HEADER_REQUIRED, _BANK_HEADER_OPTIONAL)
    generated = r.boolean(head.get("generated"), "generated")
    if generated is False:
        r.problem(_line(head, "generated"), "generated", "a bank must be generated by quizbot")
    slug, title, source = _header(r, head)
    r.text(head.get("facts_sha256"), "facts_sha256", max_len=64)
    topics = r.text_map(head.get("topics"), "topics")
    questions = [
        q
        for i, node in enumerate(
            r.items(head.get("questions"), "questions", max_items=MAX_QUESTIONS)
        )
        if (q := _read_question(r, node, f"questions[{i}]")) is not None
    ]
    if "questions" in head and not questions and not r.errors:
        r.problem(line_of(head["questions"]), "questions", "no questions")
    bank = Bank(
        slug=slug,
        title=title,
        source=source,
        questions=tuple(questions),
        topics=topics,
        path=name,
    )
    r.problems.extend(validate_bank(bank))
    return (None if r.errors else bank), r.problems


def _read_question(r: Reader, node: yaml.Node, where: str) -> Question | None:
    before = len(r.errors)
    m = r.mapping(node, where, _QUESTION_REQUIRED, _QUESTION_OPTIONAL)
    if not m:
        return None
    kind = _enum(r, m, "kind", where, QuestionKind)
    fact_kind = _enum(r, m, "fact_kind", where, FactKind)
    values = dict(
        id=r.text(m.get("id"), f"{where}.id", max_len=100),
        fact=r.text(m.get("fact"), f"{where}.fact", max_len=64),
        paragraph=r.integer(m.get("paragraph"), f"{where}.paragraph"),
        topic=r.text(m.get("topic"), f"{where}.topic", max_len=64),
        prompt=r.text(m.get("prompt"), f"{where}.prompt", max_len=1000),
        answer=r.text(m.get("answer"), f"{where}.answer", max_len=100),
        explanation=r.text(m.get("explanation"), f"{where}.explanation", max_len=1500),
    )
    choices = r.text_list(m.get("choices"), f"{where}.choices", max_len=100)
    aliases = r.text_list(m.get("aliases"), f"{where}.aliases", max_len=100)
    rivals = r.text_list(m.get("rivals"), f"{where}.rivals", max_len=100)
    if len(r.errors) > before or kind is None or fact_kind is None:
        return None
    if any(v is None for v in values.values()):
        return None
    return Question(
        id=str(values["id"]),
        kind=kind,
        prompt=str(values["prompt"]),
        answer=str(values["answer"]),
        explanation=str(values["explanation"]),
        fact_id=str(values["fact"]),
        paragraph=int(values["paragraph"] or 0),
        topic=str(values["topic"]),
        fact_kind=fact_kind,
        choices=tuple(choices),
        aliases=tuple(aliases),
        rivals=tuple(rivals),
        line=line_of(node),
    )


def _enum(r: Reader, m: dict[str, yaml.Node], key: str, where: str, enum: type[_E]) -> _E | None:
    text = r.text(m.get(key), f"{where}.{key}", max_len=32)
    if text is None:
        return None
    try:
        return enum(text)
    except ValueError:
        allowed = ", ".join(k.value for k in enum)
        r.problem(line_of(m[key]), f"{where}.{key}", f"{text!r} is not one of {allowed}")
        return None


def load_facts_text(text: str, name: str = "facts.yaml") -> FactSet:
    """Return the facts of a document, or raise BankError with every located problem."""
    factset, problems = read_facts(text, name)
    if factset is None:
        raise BankError([p for p in problems if not p.warning])
    return factset


def load_facts(path: str | Path) -> FactSet:
    """Return the facts of `questions/<bank>/facts.yaml`, or raise BankError."""
    text, problems = read_text_file(Path(path))
    if text is None:
        raise BankError(problems)
    return load_facts_text(text, str(path))


def load_bank_text(text: str, name: str = "bank.yaml") -> Bank:
    """Return the bank of a document, or raise BankError with every located problem."""
    bank, problems = read_bank(text, name)
    if bank is None:
        raise BankError([p for p in problems if not p.warning])
    return bank


def load_bank(path: str | Path) -> Bank:
    """Return a validated bank; with its facts attached when facts.yaml lies beside it.

    Only the facts its questions come from are attached: a draft left out of the bank is no
    part of it (not answered from, not counted towards mastery).
    """
    path = Path(path)
    text, problems = read_text_file(path)
    if text is None:
        raise BankError(problems)
    bank = load_bank_text(text, str(path))
    facts_path = path.with_name("facts.yaml")
    if facts_path.is_file():
        asked = {q.fact_id for q in bank.questions}
        facts = tuple(f for f in load_facts(facts_path).facts if f.id in asked)
        bank = replace(bank, facts=facts)
    return bank


def load_banks(
    directory: str | Path, *, on_error: Callable[[Path, list[Problem]], None] | None = None
) -> dict[str, Bank]:
    """Return every bank under a directory (`<dir>/<slug>/bank.yaml`) keyed by slug.

    Without `on_error`, any broken bank raises BankError with every problem found; with it, a
    broken bank is reported to `on_error` and skipped, so the others still load.
    """
    banks: dict[str, Bank] = {}
    problems: list[Problem] = []
    for path in sorted(Path(directory).glob("*/bank.yaml")):
        try:
            bank = load_bank(path)
        except BankError as exc:
            found = exc.problems
        else:
            if bank.slug not in banks:
                banks[bank.slug] = bank
                continue
            found = [Problem(str(path), 1, "bank", f"slug {bank.slug!r} is used twice")]
        if on_error is None:
            problems.extend(found)
        else:
            on_error(path, found)
    if problems:
        raise BankError(problems)
    return banks
