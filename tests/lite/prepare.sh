#!/usr/bin/env bash
# Everything tests/test_lite.py and benchmarks/bench_lite.py need, fetched once from the package
# registries: Pyodide (the npm package pinned by package-lock.json) and the pure-Python wheels of
# wheels.txt. The tests then run offline: nothing is fetched from a CDN at run time.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
python -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.14 --dest wheels -r wheels.txt
