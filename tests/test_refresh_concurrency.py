"""A refresh commits while 4 reader processes query continuously: no reader ever sees an
error, or a mix of old and new values within one query."""

import json
import subprocess
import sys
import time
from datetime import date

import pytest

from xl_tdr.refresh import refresh

READER = r"""
import json, sys, time
from collections import defaultdict
import xl_tdr
from xl_tdr.data.bundle import Bundle
from xl_tdr.data.store import Store
from xl_tdr.data.view import View

old, ready = json.loads(sys.argv[1]), sys.argv[2]
new = [value + 1_000_000 for value in old]
seen, queries, errors = defaultdict(int), 0, []
limit = time.monotonic() + 120  # a safety net only: readers stop once they have seen the new data
while seen["new"] < 3 and time.monotonic() < limit:
    try:
        totals = View(Store(), Bundle()).totals          # one read: one version of the store
        mexico = totals.monthly[("2010", "M", 2024)]
        world = totals.monthly[("-", "M", 2024)]
        countries = defaultdict(int)
        for (code, flow, year), values in totals.monthly.items():
            if flow == "M" and year == 2024 and code.isdigit() and code[0] != "0":
                for m, v in enumerate(values):
                    countries[m] += v or 0
        assert all(countries[m] == world[m] for m in range(12)), "countries != world"
        state = "old" if mexico == old else "new" if mexico == new else None
        assert state, f"a mix of vintages: {mexico}"
        seen[state] += 1
        xl_tdr.api.use(); xl_tdr.tdr("Mexico", 2024); xl_tdr.table(2024)     # the API too
        queries += 1
        if seen["old"] == 5:
            open(ready, "w").close()  # reading the old data: the refresh may go
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
        if len(errors) > 3:
            break
print(json.dumps({"queries": queries, "errors": errors[:3], "seen": sorted(seen)}))
"""


@pytest.mark.slow
def test_readers_never_see_half_a_refresh(census_env, tmp_path):
    old = []
    for month in range(1, 13):
        rows = {code: int(v) for code, _, v in census_env.replay.data["imports"][(2024, month)]}
        old.append(rows["2010"])
        for code in ("2010", "-", "0020", "1XXX", "0021", "0024", "0026"):
            census_env.replay.revise[("imports", code, 2024, month)] = str(rows[code] + 1_000_000)
    ready = [tmp_path / f"ready{i}" for i in range(4)]
    readers = [subprocess.Popen([sys.executable, "-c", READER, json.dumps(old), str(flag)],
                                stdout=subprocess.PIPE, text=True) for flag in ready]
    limit = time.monotonic() + 120
    while not all(flag.exists() for flag in ready) and time.monotonic() < limit:
        time.sleep(0.05)
    assert all(flag.exists() for flag in ready), "the readers did not start"
    summary = refresh("api", today=date(2025, 7, 1))
    assert len(summary.revisions) == 7 * 12
    results = [json.loads(reader.communicate(timeout=150)[0]) for reader in readers]
    for result in results:
        assert result["errors"] == []
        assert result["seen"] == ["new", "old"]  # each saw the switch, never a mix
