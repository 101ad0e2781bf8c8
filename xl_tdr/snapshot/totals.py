"""The bundled totals: built from Census files by the maintainer's importer.

``build_totals`` reads the Census API monthly files and the 2025 annual bulk-file extract,
validates them, derives the groups a source lacks from their member countries, and writes
``_bundled/totals.json.zlib`` (values and provenance) and ``_bundled/partners.json``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .. import config
from ..data.bundle import PARTNERS_NAME, TOTALS_NAME, write_totals
from ..data.records import Observation
from ..data.rules import check_world, derive_groups
from ..errors import SnapshotError, SourceError
from ..reference.partner_facts import BULK_GROUPS
from ..sources import census

API_FILES = {"X": ("census_api_exports_monthly_2013-2024.csv", census.VALUE["X"]),
             "M": ("census_api_imports_monthly_2013-2024.csv", census.VALUE["M"])}
ANNUAL_FILE = "census_country_annual_2025_musd.csv"
API_RETRIEVED = "2025-10-18"
BULK_RETRIEVED = "2026-10"


def read_csv(path: Path, required: list[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise SnapshotError(f"missing input file {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in required if name not in (reader.fieldnames or [])]
        if missing:
            raise SnapshotError(f"{path.name}: missing columns {', '.join(missing)}")
        return list(reader)


def read_api_file(path: Path, flow: str, column: str, vintage: int,
                  commodity: str | None = None) -> tuple[list[Observation], dict[str, str]]:
    """A saved Census API answer (CSV, header first) — validated as the API client does (with
    ``commodity``: by HS chapter)."""
    from ..sources.census_api import (
        parse_rows,  # (the maintainer's path: keeps requests off seeding)
    )

    if not path.is_file():
        raise SnapshotError(f"missing input file {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    try:
        return parse_rows(rows, flow, column, vintage, path.name, commodity)
    except SourceError as exc:
        raise SnapshotError(str(exc)) from None


def read_annual_musd(path: Path, vintage: int) -> tuple[list[Observation], dict[str, str], dict[str, str]]:
    """Annual totals in $ millions (bulk-file extract): countries and the mappable groups."""
    rows = read_csv(path, ["year", "census_code", "iso3", "census_name", "exports_musd",
                            "imports_musd", "is_aggregate"])
    out, names, iso3 = [], {}, {}
    for row in rows:
        code = row["census_code"].zfill(4)
        if row["is_aggregate"] == "True" and BULK_GROUPS.get(code) != row["census_name"].lower():
            continue
        for flow, column in (("X", "exports_musd"), ("M", "imports_musd")):
            dollars = round(float(row[column]) * 1_000_000)
            out.append(Observation(code, flow, int(row["year"]), 0, dollars, vintage))
        names[code] = row["census_name"]
        if row["is_aggregate"] != "True":
            iso3[code] = row["iso3"]
    return out, names, iso3


VINTAGES = [
    {"id": 1, "source": "Census International Trade API (intltrade exports/hs, imports/hs)", "key": "census_api",
     "kind": "totals", "derived": False, "retrieved": API_RETRIEVED, "url": config.CENSUS_API_URL,
     "note": "monthly, whole dollars; 2024 precedes the June 2026 annual revision"},
    {"id": 2, "source": "Census bulk file country.xlsx", "key": "census_bulk", "kind": "totals", "derived": False,
     "retrieved": BULK_RETRIEVED, "url": config.CENSUS_BULK_URL, "note": "annual totals only, $ millions to one decimal"},
    {"id": 3, "source": "computed from member countries (Census bulk file country.xlsx)", "key": "census_bulk",
     "kind": "totals", "derived": True, "retrieved": BULK_RETRIEVED, "url": config.CENSUS_BULK_URL,
     "note": "World, USMCA, Euro Area, ASEAN and continents summed from the bulk file's countries"},
]


def build_totals(source_dir: Path, out_dir: Path, built: str) -> tuple[dict, list[Observation], list[dict]]:
    """Build the totals and partner registry from ``source_dir`` into ``out_dir``: a summary, the
    observations and the registry (which the sector pack is checked against)."""
    from .partners import build_registry, memberships

    observations, names = [], {}
    for flow, (filename, column) in API_FILES.items():
        rows, found = read_api_file(source_dir / filename, flow, column, vintage=1)
        observations += rows
        names.update(found)
    annual, annual_names, iso3 = read_annual_musd(source_dir / ANNUAL_FILE, vintage=2)
    for code, name in annual_names.items():
        names.setdefault(code, name)
    registry = build_registry(names, iso3)
    observations += annual + derive_groups(annual, 3, memberships(registry))
    check_world(observations)
    out_dir.mkdir(parents=True, exist_ok=True)
    size = write_totals(out_dir / TOTALS_NAME, [tuple(o) for o in observations], VINTAGES, names, built)
    lines = ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in registry)
    (out_dir / PARTNERS_NAME).write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    return {"observations": len(observations), "partners": len(registry), "bytes": size}, observations, registry
