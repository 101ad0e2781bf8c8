# Run by run_pyodide.mjs inside Pyodide, with cases.py and the Lite main.py beside it in
# /home/pyodide: imports main.py as xlwings Lite would, then reports every case (cases.py).
import json
import sys

import cases  # noqa: E402 — Pyodide's working folder is on sys.path
import main  # examples/xlwings_lite/main.py, as a Lite user pastes it

from xl_tdr import udfs

outcome = cases.report(udfs, main)
# modules beyond the standard library, xl_tdr and Pyodide's own (there must be none: no pandas...)
third_party = {name.split(".")[0] for name in sys.modules} - set(sys.stdlib_module_names)
outcome["modules"] = sorted(name for name in third_party - {
    "__main__", "cases", "main", "xl_tdr", "micropip", "pyodide", "_pyodide", "pyodide_js", "js", "_pyodide_core"}
    if not name.startswith("_sysconfigdata"))
RESULT = json.dumps(outcome)
