"""The Excel functions, called as Excel (through xlwings) would call them."""

import math
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xl_tdr
from xl_tdr import config, metrics, udfs
from xl_tdr.data.bundle import Bundle
from xl_tdr.data.sector_index import SectorIndex
from xl_tdr.data.store import Store
from xl_tdr.data.view import View
from xl_tdr.errors import XlTdrError
from xl_tdr.periods import expand, parse_period, parse_year
from xl_tdr.query import Span
from xl_tdr.reference.chapters import Chapters
from xl_tdr.service import Service

SCALAR = {udfs.TDR: xl_tdr.tdr, udfs.TDR_EXPORTS: xl_tdr.exports, udfs.TDR_IMPORTS: xl_tdr.imports,
          udfs.TDR_DEFICIT: xl_tdr.deficit, udfs.TDR_BALANCE: xl_tdr.balance, udfs.TDR_COVERAGE: xl_tdr.coverage}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Recalculation must never touch the network."""
    def refuse(*args, **kwargs):
        raise AssertionError("a worksheet function tried to use the network")
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_excel_shaped_scalars():
    assert udfs.TDR("Mexico", 2025.0) == xl_tdr.tdr("Mexico", 2025)
    assert udfs.TDR([["Mexico"]], [[2025.0]], [[None]]) == xl_tdr.tdr("Mexico", 2025)  # ndim=2 single cells
    assert udfs.TDR("MX", "2024", "Q1") == xl_tdr.tdr("Mexico", 2024, "Q1")
    assert udfs.TDR_EXPORTS(2010.0, 2024.0, 3.0) == xl_tdr.exports("Mexico", 2024, 3)
    assert udfs.TDR_DEFICIT("China", 2025) == xl_tdr.imports("China", 2025) - xl_tdr.exports("China", 2025)


def test_a_column_of_partners_and_a_row_of_years_fill_a_table():
    partners = [["Mexico"], ["Canada"], ["China"]]
    years = [[2023.0, 2024.0, 2025.0]]
    table = udfs.TDR(partners, years)
    assert [[xl_tdr.tdr(p[0], y) for y in years[0]] for p in partners] == table
    assert udfs.TDR_IMPORTS(partners, 2025) == [[xl_tdr.imports(p[0], 2025)] for p in partners]
    assert udfs.TDR("Mexico", years, [["Q1", "H1", None]])[0][:2] == [xl_tdr.tdr("Mexico", 2023, "Q1"),
                                                                       xl_tdr.tdr("Mexico", 2024, "H1")]


@pytest.mark.parametrize("args, text", [
    (("Mexco", 2025), '#N/A unknown partner "Mexco" — did you mean Mexico?'),
    ((None, 2025), "#N/A the partner is empty"),
    (("", 2025), "#N/A the partner is empty"),
    (("Mexico", None), "#N/A Mexico: a year is required (e.g. 2025)"),
    (("Mexico", "#DIV/0!"), "#N/A the year cell holds #DIV/0!"),
    (("#N/A", 2025), "#N/A the partner cell holds #N/A"),
    (("Mexico", -2146826281), "#N/A the year cell holds an error value"),
    (("Mexico", 2025, "Q1"), "#N/A Mexico: 2025 has only annual totals in the store"),
    (("Mexico", 2025, "Q9"), '#N/A Mexico: "Q9" is not a period'),
    (([["Mexico"], ["Canada"]], [[2024, 2025, 2026]], [["Q1", "Q2"]]), "#N/A the ranges have different sizes"),
])
def test_bad_input_gives_a_short_na_text(args, text):
    result = udfs.TDR(*args)
    assert isinstance(result, str) and result.startswith(text) and len(result) <= 255


def test_booleans_never_pass_for_numbers():
    """TRUE == 1 in Python: a TRUE cell must not reuse the answer for January or code 0001."""
    january = udfs.TDR("Mexico", 2024, 1)
    assert isinstance(january, float)
    assert udfs.TDR("Mexico", 2024, True).startswith("#N/A")
    assert isinstance(udfs.TDR(1, 2018), float)  # Census code 0001, OPEC
    assert udfs.TDR(True, 2018).startswith("#N/A unknown partner")


def test_zero_exports_is_not_a_number():
    assert udfs.TDR("Gaza Strip", 2025).startswith("#N/A Gaza Strip 2025: TDR is undefined")


def test_table_series_partners_info_spill():
    table = udfs.TDR_TABLE(2025.0, 5.0)
    assert table[0] == ["Rank", "Partner", "Exports", "Imports", "Deficit", "TDR", "Coverage", "Share", "Reading"]
    assert [row[1] for row in table[1:]] == ["Mexico", "Canada", "China", "Taiwan", "Germany"]
    assert table[1][5] == xl_tdr.tdr("Mexico", 2025)
    spanish = udfs.TDR_TABLE(2025, 3, None, "es")
    assert spanish[0][1] == "Socio" and spanish[1][1] == "México" and spanish[1][8] == "moderado"
    assert udfs.TDR_TABLE(2025, 0).startswith("#N/A")
    series = udfs.TDR_SERIES("Mexico", 2013, 2025.0)
    assert series[0] == ["Year", "TDR"] and len(series) == 14 and series[-1] == [2025, xl_tdr.tdr("Mexico", 2025)]
    assert udfs.TDR_SERIES("Mexico", 2025, 2013).startswith("#N/A the series starts after it ends")
    partners = udfs.TDR_PARTNERS("korea")
    assert partners[0][0] == "Code" and {row[1] for row in partners[1:]} == {"North Korea", "South Korea"}
    assert udfs.TDR_PARTNERS("zzzz") == '#N/A no partner matches "zzzz"'
    info = dict(udfs.TDR_INFO())
    assert info["Latest month"] == "2025-12" and "Store" in info


def test_every_number_crosses_com_as_a_float():
    """A Python int beyond 32 bits reaches VBA as a 64-bit integer ("Automation type not supported")."""
    results = [udfs.TDR_TABLE(2025.0, 5.0), udfs.TDR_SECTORS("Mexico", 2024.0, 5.0), udfs.TDR_SERIES("Mexico", 2013, 2025),
               udfs.TDR_INFO(), udfs.TDR_PARTNERS("mex"), [[udfs.TDR_EXPORTS("Mexico", 2025.0)]],
               udfs.TDR_DEFICIT([["Mexico"], ["China"]], [[2024.0, 2025.0]])]
    values = [value for result in results for row in result for value in row]
    assert not [value for value in values if isinstance(value, int) and not isinstance(value, bool)]
    assert udfs.TDR_TABLE(2025.0, 5.0)[1][2] == xl_tdr.exports("Mexico", 2025) > 2 ** 31


def test_a_partner_code_typed_as_a_number_is_searched_as_typed():
    assert udfs.TDR_PARTNERS(2010.0)[1][:2] == ["2010", "Mexico"]  # Excel passes the cell 2010 as 2010.0
    assert udfs.TDR_PARTNERS(2010.0) == udfs.TDR_PARTNERS("2010") == udfs.TDR_PARTNERS([[2010.0]][0][0])
    assert udfs.TDR_PARTNERS(2010.5) == '#N/A no partner matches "2010.5"'


def test_a_refresh_is_picked_up_without_restarting(private_home, monkeypatch):
    from stores import revise

    before = udfs.TDR_EXPORTS("Mexico", 2024, 1)
    revise({("2010", "X", 2024, 1): int(before) + 7})
    assert udfs.TDR_EXPORTS("Mexico", 2024, 1) == before + 7


def test_an_unexpected_bug_is_logged_not_raised(private_home, monkeypatch, caplog):
    def broken(*args):
        raise ZeroDivisionError("boom")
    monkeypatch.setattr(Service, "scalar", broken)
    from xl_tdr import config

    log = (config.home() / "xl_tdr.log").absolute()
    assert udfs.TDR("Mexico", 2025) == f"#N/A internal error in xl_tdr (see {log})"
    assert "boom" in caplog.text
    assert "ZeroDivisionError: boom" in log.read_text(encoding="utf-8")  # the traceback, in the data folder


# Hostile and ordinary inputs, as Excel can pass them.
names = st.sampled_from(["Mexico", "méxico", "MX", "China", "USMCA", "World", "EU", "Taiwán", "Gaza Strip",
                         "OPEC", "Euro Area", "=HYPERLINK(\"x\")", "", " ", "#N/A", "#VALUE!", "Mexco"])
scalars = st.one_of(st.none(), names, st.text(max_size=12), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                    st.sampled_from([2013, 2024.0, 2025, "2024", 2026, 1900, 2010.0, -2146826281, 10**400, -10**400,
                                     1e308, "9" * 5000]),
                    st.integers(min_value=10**15, max_value=10**500))
periods = st.one_of(st.none(), st.sampled_from(["Q1", "H2", "YTD", "R12", "1-11", 3, 12.0, 0, "Q9", "x", ""]), scalars)
sectors = st.one_of(st.none(), st.none(), st.sampled_from([87, "87", 87.0, "vehicles", "HS85", "oil", 77, "8703", 99,
                                                           "vehicels", "", 1, [[27]], "#N/A"]), scalars)


class NoCache(dict):
    def __setitem__(self, key, value):
        pass


def _fresh_registry():
    import json

    from xl_tdr import config
    from xl_tdr.reference.partners import Registry

    fresh = Registry(json.loads((config.BUNDLED_DIR / "partners.json").read_text(encoding="utf-8")))
    fresh._resolved = NoCache()
    return fresh


FRESH = _fresh_registry()
FRESH_CHAPTERS = Chapters(__import__("json").loads((config.BUNDLED_DIR / "chapters.json").read_text(encoding="utf-8")))
ORACLE: list = []  # the seeded store's indexes, built without the service

METRICS = {xl_tdr.tdr: metrics.tdr, xl_tdr.exports: lambda x, m: x, xl_tdr.imports: lambda x, m: m,
           xl_tdr.deficit: metrics.deficit, xl_tdr.balance: metrics.balance, xl_tdr.coverage: metrics.coverage}


def oracle(function, partner, year, period, sector=None):
    """The expected value, computed without any of the service's caches (None: must be #N/A)."""
    if not ORACLE:
        view = View(Store(), Bundle())  # read afresh: none of the service's caches
        ORACLE[:] = [view.totals, SectorIndex(view.sector_rows)]
    index, sectors = ORACLE
    try:
        code = FRESH.resolve(partner).code
        number, parsed = parse_year(year), parse_period(period)
        span = Span(number, parsed, tuple(expand(parsed, number, index.publication.latest_through(number))))
        chapter = FRESH_CHAPTERS.resolve(sector)
        if function in (xl_tdr.exports, xl_tdr.imports):
            flow = "X" if function is xl_tdr.exports else "M"
            return float(sectors.total(code, chapter.code, flow, span) if chapter else index.total(code, flow, span))
        x, m = sectors.flows(code, chapter.code, span) if chapter else index.flows(code, span)
        return float(METRICS[function](x, m))
    except (XlTdrError, TypeError):
        return None


