"""Rules across records: groups summed from their members, countries adding up to the world,
chapters adding up to a partner's total."""

from __future__ import annotations

from collections import defaultdict

from ..errors import SnapshotError
from ..reference.partner_facts import USMCA, WORLD, continent_of
from .records import Observation, SectorObservation, is_country

USMCA_MEMBERS = ("2010", "1220")


def derived_targets(code: str) -> list[str]:
    """The groups a country's values are summed into: World, its continent, USMCA."""
    targets = [WORLD, continent_of(code)] + ([USMCA] if code in USMCA_MEMBERS else [])
    return [target for target in targets if target]


def derive_groups(observations: list[Observation], vintage: int) -> list[Observation]:
    """World, USMCA and continents summed from countries, where the input lacks them."""
    present = {(o.code, o.flow, o.year, o.month) for o in observations}
    sums: dict[tuple, int] = defaultdict(int)
    for obs in observations:
        if is_country(obs.code):
            for target in derived_targets(obs.code):
                sums[(target, obs.flow, obs.year, obs.month)] += obs.value
    return [Observation(*key, value, vintage) for key, value in sorted(sums.items())
            if key not in present]


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


def total_mismatches(observations: list[SectorObservation],
                     totals: dict[tuple[str, str, int, int], int]) -> list[str]:
    """Where a partner's chapters do not add up to its total of the same month (or year, for
    month 0). ``totals`` maps (code, flow, year, month) → value; periods it lacks are skipped."""
    bad = []
    for (code, flow, year, month), value in sorted(chapter_sums(observations).items()):
        total = totals.get((code, flow, year, month))
        if total is not None and total != value:
            period = f"{year}-{month:02d}" if month else str(year)
            bad.append(f"{code} {flow} {period}: chapters {value:,} ≠ total {total:,}")
    return bad


def sector_world_mismatches(observations: list[SectorObservation]) -> list[str]:
    """Chapters and periods where the countries do not add up to the world row."""
    return world_mismatches([Observation(f"{o.code}", f"{o.flow}{o.chapter}", o.year, o.month, o.value, 0)
                             for o in observations])
