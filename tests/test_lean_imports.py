"""A number, a short table or an error loads only what it needs: pandas, numpy, openpyxl, the HTTP
stack, the plotting library, xlwings and Babel stay out of a fresh process that answers one (each
costs a noticeable part of a second before the first answer)."""

import json
import subprocess
import sys

HEAVY = ("pandas", "numpy", "openpyxl", "requests", "urllib3", "matplotlib", "xlwings", "lxml", "babel")

LEAN_COMMANDS = [
    ["tdr", "Mexico", "2025"], ["tdr", "Mexico", "2024", "--sector", "87"], ["gl", "USMCA", "2024"],
    ["tdr", "Mexco", "2025"], ["tdr", "Mexico", "2024", "-p", "Q5"], ["table", "2025"],
    ["table", "2024", "-f", "json"], ["series", "Mexico", "2020", "2024", "-f", "csv"],
    ["sectors", "Mexico", "2024", "-n", "3"], ["partners", "korea"], ["chapters", "autos"], ["info"],
    ["revisions", "Mexico", "2024"],
]

PROBE = """
import contextlib, io, json, sys
HEAVY = set(json.loads(sys.argv[1]))
loaded = lambda: sorted({name.split(".")[0] for name, module in sys.modules.items() if module} & HEAVY)
found = {}
from xl_tdr.cli import main
for argv in json.loads(sys.argv[2]):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    found[" ".join(argv)] = [code, loaded()]
import xl_tdr
found["xl_tdr.tdr"] = [round(xl_tdr.tdr("Mexico", 2025, sector=None), 2), loaded()]
sys.modules["xlwings"] = None  # (xlwings itself loads pandas and matplotlib: a plain install here)
import xl_tdr.udfs
found["=TDR"] = [xl_tdr.udfs.TDR([["Mexico"], ["Canada"]], 2025)[1][0] > 0, loaded()]
print(json.dumps(found))
"""


def test_answers_load_no_heavy_library():
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(HEAVY), json.dumps(LEAN_COMMANDS)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["tdr Mexico 2025"][0] == 0 and found["tdr Mexco 2025"][0] == 1
    assert found["xl_tdr.tdr"][0] == 0.58 and found["=TDR"][0] is True
    heavy = {what: modules for what, (_, modules) in found.items() if modules}
    assert not heavy, f"loaded for a lean answer: {heavy}"


def test_the_probe_sees_a_heavy_import():
    """The check above can fail: a table as a DataFrame does load pandas."""
    probe = PROBE.replace("import xl_tdr\n", "import xl_tdr; xl_tdr.table(2025)\n")
    result = subprocess.run([sys.executable, "-c", probe, json.dumps(HEAVY), json.dumps([["info"]])],
                            capture_output=True, text=True, timeout=120)
    assert "pandas" in json.loads(result.stdout)["xl_tdr.tdr"][1]


def test_a_desktop_install_brings_lxml():
    """openpyxl writes the report through lxml when it is installed (a default build is about a
    tenth faster); the worksheet functions in the browser need nothing but the standard library."""
    from importlib.metadata import requires

    from packaging.requirements import Requirement

    needed = {r.name: r for r in map(Requirement, requires("xl-tdr")) if "extra" not in str(r.marker)}
    assert needed["lxml"].marker.evaluate({"sys_platform": "linux", "extra": ""})
    assert not needed["lxml"].marker.evaluate({"sys_platform": "emscripten", "extra": ""})
