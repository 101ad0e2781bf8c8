"""A refresh commits while 4 reader processes query continuously: no reader ever sees an
error, or a mix of old and new values within one query."""

import json
import subprocess
import sys
import time
from datetime import date

from test_refresh import census_env, server  # noqa: F401 — fixtures

from xl_tdr.refresh import refresh

READER = r"""
import json, sys, time
from collections import defaultdict
import xl_tdr
from xl_tdr.data.index import Index
from xl_tdr.data.store import Store

deadline, old = time.monotonic() + float(sys.argv[1]), json.loads(sys.argv[2])
new = [value + 1_000_000 for value in old]
seen, queries, errors = set(), 0, []
open(sys.argv[3], "w").close()  # ready
while time.monotonic() < deadline:
    try:
        index = Index(Store().observations())          # one query: the whole store
        mexico = index.monthly[("2010", "M", 2024)]
        world = index.monthly[("-", "M", 2024)]
        countries = defaultdict(int)
        for (code, flow, year), values in index.monthly.items():
            if flow == "M" and year == 2024 and code.isdigit() and code[0] != "0":
                for m, v in enumerate(values):
                    countries[m] += v or 0
        assert all(countries[m] == world[m] for m in range(12)), "countries != world"
        state = "old" if mexico == old else "new" if mexico == new else None
        assert state, f"a mix of vintages: {mexico}"
        seen.add(state)
        xl_tdr.tdr("Mexico", 2024); xl_tdr.table(2024)     # the API too, noticing the refresh
        queries += 1
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
print(json.dumps({"queries": queries, "errors": errors[:3], "seen": sorted(seen)}))
"""


def test_readers_never_see_half_a_refresh(census_env, tmp_path):
    old = []
    for month in range(1, 13):
        rows = {code: int(v) for code, _, v in census_env.replay.data["imports"][(2024, month)]}
        old.append(rows["2010"])
        for code in ("2010", "-", "0020", "1XXX"):
            census_env.replay.revise[("imports", code, 2024, month)] = str(rows[code] + 1_000_000)
    ready = [tmp_path / f"ready{i}" for i in range(4)]
    readers = [subprocess.Popen([sys.executable, "-c", READER, "8", json.dumps(old), str(flag)],
                                stdout=subprocess.PIPE, text=True) for flag in ready]
    limit = time.monotonic() + 30
    while not all(flag.exists() for flag in ready) and time.monotonic() < limit:
        time.sleep(0.05)
    time.sleep(1.5)  # readers are querying the old data
    summary = refresh("api", today=date(2025, 7, 1))
    assert len(summary.revisions) == 48
    results = [json.loads(reader.communicate(timeout=60)[0]) for reader in readers]
    for result in results:
        assert result["errors"] == []
        assert result["seen"] == ["new", "old"]  # each saw the switch, never a mix (however many
        # queries a loaded machine manages: what must hold, not how fast)
