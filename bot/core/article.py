"""The article a facts file is written from: its title and numbered paragraphs, and where it is.

An article is plain text: the first non-empty line is the title, each further non-empty line one
paragraph, numbered from 1. Paragraph 0 stands for the title, so a fact may cite it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Article", "find_article", "parse_article", "read_article"]

#: An article larger than this is not an article a facts file was written from.
MAX_ARTICLE_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class Article:
    """An article's title and paragraphs, and the file it was read from."""

    title: str
    paragraphs: tuple[str, ...]
    path: str = ""

    def text(self, numbers: tuple[int, ...] | list[int]) -> str:
        """Return the text of the given paragraphs (0 is the title), those that exist."""
        parts = [self.title if n == 0 else self.paragraph(n) for n in numbers]
        return "\n".join(p for p in parts if p)

    def paragraph(self, number: int) -> str:
        """Return paragraph `number` (from 1), or "" when the article has no such paragraph."""
        if 1 <= number <= len(self.paragraphs):
            return self.paragraphs[number - 1]
        return ""


def parse_article(text: str, path: str = "") -> Article:
    """Return the article of a plain text: the first line its title, each other line a paragraph."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return Article("", (), path)
    return Article(lines[0], tuple(lines[1:]), path)


def read_article(path: Path) -> Article | None:
    """Return the article in a file, or None when it cannot be read as UTF-8 text."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_ARTICLE_BYTES:
            return None
        return parse_article(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError):
        return None


def find_article(facts_path: Path, source: str) -> Path | None:
    """Return the file a facts file's `source` names, looked for beside it and then upwards.

    A relative source is tried against the facts file's folder and each folder above it, so
    "shared/seed/article.txt" is found from `questions/<bank>/facts.yaml` in a checkout that
    sits beside `shared/`. A web address is not a file: None.
    """
    if not source or "://" in source:
        return None
    wanted = Path(source)
    if wanted.is_absolute():
        return wanted if wanted.is_file() else None
    for folder in facts_path.resolve().parents:
        candidate = folder / wanted
        if candidate.is_file():
            return candidate
    return None
