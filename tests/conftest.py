"""Shared fixtures: a private XL_TDR_HOME per session (the bundled data alone), private homes per
test, stores written as a refresh writes them, bundled data that end earlier, the real Census
files in ../shared — and, at the end of a run, a loud word when those files were not found."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

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


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys):
    """``cli("tdr", "Mexico", 2025)``: the ``xl-tdr`` command run in this process, as
    (returncode, stdout, stderr); ``ok`` says whether it must succeed."""
    from xl_tdr.cli import main

    def run(*args, ok: bool | None = True) -> Ran:
        capsys.readouterr()
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exit_:
            code = exit_.code
        out, err = capsys.readouterr()
        if ok is not None:
            assert (code == 0) == ok, err
        return Ran(code or 0, out, err)

    return run


@pytest.fixture(scope="session")
def built_report(tmp_path_factory, bundled_home):
    """``built_report(year=2025, lang="es")``: a report of the bundled data with these options,
    built once per worker and shared — read it, never change it (copy it first)."""
    from xl_tdr.data.store import Store
    from xl_tdr.report import build_report
    from xl_tdr.service import Service

    folder, made, service = tmp_path_factory.mktemp("reports"), {}, Service(Store(bundled_home / "store.sqlite"))

    def build(**options) -> Path:
        key = tuple(sorted(options.items()))
        if key not in made:
            made[key] = build_report(folder / f"report_{len(made)}.xlsx", service=service, **options)
        return made[key]

    return build


@pytest.fixture(scope="session")
def stored_template(tmp_path_factory) -> Path:
    """A store that holds 2024 (totals and trade by chapter) as a refresh writes it, made once."""
    from stores import store_year

    from xl_tdr.data.store import Store

    folder = tmp_path_factory.mktemp("stored")
    store_year(2024, Store(folder / "store.sqlite"))
    return folder


@pytest.fixture
def stored_home(private_home, stored_template) -> Path:
    """A private home whose store holds 2024 (totals and trade by chapter) as a refresh writes it."""
    import shutil

    for path in stored_template.iterdir():
        shutil.copy2(path, private_home / path.name)
    _use_faces()
    return private_home


@pytest.fixture
def data_until(tmp_path, monkeypatch):
    """``data_until((2024, 6))``: the data end with that month — the bundled data without the later
    months (as in an older install) and no store yet; every face, and every process the test
    starts, reads them."""
    from stores import bundle_until

    def use(month: tuple[int, int], sectors_until: tuple[int, int] | None = None) -> Path:
        folder = bundle_until(tmp_path / f"bundled_{month[0]}_{month[1]}", month, sectors_until)
        home = Path(os.environ["XL_TDR_HOME"])
        for path in home.glob("store.*"):
            path.unlink()
        monkeypatch.setenv("XL_TDR_BUNDLED_DIR", str(folder))
        _use_faces()
        return folder

    return use


@pytest.fixture(scope="session")
def census() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def server(census):
    """The loopback Census (API and bulk file) on 127.0.0.1, one for the session."""
    from census_server import Server

    running = Server(census).start()
    yield running
    running.stop()


@pytest.fixture
def census_env(server, stored_home, monkeypatch):
    """A private data home (its store holding 2024, as a refresh wrote it) and a Census that
    answers on 127.0.0.1, with the test key configured."""
    from census_server import KEY

    server.replay.reset()
    monkeypatch.setenv("XL_TDR_CENSUS_API_URL", server.api_url)
    monkeypatch.setenv("XL_TDR_CENSUS_BULK_URL", server.bulk_url)
    monkeypatch.setenv("XL_TDR_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("XL_TDR_HTTP_TIMEOUT", "10")
    monkeypatch.setenv("XL_TDR_HTTP_RETRIES", "2")
    monkeypatch.setenv("CENSUS_API_KEY", KEY)
    return server


LIBREOFFICE_CALLS = ("soffice(", "recalc(", "recalc_all(", "render(", "render_all(", "convert(", "printed(", "printed_all(")


def pytest_configure(config):
    """One folder of LibreOffice conversions for the whole run, its workers included
    (``tests/spreadsheet.py``): the same workbook is recomputed or rendered once."""
    if "XL_TDR_LO_CACHE" not in os.environ:
        import tempfile

        os.environ["XL_TDR_LO_CACHE"] = config._xl_tdr_lo_cache = tempfile.mkdtemp(prefix="xl_tdr_lo_cache_")


def pytest_unconfigure(config):
    made = getattr(config, "_xl_tdr_lo_cache", None)
    if made:
        import shutil

        shutil.rmtree(made, ignore_errors=True)
        os.environ.pop("XL_TDR_LO_CACHE", None)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark every test that talks to the loopback Census (``server``), every one that runs
    LibreOffice (``libreoffice``) and every property test (hypothesis, ``slow``: a thousand cases
    each), from what it uses: the markers cannot fall behind the tests; every other test is ``fast``.
    The tests of a module with a module-wide fixture (a set of reports, recomputed) stay on one
    worker (``--dist loadgroup``), so that fixture is made once; those recomputing reports in
    LibreOffice share one worker."""
    import inspect

    runs: dict = {}  # function → whether its source runs LibreOffice (read once per function)

    def runs_libreoffice(function) -> bool:
        if function not in runs:
            runs[function] = any(call in inspect.getsource(function) for call in LIBREOFFICE_CALLS)
        return runs[function]

    for item in items:
        names = getattr(item, "fixturenames", ())
        if "server" in names:
            item.add_marker(pytest.mark.server)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)
        defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        functions = [item.function] + [d[-1].func for name, d in defs.items() if name in names and d]
        libreoffice = any(map(runs_libreoffice, functions))
        if libreoffice:
            item.add_marker(pytest.mark.libreoffice)
        if not any(map(item.get_closest_marker, ("slow", "server", "libreoffice"))):
            item.add_marker(pytest.mark.fast)
        if any(d and d[-1].scope == "module" for d in defs.values()):  # its costly fixture made once; the
            # modules recomputing reports share a worker, so a report is recomputed once (spreadsheet.py)
            item.add_marker(pytest.mark.xdist_group("libreoffice" if libreoffice else item.module.__name__))


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
