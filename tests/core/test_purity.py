"""The domain core stays pure: no Discord, no database."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.core

FORBIDDEN = {"discord", "sqlite3", "aiosqlite"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_imports_neither_discord_nor_sqlite() -> None:
    core = Path(bot.core.__file__).parent
    files = sorted(core.rglob("*.py"))
    assert len(files) > 5
    offenders = {
        str(f.relative_to(core)): sorted(_imported_roots(f) & FORBIDDEN)
        for f in files
        if _imported_roots(f) & FORBIDDEN
    }
    assert offenders == {}


def test_the_purity_check_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom discord.ext import commands\nimport aiosqlite as db\n")
    assert _imported_roots(sample) & FORBIDDEN == {"discord", "aiosqlite"}