@pytest.mark.parametrize("udf, api_function", list(SCALAR.items()), ids=[f.__name__ for f in SCALAR])
@settings(max_examples=1000, deadline=None)
@given(partner=scalars, year=scalars, period=periods, sector=sectors)
def test_scalar_functions_never_raise_and_give_a_number_only_for_valid_input(udf, api_function, partner, year,
                                                                            period, sector):
    twin = [int(v) if isinstance(v, bool) else v for v in (partner, year, period, sector)]
    udf(*twin)  # warm the caches with equal-but-different inputs (True == 1) first
    result = udf(partner, year, period, sector)
    error_cell = any(udfs._cell_error(v) for v in (partner, year, period, sector))
    expected = None if error_cell or partner in (None, "") else oracle(api_function, partner, year, period, sector)
    if expected is None:
        assert isinstance(result, str) and result.startswith("#N/A ") and len(result) <= 255
    else:
        assert isinstance(result, float) and math.isfinite(result) and result == expected


@settings(max_examples=1000, deadline=None)
@given(partners=st.lists(names, min_size=1, max_size=4), years=st.lists(scalars, min_size=1, max_size=3))
def test_array_form_matches_cell_by_cell(partners, years):
    result = udfs.TDR([[p] for p in partners], [years])
    if len(partners) == 1 and len(years) == 1:
        result = [[result]]
    assert len(result) == len(partners) and all(len(row) == len(years) for row in result)
    for row, partner in zip(result, partners):
        for value, year in zip(row, years):
            assert value == udfs.TDR(partner, year) or (value != value and udfs.TDR(partner, year) != udfs.TDR(partner, year))


