"""The worksheet functions in xlwings Lite (Excel for Mac, the web and Windows without Python).

Two layers. In CPython: the Lite face itself — the ``main.py`` a user pastes, the data each
function hands a runtime's ``func``/``arg`` decorators, Lite's raising answers, no log file named
in a browser, and the functions without xlwings or pandas. In real Pyodide (marked ``lite`` and
``slow``): xlwings Lite's runtime — Pyodide 314 from npm (``tests/lite/package-lock.json``) under
Node — installs the wheel built from this checkout from local files only, and every Excel-shaped
call of ``tests/lite/cases.py`` answers exactly as in CPython. ``tests/lite/prepare.sh`` fetches
Pyodide and micropip once; without them these tests skip, unless ``XL_TDR_REQUIRE_LITE`` is set
(CI sets it). xlwings' own Lite registration code is not run: it is licensed PolyForm
Noncommercial or commercially, not for this MIT project's tests, so the tests check the
registration data the decorators are given, as xlwings documents them.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xl_tdr import config, udfs
from xl_tdr.labels import INFO

ROOT = Path(__file__).resolve().parents[1]
LITE = ROOT / "tests" / "lite"
MAIN = ROOT / "examples" / "xlwings_lite" / "main.py"


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cases = _load(LITE / "cases.py", "lite_cases")


# -- the Lite face, in CPython ------------------------------------------------------------------
def test_the_lite_main_exposes_every_worksheet_function_and_nothing_else():
    main = _load(MAIN, "lite_main")
    names = [spec.name for spec in udfs.UDFS]
    assert len(names) == 12 and udfs.__all__ == names
    assert all(getattr(main, name) is getattr(udfs, name) for name in names)
    assert {name for name in vars(main) if not name.startswith("__")} == set(names)


def test_each_function_hands_a_runtime_its_description_and_argument_help():
    marks = cases.registration(udfs)
    for spec in udfs.UDFS:
        mark, plain = marks[spec.name], getattr(udfs, spec.name)
        assert mark["func"] == {"category": "xl_tdr"}
        assert mark["doc"] == spec.description == plain.__doc__  # Lite shows the docstring
        assert 20 < len(spec.description) <= 255 and "\n" not in spec.description
        assert mark["signature"] == str(inspect.signature(plain))  # Lite reads the parameters from it
        parameters = list(inspect.signature(plain).parameters)
        assert [name for name, _ in mark["args"]] == parameters == [name for name, _, _ in spec.args]
        for (name, options), (_, help_text, _) in zip(mark["args"], spec.args):
            assert options == {"doc": help_text, "err_to_str": True, **({"ndim": 2} if spec.arrays else {})}
            assert 5 < len(help_text) <= 255
        assert not any(p.annotation is not inspect.Parameter.empty for p in inspect.signature(plain).parameters.values())


def test_in_lite_a_failed_cell_raises_its_reason_and_an_array_keeps_it_as_text():
    answers = cases.registration(udfs)["answers in Lite"]
    assert answers["a number"] == udfs.TDR("Mexico", 2025.0)
    assert answers["an unknown partner"] == {"raised": 'CellReason: unknown partner "Mexco" — did you mean Mexico?'}
    assert answers["an error cell"] == {"raised": "CellReason: the year cell holds #DIV/0!"}
    assert answers["a table that fails"]["raised"].startswith("CellReason: ")
    spilled = answers["a range with a bad cell"]
    assert spilled[:3] == udfs.TDR(cases.PARTNERS, 2025.0)
    assert spilled[3] == ['#N/A unknown partner "Mexco" — did you mean Mexico?']


def test_in_a_browser_an_internal_error_names_no_file(private_home, monkeypatch, caplog):
    from xl_tdr.service import Service

    def broken(*args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(Service, "scalar", broken)
    monkeypatch.setattr(sys, "platform", "emscripten")
    text = udfs.TDR("Mexico", 2025)
    assert text == ("#N/A internal error in xl_tdr (ZeroDivisionError: boom); "
                    "the details are in xlwings Lite's output pane")
    assert "ZeroDivisionError: boom" in caplog.text  # the traceback, on stderr: Lite's output pane
    assert not (config.home() / "xl_tdr.log").exists()


def test_the_functions_work_without_xlwings_and_pandas(tmp_path):
    """A plain install: xlwings and pandas cannot be imported (as in Pyodide)."""
    script = (
        "import sys\n"
        "sys.modules.update(xlwings=None, pandas=None)  # import xlwings / pandas now raises ImportError\n"
        "import json\n"
        "from xl_tdr import udfs\n"
        "print(json.dumps({name: getattr(udfs, name)(*args) for name, args in [\n"
        "    ('TDR', ('Mexico', 2025.0)), ('TDR_TABLE', (2025.0, 3.0)), ('TDR_SECTORS', ('Mexico', 2024.0, 3.0)),\n"
        "    ('TDR_SERIES', ('Mexico', 2024.0, 2025.0)), ('TDR_PARTNERS', ('korea',)), ('TDR_INFO', ())]}))\n")
    env = {**os.environ, "XL_TDR_HOME": os.environ["XL_TDR_HOME"], "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    assert answers["TDR"] == udfs.TDR("Mexico", 2025.0)
    for name, answer in answers.items():
        assert not str(answer).startswith("#N/A"), f"{name} without pandas: {answer}"
    assert answers["TDR_TABLE"] == udfs.TDR_TABLE(2025.0, 3.0)
    assert answers["TDR_SECTORS"] == udfs.TDR_SECTORS("Mexico", 2024.0, 3.0)


# -- the real runtime: Pyodide under Node ---------------------------------------------------------
def _require_lite() -> None:
    """Skip (or fail, where XL_TDR_REQUIRE_LITE is set) without Node, Pyodide or the wheels."""
    missing = [what for what, present in (
        ("node", shutil.which("node")), ("tests/lite/node_modules/pyodide", (LITE / "node_modules" / "pyodide").is_dir()),
        ("tests/lite/wheels (micropip)", any((LITE / "wheels").glob("micropip-*.whl")))) if not present]
    if missing:
        message = f"Pyodide is not set up ({', '.join(missing)} missing): run tests/lite/prepare.sh"
        if os.environ.get("XL_TDR_REQUIRE_LITE"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.slow
def test_the_package_alone_answers_in_a_bare_virtual_environment(tmp_path):
    """``pip install --no-deps`` into a new virtual environment: no xlwings, pandas, openpyxl or
    requests, as in the browser — ``import xl_tdr`` and a TDR work on the standard library alone."""
    wheel_dir, venv = tmp_path / "wheel", tmp_path / "venv"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(wheel_dir)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet",
                                "--no-index", str(next(wheel_dir.glob("xl_tdr-*.whl")))],
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr
    env = {**os.environ, "XL_TDR_HOME": str(tmp_path / "home")}
    env.pop("PYTHONPATH", None)
    probe = ("import sys, xl_tdr; print(xl_tdr.tdr('Mexico', 2025)); "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'openpyxl', 'requests', 'xlwings', 'numpy'}))")
    ran = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    import xl_tdr

    assert ran.stdout.splitlines() == [repr(xl_tdr.tdr("Mexico", 2025)), "[]"]  # (0.5841799303075145 today)
    missing = subprocess.run([str(python), "-c", "import pandas"], capture_output=True, text=True, cwd=tmp_path)
    assert missing.returncode != 0  # (the environment really lacks them)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    """A folder with the wheel built from this checkout and the pure-Python wheels Pyodide needs."""
    _require_lite()
    folder = tmp_path_factory.mktemp("wheels")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(folder)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    for wheel in (LITE / "wheels").glob("*.whl"):
        if not wheel.name.startswith("xl_tdr-"):
            shutil.copy(wheel, folder)
    return folder


@pytest.fixture(scope="module")
def pyodide(wheels) -> dict:
    """One run of tests/lite/driver.py in Pyodide: every case, the registration data, main.py."""
    done = subprocess.run(["node", str(LITE / "run_pyodide.mjs"), str(wheels), str(LITE / "driver.py"),
                           f"cases.py={LITE / 'cases.py'}", f"main.py={MAIN}"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def cpython(bundled_home) -> dict:
    """The same report in CPython, over the store seeded from the same bundled data."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XL_TDR_HOME", str(bundled_home))
        udfs.use()
        return json.loads(json.dumps(cases.report(udfs, _load(MAIN, "lite_main"))))


