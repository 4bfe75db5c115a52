"""Word lists for the article extractor: the gazetteer, plus the shared distractor pools."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
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
class NameStyle:
    """How a region's press writes people's names, and the parts to build plausible ones from."""

    family_first: bool
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Known names and marker words, all compared case-sensitively as written.

    A *class* is a kind with a sub-class after a slash ("place/city", "organisation/party",
    "claim/work"): distractors must share the answer's class, not only its kind.
    """

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
    suffix_class: dict[str, str] = field(default_factory=dict)  # "River" -> "place/water"
    noun_class: dict[str, str] = field(default_factory=dict)  # "film" -> "claim/work"
    place_nouns: dict[str, str] = field(default_factory=dict)  # "town" -> "place/settlement"
    place_class: dict[str, str] = field(default_factory=dict)  # "Lisbon" -> "place/city"
    region_of: dict[str, str] = field(default_factory=dict)  # "Lisbon" -> "southern-europe"
    demonyms: dict[str, str] = field(default_factory=dict)  # "Kenyan" -> "Kenya"
    regional: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    domain_words: dict[str, frozenset[str]] = field(default_factory=dict)
    domain_pools: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    award_words: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    names: dict[str, tuple[NameStyle, ...]] = field(default_factory=dict)  # by region

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


_PLACE_LISTS = {"countries": "country", "cities": "city", "areas": "area", "waters": "water"}


def _places(data: dict[str, object]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Return (place → class, place → region, demonym → country) from places.yaml."""
    place_class: dict[str, str] = {}
    region_of: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for region, lists in data.items():
        if not isinstance(lists, dict):
            continue
        for key, sub in (*_PLACE_LISTS.items(), ("continents", "continent")):
            value = lists.get(key)
            names = list(value) if isinstance(value, dict) else _strings(value)
            for name in names:
                place_class.setdefault(str(name), f"place/{sub}")
                region_of.setdefault(str(name), str(region))
        countries = lists.get("countries")
        if isinstance(countries, dict):
            for country, demonym in countries.items():
                demonyms.setdefault(str(demonym), str(country))
    return place_class, region_of, demonyms


def _by_class(value: object, kind: str) -> dict[str, str]:
    """Return word → "kind/sub" from a mapping of sub-class → words."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for sub, words in value.items():
            for w in _strings(words):
                out.setdefault(w, f"{kind}/{sub}" if "/" not in str(sub) else str(sub))
    return out


def _name_styles(value: object) -> tuple[NameStyle, ...]:
    styles: list[NameStyle] = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            styles.append(
                NameStyle(
                    family_first=item.get("order") == "family-first",
                    female=tuple(_strings(item.get("female"))),
                    male=tuple(_strings(item.get("male"))),
                    surnames=tuple(_strings(item.get("surnames"))),
                )
            )
    return tuple(styles)


def _regional(
    data: dict[str, object],
) -> tuple[dict[tuple[str, str], tuple[str, ...]], dict[str, tuple[NameStyle, ...]]]:
    pools: dict[tuple[str, str], tuple[str, ...]] = {}
    names: dict[str, tuple[NameStyle, ...]] = {}
    for region, spec in data.items():
        if not isinstance(spec, dict):
            continue
        for cls, items in spec.items():
            if cls == "names":
                names[str(region)] = _name_styles(items)
            else:
                pools[(str(region), str(cls))] = tuple(_strings(items))
    return pools, names


def load_gazetteer(
    path: Path,
    pools_path: Path | None = None,
    places_path: Path | None = None,
    domains_path: Path | None = None,
    regional_path: Path | None = None,
) -> Gazetteer:
    """Read a gazetteer file and, when present, the pools, places, domains and regional files."""
    data = _read(path)
    pools_raw = _read(pools_path) if pools_path and pools_path.exists() else {}
    pools = {str(k): tuple(dict.fromkeys(_strings(v))) for k, v in pools_raw.items()}
    places_raw = _read(places_path) if places_path and places_path.exists() else {}
    place_class, region_of, demonyms = _places(places_raw)
    regional: dict[tuple[str, str], tuple[str, ...]] = {}
    for region, lists in places_raw.items():
        if isinstance(lists, dict):
            for key, sub in (*_PLACE_LISTS.items(), ("continents", "continent")):
                value = lists.get(key)
                names = list(value) if isinstance(value, dict) else _strings(value)
                regional[(str(region), f"place/{sub}")] = tuple(str(n) for n in names)
    regional_raw = _read(regional_path) if regional_path and regional_path.exists() else {}
    regional_pools, names = _regional(regional_raw)
    regional.update(regional_pools)
    domains_raw = _read(domains_path) if domains_path and domains_path.exists() else {}
    domain_words: dict[str, frozenset[str]] = {}
    domain_pools: dict[tuple[str, str], tuple[str, ...]] = {}
    for domain, spec in domains_raw.items():
        if isinstance(spec, dict):
            domain_words[str(domain)] = frozenset(_strings(spec.get("words")))
            for cls, items in (spec.get("pools") or {}).items():
                domain_pools[(str(domain), str(cls))] = tuple(_strings(items))
    countries = {p for p, c in place_class.items() if c == "place/country"}
    countries.update(pools.get("country", ()))
    places = set(place_class) | countries
    places.update(pools.get("place", ()))
    titles = sorted(set(_strings(data.get("titles"))), key=lambda t: (-len(t.split()), t))
    suffix_class = (
        _by_class(data.get("organisation_words"), "organisation")
        | _by_class(data.get("event_words"), "event")
        | _by_class(data.get("place_words"), "place")
        | dict.fromkeys(_strings(data.get("award_words")), "claim/award")
    )
    noun_class = _by_class(data.get("nouns_before"), "")
    noun_class = {w: c.removeprefix("/") for w, c in noun_class.items()}
    org_before = {w for w, c in noun_class.items() if c.startswith("organisation")}
    return Gazetteer(
        countries=frozenset(countries),
        places=frozenset(places),
        adjectives=frozenset(
            [*_strings(data.get("adjectives")), *(d for d in demonyms if " " not in d)]
        )
        - frozenset(places),
        organisation_words=frozenset(_strings(data.get("organisation_words"))),
        organisation_heads=frozenset(_strings(data.get("organisation_heads"))),
        organisation_before=frozenset(org_before),
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
        suffix_class=suffix_class,
        noun_class=noun_class,
        place_nouns=_by_class(data.get("place_nouns"), "place"),
        place_class=place_class,
        region_of=region_of,
        demonyms=demonyms,
        regional=regional,
        domain_words=domain_words,
        domain_pools=domain_pools,
        award_words=frozenset(_strings(data.get("award_words"))),
        not_names=frozenset(_strings(data.get("not_names"))),
        names=names,
    )


@cache
def gazetteer() -> Gazetteer:
    """Return the shipped gazetteer, read once."""
    return load_gazetteer(
        DATA / "gazetteer.yaml",
        POOLS,
        DATA / "places.yaml",
        DATA / "domains.yaml",
        DATA / "regional.yaml",
    )
