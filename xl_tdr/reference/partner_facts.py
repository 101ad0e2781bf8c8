"""Hand-written facts about Census partners that the data files do not carry.

Read only by the snapshot builder, which bakes them into ``_bundled/partners.json``: readable
English names where Census's upper-case name reads badly, Spanish names (every group and
continent, Census-specific partners, and the forms analysts use; every other country takes the
CLDR name that Babel ships), aliases, and group memberships (ISO alpha-3).
Memberships are the current ones; ``tests/test_partners.py`` checks them against the API's
group rows for 2024.
"""

from __future__ import annotations

import re

WORLD = "-"
USMCA = "0020"
CHINA = "5700"
#: The shapes of Census partner codes: the World, a country or group (four digits; groups begin
#: with 0), a continent (a digit and XXX).
CODE_SHAPE = re.compile(r"-|\d{4}|\dXXX")
#: Groupings of the Census bulk file that are the API's groups under the same code and name.
BULK_GROUPS = {"0003": "european union", "0014": "pacific rim", "0017": "cafta-dr"}

ENGLISH = {
    WORLD: "World", "0001": "OPEC", "0003": "European Union", "0014": "Pacific Rim",
    "0017": "CAFTA-DR", USMCA: "USMCA", "0021": "Twenty Latin American Republics",
    "0022": "OECD", "0023": "NATO", "0024": "LAFTA", "0025": "Euro Area", "0026": "APEC",
    "0027": "ASEAN", "0028": "CACM", "1XXX": "North America", "2XXX": "Central America",
    "3XXX": "South America", "4XXX": "Europe", "5XXX": "Asia", "6XXX": "Australia and Oceania",
    "7XXX": "Africa", "5800": "South Korea", "5790": "North Korea", "4621": "Russia",
    "5460": "Burma (Myanmar)", "4794": "North Macedonia", "3720": "Falkland Islands",
    "4031": "Svalbard and Jan Mayen", "7660": "Congo (Kinshasa)", "7630": "Congo (Brazzaville)",
    "5083": "West Bank", "5082": "Gaza Strip", "7810": "British Indian Ocean Territory",
    "8220": "Unidentified countries", "4351": "Czechia", "4890": "Türkiye",
    "7480": "Côte d'Ivoire", "2777": "Curaçao", "7904": "Réunion", "4752": "Vatican City",
}

SPANISH = {
    WORLD: "Mundo", "0001": "OPEP", "0003": "Unión Europea", "0014": "Cuenca del Pacífico",
    "0017": "CAFTA-DR", USMCA: "T-MEC", "0021": "Veinte repúblicas latinoamericanas",
    "0022": "OCDE", "0023": "OTAN", "0024": "ALALC", "0025": "Zona del euro", "0026": "APEC",
    "0027": "ASEAN", "0028": "MCCA", "1XXX": "América del Norte", "2XXX": "Centroamérica",
    "3XXX": "Sudamérica", "4XXX": "Europa", "5XXX": "Asia", "6XXX": "Australia y Oceanía",
    "7XXX": "África", "2010": "México", "1220": "Canadá", CHINA: "China", "5830": "Taiwán",
    "4280": "Alemania", "5880": "Japón", "5520": "Vietnam", "5800": "Corea del Sur",
    "4419": "Suiza", "4120": "Reino Unido", "4190": "Irlanda", "5330": "India",
    "4210": "Países Bajos", "4279": "Francia", "4759": "Italia", "5490": "Tailandia",
    "3510": "Brasil", "5570": "Malasia", "5590": "Singapur", "4231": "Bélgica",
    "6021": "Australia", "4700": "España", "5600": "Indonesia", "5200": "Emiratos Árabes Unidos",
    "5820": "Hong Kong", "3370": "Chile", "3010": "Colombia", "4890": "Turquía",
    "5081": "Israel", "4550": "Polonia", "5650": "Filipinas", "4010": "Suecia",
    "5170": "Arabia Saudita", "2230": "Costa Rica", "4330": "Austria", "3330": "Perú",
    "7910": "Sudáfrica", "2470": "República Dominicana", "3570": "Argentina", "3310": "Ecuador",
    "4099": "Dinamarca", "5550": "Camboya", "4370": "Hungría", "2050": "Guatemala",
    "4351": "Chequia", "2150": "Honduras", "7290": "Egipto", "5380": "Bangladés",
    "7530": "Nigeria", "4039": "Noruega", "4050": "Finlandia", "6141": "Nueva Zelanda",
    "2250": "Panamá", "4710": "Portugal", "2360": "Bahamas", "5350": "Pakistán", "5050": "Irak",
    "4359": "Eslovaquia", "2190": "Nicaragua", "7140": "Marruecos", "2110": "El Salvador",
    "3070": "Venezuela", "4621": "Rusia", "4623": "Ucrania", "4840": "Grecia",
    "4850": "Rumania", "5790": "Corea del Norte", "2390": "Cuba", "2450": "Haití",
    "2410": "Jamaica", "3350": "Bolivia", "3530": "Paraguay", "3550": "Uruguay",
    "2740": "Trinidad y Tobago", "1010": "Groenlandia", "2080": "Belice",
    # Census-specific partners, and forms Spanish-language analysts use where CLDR's differs
    "7480": "Costa de Marfil", "5083": "Cisjordania", "5082": "Franja de Gaza", "5660": "Macao",
    "8220": "Países no identificados",
}

