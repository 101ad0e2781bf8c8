import csv
from collections import defaultdict

import pytest

from xl_tdr.errors import UnknownPartner
from xl_tdr.reference.partner_facts import MEMBERS, SPANISH
from xl_tdr.reference.partners import normalise, registry, resolve


@pytest.mark.parametrize("query, code", [
    ("Mexico", "2010"), ("méxico", "2010"), ("MEXICO", "2010"), ("MX", "2010"), ("mex", "2010"),
    ("2010", "2010"), (2010, "2010"), (2010.0, "2010"), ("USMCA", "0020"), ("T-MEC", "0020"),
    ("tmec", "0020"), ("NAFTA", "0020"), ("EU", "0003"), ("Unión Europea", "0003"),
    ("World", "-"), ("mundo", "-"), ("-", "-"), ("korea, south", "5800"), ("South Korea", "5800"),
    ("Korea South", "5800"), ("Corea del Sur", "5800"), ("Alemania", "4280"), ("DEU", "4280"),
    ("Japón", "5880"), ("Reino Unido", "4120"), ("UK", "4120"), ("Países Bajos", "4210"),
    ("NA", "7920"), ("Canadá", "1220"), ("Taiwan", "5830"), ("Viet Nam", "5520"),
    ("asia", "5XXX"), ("Euro Area", "0025"), ("Côte d'Ivoire", "7480"), ("cote d ivoire", "7480"),
])
def test_resolution(query, code):
    assert resolve(query).code == code


@pytest.mark.parametrize("query, suggestion", [("Mexco", "Mexico"), ("Germny", "Germany"),
                                               ("Cnada", "Canada")])
def test_unknown_partner_suggests(query, suggestion):
    with pytest.raises(UnknownPartner) as caught:
        resolve(query)
    assert suggestion in caught.value.suggestions
    assert f'unknown partner "{query}" — did you mean {suggestion}' in str(caught.value)


@pytest.mark.parametrize("query", ["", None, "Atlantis", "zz", 99999, True])
def test_nonsense_is_unknown(query):
    with pytest.raises(UnknownPartner):
        resolve(query)


def test_normalise():
    assert normalise("  Côte d'Ivoire ") == "cote d ivoire"
    assert normalise("T-MEC") == "t mec"


def test_every_country_has_iso_codes_and_names():
    countries = [p for p in registry().by_code.values() if p.kind == "country"]
    assert len(countries) >= 230
    missing = [p.code for p in countries if not (p.iso3 and p.iso2) and p.code not in {"5082", "8220"}]
    assert missing == []
    assert all(p.name and p.name_es for p in registry().by_code.values())


def test_spanish_names_cover_the_largest_partners_and_every_group():
    import xl_tdr

    top = xl_tdr.table(2025, top=40)
    assert set(top["code"]) <= set(SPANISH)
    groups = [p.code for p in registry().by_code.values() if p.kind != "country"]
    assert set(groups) <= set(SPANISH)


def test_group_memberships_match_the_api_group_rows_for_2024(census):
    """The hand-written memberships sum exactly to the API's group rows (2024, both flows)."""
    by_iso = {p.iso3: p.code for p in registry().by_code.values() if p.iso3}
    for flow, filename, column in (("X", "census_api_exports_monthly_2013-2024.csv", "ALL_VAL_MO"),
                                   ("M", "census_api_imports_monthly_2013-2024.csv", "GEN_VAL_MO")):
        totals = defaultdict(int)
        with (census / filename).open() as handle:
            for row in csv.DictReader(handle):
                if row["YEAR"] == "2024":
                    totals[row["CTY_CODE"]] += int(row[column])
        for group, members in MEMBERS.items():
            assert sum(totals[by_iso[iso]] for iso in members) == totals[group], (flow, group)
        for continent in "1234567":
            members = [p.code for p in registry().by_code.values() if f"{continent}XXX" in p.groups]
            assert sum(totals[c] for c in members) == totals[f"{continent}XXX"], (flow, continent)


def test_every_country_has_a_spanish_name_from_cldr_or_by_hand():
    from babel import Locale

    from xl_tdr.reference.partner_facts import SPANISH
    from xl_tdr.reference.partners import registry

    cldr = Locale("es").territories
    for partner in registry().by_code.values():
        if partner.kind != "country":
            assert partner.name_es == SPANISH[partner.code]  # groups and continents: by hand
        elif partner.code in SPANISH:
            assert partner.name_es == SPANISH[partner.code]
        elif partner.iso2:
            assert partner.name_es == cldr[partner.iso2].replace("’", "'"), partner
    for query, code in [("Islandia", "4000"), ("Luxemburgo", "4239"), ("Kazajistán", "4634"),
                        ("Costa de Marfil", "7480"), ("kazajistan", "4634"), ("Países Bajos", "4210")]:
        assert registry().resolve(query).code == code, query
