"""Where the report's numbers come from, in the report's language: the source lines under the
sheets and the provenance block of the Data sheet."""

from __future__ import annotations

import re

from .. import labels, provenance
from ..periods import span_text
from .model import ReportData
from .template import Template


def vintage_text(vintages: list[dict], year: int, lang: str, sector: bool = False) -> str:
    """The sources of ``year``'s totals (or, with ``sector``, its trade by HS chapter) with their
    retrieval dates, worded as every face words them (:mod:`xl_tdr.provenance`): "Census bulk
    file country.xlsx, retrieved 2026-10"."""
    return provenance.source_vintage(vintages, [year], lang, sector)


def source_line(data: ReportData, template: Template) -> str:
    """The dashboard's source line (the ribbon's refresh writes it again with the new data)."""
    return template.text["source"].format(vintage=vintage_text(data.provenance, data.year, template.lang))


def sector_source_line(data: ReportData, template: Template) -> str:
    """The source line of the Sectors and Sector data sheets."""
    vintage = vintage_text(data.provenance, data.sector_year, template.lang, sector=True)
    return template.text["sector_source"].format(vintage=vintage)


def note(vintage: dict, lang: str) -> str:
    """A vintage's note in ``lang``: as the data carry it in English; in Spanish, translated when
    known, else described from the vintage's kind."""
    text = vintage.get("note") or ""
    if labels.lang_of(lang) == "en" or not text:
        return text
    if text in labels.NOTES_ES:
        return labels.NOTES_ES[text]
    for pattern, spanish in labels.NOTE_PATTERNS_ES:
        found = re.match(pattern, text)
        if found:
            words = found.groupdict()
            if "bulk" in words:
                words["bulk"] = labels.NOTE_BULK_ES if words["bulk"] else ""
            return spanish.format(**words)
    kinds = labels.NOTE_KINDS["es"]
    return kinds.get(vintage.get("kind") or "totals", kinds["totals"]) + (f"; {kinds['derived']}"
                                                                        if vintage.get("derived") else "")


def source(vintage: dict, lang: str) -> str:
    """A vintage's source in ``lang``: in English as the data name it (with the dataset), in
    Spanish by its source key."""
    if labels.lang_of(lang) == "en" and vintage.get("source"):
        return vintage["source"]
    return labels.source_name(vintage, lang)


def provenance_rows(data: ReportData, template: Template) -> list[list[str]]:
    """The provenance block (label, value) below its title: every vintage, units and basis."""
    t, rows = template.text, []
    for item in data.provenance:
        if not item["years"]:
            continue
        rows += [[t["prov_source"], source(item, template.lang)], [t["prov_url"], item.get("url") or ""],
                 [t["prov_retrieved"], item["retrieved"]], [t["prov_years"], span_text(item["years"])],
                 [t["prov_note"], note(item, template.lang)], ["", ""]]
    return rows + [[t["units"], ""], [t["basis"], ""]]
