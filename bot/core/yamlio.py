"""Read YAML safely while keeping line numbers, so every problem can be located."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.core.models import Problem

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Tags the safe loader resolves on its own; anything else was written explicitly (`!tag`).
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: More nodes than a 256 KB file of facts has: a document past it is refused before it is built.
MAX_NODES = 100_000
#: Items in one list of texts (options, other accepted answers, distractors…) unless told.
MAX_ITEMS = 30
_TYPE_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:null": "empty (null)",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:seq": "a list",
    "tag:yaml.org,2002:map": "a mapping",
}


def line_of(node: yaml.Node) -> int:
    """Return the 1-based line where a node starts."""
    return node.start_mark.line + 1


@dataclass
class Reader:
    """Collects located problems while reading one YAML document."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, where: str, message: str, *, warning: bool = False) -> None:
        """Record one problem."""
        self.problems.append(Problem(self.file, line, where, message, warning))

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that are not warnings."""
        return [p for p in self.problems if not p.warning]

    def parse(self, text: str) -> yaml.Node | None:
        """Parse text with the safe loader and reject explicit tags; None when unusable.

        Anchors and aliases (`&name`, `*name`) and merge keys (`<<`) are refused before anything
        is built from the document: one alias list reused by every fact would make the generated
        bank (and every check of it) grow with the product of their sizes.
        """
        try:
            loader = _Loader(text)
            try:
                node = loader.get_single_node()
                # safe_load in two steps: the node keeps line numbers, construction proves safety.
                if node is not None and self._shared_or_huge(node):
                    return None
                if node is not None:
                    loader.construct_document(node)
            finally:
                loader.dispose()
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            self.problem(line, "yaml", f"tags are not allowed ({exc.problem})")
            return None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            self.problem(line, "yaml", f"not valid YAML: {exc.problem or exc.context}")
            return None
        except yaml.YAMLError as exc:
            self.problem(1, "yaml", f"not valid YAML: {exc}")
            return None
        if node is None:
            self.problem(1, "yaml", "the file is empty")
            return None
        for sub in _walk(node):
            if sub.tag not in _PLAIN_TAGS:
                self.problem(line_of(sub), "yaml", f"tags such as {sub.tag!r} are not allowed")
        return node

    def _shared_or_huge(self, root: yaml.Node) -> bool:
        """Report aliases, merge keys and an oversized tree; return whether there was any."""
        seen: set[int] = set()
        stack = [root]
        found = False
        while stack:
            node = stack.pop()
            if id(node) in seen:
                self.problem(
                    line_of(node), "yaml",
                    "anchors and aliases (&name, *name) are not allowed: write the text out",
                )  # fmt: skip
                return True
            seen.add(id(node))
            if len(seen) > MAX_NODES:
                self.problem(1, "yaml", f"too large: more than {MAX_NODES:,} values")
                return True
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.tag == _MERGE_TAG or (
                        isinstance(key, yaml.ScalarNode) and key.value == "<<"
                    ):
                        self.problem(line_of(key), "yaml", "merge keys (<<) are not allowed")
                        found = True
                    stack.extend((key, value))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
        return found

    def mapping(
        self, node: yaml.Node, where: str, required: set[str], optional: set[str]
    ) -> dict[str, yaml.Node]:
        """Return a mapping's keys and value nodes, reporting unknown, missing and repeated keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(line_of(node), where, f"expected a mapping, got {_kind(node)}")
            return {}
        out: dict[str, yaml.Node] = {}
        allowed = required | optional
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.tag)
            at = f"{where}.{key}" if where else key
            if key in out:
                self.problem(line_of(key_node), at, "key appears twice")
                continue
            if key not in allowed:
                choices = ", ".join(sorted(allowed))
                self.problem(line_of(key_node), at, f"unknown key (allowed: {choices})")
                continue
            out[key] = value_node
        for key in sorted(required - out.keys()):
            at = f"{where}.{key}" if where else key
            self.problem(line_of(node), at, "missing required key")
        return out

    def text(self, node: yaml.Node | None, where: str, *, max_len: int = 1000) -> str | None:
        """Return a non-empty text scalar, refusing anything YAML coerced into another type."""
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(line_of(node), where, f"expected text, got {_kind(node)}")
            return None
        if node.tag != "tag:yaml.org,2002:str":
            self.problem(
                line_of(node),
                where,
                f"expected text but YAML reads {node.value!r} as {_kind(node)}; "
                f'put it in quotes: "{node.value}"',
            )
            return None
        value = node.value.strip()
        if not value:
            self.problem(line_of(node), where, "must not be empty")
            return None
        if len(value) > max_len:
            self.problem(line_of(node), where, f"too long ({len(value)} > {max_len} characters)")
            return None
        return value

    def integer(self, node: yaml.Node | None, where: str) -> int | None:
        """Return a whole-number scalar."""
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:int":
            shown = node.value if isinstance(node, yaml.ScalarNode) else _kind(node)
            self.problem(line_of(node), where, f"expected a whole number, got {shown!r}")
            return None
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            # YAML 1.1 also reads "012" (octal) and "1:30" (base 60) as numbers; nobody means that.
            self.problem(
                line_of(node), where, f"write whole numbers in plain digits, got {node.value!r}"
            )
            return None

    def boolean(self, node: yaml.Node | None, where: str) -> bool | None:
        """Return a true/false scalar."""
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.value not in ("true", "false"):
            shown = node.value if isinstance(node, yaml.ScalarNode) else _kind(node)
            self.problem(line_of(node), where, f"expected true or false, got {shown!r}")
            return None
        return node.value == "true"

    def text_list(
        self, node: yaml.Node | None, where: str, *, max_len: int = 200, max_items: int = MAX_ITEMS
    ) -> list[str]:
        """Return a list of texts (an absent key is an empty list)."""
        items = (
            self.text(item, f"{where}[{i}]", max_len=max_len)
            for i, item in enumerate(self.items(node, where, max_items=max_items))
        )
        return [item for item in items if item is not None]

    def int_list(
        self, node: yaml.Node | None, where: str, *, max_items: int = MAX_ITEMS
    ) -> list[int]:
        """Return a list of whole numbers (an absent key is an empty list)."""
        numbers = (
            self.integer(item, f"{where}[{i}]")
            for i, item in enumerate(self.items(node, where, max_items=max_items))
        )
        return [n for n in numbers if n is not None]

    def items(
        self, node: yaml.Node | None, where: str, *, max_items: int | None = None
    ) -> list[yaml.Node]:
        """Return a list's item nodes."""
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(line_of(node), where, f"expected a list, got {_kind(node)}")
            return []
        if max_items is not None and len(node.value) > max_items:
            self.problem(line_of(node), where, f"too many items ({len(node.value)} > {max_items})")
            return []
        return list(node.value)

    def text_map(self, node: yaml.Node | None, where: str) -> dict[str, str]:
        """Return a mapping of text to text, such as topic slugs to display names."""
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.problem(line_of(node), where, f"expected a mapping, got {_kind(node)}")
            return {}
        out: dict[str, str] = {}
        for key_node, value_node in node.value:
            key = self.text(key_node, where)
            value = self.text(value_node, f"{where}.{key}")
            if key is None or value is None:
                continue
            if key in out:
                self.problem(line_of(key_node), f"{where}.{key}", "key appears twice")
            out[key] = value
        return out


def _kind(node: yaml.Node) -> str:
    return _TYPE_NAMES.get(node.tag, "text" if isinstance(node, yaml.ScalarNode) else node.tag)


def _walk(node: yaml.Node) -> Iterator[yaml.Node]:
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:  # aliases may point back to a node already visited
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


class _NoAliasDumper(yaml.SafeDumper):
    """A safe dumper that writes every value out: the loader refuses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never write an anchor or an alias."""
        return True


def dump(data: Any) -> str:
    """Serialise data as stable, human-readable YAML."""
    return yaml.dump(
        data,
        Dumper=_NoAliasDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