@settings(max_examples=1000, deadline=None)
@given(year=scalars, top=scalars, period=periods, lang=st.one_of(st.none(), st.sampled_from(["en", "es", "fr", 3])))
def test_table_function_never_raises(year, top, period, lang):
    result = udfs.TDR_TABLE(year, top, period, lang)
    assert (isinstance(result, str) and result.startswith("#N/A")) or (
        isinstance(result, list) and len(result[0]) == 9 and all(float(row[0]).is_integer() for row in result[1:]))


@settings(max_examples=1000, deadline=None)
@given(partner=scalars, first=scalars, last=scalars, period=periods)
def test_series_function_never_raises(partner, first, last, period):
    result = udfs.TDR_SERIES(partner, first, last, period)
    assert (isinstance(result, str) and result.startswith("#N/A")) or (
        isinstance(result, list) and result[0] == ["Year", "TDR"]
        and all(isinstance(v, float) or str(v).startswith("#N/A") for _, v in result[1:]))


@settings(max_examples=1000, deadline=None)
@given(query=scalars)
def test_partners_function_never_raises(query):
    result = udfs.TDR_PARTNERS(query)
    assert (isinstance(result, str) and result.startswith("#N/A")) or (isinstance(result, list) and len(result) > 1)


def test_sector_argument_gl_and_sectors_spill():
    assert udfs.TDR("Mexico", 2024.0, None, 87.0) == xl_tdr.tdr("Mexico", 2024, sector=87)
    assert udfs.TDR([["Mexico"], ["Canada"]], 2024, None, [["vehicles"]]) == [
        [xl_tdr.tdr("Mexico", 2024, sector=87)], [xl_tdr.tdr("Canada", 2024, sector=87)]]
    assert udfs.TDR_GL("Canada", 2024, None, 87) == xl_tdr.gl("Canada", 2024, sector=87)
    assert udfs.TDR_GL("Canada", 2024) == xl_tdr.gl("Canada", 2024)
    assert udfs.TDR("Mexico", 2024, None, 77).startswith("#N/A Mexico: HS chapter 77 does not exist")
    assert udfs.TDR_GL("Mexico", 2022).startswith("#N/A Mexico: sector data cover 2023–2024")
    table = udfs.TDR_SECTORS("Mexico", 2024.0, 3.0)
    assert table[0] == ["Rank", "HS", "Sector", "Exports", "Imports", "Deficit", "TDR", "GL", "Share"]
    assert [row[1] for row in table[1:]] == ["87", "84", "85"]
    assert table[1][6] == xl_tdr.tdr("Mexico", 2024, sector=87) and table[1][7] == xl_tdr.gl("Mexico", 2024, sector=87)
    spanish = udfs.TDR_SECTORS("México", 2024, 1, None, "ES")
    assert spanish[0][:3] == ["Lugar", "SA", "Sector"] and spanish[1][2] == "Vehículos y autopartes"
    assert udfs.TDR_SECTORS("Mexico", 2024, 0).startswith('#N/A "0" is not a whole number of chapters')
    assert udfs.TDR_SECTORS("Mexico", 2025).startswith("#N/A Mexico: sector data cover 2023–2024")


@settings(max_examples=300, deadline=None)
@given(partner=scalars, year=scalars, top=scalars, period=periods, lang=st.one_of(st.none(), st.sampled_from(["en", "es", 3])))
def test_sectors_function_never_raises(partner, year, top, period, lang):
    result = udfs.TDR_SECTORS(partner, year, top, period, lang)
    assert (isinstance(result, str) and result.startswith("#N/A")) or (
        isinstance(result, list) and len(result[0]) == 9 and all(float(row[0]).is_integer() for row in result[1:]))


ragged = st.lists(st.lists(st.one_of(names, scalars), min_size=0, max_size=3), min_size=1, max_size=4)


@settings(max_examples=500, deadline=None)
@given(partners=ragged, years=st.one_of(scalars, ragged), sector=st.one_of(st.none(), ragged))
def test_any_range_shape_gives_a_grid_or_one_text(partners, years, sector):
    """Ragged, empty or mismatched ranges: a rectangular result or one #N/A text, never an exception."""
    result = udfs.TDR(partners, years, None, sector)
    if isinstance(result, str):
        assert result.startswith("#N/A")
    else:
        assert isinstance(result, (float, list))
        if isinstance(result, list):
            assert len({len(row) for row in result}) == 1
