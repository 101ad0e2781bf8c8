"""Refreshes killed with SIGKILL at random points: the store is intact and holds either the old
values or the new ones, never a mix."""

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from xl_tdr.refresh import refresh

REFRESH = "from datetime import date; from xl_tdr.refresh import refresh; refresh('api', today=date(2025, 3, 1))"
TABLES = ("obs", "obs_history", "sector_obs", "sector_history")


def values(home: Path) -> str:
    """The data (values and history) of a home's store, without the meta entries a finished
    refresh adds; a store not created yet holds nothing, like an empty one."""
    digest = hashlib.sha256()
    path = home / "store.sqlite"
    if path.exists():
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            for table in TABLES:
                for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4"):
                    digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.mark.slow
def test_twenty_refreshes_killed_at_random_points(census_env, data_until, tmp_path):
    data_until((2024, 6))  # the refresh has six months to add, to a store it creates
    census_env.replay.delay = 0.05  # each answer takes a moment: kills land before, during and after
    home = Path(os.environ["XL_TDR_HOME"])
    base = tmp_path / "base"
    shutil.copytree(home, base)
    old = values(base)
    refresh("api", today=date(2025, 3, 1))
    new = values(home)
    assert new != old
    def start(run: int) -> subprocess.Popen:
        target = tmp_path / f"run{run}"
        shutil.copytree(base, target)
        env = {**os.environ, "XL_TDR_HOME": str(target)}
        return subprocess.Popen([sys.executable, "-c", REFRESH], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    began = time.monotonic()
    assert start(20).wait() == 0  # how long a whole refresh in a new process takes on this machine
    whole = time.monotonic() - began
    outcomes = {"old": 0, "new": 0}
    chance = random.Random(20261128)
    for run in range(20):
        child = start(run)
        time.sleep(chance.uniform(0.05, 1.1) * whole)  # from the start-up to just after the commit
        child.send_signal(signal.SIGKILL)
        child.wait()
        found = values(tmp_path / f"run{run}")
        assert found in (old, new), f"run {run}: a mix of old and new values"
        outcomes["old" if found == old else "new"] += 1
    print(f"killed 20 refreshes: {outcomes}")
    assert outcomes["old"] >= 1  # some kills landed before the commit
