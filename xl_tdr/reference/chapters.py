"""The HS chapter registry: ``87``, ``"87"``, ``87.0``, ``"HS87"``, ``"vehicles"``, ``"vehículos"`` → chapter 87.

Chapters are the two-digit sections of the Harmonized System (01–99; 77 does not exist; 98 and
99 are U.S. special provisions). A heading such as ``"8703"`` is refused with a pointer to its
chapter: the store holds chapters only. Names match like partners: case, accents, punctuation
and word order are ignored, and a misspelling gets suggestions.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import config
from ..errors import UnknownSector, shown
from .partners import normalise

_CODE = re.compile(r"^(?:hs|chapter|chap|ch|capitulo|cap)?\s*(\d+)$")


@dataclass(frozen=True)
class Chapter:
    code: str
    name: str
    name_es: str
    description: str
    aliases: tuple[str, ...]

    def display(self, lang: str = "en") -> str:
        """The chapter's short name in ``lang`` (``en`` or ``es``)."""
        return self.name_es if lang == "es" else self.name


class Chapters:
    """All chapters, with lookup by code in any form, name or alias."""

    def __init__(self, entries: list[dict]):
        self.by_code = {e["code"]: Chapter(**{**e, "aliases": tuple(e["aliases"])}) for e in entries}
        self._names: dict[str, str] = {}
        for chapter in self.by_code.values():
            for label in (chapter.name, chapter.name_es, chapter.description, *chapter.aliases):
                self._names.setdefault(normalise(label), chapter.code)
        self._sorted_names = {" ".join(sorted(k.split())): c for k, c in self._names.items()}

    def resolve(self, query: object) -> Chapter | None:
        """The chapter a query names (None for no sector: ``None`` or ``""``)."""
        if query is None or (isinstance(query, str) and not query.strip()):
            return None
        if isinstance(query, bool):
            raise UnknownSector(f'"{str(query).upper()}" is not an HS chapter (use 01-99 or a name such as vehicles)')
        if isinstance(query, float) and query.is_integer():
            query = int(query)
        if isinstance(query, int):
            return self._by_number(str(query), query)
        key = normalise(str(query))
        match = _CODE.match(key.replace(" ", "")) if key else None
        if match:
            return self._by_number(match[1], query)
        code = self._names.get(key) or self._sorted_names.get(" ".join(sorted(key.split())))
        if code:
            return self.by_code[code]
        raise UnknownSector(f'unknown sector "{shown(query, 40)}"{_hint(self.suggest(key))}', self.suggest(key))

    def _by_number(self, digits: str, query: object) -> Chapter:
        if len(digits) > 2 and len(digits.lstrip("0")) > 2:
            chapter = digits.zfill(len(digits) + len(digits) % 2)[:2]  # HS codes have 4, 6, 8 or 10 digits
            raise UnknownSector(f'"{shown(query)}" is an HS heading, not a chapter: xl_tdr has HS chapters only '
                                f"(two digits) — use chapter {chapter}")
        code = digits.lstrip("0").zfill(2)
        if code == "77":
            raise UnknownSector("HS chapter 77 does not exist (it is reserved in the Harmonized System)")
        if code not in self.by_code:
            raise UnknownSector(f'"{shown(query)}" is not an HS chapter (chapters run from 01 to 99)')
        return self.by_code[code]

    def suggest(self, key: str, count: int = 3) -> list[str]:
        """Chapters whose names are closest to a normalised query, as ``"Vehicles and parts (87)"``."""
        if not key:
            return []
        close = difflib.get_close_matches(key, list(self._names), n=count * 3, cutoff=0.7)
        codes = list(dict.fromkeys(self._names[k] for k in close))[:count]
        return [f"{self.by_code[c].name} ({c})" for c in codes]

    def search(self, query: str | None = None) -> list[Chapter]:
        """Chapters whose code, names, description or aliases contain ``query`` (all when empty)."""
        key = normalise(query or "")
        if not key:
            return list(self.by_code.values())
        try:
            found = self.resolve(query)
            return [found] if found else []
        except UnknownSector:
            pass
        return [c for c in self.by_code.values()
                if any(key in normalise(label) for label in (c.name, c.name_es, c.description, *c.aliases))]


def _hint(suggestions: list[str]) -> str:
    return f" — did you mean {' or '.join(suggestions)}?" if suggestions else ""


@lru_cache(maxsize=1)
def chapters() -> Chapters:
    """The bundled chapter registry (loaded once)."""
    path = config.BUNDLED_DIR / "chapters.json"
    return Chapters(json.loads(path.read_text(encoding="utf-8")))
