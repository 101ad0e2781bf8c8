"""The words every face shows — column headings, reading bands, data-info lines, "n/a" — in
English and Spanish. One place for each word: the CLI, the worksheet functions, the ribbon, the
Python API's localized tables and the report templates' defaults all read it."""

from __future__ import annotations

HEADINGS = {
    "en": {"rank": "Rank", "code": "Code", "partner": "Partner", "exports": "Exports", "imports": "Imports",
           "deficit": "Deficit", "tdr": "TDR", "coverage": "Coverage", "share": "Share",
           "band": "Reading", "chapter": "HS", "sector": "Sector", "gl": "GL", "year": "Year", "note": "Note",
           "name": "Name", "name_es": "Name (es)", "iso2": "ISO2", "iso3": "ISO3", "kind": "Kind"},
    "es": {"rank": "Lugar", "code": "Código", "partner": "Socio", "exports": "Exportaciones",
           "imports": "Importaciones", "deficit": "Déficit", "tdr": "RDC", "coverage": "Cobertura",
           "share": "Participación", "band": "Lectura", "chapter": "SA", "sector": "Sector", "gl": "GL",
           "year": "Año", "note": "Nota", "name": "Nombre (en)", "name_es": "Nombre", "iso2": "ISO2",
           "iso3": "ISO3", "kind": "Tipo"},
}
#: Dollar columns in millions, as the text tables print them.
MILLIONS = {"en": "{} $M", "es": "{} MDD"}
NA = {"en": "n/a", "es": "n.d."}

#: The reading bands of a TDR (the thresholds are metrics.BAND_LIMITS).
BANDS = {
    "en": {"surplus": "surplus", "balanced": "balanced", "moderate": "moderate",
           "high dependency": "high dependency"},
    "es": {"surplus": "superávit", "balanced": "equilibrado", "moderate": "moderado",
           "high dependency": "alta dependencia"},
}

#: Where the data come from (``xl-tdr info``, ``=TDR_INFO()``, the ribbon's Data info).
INFO = {
    "en": {"store": "Store", "years": "Years", "latest_month": "Latest month",
           "monthly_through": "Monthly data through", "sector_years": "Sector data (HS chapters)",
           "refresh": "Last refresh ({source})", "source": "Source ({years})", "retrieved": "retrieved",
           "bundled_only": "not created yet: the bundled data alone"},
    "es": {"store": "Almacén", "years": "Años", "latest_month": "Último mes",
           "monthly_through": "Datos mensuales hasta", "sector_years": "Datos por sector (capítulos SA)",
           "refresh": "Última actualización ({source})", "source": "Fuente ({years})", "retrieved": "obtenido",
           "bundled_only": "aún no creado: solo los datos incluidos"},
}

#: Where data come from, by the source key a vintage carries; "derived" when a group is summed
#: from its members, "sectors" for trade by HS chapter.
SOURCES = {
    "en": {"census_api": "Census International Trade API", "census_bulk": "Census bulk file country.xlsx",
           "usitc_dataweb": "USITC DataWeb (Census total exports F.A.S.)",
           "derived": "{source}, groups summed from their member countries", "sectors": "{source}, by HS chapter"},
    "es": {"census_api": "API de Comercio Internacional del Census",
           "census_bulk": "archivo masivo country.xlsx del Census",
           "usitc_dataweb": "USITC DataWeb (exportaciones totales F.A.S. del Census)",
           "derived": "{source}, grupos sumados de sus países miembros", "sectors": "{source}, por capítulo SA"},
}

#: What a vintage's values are, in Spanish, for the notes the data carry in English (the bundled
#: vintages' notes word for word; a refresh's notes by their pattern). A note not listed here is
#: described from the vintage's kind and source instead — a Spanish report never shows English.
NOTES_ES = {
    "monthly, whole dollars; 2024 precedes the June 2026 annual revision":
        "mensual, dólares enteros; 2024 es anterior a la revisión anual de junio de 2026",
    "annual totals only, $ millions to one decimal": "solo totales anuales, millones de dólares con un decimal",
    "World, USMCA, Euro Area, ASEAN and continents summed from the bulk file's countries":
        "Mundo, T-MEC, zona del euro, ASEAN y continentes sumados de los países del archivo masivo",
    "imports by HS chapter, monthly, whole dollars; the same vintage as the 2013-2024 totals":
        "importaciones por capítulo SA, mensuales, dólares enteros; la misma versión que los totales de 2013-2024",
    "exports by HS chapter, annual totals per country, whole dollars":
        "exportaciones por capítulo SA, totales anuales por país, dólares enteros",
    ("exports by HS chapter of the world, continents, USMCA, EU, Euro Area, ASEAN and CAFTA-DR, summed from their "
     "member countries"): ("exportaciones por capítulo SA del mundo, los continentes, T-MEC, UE, zona del euro, ASEAN "
                           "y CAFTA-DR, sumadas de sus países miembros"),
}
#: A refresh's notes: (English pattern, Spanish wording) with the same named numbers.
NOTE_PATTERNS_ES = [
    ((r"refresh: (?P<added>\d+) values added, (?P<revised>\d+) revised(?P<bulk>; \$ millions to one decimal, "
      r"groups derived from countries)?$"),
     "actualización: {added} valores añadidos, {revised} revisados{bulk}"),
    (r"refresh by HS chapter: (?P<added>\d+) values added, (?P<revised>\d+) revised$",
     "actualización por capítulo SA: {added} valores añadidos, {revised} revisados"),
]
NOTE_BULK_ES = "; millones de dólares con un decimal, grupos derivados de los países"
#: A note described from the vintage: by kind (totals, sectors), then "derived".
NOTE_KINDS = {
    "en": {"totals": "totals by partner", "sectors": "trade by HS chapter", "derived": "groups summed from their members"},
    "es": {"totals": "totales por socio", "sectors": "comercio por capítulo SA", "derived": "grupos sumados de sus miembros"},
}
#: A source line with no vintage for its year (data typed in by hand, an old store).
NO_VINTAGE = {"en": "the local data", "es": "los datos locales"}

