"""`quizbot generate` and `quizbot check`: facts become banks; banks are validated."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.article import find_article, read_article
from bot.core.bank import read_bank, read_facts, read_text_file
from bot.core.generate import bank_to_yaml, generate
from bot.core.models import Bank, FactSet, Problem
from bot.core.quality import check_grounding
from bot.terminal.presenter import plural

DEFAULT_QUESTIONS_DIR = Path("questions")
WHERE_HELP = (
    "Point at a directory of banks (<dir>/<bank>/facts.yaml) with a path argument, "
    "or set QUIZBOT_QUESTIONS=DIR."
)


def _questions_dir(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "questions", None) or DEFAULT_QUESTIONS_DIR)


@dataclass
class Report:
    """What a run found: problems to print and lines of summary."""

    problems: list[Problem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    #: What to do next, printed after the problems.
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Return whether any problem is an error."""
        return any(not p.warning for p in self.problems)

    def print(self, *, every: bool = False) -> int:
        """Print everything; return the exit code. Alike warnings are summarised unless `every`."""
        for line in self.lines:
            print(line)
        for text in self.problems if every else summarise_problems(self.problems):
            print(text, file=sys.stderr)
        errors = sum(not p.warning for p in self.problems)
        warnings = len(self.problems) - errors
        parts = []
        if errors:
            parts.append(f"{plural(errors, 'error')} (nothing is usable until they are fixed)")
        if warnings:
            parts.append(f"{plural(warnings, 'warning')} (it works; a teacher would fix them)")
        if parts:
            print("; ".join(parts) + ".", file=sys.stderr)
        for note in self.notes:
            print(note, file=sys.stderr)
        return 1 if errors else 0


#: Warnings with the same message in one file shown in full before the rest are summarised.
ALIKE_SHOWN = 2


def _alike(p: Problem) -> tuple[str, str]:
    # Fields name the item ("facts[3].reviewed"): alike problems share the part after the index.
    return p.file, f"{p.field.rsplit('.', 1)[-1]}: {p.message}"


def summarise_problems(problems: list[Problem]) -> list[str | Problem]:
    """Return the problems to print: errors all, a run of alike warnings as two and a count."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        if p.warning:
            groups.setdefault(_alike(p), []).append(p)
    out: list[str | Problem] = []
    for p in problems:
        group = groups.get(_alike(p)) if p.warning else None
        if group is None or len(group) <= ALIKE_SHOWN + 1:
            out.append(p)
            continue
        index = group.index(p)
        if index < ALIKE_SHOWN:
            out.append(p)
        elif index == ALIKE_SHOWN:
            rest = group[ALIKE_SHOWN:]
            lines = ", ".join(str(r.line) for r in rest[:8]) + (", …" if len(rest) > 8 else "")
            out.append(
                f"{p.file}: warning: {len(rest)} more like the above (lines {lines}); "
                "--all-warnings lists each"
            )
    return out


def _facts_paths(paths: list[str], default_dir: Path) -> list[Path]:
    if not paths:
        return sorted(default_dir.glob("*/facts.yaml"))
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            direct = p / "facts.yaml"
            out.extend([direct] if direct.is_file() else sorted(p.glob("*/facts.yaml")))
        else:
            out.append(p)
    return out


def summarise(bank: Bank) -> str:
    """Return a one-line summary of a bank's questions by kind."""
    kinds = Counter(q.kind.value for q in bank.questions)
    shown = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    return f"{plural(len(bank.questions), 'question')} ({shown})"


def read_facts_file(facts_path: Path, report: Report) -> tuple[str, FactSet] | None:
    """Return a facts file's text and facts, or None with located problems."""
    text, problems = read_text_file(facts_path)
    report.problems.extend(problems)
    if text is None:
        return None
    factset, problems = read_facts(text, str(facts_path))
    report.problems.extend(problems)
    return None if factset is None else (text, factset)


def generate_bank(
    facts_path: Path, text: str, factset: FactSet, report: Report, *, include_drafts: bool
) -> tuple[str, Bank] | None:
    """Return the bank YAML generated from facts, and the bank it loads as; None if it is broken."""
    bank_yaml = bank_to_yaml(generate(factset, include_unreviewed=include_drafts), text)
    bank, problems = read_bank(bank_yaml, str(facts_path.with_name("bank.yaml")))
    report.problems.extend(problems)
    return None if bank is None else (bank_yaml, bank)


def run_generate(args: argparse.Namespace) -> int:
    """Write `bank.yaml` beside each facts file."""
    report = Report()
    paths = _facts_paths(args.facts, _questions_dir(args))
    if not paths:
        where = " ".join(args.facts) or str(_questions_dir(args).resolve())
        report.problems.append(Problem(where, 0, "facts", "no facts.yaml found"))
        report.notes.append(WHERE_HELP)
    for facts_path in paths:
        read = read_facts_file(facts_path, report)
        if read is None:
            continue
        if not _has_reviewed(facts_path, read[1], report, include_drafts=args.include_drafts):
            continue
        made = generate_bank(facts_path, *read, report, include_drafts=args.include_drafts)
        if made is None:
            continue
        bank_yaml, bank = made
        out = facts_path.with_name("bank.yaml")
        try:
            out.write_text(bank_yaml, encoding="utf-8")
        except OSError as exc:
            report.problems.append(Problem(str(out), 0, "file", f"cannot write: {exc}"))
            continue
        report.lines.append(f"{out}: {summarise(bank)}")
    return report.print(every=args.all_warnings)


