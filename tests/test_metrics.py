import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_tdr import metrics
from xl_tdr.errors import UndefinedMetric

amounts = st.integers(min_value=0, max_value=10**13)
positive = st.integers(min_value=1, max_value=10**13)


@pytest.mark.parametrize("x, m, tdr, deficit, coverage, norm", [
    (100, 150, 0.5, 50, 100 / 150, -50 / 250),
    (100, 200, 1.0, 100, 0.5, -1 / 3),
    (100, 100, 0.0, 0, 1.0, 0.0),
    (200, 100, -0.5, -100, 2.0, 1 / 3),
    (334_031_930_350, 505_523_174_525, 171_491_244_175 / 334_031_930_350, 171_491_244_175,
     334_031_930_350 / 505_523_174_525, -171_491_244_175 / 839_555_104_875),
])
def test_metric_table(x, m, tdr, deficit, coverage, norm):
    assert metrics.tdr(x, m) == tdr
    assert metrics.deficit(x, m) == deficit
    assert metrics.balance(x, m) == -deficit
    assert metrics.coverage(x, m) == pytest.approx(coverage, rel=1e-15)
    assert metrics.normalised_balance(x, m) == pytest.approx(norm, rel=1e-15)
    assert metrics.total_trade(x, m) == x + m


@pytest.mark.parametrize("ratio, label", [
    (-0.5, "surplus"), (-1e-9, "surplus"), (0.0, "balanced"), (0.14, "balanced"),
    (0.25, "moderate"), (0.58, "moderate"), (0.999, "moderate"), (1.0, "high dependency"),
    (11.4, "high dependency"),
])
def test_bands(ratio, label):
    assert metrics.band(ratio) == label


@pytest.mark.parametrize("func, x, m", [
    (metrics.tdr, 0, 10), (metrics.coverage, 10, 0), (metrics.normalised_balance, 0, 0),
])
def test_zero_denominators_raise(func, x, m):
    with pytest.raises(UndefinedMetric):
        func(x, m)


def test_share_and_grubel_lloyd():
    assert metrics.share(25, 100) == 0.25
    with pytest.raises(UndefinedMetric):
        metrics.share(1, 0)
    assert metrics.grubel_lloyd([(50, 50)]) == 1.0
    assert metrics.grubel_lloyd([(100, 0), (0, 100)]) == 0.0
    assert metrics.grubel_lloyd([(30, 10), (10, 10)]) == pytest.approx(1 - 20 / 60)


@given(positive, amounts)
def test_tdr_reads_as_imports_per_dollar_exported(x, m):
    ratio = metrics.tdr(x, m)
    assert math.isfinite(ratio)
    assert ratio >= -1
    assert x * (1 + ratio) == pytest.approx(m, rel=1e-12, abs=1e-3)
    assert (ratio < 0) == (m < x)
    assert metrics.band(ratio) in metrics.BANDS


@given(positive, positive)
def test_coverage_and_normalised_balance_agree_with_tdr(x, m):
    assert metrics.coverage(x, m) * m == pytest.approx(x, rel=1e-12)
    assert (metrics.coverage(x, m) < 1) == (metrics.tdr(x, m) > 0)
    assert -1 <= metrics.normalised_balance(x, m) <= 1
    assert metrics.deficit(x, m) == -metrics.balance(x, m)


@given(st.lists(st.tuples(amounts, amounts), min_size=1, max_size=20).filter(
    lambda pairs: sum(x + m for x, m in pairs) > 0))
def test_grubel_lloyd_is_between_zero_and_one(pairs):
    assert 0 <= metrics.grubel_lloyd(pairs) <= 1
