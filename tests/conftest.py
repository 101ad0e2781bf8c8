"""Shared fixtures: a private XL_TDR_HOME per session, the real Census files in ../shared."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("XL_TDR_SHARED", ROOT.parent / "shared"))
CENSUS = SHARED / "census"


MISSING_SHARED = "the real Census files are not here"


def require_shared() -> Path:
    """The shared Census folder; skip (or fail, under CI) when it is absent."""
    if not CENSUS.is_dir():
        if os.environ.get("CI") or os.environ.get("XL_TDR_REQUIRE_SHARED"):
            pytest.fail(f"the real Census files are missing: {CENSUS}")
        pytest.skip(f"{MISSING_SHARED}: {CENSUS}")
    return CENSUS


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """A run that skipped tests for want of the real Census files ends saying so, loudly, with
    how to point at them — not a quiet green (after the short summary, before the counts)."""
    yield
    skipped = [report for report in terminalreporter.stats.get("skipped", [])
               if MISSING_SHARED in str(report.longrepr)]
    if not skipped:
        return
    write = terminalreporter.write_line
    terminalreporter.section("the real Census files are missing", sep="!", red=True, bold=True)
    count = f"{len(skipped)} test{'s' if len(skipped) != 1 else ''}"
    write(f"{count} skipped: no Census files in {CENSUS}.", red=True, bold=True)
    write("They are not in the repository: they live in the project's shared folder (census/, census_hs/,")
    write("tools/), by default ../shared beside the checkout. Point at it and run again:", red=True)
    write("    XL_TDR_SHARED=/path/to/shared python -m pytest", bold=True)
    write("XL_TDR_REQUIRE_SHARED=1 makes these tests fail instead of skipping (CI sets it).")


@pytest.fixture(scope="session")
def seeded_home(tmp_path_factory) -> Path:
    """A data home seeded once from the bundled snapshot (treat as read-only)."""
    home = tmp_path_factory.mktemp("home")
    from xl_tdr.data.store import Store

    Store(home / "store.sqlite").ensure().ensure_sectors()
    return home


@pytest.fixture(autouse=True)
def _home(seeded_home, monkeypatch):
    """Every test reads the session's seeded store through a fresh API service."""
    monkeypatch.setenv("XL_TDR_HOME", str(seeded_home))
    from xl_tdr import api, udfs

    api.use(), udfs.use()
    yield
    api.use(), udfs.use()


@pytest.fixture
def private_home(tmp_path, seeded_home, monkeypatch) -> Path:
    """A writable copy of the seeded store, for tests that change it."""
    home = tmp_path / "home"
    shutil.copytree(seeded_home, home)
    monkeypatch.setenv("XL_TDR_HOME", str(home))
    from xl_tdr import api, udfs

    api.use(), udfs.use()
    return home


@pytest.fixture(scope="session")
def census() -> Path:
    return require_shared()