def _has_reviewed(
    facts_path: Path, factset: FactSet, report: Report, *, include_drafts: bool
) -> bool:
    """Return whether there is something to generate; say so when only drafts are there."""
    drafts = sum(not f.reviewed for f in factset.facts)
    if include_drafts or not drafts:
        return True
    out = facts_path.with_name("bank.yaml")
    if drafts == len(factset.facts):
        report.problems.append(
            Problem(
                str(facts_path), 0, "facts",
                f"no fact is reviewed yet, so {out} was not written: check the drafts and set "
                f"reviewed: true on each, or use them as they are with "
                f"`quizbot generate --include-drafts {facts_path}`",
            )
        )  # fmt: skip
        return False
    report.notes.append(
        f"{facts_path}: {plural(drafts, 'drafted fact')} left out of {out} "
        "(not reviewed yet); --include-drafts uses them too."
    )
    return True


def check_dir(bank_dir: Path, report: Report) -> None:
    """Validate one bank directory: its facts, its bank, and that the bank is up to date."""
    facts_path, bank_path = bank_dir / "facts.yaml", bank_dir / "bank.yaml"
    if not bank_path.is_file():
        report.problems.append(Problem(str(bank_path), 0, "bank", "missing: run quizbot generate"))
        if facts_path.is_file() and (read := read_facts_file(facts_path, report)):
            generate_bank(facts_path, *read, report, include_drafts=True)
        return
    text, problems = read_text_file(bank_path)
    report.problems.extend(problems)
    if text is None:
        return
    bank, problems = read_bank(text, str(bank_path))
    report.problems.extend(problems)
    if bank is None or not facts_path.is_file():
        if bank is not None:
            report.lines.append(f"{bank_path}: ok, {summarise(bank)} (no facts.yaml beside it)")
        return
    read = read_facts_file(facts_path, report)
    if read is None:
        return
    report.problems.extend(_grounding(bank, facts_path))
    asked = {q.fact_id for q in bank.questions}
    # A bank generated with --include-drafts is compared with the same generation.
    drafts = any(not f.reviewed for f in read[1].facts if f.id in asked)
    made = generate_bank(facts_path, *read, report, include_drafts=drafts)
    if made is None:
        return
    if made[0] != text:
        line = _first_difference(made[0], text)
        report.problems.append(
            Problem(
                str(bank_path),
                line,
                "bank",
                "differs from what `quizbot generate` makes of facts.yaml (edited by hand, "
                "or facts changed since): run quizbot generate",
            )
        )
        return
    report.lines.append(f"{bank_path}: ok, {summarise(bank)}")


def _grounding(bank: Bank, facts_path: Path) -> list[Problem]:
    """Check explanations against the article the facts name, when it can be found."""
    found = find_article(facts_path, bank.source)
    article = read_article(found) if found is not None else None
    if article is None:
        return [
            Problem(
                str(facts_path),
                1,
                "source",
                f"article {bank.source!r} not found beside or above this file: explanations "
                "are not checked against it",
                warning=True,
            )
        ]
    return check_grounding(bank, article)


def _first_difference(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), start=1):
        if x != y:
            return i
    return min(len(a.splitlines()), len(b.splitlines())) + 1


def check_paths(paths: list[str], default_dir: Path = DEFAULT_QUESTIONS_DIR) -> Report:
    """Validate the given banks, facts files or directories of banks (default: `default_dir`)."""
    report = Report()
    targets = [Path(p) for p in paths] or [default_dir]
    if not paths and not default_dir.is_dir():
        where = default_dir.resolve()
        report.problems.append(Problem(str(where), 0, "bank", "no such directory of banks"))
        report.notes.append(WHERE_HELP)
        return report
    for target in targets:
        if target.is_dir():
            dirs = (
                [target]
                if any((target / n).is_file() for n in ("facts.yaml", "bank.yaml"))
                else sorted(d for d in target.iterdir() if d.is_dir())
            )
            if not dirs:
                report.problems.append(Problem(str(target), 0, "bank", "no banks here"))
            for d in dirs:
                check_dir(d, report)
        else:
            check_file(target, report)
    return report


def check_file(path: Path, report: Report) -> None:
    """Validate one facts or bank file on its own."""
    text, problems = read_text_file(path)
    report.problems.extend(problems)
    if text is None:
        return
    is_facts = path.name == "facts.yaml" or any(ln.startswith("facts:") for ln in text.splitlines())
    if is_facts:
        factset, problems = read_facts(text, str(path))
        summary = plural(len(factset.facts), "fact") if factset else None
    else:
        bank, problems = read_bank(text, str(path))
        summary = summarise(bank) if bank else None
    report.problems.extend(problems)
    if summary is not None:
        report.lines.append(f"{path}: ok, {summary}")


def run_check(args: argparse.Namespace) -> int:
    """Validate banks and facts; exit 1 with every located problem."""
    report = check_paths(args.paths, _questions_dir(args))
    if getattr(args, "stats", False):
        from bot.cli.stats import question_report

        report.lines.extend(question_report(args.db))
    return report.print(every=args.all_warnings)