def _comparable(label: str, answer: object) -> object:
    """TDR_INFO without its store line, which names where each runtime keeps its data."""
    if label.startswith("TDR_INFO") and isinstance(answer, list):
        stores = {words["store"] for words in INFO.values()}
        return [row for row in answer if row[0] not in stores]
    return answer


@pytest.mark.lite
@pytest.mark.slow
def test_the_wheel_carries_every_package_and_the_bundled_data(wheels):
    wheel = next(wheels.glob("xl_tdr-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "xl_tdr").rglob("__init__.py")
                if "workbook_templates" not in p.parts}
    assert {f"{package}/__init__.py" for package in packages} <= names
    assert {f"xl_tdr/_bundled/{p.name}" for p in (ROOT / "xl_tdr" / "_bundled").iterdir()} <= names


@pytest.mark.lite
@pytest.mark.slow
def test_the_wheel_requires_nothing_pyodide_lacks(wheels):
    """micropip installs xl-tdr's requirements from PyPI in Lite: those that apply there (no
    extra; markers evaluated as in Pyodide) must be none — the standard library suffices."""
    from packaging.requirements import Requirement

    pyodide = {"sys_platform": "emscripten", "platform_system": "Emscripten", "platform_machine": "wasm32",
               "os_name": "posix", "python_version": "3.14", "python_full_version": "3.14.2",
               "implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": ""}
    wheel = next(wheels.glob("xl_tdr-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    required = [Requirement(line.split(":", 1)[1].strip()) for line in metadata.splitlines()
                if line.startswith("Requires-Dist:")]
    assert [str(r) for r in required if r.marker is None or r.marker.evaluate(pyodide)] == []


@pytest.mark.lite
@pytest.mark.slow
def test_pyodide_runs_offline_and_imports_only_xl_tdr(pyodide):
    assert pyodide["refused"] == []  # nothing was fetched from a CDN or an index
    assert pyodide["result"]["platform"] == "emscripten" and pyodide["result"]["python"].startswith("3.14.")
    assert pyodide["result"]["modules"] == []  # no third-party module: the standard library and xl_tdr


@pytest.mark.lite
@pytest.mark.slow
@pytest.mark.parametrize("label", [*cases.CASES, "TDR 250x13"])
def test_every_answer_in_pyodide_equals_cpython(pyodide, cpython, label):
    there = pyodide["result"]["answers"][label]
    assert _comparable(label, there) == _comparable(label, cpython["answers"][label])
    assert "internal error" not in json.dumps(there)


@pytest.mark.lite
@pytest.mark.slow
def test_unknown_partner_in_pyodide_gets_its_suggestion(pyodide):
    answers = pyodide["result"]["answers"]
    assert answers["TDR unknown partner"] == '#N/A unknown partner "Mexco" — did you mean Mexico?'
    lite = pyodide["result"]["registration"]["answers in Lite"]
    assert lite["an unknown partner"] == {"raised": 'CellReason: unknown partner "Mexco" — did you mean Mexico?'}


@pytest.mark.lite
@pytest.mark.slow
def test_the_lite_main_and_the_registration_data_in_pyodide(pyodide, cpython):
    result = pyodide["result"]
    assert result["main exposes"] == sorted(spec.name for spec in udfs.UDFS)
    assert result["registration"] == cpython["registration"]
