"""Refreshes killed with SIGKILL at random points: the store is intact and holds either the old
values or the new ones, never a mix."""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date

from test_refresh import census_env, drop_after, server  # noqa: F401 — fixtures
from test_store import content_hash

from xl_tdr.data.store import Store
from xl_tdr.refresh import refresh

REFRESH = "from datetime import date; from xl_tdr.refresh import refresh; refresh('api', today=date(2025, 3, 1))"


def values(store: Store) -> str:
    """The data (values and history), without the meta entries a finished refresh adds."""
    import hashlib

    digest = hashlib.sha256()
    with sqlite3.connect(store.path) as db:
        for table in ("obs", "obs_history", "sector_obs", "sector_history"):
            for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def test_twenty_refreshes_killed_at_random_points(census_env, private_home, tmp_path):
    store = Store()
    drop_after(store, 2024, 6)  # the refresh has six months to add
    census_env.replay.delay = 0.05  # each answer takes a moment: kills land before, during and after
    base = tmp_path / "base"
    shutil.copytree(private_home, base)
    finished = tmp_path / "finished"
    shutil.copytree(base, finished)
    old = values(Store(base / "store.sqlite"))
    os.environ["XL_TDR_HOME"] = str(finished)
    refresh("api", today=date(2025, 3, 1))
    new = values(Store(finished / "store.sqlite"))
    assert new != old
    outcomes = {"old": 0, "new": 0}
    chance = random.Random(20261128)
    for run in range(20):
        home = tmp_path / f"run{run}"
        shutil.copytree(base, home)
        env = {**os.environ, "XL_TDR_HOME": str(home)}
        child = subprocess.Popen([sys.executable, "-c", REFRESH], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.2, 2.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        path = home / "store.sqlite"
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",), f"run {run}"
        found = values(Store(path))
        assert found in (old, new), f"run {run}: a mix of old and new values"
        outcomes["old" if found == old else "new"] += 1
    print(f"killed 20 refreshes: {outcomes}")
    assert outcomes["old"] >= 1  # some kills landed before the commit
