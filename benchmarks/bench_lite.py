"""The worksheet functions in xlwings Lite's runtime: Pyodide 314 under Node, offline.

For each kind of call — a total (=TDR("Mexico", 2025)), a sector value (=TDR("Mexico", 2024, ,
87)) and a 250 partners × 13 years array — a fresh Pyodide imports xl_tdr.udfs (what the Lite
main.py does), makes the first call, then warm calls; medians over several fresh interpreters.
Pyodide's own start is excluded (printed apart). Also the size of the wheel Lite downloads.

Run: bash tests/lite/prepare.sh   (once: Pyodide and micropip)
     python benchmarks/bench_lite.py [--runs 5] [--data-home]
--data-home sets XL_TDR_HOME inside Pyodide, for the store that writes a SQLite file (in
Pyodide's memory), where the in-memory store is not there to choose itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LITE = ROOT / "tests" / "lite"
KINDS = {"totals": 'first =TDR("Mexico", 2025)', "sector": 'first =TDR("Mexico", 2024, , 87)',
         "array": "first =TDR(250 partners, 13 years)"}


def build_wheels(folder: Path) -> Path:
    """The wheel of this checkout, beside the pure-Python wheels Pyodide needs."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(folder)],
                   check=True)
    for wheel in (LITE / "wheels").glob("*.whl"):
        if not wheel.name.startswith("xl_tdr-"):
            shutil.copy(wheel, folder)
    return next(folder.glob("xl_tdr-*.whl"))


def partner_codes() -> list[str]:
    """250 Census codes, in the registry's order."""
    from xl_tdr.reference.partners import registry

    return [partner.code for partner in registry().by_code.values()][:250]


def time_once(wheels: Path, kind: str, home: bool, scratch: Path) -> dict:
    config = scratch / "config.json"
    config.write_text(json.dumps({"kind": kind, "partners": partner_codes(), "home": "/tmp/xl_tdr" if home else None}))
    done = subprocess.run(["node", str(LITE / "run_pyodide.mjs"), str(wheels), str(ROOT / "benchmarks" / "lite_timing.py"),
                           f"config.json={config}"], capture_output=True, text=True, timeout=600)
    if done.returncode:
        sys.exit(f"Pyodide failed:\n{done.stderr[-2000:]}")
    outcome = json.loads(done.stdout.splitlines()[-1])
    return {**outcome["result"], "startup": outcome["startup"], "refused": outcome["refused"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh Pyodide interpreters per kind of call")
    parser.add_argument("--data-home", action="store_true", help="set XL_TDR_HOME inside Pyodide")
    options = parser.parse_args()
    if not (LITE / "node_modules" / "pyodide").is_dir() or not shutil.which("node"):
        sys.exit("Pyodide is not set up: run bash tests/lite/prepare.sh")
    with tempfile.TemporaryDirectory(prefix="xl_tdr_bench_lite_") as scratch:
        scratch = Path(scratch)
        (scratch / "wheels").mkdir()
        wheel = build_wheels(scratch / "wheels")
        print(f"wheel {wheel.name}: {wheel.stat().st_size / 1e6:.2f} MB")
        print(f"machine load (1 min) before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
              f"medians of {options.runs} fresh Pyodide interpreters each")
        startups = []
        for kind, label in KINDS.items():
            runs = [time_once(scratch / "wheels", kind, options.data_home, scratch) for _ in range(options.runs)]
            startups += [run["startup"] for run in runs]
            failed = next((run["failed"][0] for run in runs if run["failed"]), None)
            unit, scale = ("ms", 1e3) if kind == "array" else ("µs", 1e6)
            if failed:
                print(f"{label}: FAILED — {failed}")
                continue
            print(f"{label}: {statistics.median(r['first'] for r in runs):.3f} s; "
                  f"warm {statistics.median(r['warm'] for r in runs) * scale:.2f} {unit} per call; "
                  f"import xl_tdr.udfs {statistics.median(r['import'] for r in runs):.3f} s")
            if any(run["refused"] for run in runs):
                print(f"  fetches refused (offline): {runs[0]['refused']}")
        print(f"Pyodide start (excluded above): {statistics.median(startups):.2f} s")


if __name__ == "__main__":
    main()
