"""A damaged, unusual or read-only store: one plain sentence (or plain service), never a raw
sqlite3 error, never a wrong number, never a store created by a read."""

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

import xl_tdr
from xl_tdr import api, udfs
from xl_tdr import service as service_module
from xl_tdr.data.store import Store
from xl_tdr.errors import StoreError


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _sql(statement):
    def damage(path):
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA ignore_check_constraints = ON")  # as a damaged or hand-edited file may be
            db.execute(statement)
    return damage


DAMAGE = {
    "truncated": _truncate,
    "zero-length": lambda path: path.write_bytes(b""),
    "random bytes": lambda path: path.write_bytes(os.urandom(50_000)),
    "no schema row": _sql("DELETE FROM meta WHERE key = 'schema'"),
    "malformed schema entry": _sql("UPDATE meta SET value = 'two' WHERE key = 'schema'"),
    "text in a value": _sql("UPDATE obs SET value = 'abc' WHERE code = '2010' AND flow = 'X' AND year = 2024 AND month = 1"),
    "a negative value": _sql("UPDATE obs SET value = -5 WHERE code = '2010' AND flow = 'X' AND year = 2024 AND month = 1"),
    "month 13": _sql("UPDATE obs SET month = 13 WHERE code = '2010' AND flow = 'X' AND year = 2024 AND month = 1"),
    "year 'abc'": _sql("UPDATE obs SET year = 'abc' WHERE code = '2010' AND flow = 'X' AND year = 2024 AND month = 1"),
    "missing table": _sql("DROP TABLE obs"),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_store_is_one_sentence_on_every_face(stored_home, damage, cli):
    path = Store().path
    DAMAGE[damage](path)
    api.use(), udfs.use()
    with pytest.raises(StoreError) as caught:
        xl_tdr.tdr("Mexico", 2024)
    message = str(caught.value)
    assert message.startswith(f"the data store {path} is damaged (") and message.endswith(
        "); move it aside and xl-tdr answers from the bundled data again (the next refresh writes a new store)"), message
    assert "\n" not in message
    cell = udfs.TDR("Mexico", 2024)
    assert cell.startswith("#N/A the data store") and "is damaged" in cell
    result = cli("tdr", "Mexico", "2024", ok=False)
    assert result.returncode == 1 and result.stderr.startswith("error: the data store") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and "sqlite3" not in result.stderr


def test_moving_the_damaged_store_aside_rebuilds_it(stored_home):
    path = Store().path
    path.write_bytes(b"")
    path.rename(path.with_suffix(".damaged"))
    api.use()
    assert round(xl_tdr.tdr("Mexico", 2025), 2) == 0.58


def test_a_malformed_meta_entry_is_damage_not_a_traceback(stored_home, cli):
    with sqlite3.connect(Store().path) as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('refresh:api', '{not json')")
    result = cli("info", ok=False)
    assert result.returncode == 1
    assert "is damaged (the entry 'refresh:api' is not a JSON object)" in result.stderr


def test_a_store_deleted_while_running_is_reported_and_never_recreated_by_a_read(stored_home, monkeypatch):
    store = Store()
    service = api.use()
    assert service.scalar(xl_tdr.metrics.tdr, "Mexico", 2024) > 0
    store.path.unlink()
    store.stamp_path.unlink()
    monkeypatch.setattr(service_module, "STAMP_CHECK_SECONDS", 0.0)
    with pytest.raises(StoreError, match="is missing .* run the command again to rebuild it"):
        service.scalar(xl_tdr.metrics.tdr, "Mexico", 2023)
    assert not store.path.exists()  # no 0-byte store left behind
    assert api.use().scalar(xl_tdr.metrics.tdr, "Mexico", 2023) > 0  # a new run: the bundled data
    assert not store.path.exists()


def _read_only_run(home, code):
    """Run ``code`` with XL_TDR_HOME on a read-only bind mount of ``home`` (even root cannot
    write there), in a private mount namespace."""
    if not shutil.which("unshare"):
        pytest.skip("unshare is not installed")
    script = (f"mount --bind {home} {home} && mount -o remount,bind,ro {home} && "
              f"touch {home}/probe 2>/dev/null && echo WRITABLE; "
              f"exec {sys.executable} -c \"$CODE\"")
    env = {**os.environ, "XL_TDR_HOME": str(home), "CODE": code}
    result = subprocess.run(["unshare", "--mount", "sh", "-c", script], capture_output=True, text=True, env=env)
    if "Operation not permitted" in result.stderr and "mount" in result.stderr:
        pytest.skip("this machine does not allow a private read-only mount")
    assert "WRITABLE" not in result.stdout
    return result


def test_a_read_only_data_folder_serves_reads(stored_home, tmp_path):
    home = tmp_path / "ro"
    home.mkdir()
    for name in ("store.sqlite", "store.stamp"):
        shutil.copy2(stored_home / name, home / name)
    code = ("import xl_tdr; from xl_tdr.refresh import refresh\n"
            "print(round(xl_tdr.tdr('Mexico', 2025), 2), round(xl_tdr.tdr('Mexico', 2024, sector=87), 2),"
            " round(xl_tdr.gl('Canada', 2024, sector=87), 2), len(xl_tdr.sectors('China', 2024)))\n"
            "from xl_tdr import udfs; print(udfs.TDR('Canada', 2025))\n"
            "try:\n    refresh('bulk')\nexcept xl_tdr.XlTdrError as e:\n    print('refused:', e)")
    result = _read_only_run(home, code)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "0.58 3.72 0.94 10"
    assert lines[1].startswith("0.1")
    assert lines[2].startswith("refused: cannot take the refresh lock") and "read-only" in lines[2].lower(), lines[2]
    assert sorted(p.name for p in home.iterdir()) == ["store.sqlite", "store.stamp"]


def test_a_lock_path_that_is_a_folder_is_one_sentence(private_home):
    from xl_tdr.refresh import refresh

    Store().path.with_suffix(".lock").mkdir()
    with pytest.raises(StoreError, match=r"^cannot take the refresh lock .*store\.lock: Is a directory$"):
        refresh("bulk")


def test_a_damaged_store_is_not_said_of_a_partner(stored_home):
    """Tables ask through a query first: the store's sentence stays the store's, not "Mexico: …"."""
    Store().path.write_bytes(b"not a database" * 100)
    api.use()
    for call in (lambda: xl_tdr.series("Mexico", 2020, 2024), lambda: xl_tdr.sectors("Mexico", 2024)):
        with pytest.raises(StoreError) as caught:
            call()
        assert str(caught.value).startswith("the data store "), str(caught.value)
