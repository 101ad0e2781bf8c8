"""The sector half of the bundled snapshot: trade by partner and HS chapter, from ``census_hs``.

Maintainer-side (``xl-tdr snapshot build``). Imports are the Census API's monthly HS2 answer
(every partner, group, continent and the world); exports are annual per country and chapter
(USITC DataWeb, the same Census total exports F.A.S.), so the world, the continents and the
groups whose members are known are summed from the countries, with provenance saying so. The
chapters must add up to each partner's all-commodity total, and the countries to the world,
before anything is written. Also writes the chapter registry ``chapters.json``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from .. import config
from ..data.bundle import CHAPTERS_NAME, SECTORS_NAME, write_sectors
from ..data.records import Observation, SectorObservation, is_country
from ..data.rules import derive_groups, sector_world_mismatches, total_mismatches
from ..errors import SnapshotError
from ..sources import census
from ..reference.chapter_facts import ALIASES, NAMES
from .totals import read_api_file, read_csv

IMPORTS_FILE = "census_api_imports_hs2_monthly_2023-2024.csv"
ANNUAL_FILE = "census_hs2_partner_annual_2023-2024.csv"
CHAPTERS_FILE = "hs2_chapters.csv"
CHAPTER, EXPORTS, DESCRIPTION = census.FILE_CHAPTER, census.FILE_EXPORTS, census.FILE_DESCRIPTION
VINTAGES = [
    {"id": 4, "source": "Census International Trade API (intltrade imports/hs, COMM_LVL=HS2)",
     "key": "census_api", "kind": "sectors", "derived": False, "retrieved": "2025-10", "url": config.CENSUS_API_URL,
     "note": "imports by HS chapter, monthly, whole dollars; the same vintage as the 2013-2024 totals"},
    {"id": 5, "source": "USITC DataWeb (Census total exports F.A.S. by HS chapter)",
     "key": "usitc_dataweb", "kind": "sectors", "derived": False, "retrieved": "2025-10", "url": "https://dataweb.usitc.gov/",
     "note": "exports by HS chapter, annual totals per country, whole dollars"},
    {"id": 6, "source": "computed from member countries (USITC DataWeb exports by HS chapter)",
     "key": "usitc_dataweb", "kind": "sectors", "derived": True, "retrieved": "2025-10", "url": "https://dataweb.usitc.gov/",
     "note": "exports by HS chapter of the world, continents, USMCA, EU, Euro Area, ASEAN and "
             "CAFTA-DR, summed from their member countries"},
]


def read_imports(path: Path, vintage: int) -> list[SectorObservation]:
    """The saved API answer of imports by chapter, validated as the API client does."""
    return read_api_file(path, "M", census.VALUE["M"], vintage, census.COMMODITY["M"])[0]


def read_exports(path: Path, vintage: int) -> list[SectorObservation]:
    """Annual exports per country and chapter (zeros left out: a missing row means zero)."""
    rows = read_csv(path, [census.YEAR, census.CODE, CHAPTER, EXPORTS])
    found, seen = [], set()
    for number, row in enumerate(rows, start=2):
        code, chapter, value = row[census.CODE], row[CHAPTER], row[EXPORTS]
        if not (is_country(code) and chapter in NAMES and value.isdigit() and row[census.YEAR].isdigit()):
            raise SnapshotError(f"{path.name}: row {number} is not a country, chapter and whole-dollar "
                                f"value: {code!r} {chapter!r} {value!r}")
        key = (code, chapter, int(row[census.YEAR]))
        if key in seen:
            raise SnapshotError(f"{path.name}: row {number} repeats {code} chapter {chapter} {key[2]}")
        seen.add(key)
        if int(value):
            found.append(SectorObservation(code, chapter, "X", key[2], 0, int(value), vintage))
    return found


def totals_by_period(totals: list[Observation]) -> dict[tuple[str, str, int, int], int]:
    """(code, flow, year, month) → total, plus month 0 = the sum of a year's 12 months."""
    by_key = {(o.code, o.flow, o.year, o.month): o.value for o in totals}
    months: dict[tuple, list[int]] = defaultdict(list)
    for o in totals:
        if o.month:
            months[(o.code, o.flow, o.year)].append(o.value)
    for (code, flow, year), values in months.items():
        if len(values) == 12:
            by_key.setdefault((code, flow, year, 0), sum(values))
    return by_key


def check(sectors: list[SectorObservation], totals: list[Observation]) -> None:
    """Raise unless chapters add up to every partner's total and countries to the world."""
    bad = total_mismatches(sectors, totals_by_period(totals))
    if bad:
        raise SnapshotError(f"chapters do not add up to the partner's total in {len(bad)} cases: "
                            + "; ".join(bad[:3]))
    bad = sector_world_mismatches(sectors)
    if bad:
        raise SnapshotError(f"countries do not add up to the world by chapter in {len(bad)} cases: "
                            + "; ".join(bad[:3]))


def chapter_entries(path: Path) -> list[dict]:
    """The chapter registry: Census descriptions with the hand-written names and aliases."""
    rows = {row[CHAPTER]: row for row in read_csv(path, [CHAPTER, DESCRIPTION])}
    missing = sorted(set(NAMES) - set(rows))
    if missing:
        raise SnapshotError(f"{path.name} lacks the chapters {', '.join(missing)}")
    return [{"code": code, "name": en, "name_es": es, "description": rows[code][DESCRIPTION],
             "aliases": ALIASES.get(code, [])} for code, (en, es) in sorted(NAMES.items())]


def build_sectors(source_dir: Path, totals: list[Observation], registry: list[dict], out_dir: Path,
                  built: str) -> dict:
    """Read, derive, check and write the sector pack and chapter registry; returns a summary."""
    from .partners import memberships

    imports = read_imports(source_dir / IMPORTS_FILE, vintage=4)
    exports = read_exports(source_dir / ANNUAL_FILE, vintage=5)
    sectors = imports + exports + derive_groups(exports, 6, memberships(registry))
    check(sectors, totals)
    chapters = chapter_entries(source_dir / CHAPTERS_FILE)
    size = write_sectors(out_dir / SECTORS_NAME, [tuple(o) for o in sectors], VINTAGES, built)
    lines = ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in chapters)
    (out_dir / CHAPTERS_NAME).write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    return {"observations": len(sectors), "chapters": len(chapters), "bytes": size}
