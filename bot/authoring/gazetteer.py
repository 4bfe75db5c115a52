"""Word lists for the article extractor: the gazetteer, plus the shared distractor pools."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
# The distractor pools belong to the generator (bot.core); the extractor reads the same file.
POOLS = Path(__file__).resolve().parent.parent / "core" / "data" / "pools.yaml"
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def word_set(text: str) -> frozenset[str]:
    """Return the set of space-separated words in text (for short word lists in code)."""
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Known names and marker words, all compared case-sensitively as written."""

    countries: frozenset[str]
    places: frozenset[str]
    adjectives: frozenset[str]
    organisation_words: frozenset[str]
    organisation_heads: frozenset[str]
    organisation_before: frozenset[str]
    event_words: frozenset[str]
    place_words: frozenset[str]
    titles: tuple[str, ...]  # longest first, so "Prime Minister" wins over "Minister"
    abbreviations: frozenset[str]
    function_words: frozenset[str]
    weak_modifiers: frozenset[str]
    verb_forms: frozenset[str]
    verb_bases: frozenset[str]
    not_adverbs: frozenset[str]
    pools: dict[str, tuple[str, ...]]

    def pool(self, kind: str) -> tuple[str, ...]:
        """Return the distractor pool for a kind (empty when none is shipped)."""
        return self.pools.get(kind, ())


def inflections(verb: str) -> set[str]:
    """Return the regular forms of an English verb: base, -s, -ed and -ing."""
    v = verb.lower()
    forms = {v}
    vowels = "aeiou"
    if v.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(v + "es")
    elif v.endswith("y") and len(v) > 1 and v[-2] not in vowels:
        forms.add(v[:-1] + "ies")
    else:
        forms.add(v + "s")
    if v.endswith("e"):
        forms.update({v + "d", v[:-1] + "ing"})
    elif v.endswith("y") and len(v) > 1 and v[-2] not in vowels:
        forms.update({v[:-1] + "ied", v + "ing"})
    else:
        forms.update({v + "ed", v + "ing"})
    if len(v) >= 3 and v[-1] not in vowels + "wxy" and v[-2] in vowels and v[-3] not in vowels:
        forms.update({v + v[-1] + "ed", v + v[-1] + "ing"})  # drop → dropped, plan → planning
    return forms


def _strings(value: object) -> list[str]:
    """Flatten a YAML value into its strings (lists, or mappings of lists)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def _read(path: Path) -> dict[str, object]:
    try:
        # The safe loader, in its C version when libyaml is there.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        log.warning("cannot read %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def load_gazetteer(path: Path, pools_path: Path | None = None) -> Gazetteer:
    """Read a gazetteer file and, when present, the distractor pools file."""
    data = _read(path)
    pools_raw = _read(pools_path) if pools_path and pools_path.exists() else {}
    pools = {str(k): tuple(dict.fromkeys(_strings(v))) for k, v in pools_raw.items()}
    countries = set(_strings(data.get("countries")))
    countries.update(pools.get("country", ()))
    places = countries | set(_strings(data.get("cities"))) | set(_strings(data.get("regions")))
    places.update(pools.get("place", ()))
    titles = sorted(set(_strings(data.get("titles"))), key=lambda t: (-len(t.split()), t))
    return Gazetteer(
        countries=frozenset(countries),
        places=frozenset(places),
        adjectives=frozenset(_strings(data.get("adjectives"))),
        organisation_words=frozenset(_strings(data.get("organisation_words"))),
        organisation_heads=frozenset(_strings(data.get("organisation_heads"))),
        organisation_before=frozenset(_strings(data.get("organisation_before"))),
        event_words=frozenset(_strings(data.get("event_words"))),
        place_words=frozenset(_strings(data.get("place_words"))),
        titles=tuple(titles),
        abbreviations=frozenset(_strings(data.get("abbreviations"))),
        function_words=frozenset(_strings(data.get("function_words"))),
        weak_modifiers=frozenset(_strings(data.get("weak_modifiers"))),
        verb_forms=frozenset(
            {f for v in _strings(data.get("verbs")) for f in inflections(v)}
            | set(_strings(data.get("irregular_verbs")))
        ),
        verb_bases=frozenset(v.lower() for v in _strings(data.get("verbs"))),
        not_adverbs=frozenset(_strings(data.get("not_adverbs"))),
        pools=pools,
    )


@cache
def gazetteer() -> Gazetteer:
    """Return the shipped gazetteer, read once."""
    return load_gazetteer(DATA / "gazetteer.yaml", POOLS)
