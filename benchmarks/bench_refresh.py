"""Refresh speed against the loopback Census replay (needs ../shared/census).

Run: python benchmarks/bench_refresh.py   (throwaway XL_TDR_HOME; prints numbers)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ["XL_TDR_HOME"] = tempfile.mkdtemp(prefix="xl_tdr_bench_refresh_")

from census_server import KEY, Server, bulk_xlsx  # noqa: E402

from xl_tdr.data.bundle import Bundle  # noqa: E402
from xl_tdr.data.store import Batch, Store  # noqa: E402
from xl_tdr.data.view import View  # noqa: E402
from xl_tdr.refresh import refresh  # noqa: E402
from xl_tdr.refresh.months import replace_months  # noqa: E402
from xl_tdr.sources.census_api import parse_rows  # noqa: E402

CENSUS = Path(os.environ.get("XL_TDR_SHARED", ROOT.parent / "shared")) / "census"


def main() -> None:
    server = Server(CENSUS).start()
    os.environ.update({"XL_TDR_CENSUS_API_URL": server.api_url, "XL_TDR_CENSUS_BULK_URL": server.bulk_url,
                       "CENSUS_API_KEY": KEY})
    store = Store()
    tables = [server.replay.table(flow, column, (year, 1), (year, 12))
              for flow, column in (("exports", "ALL_VAL_MO"), ("imports", "GEN_VAL_MO")) for year in range(2013, 2025)]
    start = time.perf_counter()
    rows = []
    for i, table in enumerate(tables):
        rows += parse_rows(table, "X" if i < 12 else "M", table[0][2], 99, "bench")[0]
    parsed = time.perf_counter() - start
    old = {row[:4]: (row[4], row[5]) for row in View(store, Bundle()).rows}
    replaced = replace_months(old, {tuple(o[:4]): o.value for o in rows}, 99)
    store.write(Batch(total_months=replaced.months, totals=replaced.rows, history=replaced.history,
                      vintages=[{"id": 99, "source": "bench", "retrieved": "now", "url": None, "note": None}]))
    print(f"parse + compare + store 2013–2024, {len(rows):,} values: {time.perf_counter() - start:.2f} s "
          f"(parsing {parsed:.2f} s)")

    os.environ["XL_TDR_HOME"] = tempfile.mkdtemp(prefix="xl_tdr_bench_refresh_")  # a new data folder
    summary = refresh("api", full=True, today=date(2025, 3, 1))
    print(f"full API refresh over loopback, 2013 → 2025: {summary.seconds:.2f} s, {summary.requests} requests, "
          f"{summary.values_added:,} values added (the bundled data hold the rest)")
    summary = refresh("api", today=date(2025, 8, 1))
    summary = refresh("api", today=date(2025, 8, 2))
    print(f"API refresh with nothing new: {summary.requests} requests, {summary.seconds:.2f} s")
    server.replay.bulk = bulk_xlsx(server.replay.data, published=(2024, 12))
    summary = refresh("bulk")
    print(f"bulk refresh (country.xlsx, {len(server.replay.bulk) / 1e6:.1f} MB): {summary.seconds:.2f} s, "
          f"{summary.requests} request")
    summary = refresh("bulk")
    print(f"bulk refresh, file unchanged: {summary.requests} request (304), {summary.seconds:.2f} s")
    server.stop()


if __name__ == "__main__":
    main()
