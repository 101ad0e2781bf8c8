"""The service: one Query built from what a face passes, a bounded memo of answers or messages."""

import gc
import subprocess
import sys
import traceback
import tracemalloc
from pathlib import Path

import pytest
from stores import revise

from xl_tdr import metrics, udfs
from xl_tdr import service as service_module
from xl_tdr.errors import DataNotAvailable, UnknownPartner
from xl_tdr.query import UNCACHEABLE, Span, canonical
from xl_tdr.service import Service


@pytest.mark.parametrize("value, key", [
    ("Mexico", "Mexico"), (2025, 2025), (2025.0, 2025), ([[2025.0]], 2025), ([2025.0], 2025),
    ((("Q1",),), "Q1"), (None, None), (True, "TRUE"), (False, "FALSE"), ([[True]], "TRUE"),
    (float("nan"), "nan"), (2.5, 2.5), (float("inf"), float("inf")),
])
def test_one_canonical_key_per_meaning(value, key):
    assert canonical(value) == key and type(canonical(value)) is type(key)


@pytest.mark.parametrize("value", [[[1, 2]], [["a"], ["b"]], [], object(), b"bytes"])
def test_ranges_and_unknown_types_are_uncacheable(value):
    assert canonical(value) is UNCACHEABLE
    with pytest.raises(TypeError):
        hash(canonical(value))


def test_span_decides_when_the_annual_total_serves():
    svc = Service()
    assert svc.span(2025).annual and svc.span(2025, "YTD").annual and svc.span("2024", "1-12").annual
    assert svc.span(2024, "R12").annual  # the 12 months ending December 2024
    assert not svc.span(2024, "Q1").annual and not svc.span(2024, "1-11").annual
    assert svc.span(2024.0, 3.0) is svc.span(2024, 3)  # one cache, one key per meaning
    assert isinstance(svc.span(2024), Span) and svc.span(2024).months[0] == (2024, 1)


def test_true_is_never_january_nor_code_0001():
    svc = Service()
    january = svc.scalar(metrics.exports, "Mexico", 2024, 1)
    with pytest.raises(Exception, match='"TRUE" is not a period'):
        svc.scalar(metrics.exports, "Mexico", 2024, True)
    assert svc.scalar(metrics.exports, "Mexico", 2024, 1.0) == january
    with pytest.raises(UnknownPartner, match='"TRUE"'):
        svc.scalar(metrics.tdr, True, 2018)


def test_errors_are_remembered_as_messages_and_raised_fresh():
    svc = Service()
    raised = []
    for _ in range(3):
        with pytest.raises(UnknownPartner) as caught:
            svc.scalar(metrics.tdr, "Mexco", 2024)
        raised.append(caught.value)
    assert raised[0] is not raised[1] and str(raised[0]) == str(raised[2])
    assert raised[2].suggestions == ["Mexico"] and raised[2].query == "Mexco"
    assert svc.memo_info().currsize == 1


def _depth(error: BaseException) -> int:
    return len(traceback.extract_tb(error.__traceback__))


def test_ten_thousand_recalculations_of_an_na_cell_keep_memory_flat():
    udfs.use()
    udfs.TDR("Mexco", 2024)  # warm: the memo holds the message
    gc.collect()
    tracemalloc.start()
    for _ in range(1000):
        udfs.TDR("Mexco", 2024, None, 87)
    first = tracemalloc.get_traced_memory()[0]
    for _ in range(10_000):
        assert udfs.TDR("Mexco", 2024, None, 87).startswith('#N/A unknown partner "Mexco"')
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert after - first < 20_000, f"memory grew by {after - first} bytes over 10,000 recalculations"
    depths = set()
    for _ in range(5):
        try:
            udfs.service().scalar(metrics.tdr, "Mexico", 2026)
        except DataNotAvailable as exc:
            depths.add(_depth(exc))
    assert len(depths) == 1  # the traceback does not grow with each re-raise


def test_the_memo_is_bounded_least_recently_used_first():
    svc = Service(memo_size=50)
    for year in range(2013, 2025):
        for month in range(1, 13):
            svc.scalar(metrics.tdr, "Mexico", year, month)
    assert svc.memo_info().currsize == 50
    svc.scalar(metrics.tdr, "Mexico", 2024, 12)  # the most recent is still there
    assert svc.memo_info().hits == 1


def test_a_range_is_answered_without_the_memo():
    svc = Service()
    with pytest.raises(UnknownPartner):
        svc.scalar(metrics.tdr, [["Mexico", "Canada"]], 2024)
    assert svc.memo_info().currsize == 0


def test_a_write_in_this_process_is_seen_at_once(private_home):
    svc = Service()
    before = svc.scalar(metrics.exports, "Mexico", 2024, 1)
    revise({("2010", "X", 2024, 1): int(before) + 5})
    assert svc.scalar(metrics.exports, "Mexico", 2024, 1) == before + 5


def test_another_processs_write_is_seen_after_the_stamp_check(private_home, monkeypatch):
    svc = Service()
    before = svc.scalar(metrics.exports, "Mexico", 2024, 2)
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); from stores import revise; "
            f"revise({{('2010', 'X', 2024, 2): {int(before) + 9}}})")
    subprocess.run([sys.executable, "-c", code], check=True)
    monkeypatch.setattr(service_module, "STAMP_CHECK_SECONDS", 0.0)
    assert svc.scalar(metrics.exports, "Mexico", 2024, 2) == before + 9
