"""Build the partner registry (``_bundled/partners.json``) from Census names and hand facts.

Maintainer-side only (run by the snapshot builder); needs ``pycountry`` for ISO alpha-2 and
``babel`` for the CLDR Spanish country names (the ``build`` extra).
"""

from __future__ import annotations

import re

from ..data.records import is_country
from ..reference import partner_facts as facts

SMALL_WORDS = {"and", "of", "the", "da", "de", "du"}


def readable(census_name: str) -> str:
    """``"ST KITTS AND NEVIS"`` → ``"St Kitts and Nevis"``."""
    def word(match: re.Match) -> str:
        text = match[0]
        return text if match.start() and text in SMALL_WORDS else text.capitalize()

    return re.sub(r"[a-z]+", word, census_name.lower())


def kind_of(code: str) -> str:
    """world, country, continent or group."""
    if code == facts.WORLD:
        return "world"
    if is_country(code):
        return "country"
    return "continent" if code.endswith("XXX") else "group"


def groups_of(code: str, iso3: str | None) -> list[str]:
    """Codes of the groups and the continent a country belongs to."""
    found = [group for group, members in facts.MEMBERS.items() if iso3 and iso3 in members]
    continent = facts.continent_of(code)
    return sorted(found + ([continent] if continent else []))


def _iso2(iso3: str | None) -> str | None:
    if not iso3:
        return None
    if iso3 in facts.ISO2_EXTRA:
        return facts.ISO2_EXTRA[iso3]
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country else None


def spanish(code: str, iso2: str | None, english: str) -> str:
    """The Spanish name: a hand-written one, else CLDR's (Babel) for the ISO code, else English."""
    if code in facts.SPANISH:
        return facts.SPANISH[code]
    if iso2:
        from babel import Locale

        found = Locale("es").territories.get(iso2)
        if found:
            return found.replace("’", "'")
    return english


def build_registry(names: dict[str, str], iso3_by_code: dict[str, str]) -> list[dict]:
    """One entry per Census code seen in the data, sorted by code."""
    registry = []
    for code in sorted(names):
        census_name = names[code] or facts.ENGLISH.get(code, code)
        iso3 = iso3_by_code.get(code) or facts.ISO3_EXTRA.get(code)
        name = facts.ENGLISH.get(code) or readable(census_name)
        kind = kind_of(code)
        iso2 = _iso2(iso3) if kind == "country" else None
        registry.append({
            "code": code, "census_name": census_name, "name": name,
            "name_es": spanish(code, iso2, name), "iso2": iso2,
            "iso3": iso3 if kind == "country" else None, "kind": kind,
            "groups": groups_of(code, iso3) if kind == "country" else [],
            "aliases": facts.ALIASES.get(code, []),
        })
    return registry


def memberships(registry: list[dict]) -> dict[str, list[str]]:
    """Country code → the codes of its groups and continent, from registry entries."""
    return {entry["code"]: entry["groups"] for entry in registry if entry["groups"]}
