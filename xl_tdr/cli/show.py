"""How the command line shows a table: aligned text for reading (millions, two decimals, the
chosen language), CSV and JSON for machines (dollars, unrounded; an undefined ratio is an empty
cell or null, never NaN)."""

from __future__ import annotations

import csv
import json
import sys

from .. import labels
from ..tables import Table

FORMATS = ["text", "csv", "json"]


def emit(found: Table, fmt: str) -> None:
    """Print a table as text (every cell already a string), CSV or JSON."""
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(found.columns)
        writer.writerows([["" if row[c] is None else row[c] for c in found.columns] for row in found.rows])
    elif fmt == "json":
        print(json.dumps([{c: row[c] for c in found.columns} for row in found.rows], ensure_ascii=False, indent=1))
    else:
        print(aligned(found))


def aligned(found: Table) -> str:
    """The columns right-aligned under their headings, one space apart."""
    cells = [[str(c) for c in found.columns]] + [["" if row[c] is None else str(row[c]) for c in found.columns]
                                                  for row in found.rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(found.columns))]
    return "\n".join(" ".join(cell.rjust(width) for cell, width in zip(line, widths)) for line in cells)


def millions(value: float | None, lang: str) -> str:
    """Dollars as millions with one decimal (never "-0.0"); n/a for none."""
    return labels.NA[lang] if value is None else f"{round(value / 1e6, 1) + 0.0:,.1f}"


def decimals(value: float | None, lang: str) -> str:
    """Two decimals; n/a for an undefined value; never -0.00."""
    return labels.NA[lang] if value is None else f"{round(value, 2) + 0.0:.2f}"


def percent(value: float | None, lang: str) -> str:
    return labels.NA[lang] if value is None else f"{value:.1%}"


def _readable(found: Table, keys: list[str], lang: str, money: list[str], ratios: list[str],
              titles: list[str], shares: tuple[str, ...] = ("share",)) -> Table:
    """``found`` for reading: the ``keys`` under ``titles``, money in millions, ratios to two decimals."""
    rows = []
    for row in found.rows:
        shown = {}
        for key in keys:
            value = row.get(key)
            shown[key] = (millions(value, lang) if key in money else decimals(value, lang) if key in ratios
                          else percent(value, lang) if key in shares else value)
        rows.append(shown)
    return Table(titles, [dict(zip(titles, (r[k] for k in keys))) for r in rows], found.attrs)


def partners_table(found: Table, lang: str) -> Table:
    """The partners table for reading: millions, two decimals, the chosen language."""
    view = Table(found.columns, [{**r, "partner": r["partner_es"] if lang == "es" else r["partner"],
                                  "band": labels.band_name(r["band"], lang)} for r in found.rows])
    titles = labels.headings(labels.TABLE, lang)
    titles[0] = "#"
    titles[2:5] = [labels.MILLIONS[lang].format(t) for t in titles[2:5]]
    return _readable(view, labels.TABLE, lang, ["exports", "imports", "deficit"], ["tdr", "coverage"], titles)


def series_table(found: Table, lang: str) -> Table:
    """A partner's series for reading; a year that cannot give the period reads n/a, with its note."""
    keys = ["year", "exports", "imports", "deficit", "tdr", "note"]
    titles = labels.headings(keys, lang)
    titles[1:4] = [labels.MILLIONS[lang].format(t) for t in titles[1:4]]
    return _readable(found, keys, lang, ["exports", "imports", "deficit"], ["tdr"], titles)


def sector_table(found: Table, lang: str) -> Table:
    """A partner's chapters for reading: the chapter's name in the chosen language."""
    view = Table(found.columns, [{**r, "sector": r["name_es"] if lang == "es" else r["name"]} for r in found.rows],
                 found.attrs)
    titles = labels.headings(labels.SECTORS, lang)
    titles[3:6] = [labels.MILLIONS[lang].format(t) for t in titles[3:6]]
    return _readable(view, labels.SECTORS, lang, ["exports", "imports", "deficit"], ["tdr", "gl"], titles)


def sector_records(found: Table, lang: str) -> Table:
    """A partner's chapters for CSV and JSON: the chapter's name as ``sector`` in the chosen language."""
    columns = [c for c in found.columns if c not in ("name", "name_es")]
    columns.insert(columns.index("chapter") + 1, "sector")
    return Table(columns, [{**r, "sector": r["name_es"] if lang == "es" else r["name"]} for r in found.rows],
                 found.attrs)
