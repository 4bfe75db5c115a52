"""`quizbot extract`: draft a facts.yaml from a plain-text article, optionally measured."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.core.bank import SLUG_RE, read_facts, read_text_file
from bot.core.models import FactSet

log = logging.getLogger(__name__)

MAX_ARTICLE_BYTES = 1_000_000
EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
EPILOG = (
    "Exit codes: 0 draft written; 1 the article or facts file cannot be used, or the output "
    "exists (use --force); 2 bad arguments (slug, missing file)."
)


class ExtractError(Exception):
    """A problem that ends the command with a message and an exit code."""

    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


def add_extract_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of `quizbot extract`."""
    parser.description = (
        "Draft questions/SLUG/facts.yaml from a plain-text article (first line: title; each "
        "further non-empty line: one paragraph). Offline and rule-based; every fact is marked "
        "reviewed: false."
    )
    parser.epilog = EPILOG
    parser.add_argument("article", help="the article, a UTF-8 text file of at most 1 MB")
    parser.add_argument("--bank", required=True, help="bank slug, lowercase-and-dashes")
    parser.add_argument("--title", default=None, help="bank title (default: the article's title)")
    parser.add_argument(
        "--source", default=None, help="URL or path of the article (default: ARTICLE)"
    )
    parser.add_argument(
        "--out", default=None, help="output file (default: questions/SLUG/facts.yaml)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing output file")
    parser.add_argument(
        "--compare",
        metavar="FACTS.yaml",
        default=None,
        help="also print recall and precision against a hand-written facts file",
    )


def read_article(path: Path) -> str:
    """Return an article's text, or raise ExtractError saying why it cannot be used."""
    if not path.exists():
        raise ExtractError(f"{path}: no such file", EXIT_USAGE)
    if not path.is_file():
        raise ExtractError(f"{path}: not a regular file", EXIT_USAGE)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ExtractError(
                f"{path}: too large ({size} bytes > {MAX_ARTICLE_BYTES}); "
                "extract works on one article at a time"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if b"\x00" in data:
        raise ExtractError(f"{path}: looks like a binary file, not plain text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ExtractError(f"{path}: the article is empty")
    if len(lines) < 2:
        raise ExtractError(
            f"{path}: only a title line; put each paragraph on its own line after it"
        )
    return text


def _reference(path: Path) -> FactSet:
    if not path.is_file():
        raise ExtractError(f"{path}: no such file", EXIT_USAGE)
    text, problems = read_text_file(path)
    factset = None
    if text is not None:
        factset, problems = read_facts(text, str(path))
    if factset is None:
        shown = "\n".join(str(p) for p in problems if not p.warning)
        raise ExtractError(f"{path}: cannot be used for --compare:\n{shown}")
    return factset


def _check_output(path: Path, *, force: bool) -> None:
    """Raise ExtractError unless the draft may be written to path."""
    if path.is_dir():
        raise ExtractError(f"{path}: is a directory; give a file name with --out", EXIT_USAGE)
    if path.exists() and not force:
        raise ExtractError(f"{path} already exists; not overwriting it (use --force)")


def _write(path: Path, text: str, *, force: bool) -> None:
    _check_output(path, force=force)  # again: the file may have appeared while drafting
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExtractError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _run(args: argparse.Namespace) -> int:
    # Imported here: every `quizbot` command builds this parser, only `extract` drafts.
    from bot.authoring.compare import compare
    from bot.authoring.extract import extract, facts_to_yaml

    slug = args.bank
    if not SLUG_RE.match(slug or "") or len(slug) > 64:
        raise ExtractError(f"--bank {slug!r}: use lowercase words joined by dashes", EXIT_USAGE)
    article = Path(args.article)
    out = Path(args.out) if args.out else Path("questions") / slug / "facts.yaml"
    reference = _reference(Path(args.compare)) if args.compare else None
    _check_output(out, force=args.force)  # before the slow part
    text = read_article(article)
    source = args.source or str(args.article)
    draft = extract(text, slug, title=args.title, source=source, path=str(out))
    if not draft.facts:
        raise ExtractError(f"{article}: found nothing to ask about; is it an article in English?")
    yaml_text = facts_to_yaml(draft, article.name)
    loaded, problems = read_facts(yaml_text, str(out))
    if loaded is None:  # a draft that its own loader rejects must never reach the disk
        shown = "\n".join(str(p) for p in problems if not p.warning)
        raise ExtractError(f"the draft failed validation, nothing written:\n{shown}")
    _write(out, yaml_text, force=args.force)
    kinds: dict[str, int] = {}
    for f in draft.facts:
        kinds[f.kind.value] = kinds.get(f.kind.value, 0) + 1
    shown = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    print(f"Wrote {len(draft.facts)} draft facts to {out} ({shown}).")
    print(
        "Review each fact, rewrite it in your own words, set reviewed: true, then run "
        "`quizbot generate`."
    )
    if reference is not None:
        quality = compare(draft, reference)
        print(f"Against {args.compare}: {quality.summary()}")
    return EXIT_OK


def run_extract(argv_namespace: argparse.Namespace) -> int:
    """Run `quizbot extract`; print a clear message and return an exit code on any problem."""
    try:
        return _run(argv_namespace)
    except ExtractError as exc:
        print(f"quizbot extract: {exc}", file=sys.stderr)
        return exc.code
