"""Whole months: how fetched values replace what the data hold, for totals and chapters alike.

A month fetched again replaces the whole month (Census sends no row for zero): a country the new
answer lacks traded nothing that month, while a group it lacks keeps its figure (nothing
contradicts it). Within a month that changed, a value within the source's rounding of the old
one keeps the old value and vintage; a derived value of a group listed with today's members
fills a gap and never replaces a figure Census gave. A month where nothing changed is not
written at all. Keys are ``(code, …, flow, year, month)``: the code first, the month last three.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from ..data.records import is_country
from ..reference.partner_facts import WORLD

Key = tuple  # (code, [chapter,] flow, year, month)


@dataclass
class Revision:
    """One value that changed: its key (code, [chapter,] flow, year, month), old and new value."""

    key: Key
    old: int
    new: int

    @property
    def code(self) -> str:
        return self.key[0]

    @property
    def chapter(self) -> str | None:
        return self.key[1] if len(self.key) == 5 else None

    @property
    def flow(self) -> str:
        return self.key[-3]

    @property
    def year(self) -> int:
        return self.key[-2]

    @property
    def month(self) -> int:
        return self.key[-1]


@dataclass
class Replacement:
    """What replacing the fetched months changes: rows to write, history, and the counts."""

    months: set[tuple[str, int, int]] = field(default_factory=set)  # (flow, year, month) written
    rows: list[tuple] = field(default_factory=list)  # (*key, value, vintage)
    history: list[tuple] = field(default_factory=list)  # (*key, old value, old vintage, replaced_by)
    added: int = 0
    revisions: list[Revision] = field(default_factory=list)
    new_months: list[tuple[int, int]] = field(default_factory=list)  # (year, month) published for the first time


def replace_months(old: dict[Key, tuple[int, int]], new: dict[Key, int], vintage: int,
                   tolerance: Callable[[str], int] = lambda code: 0,
                   keep: frozenset[Key] = frozenset()) -> Replacement:
    """Replace every month of ``new`` (key → value) in ``old`` (key → (value, vintage)); the keys
    in ``keep`` keep their old value (a figure a sum of today's members must not replace)."""
    incoming: dict[tuple, dict[Key, int]] = defaultdict(dict)
    for key, value in new.items():
        incoming[key[-3:]][key] = value
    before: dict[tuple, dict[Key, tuple[int, int]]] = defaultdict(dict)
    for key, found in old.items():
        if key[-3:] in incoming:
            before[key[-3:]][key] = found
    result = Replacement()
    for month in sorted(incoming):
        _month(result, month, before.get(month, {}), incoming[month], vintage, tolerance, keep)
    result.revisions.sort(key=lambda r: -abs(r.new - r.old))
    return result


def _month(result: Replacement, month: tuple, before: dict, incoming: dict, vintage: int,
           tolerance: Callable[[str], int], keep: frozenset[Key]) -> None:
    rows, history, revisions, added = [], [], [], 0
    for key, value in incoming.items():
        old_value, old_vintage = before.get(key, (None, None))
        if old_value is None:
            rows.append((*key, value, vintage))
            added += 1
        elif key in keep or abs(value - old_value) <= tolerance(key[0]):
            rows.append((*key, old_value, old_vintage))
        else:
            rows.append((*key, value, vintage))
            history.append((*key, old_value, old_vintage, vintage))
            revisions.append(Revision(key, old_value, value))
    for key, (old_value, old_vintage) in before.items():
        if key in incoming:
            continue
        if not is_country(key[0]):
            rows.append((*key, old_value, old_vintage))  # a group the answer lacks keeps its figure
        elif old_value:
            rows.append((*key, 0, vintage))
            history.append((*key, old_value, old_vintage, vintage))
            revisions.append(Revision(key, old_value, 0))
    if not (added or revisions):
        return
    result.months.add(month)
    result.rows += rows
    result.history += history
    result.added += added
    result.revisions += revisions
    flow, year, number = month
    if number and not any(key[0] == WORLD for key in before):
        result.new_months.append((year, number))
