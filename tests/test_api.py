"""The Python API over the bundled snapshot (pinned: the shared files of 2025-10 and 2026-10)."""

import csv

import pytest

import xl_tdr
from xl_tdr.errors import DataNotAvailable, PeriodError, UndefinedMetric, UnknownPartner


def _api_year(census, flow_file, column, code, year, months=range(1, 13)):
    with (census / flow_file).open() as handle:
        return sum(int(r[column]) for r in csv.DictReader(handle)
                   if r["CTY_CODE"] == code and r["YEAR"] == str(year) and int(r["MONTH"]) in months)


EXPORTS = ("census_api_exports_monthly_2013-2024.csv", "ALL_VAL_MO")
IMPORTS = ("census_api_imports_monthly_2013-2024.csv", "GEN_VAL_MO")


def test_mexico_2024_is_exactly_the_shared_api_file(census):
    x = _api_year(census, *EXPORTS, "2010", 2024)
    m = _api_year(census, *IMPORTS, "2010", 2024)
    assert (x, m) == (334_031_930_350, 505_523_174_525)
    assert xl_tdr.tdr("Mexico", 2024) == (m - x) / x
    assert xl_tdr.exports("MX", 2024) == x and xl_tdr.imports(2010, 2024) == m
    assert xl_tdr.deficit("México", "2024") == m - x
    assert xl_tdr.balance("MEX", 2024.0) == x - m
    assert xl_tdr.coverage("mexico", 2024) == x / m


def test_quarter_and_range_sum_their_months(census):
    x = _api_year(census, *EXPORTS, "5700", 2023, months=range(4, 7))
    m = _api_year(census, *IMPORTS, "5700", 2023, months=range(4, 7))
    assert xl_tdr.tdr("China", 2023, "Q2") == (m - x) / x
    assert xl_tdr.exports("China", 2023, "4-6") == x
    assert xl_tdr.exports("China", 2023, 5) == _api_year(census, *EXPORTS, "5700", 2023, months=[5])


def test_table_2025_top_five_and_seven():
    top5 = xl_tdr.table(2025, top=5)
    assert list(top5["partner"]) == ["Mexico", "Canada", "China", "Taiwan", "Germany"]
    assert [round(v, 2) for v in top5["tdr"]] == [0.58, 0.14, 1.91, 2.68, 0.88]
    top7 = xl_tdr.table(2025, top=7)
    assert list(top7["partner"][5:]) == ["Japan", "Vietnam"]
    assert [round(v, 2) for v in top7["tdr"][5:]] == [0.79, 11.43]
    assert list(top7["rank"]) == list(range(1, 8))
    assert (top7["exports"] + top7["imports"]).is_monotonic_decreasing


def test_table_columns_are_consistent_metrics():
    frame = xl_tdr.table(2024, top=10)
    world = xl_tdr.exports("World", 2024) + xl_tdr.imports("World", 2024)
    for row in frame.itertuples():
        assert row.deficit == row.imports - row.exports
        assert row.tdr == (row.imports - row.exports) / row.exports
        assert row.coverage == row.exports / row.imports
        assert row.share == (row.exports + row.imports) / world
    assert list(frame["partner"][:5]) == ["Mexico", "Canada", "China", "Germany", "Japan"]
    assert set(frame["code"]).isdisjoint({"-", "0020", "0003", "5XXX"})


def test_table_for_given_partners_and_a_period():
    frame = xl_tdr.table(2024, partners=["Mexico", "USMCA", "World"], period="H1")
    assert list(frame["code"]) == ["-", "0020", "2010"]  # by total trade
    assert frame["share"].iloc[0] == 1.0
    everyone = xl_tdr.table(2024, top=None, period="H1")
    assert frame["rank"].iloc[2] == everyone.loc[everyone["code"] == "2010", "rank"].iloc[0]
    assert frame["rank"].iloc[:2].isna().all()  # groups have no place among countries