ALIASES = {
    WORLD: ["Total", "All countries", "Total for all countries", "Todos los países"],
    USMCA: ["NAFTA", "TLCAN", "TMEC", "CUSMA", "ACEUM", "USMCA (NAFTA)"],
    "0003": ["EU", "UE", "EU27"],
    "0025": ["Eurozone", "Euro zone", "Eurozona"],
    CHINA: ["PRC", "People's Republic of China", "Mainland China"],
    "5800": ["Korea", "Republic of Korea", "ROK", "Korea, South", "Corea"],
    "5790": ["DPRK"], "4120": ["UK", "Britain", "Great Britain", "England"],
    "4280": ["Deutschland"], "4210": ["Holland", "The Netherlands"],
    "5520": ["Viet Nam"], "5200": ["UAE", "EAU", "Emirates"],
    "4621": ["Russian Federation"], "5830": ["Chinese Taipei", "Republic of China"],
    "5820": ["HK", "Hong Kong SAR"], "5660": ["Macao"], "4419": ["Schweiz", "Suisse"],
    "4890": ["Turkey", "Turkiye"], "4351": ["Czech Republic"], "5460": ["Myanmar", "Burma"],
    "7660": ["DRC", "DR Congo", "Congo-Kinshasa"], "7630": ["Congo-Brazzaville"],
    "4794": ["Macedonia"], "7480": ["Ivory Coast"], "7950": ["Swaziland"],
    "7643": ["Cape Verde"], "4752": ["Holy See"],
}

EU = ("AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL "
      "PRT ROU SVK SVN ESP SWE").split()
EURO_AREA = ("AUT BEL HRV CYP EST FIN FRA DEU GRC IRL ITA LVA LTU LUX MLT NLD PRT SVK SVN "
             "ESP").split()
#: Groups whose members are listed (as Census counts them: the sums of these countries equal the
#: API's group rows — every year for the last five; OECD and NATO rows follow membership over time,
#: so they are not listed).
MEMBERS = {
    USMCA: ["MEX", "CAN"],
    "0003": EU,
    "0025": EURO_AREA,
    "0027": "BRN KHM IDN LAO MYS MMR PHL SGP THA VNM".split(),
    "0017": "CRI DOM SLV GTM HND NIC".split(),
    "0014": "AUS BRN CHN HKG IDN JPN MYS MAC NZL PNG PHL SGP KOR TWN".split(),  # Pacific Rim
    "0021": ("ARG BOL BRA CHL COL CRI CUB DOM ECU SLV GTM HTI HND MEX NIC PAN PRY PER URY "
             "VEN").split(),  # Twenty Latin American Republics
    "0024": "ARG BOL BRA CHL COL ECU MEX PRY PER URY VEN".split(),  # LAFTA
    "0026": "AUS BRN CAN CHL CHN HKG IDN JPN KOR MYS MEX NZL PNG PER PHL RUS SGP TWN THA VNM".split(),  # APEC
    "0028": "CRI SLV GTM HND NIC".split(),  # CACM
}

#: Groups listed with today's members: a sum of their members fills a year Census gives no figure
#: for, and never replaces one it gave (membership has changed over the years).
CURRENT_MEMBERSHIP = frozenset(MEMBERS) - {USMCA}

#: Continent of a country code: its first digit, except Mexico, which Census counts in
#: North America (its code 2010 sits among Central America's 2xxx).
CONTINENT_EXCEPTIONS = {"2010": "1XXX"}


def continent_of(code: str) -> str | None:
    """The Census continent code (``1XXX`` … ``7XXX``) of a 4-digit country code."""
    if code in CONTINENT_EXCEPTIONS:
        return CONTINENT_EXCEPTIONS[code]
    return f"{code[0]}XXX" if code[:1] in "1234567" else None

#: ISO alpha-3 for codes the 2025 extract does not carry.
ISO3_EXTRA = {"6022": "NFK", "6029": "HMD", "7370": "ESH"}
#: ISO alpha-2 where the alpha-3 is not an ISO 3166 code.
ISO2_EXTRA = {"XKX": "XK", "XWB": "PS"}
