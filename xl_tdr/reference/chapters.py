"""The HS chapter registry: ``87``, ``"87"``, ``87.0``, ``"HS87"``, ``"vehicles"``, ``"vehículos"`` → chapter 87.

Chapters are the two-digit sections of the Harmonized System (01–99; 77 does not exist; 98 and
99 are U.S. special provisions). A heading such as ``"8703"`` is refused with a pointer to its
chapter: the store holds chapters only. Names match like partners: case, accents, punctuation
and word order are ignored, and a misspelling gets suggestions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import config
from ..errors import UnknownSector, closest, did_you_mean, shown
from .chapter_facts import RESERVED
from .partners import normalise

#: A chapter or heading typed as digits, perhaps after a word: "87", "HS87", "hs 87", "capítulo 27",
#: "87.0". Nothing else: "8.7", "8 7" or "8-7" is no chapter.
_CODE = re.compile(r"^(?:(?:hs|chapter|chap|ch|capitulo|cap)[\s.:#-]*)?(\d+)(?:\.0+)?$")
_NUMBERISH = re.compile(r"^[\d\s.,:#+-]+$")
#: The highest heading of chapters 01–09 (0814 …): a code Excel shortened by its leading zero
#: ("101" for heading 0101) names a heading only up to it.
LAST_LOW_HEADING = 14
WHOLE = "chapters are whole numbers from 01 to 99"


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
        if isinstance(query, float):
            if not (query == query and query.is_integer()):
                raise UnknownSector(f'"{shown(query)}" is not an HS chapter: {WHOLE}')
            query = int(query)
        if isinstance(query, int):
            if query < 0:
                raise UnknownSector(f'"{shown(query)}" is not an HS chapter: {WHOLE}')
            return self._by_number(str(query), query)
        text = str(query).strip()
        match = _CODE.match(_plain(text))
        if match:
            return self._by_number(match[1], query)
        if _NUMBERISH.match(text):
            raise UnknownSector(f'"{shown(query)}" is not an HS chapter: {WHOLE}')
        key = normalise(text)
        code = self._names.get(key) or self._sorted_names.get(" ".join(sorted(key.split())))
        if code:
            return self.by_code[code]
        suggestions = self.suggest(key)
        raise UnknownSector(f'unknown sector "{shown(query, 40)}"{did_you_mean(suggestions)}', suggestions)

    def _by_number(self, digits: str, query: object) -> Chapter:
        if len(digits) > 2 and len(digits.lstrip("0")) > 2:
            chapter = _heading_chapter(digits)
            if chapter is None or chapter == RESERVED or chapter not in self.by_code:
                raise UnknownSector(f'"{shown(query)}" is not an HS chapter ({WHOLE}; a heading has four digits)')
            raise UnknownSector(f'"{shown(query)}" is an HS heading, not a chapter: xl_tdr has HS chapters only '
                                f"(two digits) — use chapter {chapter}")
        code = digits.lstrip("0").zfill(2)
        if code == RESERVED:
            raise UnknownSector(f"HS chapter {RESERVED} does not exist (it is reserved in the Harmonized System)")
        if code not in self.by_code:
            raise UnknownSector(f'"{shown(query)}" is not an HS chapter ({WHOLE})')
        return self.by_code[code]

    def suggest(self, key: str, count: int = 3) -> list[str]:
        """Chapters whose names are closest to a normalised query, as ``"Vehicles and parts (87)"``."""
        codes = closest(key, self._names, count)
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


def _plain(text: str) -> str:
    """Lower case without accents, punctuation kept (so "8.7" stays "8.7")."""
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _heading_chapter(digits: str) -> str | None:
    """The chapter of a heading or subheading typed as a number: 4, 6, 8 or 10 digits give their
    first two; one digit fewer is a code Excel shortened by its leading zero (chapters 01–09),
    whose heading must then be one those chapters have. None when no heading reads so."""
    if len(digits) % 2 == 0:
        return digits[:2] if len(digits) <= 10 else None
    padded = "0" + digits
    if len(padded) > 10 or not 1 <= int(padded[2:4]) <= LAST_LOW_HEADING:
        return None
    return padded[:2]


@lru_cache(maxsize=1)
def chapters() -> Chapters:
    """The bundled chapter registry (loaded once)."""
    path = config.BUNDLED_DIR / "chapters.json"
    return Chapters(json.loads(path.read_text(encoding="utf-8")))