TABLE = ["rank", "partner", "exports", "imports", "deficit", "tdr", "coverage", "share", "band"]
SECTORS = ["rank", "chapter", "sector", "exports", "imports", "deficit", "tdr", "gl", "share"]
PARTNERS = ["code", "name", "name_es", "iso2", "iso3", "kind"]


def lang_of(value: object) -> str:
    """``"es"`` for Spanish (any case, surrounding spaces), else ``"en"``."""
    return "es" if str(value or "").strip().lower() == "es" else "en"


def headings(keys: list[str], lang: str = "en") -> list[str]:
    """The headings of ``keys`` in ``lang`` (English for any other language)."""
    words = HEADINGS[lang_of(lang)]
    return [words[key] for key in keys]


def source_name(vintage: dict, lang: str = "en") -> str:
    """Where a vintage's values come from, in ``lang`` (by its source key and kind)."""
    words = SOURCES[lang_of(lang)]
    name = words.get(vintage.get("key") or "", vintage.get("source") or "")
    if vintage.get("kind") == "sectors":
        name = words["sectors"].format(source=name)
    return words["derived"].format(source=name) if vintage.get("derived") else name


def band_name(band: str | None, lang: str = "en") -> str:
    """A reading band in ``lang``; ``n/a`` for none."""
    lang = lang_of(lang)
    return BANDS[lang].get(band, band) if band else NA[lang]

