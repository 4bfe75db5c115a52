"""The extractor's shipped word lists and pools: one test that reports every problem at once."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.authoring.gazetteer import DATA, gazetteer
from bot.authoring.rules import kind_of


def _strings(value: object, where: str, problems: list[str]) -> list[str]:
    """Collect the strings of a YAML value, noting anything that is not a clean string."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{where}.{k}", problems)]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{where}[{i}]", problems)]
    if not isinstance(value, str) or not value or value != value.strip():
        problems.append(f"{where}: {value!r} is not a clean string")
        return []
    return [value]


def _load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def test_shipped_lists_are_clean_and_consistent():
    problems: list[str] = []
    for path in sorted(Path(DATA).glob("*.yaml")):
        _strings(yaml.safe_load(path.read_text(encoding="utf-8")), path.name, problems)
    places, regional, domains = _load("places.yaml"), _load("regional.yaml"), _load("domains.yaml")
    for region in regional:
        if region not in places:
            problems.append(f"regional.yaml: region {region!r} is not in places.yaml")
    seen: dict[str, str] = {}
    for region, lists in places.items():
        for key in ("countries", "cities", "areas", "waters", "continents"):
            for name in lists.get(key) or ():
                if name in seen and seen[name] != region:
                    problems.append(f"places.yaml: {name!r} is in {seen[name]} and {region}")
                seen[name] = region
    for source, classes in (
        ("regional.yaml", [c for spec in regional.values() for c in spec if c != "names"]),
        ("domains.yaml", [c for spec in domains.values() for c in spec.get("pools") or {}]),
    ):
        for cls in classes:
            if kind_of(cls) is None or "/" not in cls:
                problems.append(f"{source}: {cls!r} is not a kind/class")
    for region, styles in gazetteer().names.items():
        for style in styles:
            if not (style.female and style.male and len(style.surnames) >= 5):
                problems.append(f"regional.yaml: {region} names need both genders and surnames")
    assert problems == []


def test_every_region_has_pools_to_draw_on():
    g = gazetteer()
    regions = {r for r, _ in g.regional if r != "world"}
    for region in regions:
        assert g.regional.get((region, "place/country")), region
        assert g.regional.get((region, "place/city")), region
        assert g.names.get(region), region