def test_groups_and_world_are_partners():
    for year in (2024, 2025):
        usmca = xl_tdr.exports("USMCA", year), xl_tdr.imports("USMCA", year)
        mex_can = [xl_tdr.exports(p, year) + 0 for p in ("Mexico", "Canada")]
        assert usmca[0] == sum(mex_can)
        assert xl_tdr.imports("T-MEC", year) == xl_tdr.imports("Mexico", year) + xl_tdr.imports("Canada", year)
    assert round(xl_tdr.tdr("World", 2025), 2) == 0.57
    assert xl_tdr.exports("World", 2025) == 2_179_891_500_000
    assert xl_tdr.tdr("EU", 2025) > 0


def test_ytd_r12_and_partial_years():
    assert xl_tdr.tdr("Mexico", 2024, "YTD") == xl_tdr.tdr("Mexico", 2024)
    assert xl_tdr.tdr("Mexico", 2025, "YTD") == xl_tdr.tdr("Mexico", 2025)  # annual total covers Jan–Dec
    assert xl_tdr.tdr("Mexico", 2024, "R12") == xl_tdr.tdr("Mexico", 2024)
    assert xl_tdr.exports("Mexico", 2024, "1-11") + xl_tdr.exports("Mexico", 2024, 12) == xl_tdr.exports("Mexico", 2024)


def test_a_2025_monthly_request_says_only_the_annual_total_is_bundled():
    with pytest.raises(DataNotAvailable, match="2025 has only annual totals in the store"):
        xl_tdr.tdr("Mexico", 2025, "Q1")
    with pytest.raises(DataNotAvailable, match="only annual totals"):
        xl_tdr.exports("Canada", 2025, 3)


def test_missing_years_and_groups_say_what_exists():
    with pytest.raises(DataNotAvailable, match="no data for 2026 in the store; data end in 2025-12"):
        xl_tdr.tdr("Mexico", 2026)
    with pytest.raises(DataNotAvailable, match="OECD: the store has no 2025 total"):
        xl_tdr.tdr("OECD", 2025)  # no members listed: nothing to compute it from
    with pytest.raises(DataNotAvailable, match="OPEC"):
        xl_tdr.tdr("OPEC", 2020)  # Census stopped the OPEC row after 2018


def test_errors_are_typed_and_plain():
    with pytest.raises(UnknownPartner, match='did you mean Mexico'):
        xl_tdr.tdr("Mexco", 2025)
    with pytest.raises(PeriodError):
        xl_tdr.tdr("Mexico", "twenty")
    with pytest.raises(PeriodError):
        xl_tdr.tdr("Mexico", 2024, "Q7")
    with pytest.raises(UndefinedMetric, match="Gaza Strip 2025: TDR is undefined"):
        xl_tdr.tdr("Gaza Strip", 2025)


def test_memoised_answers_and_errors_repeat_identically():
    first = xl_tdr.tdr("Taiwan", 2024)
    assert xl_tdr.tdr("Taiwan", 2024) == first
    for _ in range(2):
        with pytest.raises(UnknownPartner):
            xl_tdr.tdr("Nowhere", 2024)
    assert xl_tdr.exports(["not", "hashable"][0] and "Japan", 2024) > 0


def test_series_info_and_partners():
    frame = xl_tdr.series("Mexico", 2013, 2025)
    assert list(frame["year"]) == list(range(2013, 2026))
    assert frame["tdr"].iloc[-1] == xl_tdr.tdr("Mexico", 2025)
    partial = xl_tdr.series("Mexico", 2024, 2025, period="Q1")  # 2025 kept, empty, with the reason
    assert partial["note"].tolist() == ["", "2025 has only annual totals in the store, no monthly figures"]
    with pytest.raises(DataNotAvailable, match="Mexico: 2025 has only annual totals"):
        xl_tdr.series("Mexico", 2025, 2025, period="Q1")  # no year can give it: the error
    info = xl_tdr.info()
    assert info["latest_month"] == "2025-12" and info["monthly_through"] == "2024-12"
    assert [v["years"] for v in info["vintages"]] == [list(range(2013, 2025)), [2025], [2025]] + [[2023, 2024]] * 3
    assert info["sector_years"] == "2023–2024"
    found = xl_tdr.partners("korea")
    assert set(found["name"]) == {"South Korea", "North Korea"}
    assert len(xl_tdr.partners()) == 256


def test_scalar_path_does_not_import_pandas():
    import subprocess
    import sys

    code = "import sys, xl_tdr; xl_tdr.tdr('Mexico', 2025); print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
