"""What a chart is asked for, once, from the Python API's or the command line's arguments."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ArgumentError, shown
from ..labels import lang_of
from .output import PRESETS, Size

KINDS = ("exhibit", "trend", "gl", "sector")


@dataclass(frozen=True)
class Request:
    """One chart: its kind, partners (or the ``top`` largest), year or years, period, sector,
    language, the reading guide, and the page size."""

    kind: str = "exhibit"
    partners: list[str] = field(default_factory=list)
    top: int | None = None
    year: object = None
    period: object = None
    sector: object = None
    start: object = None
    end: object = None
    lang: str = "en"
    guide: bool = False
    size: Size = PRESETS["web"]


def kind_of(kind: object) -> str:
    """A chart kind by name (any case); one sentence for an unknown one."""
    key = str(kind or "exhibit").strip().lower()
    if key not in KINDS:
        raise ArgumentError(f'unknown chart "{shown(kind)}" (choose from {", ".join(KINDS)})')
    return key


def partner_list(partners: object) -> list[str]:
    """Partners as a list: a list as given, or names separated by commas."""
    if partners is None:
        return []
    if isinstance(partners, str):
        return [part.strip() for part in partners.split(",") if part.strip()]
    return [str(part).strip() for part in partners if str(part).strip()]


def request(kind: object = "exhibit", partners: object = None, lang: object = "en", **rest) -> Request:
    """A :class:`Request` from loose inputs (a comma list of partners, ``"ES"``)."""
    return Request(kind=kind_of(kind), partners=partner_list(partners), lang=lang_of(lang), **rest)
