"""Column headings of the tables the faces show (Excel's spilled tables, the CLI), in English
and Spanish — one place for each word."""

from __future__ import annotations

HEADINGS = {
    "en": {"rank": "Rank", "partner": "Partner", "exports": "Exports", "imports": "Imports",
           "deficit": "Deficit", "tdr": "TDR", "coverage": "Coverage", "share": "Share",
           "band": "Reading", "chapter": "HS", "sector": "Sector", "gl": "GL", "year": "Year"},
    "es": {"rank": "Lugar", "partner": "Socio", "exports": "Exportaciones", "imports": "Importaciones",
           "deficit": "Déficit", "tdr": "RDC", "coverage": "Cobertura", "share": "Participación",
           "band": "Lectura", "chapter": "SA", "sector": "Sector", "gl": "GL", "year": "Año"},
}
TABLE = ["rank", "partner", "exports", "imports", "deficit", "tdr", "coverage", "share", "band"]
SECTORS = ["rank", "chapter", "sector", "exports", "imports", "deficit", "tdr", "gl", "share"]


def headings(keys: list[str], lang: str = "en") -> list[str]:
    """The headings of ``keys`` in ``lang`` (English for any other language)."""
    words = HEADINGS.get(lang, HEADINGS["en"])
    return [words[key] for key in keys]


def lang_of(value: object) -> str:
    """``"es"`` for Spanish (any case, surrounding spaces), else ``"en"``."""
    return "es" if str(value or "").strip().lower() == "es" else "en"
