"""Run a draft through the project's own loader and validator, as `quizbot check` would.

The figure that matters to a reviewer is how many of the questions a draft makes would pass the
validator unchanged. The draft is written out as `facts.yaml`, read back with the facts loader,
generated with its drafts included, written out as `bank.yaml` and read back with the bank loader
(which runs `bot.core.validate`). Each problem is attributed by its line to the question (or the
fact, and so to every question of that fact) it sits in, so whatever rules the validator holds
today or later are counted without this module knowing them.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import yaml

from bot.core.bank import read_bank, read_facts
from bot.core.generate import bank_to_yaml, generate
from bot.core.models import FactSet, Problem


@dataclass(frozen=True, slots=True)
class Review:
    """What the validator says about the bank a draft generates."""

    questions: int  # questions generated from the drafted facts
    passed: int  # of them, questions with no problem of their own or of their fact
    failed: tuple[tuple[str, str], ...]  # (question id, the first problem) for the others
    bank_problems: tuple[str, ...]  # problems of the bank as a whole (position balance, …)
    warned: tuple[str, ...] = ()  # questions the validator warns about (class, longest, …)

    @property
    def share(self) -> float:
        """Return the share of generated questions that pass unchanged."""
        return self.passed / self.questions if self.questions else 0.0


def _item_lines(text: str, key: str) -> list[tuple[int, str]]:
    """Return (first line, id) of each item of the top-level list `key` of a YAML document."""
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(root, yaml.MappingNode):
        return []
    out: list[tuple[int, str]] = []
    for k, v in root.value:
        if k.value != key or not isinstance(v, yaml.SequenceNode):
            continue
        for item in v.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            ident = next((str(b.value) for a, b in item.value if a.value == "id"), "")
            out.append((item.start_mark.line + 1, ident))
    return out


def _owner(lines: list[tuple[int, str]], problem: Problem) -> str | None:
    """Return the id of the item a problem's line falls in, or None for a file-level one."""
    at = bisect_right([line for line, _ in lines], problem.line) - 1
    return lines[at][1] if at >= 0 else None


def review(draft: FactSet) -> Review:
    """Return how the questions generated from a draft fare in the loader and validator."""
    from bot.authoring.extract import facts_to_yaml  # extract imports this module's callers

    facts_text = facts_to_yaml(draft)
    factset, fact_problems = read_facts(facts_text, "facts.yaml")
    # A file with one bad fact does not load at all; the other facts' questions are still
    # judged, from the draft itself, and the bad fact's questions fail with its problem.
    bank = generate(factset or draft, include_unreviewed=True)
    bank_text = bank_to_yaml(bank, facts_text)
    _, bank_problems = read_bank(bank_text, "bank.yaml")
    fact_lines = _item_lines(facts_text, "facts")
    question_lines = _item_lines(bank_text, "questions")
    bad_facts: dict[str, str] = {}
    for p in fact_problems:
        fact_id = _owner(fact_lines, p)
        if not p.warning and fact_id is not None:
            bad_facts.setdefault(fact_id, str(p))
    bad: dict[str, str] = {}
    whole: list[str] = []
    warned: dict[str, None] = {}
    for p in bank_problems:
        question_id = _owner(question_lines, p)
        if p.warning:
            if question_id is not None:
                warned[question_id] = None
            continue
        if question_id is None:
            whole.append(str(p))
        else:
            bad.setdefault(question_id, str(p))
    failed: list[tuple[str, str]] = []
    for q in bank.questions:
        problem = bad.get(q.id) or bad_facts.get(q.fact_id)
        if problem is not None:
            failed.append((q.id, problem))
    n = len(bank.questions)
    return Review(n, n - len(failed), tuple(failed), tuple(whole), tuple(warned))
