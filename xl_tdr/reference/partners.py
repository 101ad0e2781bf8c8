"""The partner registry: every Census code, its names, ISO codes, kind and groups.

Resolution ignores case, accents, punctuation and word order: ``"mexico"``, ``"México"``,
``"MX"``, ``"MEX"``, ``"2010"``, ``2010``, ``"T-MEC"``, ``"korea south"`` all find their code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .. import config
from ..errors import UnknownPartner, closest
from .partner_facts import WORLD

_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Partner:
    code: str
    census_name: str
    name: str
    name_es: str
    iso2: str | None
    iso3: str | None
    kind: str
    groups: tuple[str, ...]
    aliases: tuple[str, ...]

    def display(self, lang: str = "en") -> str:
        """The partner's name in ``lang`` (``en`` or ``es``)."""
        return self.name_es if lang == "es" else self.name


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", plain.lower()).strip()


def _unordered(key: str) -> str:
    return " ".join(sorted(key.split()))


class Registry:
    """All partners, with lookup by any name, code or alias."""

    def __init__(self, entries: list[dict]):
        self.by_code = {e["code"]: Partner(**{**e, "groups": tuple(e["groups"]),
                                               "aliases": tuple(e["aliases"])}) for e in entries}
        self._exact: dict[str, str] = {}
        self._unordered: dict[str, str] = {}
        for partner in self.by_code.values():
            for label in self._labels(partner):
                key = normalise(label)
                if key:
                    self._exact.setdefault(key, partner.code)
                    self._unordered.setdefault(_unordered(key), partner.code)
        self._exact[normalise(WORLD)] = WORLD
        self._resolved: dict[object, Partner] = {}
        self._members: dict[str, list[str]] = {}

    @staticmethod
    def _labels(partner: Partner) -> list[str]:
        return [partner.code, partner.name, partner.name_es, partner.census_name,
                partner.iso2 or "", partner.iso3 or "", *partner.aliases]

    def resolve(self, query: object) -> Partner:
        """The partner a query names; raises :class:`UnknownPartner` with suggestions."""
        if isinstance(query, bool):  # True == 1 would hit a cached code
            return self._resolve(query)
        try:
            return self._resolved[query]
        except (KeyError, TypeError):
            pass
        found = self._resolve(query)
        if isinstance(query, (str, int, float)) and len(self._resolved) < 100_000:
            self._resolved[query] = found
        return found

    def _resolve(self, query: object) -> Partner:
        if isinstance(query, float) and query.is_integer():
            query = int(query)
        text = str(query).strip() if query is not None else ""
        if text in self.by_code:
            return self.by_code[text]
        if isinstance(query, int) and not isinstance(query, bool) and 0 < query < 10000:
            code = f"{query:04d}"
            if code in self.by_code:
                return self.by_code[code]
        key = normalise(text)
        code = self._exact.get(key) or self._unordered.get(_unordered(key))
        if code is None or not text:
            raise UnknownPartner(text, self.suggest(key))
        return self.by_code[code]

    def suggest(self, key: str, count: int = 3) -> list[str]:
        """Names of the partners closest to a normalised query."""
        names = {normalise(p.name): p.name for p in self.by_code.values()}
        names.update({k: self.by_code[c].name for k, c in self._exact.items() if len(k) > 3})
        return closest(key, names, count, cutoff=0.75)

    def members(self, code: str) -> list[str]:
        """The countries a group, a continent or the World is made of (none for a country)."""
        found = self._members.get(code)
        if found is None:
            found = self._members[code] = [
                c for c, p in self.by_code.items()
                if p.kind == "country" and (code == WORLD or code in p.groups)]
        return found

    def memberships(self) -> dict[str, tuple[str, ...]]:
        """Country code → the codes of its groups and continent."""
        return {code: p.groups for code, p in self.by_code.items() if p.groups}

    def search(self, query: str | None = None) -> list[Partner]:
        """Partners whose names, codes or aliases contain ``query`` (all when empty)."""
        if not query or not normalise(query):
            return list(self.by_code.values())
        key = normalise(query)
        return [p for p in self.by_code.values()
                if any(key in normalise(label) for label in self._labels(p))]


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The bundled registry (loaded once)."""
    path = config.BUNDLED_DIR / "partners.json"
    return Registry(json.loads(path.read_text(encoding="utf-8")))


def resolve(query: object) -> Partner:
    """Shortcut for ``registry().resolve(query)``."""
    return registry().resolve(query)