#: The chart images' words (``xl-tdr chart``, ``xl_tdr.chart``): titles, axes, legends, notes, the
#: source line (its vintages worded by :mod:`xl_tdr.provenance`, as the report's). Mexican Spanish
#: keeps the decimal point (0.58) and the thousands comma.
CHART = {
    "en": {
        "exhibit_title": "Trade Deficit Ratio (TDR) of U.S. goods trade, {when}",
        "exhibit_top": "The {count} largest U.S. partners by total trade.",
        "exhibit_top_one": "The largest U.S. partner by total trade.",
        "exhibit_chosen": "Selected U.S. partners, by total trade.",
        "exhibit_how": "TDR = (imports − exports) / exports.",
        "deficit": "Trade deficit", "exports": "Exports", "imports": "Imports", "tdr": "TDR", "in_millions": "{} ($M)",
        "millions": "Millions of U.S. dollars", "tdr_axis": "TDR", "tdr_axis_side": "right axis",
        "guide": "Reading the TDR: below 0 (shaded), a U.S. surplus; dotted, 0.50 ($1.50 imported per $1 "
                 "exported) and 1.00 ($2 per $1).",
        "trend_title": "Trade Deficit Ratio (TDR) by year, {first}–{last}",
        "trend_subtitle": "TDR = (U.S. imports − exports) / exports, {when}. Below 0: U.S. surplus.",
        "gl_title": "Who co-produces with the U.S.? Two-way trade across all HS chapters, {when}",
        "gl_subtitle": "Grubel–Lloyd index, trade-weighted over HS chapters: near 1, two-way trade "
                       "inside the same industries (co-production); near 0, one-way trade.",
        "sector_title": "U.S. trade with {partner} by HS chapter, {when}",
        "sector_subtitle": "The {count} largest chapters by total trade. TDR = (imports − exports) / exports; "
                           "GL (Grubel–Lloyd) = 1 − |exports − imports| / (exports + imports).",
        "gl_short": "GL",
        "source": "Source: {vintage}. Exports: total exports F.A.S.; imports: "
                  "general imports, customs value. Chart: xl_tdr.",
        "sector_source": "Source: {vintage}. Chart: xl_tdr.",
        "annual_only": "{years}: annual totals only (no monthly figures).",
        "off_scale": "{partner}'s TDR ({value}) is off the scale: drawn as a triangle at the top of the axis.",
        "off_scale_line": "{partner} (off scale, up to {value})",
        "off_scale_note": "{partner} is off the scale: its line leaves the chart above {cap} (up to {value}).",
        "na": "n/a",
        "gaps": "No TDR for {years}: the period is not available there (or exports were zero).",
        "gl_axis": "Grubel–Lloyd index: 0 one-way trade, 1 two-way trade",
    },
    "es": {
        "exhibit_title": "Razón de déficit comercial (RDC) del comercio de bienes de EE. UU., {when}",
        "exhibit_top": "Los {count} principales socios de EE. UU. por comercio total.",
        "exhibit_top_one": "El principal socio de EE. UU. por comercio total.",
        "exhibit_chosen": "Socios de EE. UU. seleccionados, por comercio total.",
        "exhibit_how": "RDC = (importaciones − exportaciones) / exportaciones.",
        "deficit": "Déficit comercial", "exports": "Exportaciones", "imports": "Importaciones", "tdr": "RDC",
        "in_millions": "{} (MDD)",
        "millions": "Millones de dólares", "tdr_axis": "RDC", "tdr_axis_side": "eje derecho",
        "guide": "Cómo leer la RDC: menor que 0 (sombreado), superávit de EE. UU.; punteadas, 0.50 (importa "
                 "1.50 dólares por dólar exportado) y 1.00 (2 dólares por dólar).",
        "trend_title": "Razón de déficit comercial (RDC) por año, {first}–{last}",
        "trend_subtitle": "RDC = (importaciones − exportaciones) / exportaciones de EE. UU., {when}. "
                          "Menor que 0: superávit de EE. UU.",
        "gl_title": "¿Quién coproduce con EE. UU.? Comercio en ambos sentidos en todos los capítulos SA, {when}",
        "gl_subtitle": "Índice de Grubel–Lloyd ponderado por comercio sobre los capítulos SA: cerca de 1, "
                       "comercio en ambos sentidos dentro de las mismas industrias (coproducción); "
                       "cerca de 0, comercio en un solo sentido.",
        "sector_title": "Comercio de EE. UU. con {partner} por capítulo SA, {when}",
        "sector_subtitle": "Los {count} principales capítulos por comercio total. RDC = (importaciones − "
                           "exportaciones) / exportaciones; GL (Grubel–Lloyd) = 1 − |exportaciones − "
                           "importaciones| / (exportaciones + importaciones).",
        "gl_short": "GL",
        "source": "Fuente: {vintage}. Exportaciones: totales F.A.S.; importaciones: "
                  "generales, valor en aduana. Gráfica: xl_tdr.",
        "sector_source": "Fuente: {vintage}. Gráfica: xl_tdr.",
        "annual_only": "{years}: solo totales anuales (sin cifras mensuales).",
        "off_scale": "La RDC de {partner} ({value}) está fuera de escala: se dibuja como triángulo en el tope del eje.",
        "off_scale_line": "{partner} (fuera de escala, hasta {value})",
        "off_scale_note": "{partner} está fuera de escala: su línea sale de la gráfica por encima de {cap} "
                          "(hasta {value}).",
        "na": "n.d.",
        "gaps": "Sin RDC para {years}: el periodo no está disponible (o no hubo exportaciones).",
        "gl_axis": "Índice de Grubel–Lloyd: 0 comercio en un sentido, 1 en ambos sentidos",
    },
}

#: How a period reads in a chart's title: ``{year}`` and the months' names.
MONTHS = {
    "en": ("January February March April May June July August September October November December").split(),
    "es": ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre").split(),
}
PERIODS = {
    "en": {"year": "{year}", "month": "{first} {year}", "range": "{first}–{last} {year}",
           "quarter": "Q{index} {year}", "half": "H{index} {year}", "ytd": "{year}, year to date",
           "r12": "12 months to the latest month of {year}"},
    "es": {"year": "{year}", "month": "{first} de {year}", "range": "{first}–{last} de {year}",
           "quarter": "T{index} de {year}", "half": "S{index} de {year}", "ytd": "{year}, acumulado del año",
           "r12": "12 meses al último mes de {year}"},
}
#: A period without its year, as a trend's subtitle names it (every year of the chart has it).
PERIODS_ALONE = {
    "en": {"year": "full years", "month": "{first}", "range": "{first}–{last}", "quarter": "Q{index}",
           "half": "H{index}", "ytd": "year to date", "r12": "12 months to the latest month"},
    "es": {"year": "años completos", "month": "{first}", "range": "{first}–{last}", "quarter": "T{index}",
           "half": "S{index}", "ytd": "acumulado del año", "r12": "12 meses al último mes"},
}
