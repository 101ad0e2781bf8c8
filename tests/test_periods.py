import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_tdr.errors import PeriodError
from xl_tdr.periods import FULL_YEAR, expand, parse_period, parse_year, shift


@pytest.mark.parametrize("value, year", [(2025, 2025), (2025.0, 2025), ("2025", 2025), (" 2013 ", 2013)])
def test_years(value, year):
    assert parse_year(value) == year


@pytest.mark.parametrize("value", [None, "", "abc", 2025.5, True, 1900, "20250", float("nan")])
def test_bad_years(value):
    with pytest.raises(PeriodError):
        parse_year(value)


@pytest.mark.parametrize("spec, first, last", [
    (None, 1, 12), ("", 1, 12), (3, 3, 3), (3.0, 3, 3), ("03", 3, 3), ("mar", 3, 3),
    ("Q1", 1, 3), ("q4", 10, 12), ("H1", 1, 6), ("h2", 7, 12), ("1-11", 1, 11),
    ("2 - 4", 2, 4), ("5-5", 5, 5), ("1-12", 1, 12),
])
def test_fixed_periods(spec, first, last):
    period = parse_period(spec)
    assert (period.first, period.last) == (first, last)
    assert expand(period, 2024, None) == [(2024, m) for m in range(first, last + 1)]


@pytest.mark.parametrize("spec", ["Q5", "Q0", "H3", "13", 0, 13, 2.5, "4-2", "0-3", "1-13", "abc", True])
def test_bad_periods(spec):
    with pytest.raises(PeriodError):
        parse_period(spec)


def test_ytd_and_r12_follow_the_latest_month():
    ytd, r12 = parse_period("YTD"), parse_period("r12")
    assert expand(ytd, 2026, (2026, 9)) == [(2026, m) for m in range(1, 10)]
    assert expand(ytd, 2025, (2026, 9)) == [(2025, m) for m in range(1, 13)]
    assert expand(r12, 2026, (2026, 9)) == [(2025, m) for m in range(10, 13)] + [(2026, m) for m in range(1, 10)]
    assert expand(r12, 2025, (2026, 9)) == [(2025, m) for m in range(1, 13)]
    with pytest.raises(PeriodError, match="not available yet"):
        expand(ytd, 2027, (2026, 9))
    with pytest.raises(PeriodError):
        expand(r12, 2025, None)


def test_full_year_spellings():
    assert parse_period("year") == FULL_YEAR == parse_period("1-12")


@given(st.integers(2000, 2100), st.integers(1, 12), st.integers(0, 400))
def test_shift_goes_back_whole_months(year, month, back):
    y, m = shift((year, month), back)
    assert 1 <= m <= 12
    assert (year * 12 + month) - (y * 12 + m) == back
