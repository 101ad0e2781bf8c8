"""Rules across records: groups summed from their members, countries adding up to the world,
chapters adding up to a partner's total."""

from __future__ import annotations

from collections import defaultdict

from ..errors import SnapshotError
from ..reference.partner_facts import WORLD
from .records import FLOW_WORDS, Observation, SectorObservation, is_country

def derive_groups(records: list, vintage: int, memberships: dict[str, list[str]]) -> list:
    """World and every group and continent of ``memberships`` (country code → the codes of its
    groups) summed from the countries, where the input lacks them. Works on totals and on
    records by HS chapter alike (``code`` first, ``value`` and ``vintage`` last)."""
    kind = type(records[0]) if records else Observation
    present = {tuple(record[:-2]) for record in records}
    sums: dict[tuple, int] = defaultdict(int)
    for record in records:
        if is_country(record.code):
            for target in (WORLD, *memberships.get(record.code, ())):
                sums[(target, *record[1:-2])] += record.value
    return [kind(*key, value, vintage) for key, value in sorted(sums.items()) if key not in present]


def world_mismatches(observations: list[Observation]) -> list[str]:
    """Periods where the countries do not add up to the world row (empty when all do)."""
    world, countries = {}, defaultdict(int)
    for obs in observations:
        key = (obs.flow, obs.year, obs.month)
        if obs.code == WORLD:
            world[key] = obs.value
        elif is_country(obs.code):
            countries[key] += obs.value
    return [f"{flow} {year}-{month:02d}: countries {countries[(flow, year, month)]:,} ≠ world {total:,}"
            for (flow, year, month), total in sorted(world.items())
            if countries[(flow, year, month)] != total]


def check_world(observations: list[Observation]) -> None:
    """Raise unless the countries add up to the world row in every period that has one."""
    bad = world_mismatches(observations)
    if bad:
        raise SnapshotError(f"countries do not add up to the world total in {len(bad)} periods: "
                            + "; ".join(bad[:3]))


def chapter_sums(observations: list[SectorObservation]) -> dict[tuple[str, str, int, int], int]:
    """(code, flow, year, month) → the sum over chapters."""
    sums: dict[tuple, int] = defaultdict(int)
    for obs in observations:
        sums[(obs.code, obs.flow, obs.year, obs.month)] += obs.value
    return dict(sums)




def _who(code: str) -> str:
    return "World" if code == WORLD else code


def _when(year: int, month: int) -> str:
    return f"{year}-{month:02d}" if month else str(year)


def total_mismatches(observations: list[SectorObservation], totals: dict[tuple[str, str, int, int], int],
                     every_total: bool = False) -> list[str]:
    """Where a partner's chapters do not add up to its total of the same month (or year, for
    month 0). ``totals`` maps (code, flow, year, month) → value; periods it lacks are skipped.
    With ``every_total`` a partner of ``totals`` without chapters must have a total of zero."""
    sums = chapter_sums(observations)
    keys = sorted(set(sums) | (set(totals) if every_total else set()))
    bad = []
    for code, flow, year, month in keys:
        value, total = sums.get((code, flow, year, month), 0), totals.get((code, flow, year, month))
        if total is not None and total != value:
            bad.append(f"{_who(code)} {FLOW_WORDS[flow]} {_when(year, month)}: chapters {value:,} ≠ total {total:,}")
    return bad


def sector_world_mismatches(observations: list[SectorObservation]) -> list[str]:
    """Chapters and periods where the countries do not add up to the World's row."""
    world, countries = {}, defaultdict(int)
    for obs in observations:
        key = (obs.flow, obs.chapter, obs.year, obs.month)
        if obs.code == WORLD:
            world[key] = obs.value
        elif is_country(obs.code):
            countries[key] += obs.value
    return [f"{FLOW_WORDS[flow]} of HS {chapter} {_when(year, month)}: countries {countries[key]:,} ≠ World {total:,}"
            for key, total in sorted(world.items()) if countries[key] != total
            for flow, chapter, year, month in [key]]
