"""Shared fixtures: a private XL_TDR_HOME per session (the bundled data alone), private homes per
test, stores written as a refresh writes them, bundled data that end earlier, the real Census
files in ../shared — and, at the end of a run, a loud word when those files were not found."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("XL_TDR_SHARED", ROOT.parent / "shared"))
CENSUS = SHARED / "census"


def require_shared() -> Path:
    """The shared Census folder; skip (or fail, under CI) when it is absent."""
    if not CENSUS.is_dir():
        if os.environ.get("CI") or os.environ.get("XL_TDR_REQUIRE_SHARED"):
            pytest.fail(f"the real Census files are missing: {CENSUS}")
        pytest.skip(f"the real Census files are not here: {CENSUS}")
    return CENSUS


def _use_faces() -> None:
    from xl_tdr import api, udfs

    api.use(), udfs.use()


@pytest.fixture(scope="session")
def bundled_home(tmp_path_factory) -> Path:
    """A data home without a store: every face reads the bundled data alone (treat as read-only)."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(autouse=True)
def _home(bundled_home, monkeypatch):
    """Every test reads the session's data home through fresh services of the faces."""
    monkeypatch.setenv("XL_TDR_HOME", str(bundled_home))
    monkeypatch.delenv("XL_TDR_BUNDLED_DIR", raising=False)
    _use_faces()
    yield
    _use_faces()


@pytest.fixture
def private_home(tmp_path, monkeypatch) -> Path:
    """A writable data home of the test's own, without a store yet."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("XL_TDR_HOME", str(home))
    _use_faces()
    return home


@pytest.fixture
def stored_home(private_home) -> Path:
    """A private home whose store holds 2024 (totals and trade by chapter) as a refresh writes it."""
    from stores import store_year

    store_year(2024)
    _use_faces()
    return private_home


@pytest.fixture
def data_until(tmp_path, monkeypatch):
    """``data_until((2024, 6))``: the bundled data end with that month (later months left out, as
    in an older install); every face, and every process the test starts, reads them."""
    from stores import bundle_until

    def use(month: tuple[int, int], sectors_until: tuple[int, int] | None = None) -> Path:
        folder = bundle_until(tmp_path / f"bundled_{month[0]}_{month[1]}", month, sectors_until)
        monkeypatch.setenv("XL_TDR_BUNDLED_DIR", str(folder))
        _use_faces()
        return folder

    return use


@pytest.fixture(scope="session")
def census() -> Path:
    return require_shared()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say loudly, at the end, when the real Census files were not found (their tests skipped)."""
    if CENSUS.is_dir():
        return
    skipped = len(terminalreporter.stats.get("skipped", []))
    terminalreporter.write_sep("!", "THE REAL CENSUS FILES WERE NOT FOUND", red=True, bold=True)
    terminalreporter.write_line(f"{skipped} tests were skipped: they check xl_tdr against the real Census files, "
                                f"expected in {CENSUS}.")
    terminalreporter.write_line("Point the tests at them with XL_TDR_SHARED=/path/to/shared (the folder that holds "
                                "census/ and census_hs/), or set XL_TDR_REQUIRE_SHARED=1 to make their absence fail.")
