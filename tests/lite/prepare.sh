#!/usr/bin/env bash
# Everything tests/test_lite.py and benchmarks/bench_lite.py need, fetched once from the package
# registries: Node.js (Debian's, only where there is none: a Node from NodeSource brings its own
# npm, and Debian's npm conflicts with it), Pyodide (the npm package pinned by package-lock.json)
# and the pure-Python wheels of wheels.txt. The tests then run offline: nothing is fetched from a
# CDN at run time.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  S=$([ "$(id -u)" = 0 ] || echo sudo)
  $S apt-get install -y -q --no-install-recommends nodejs npm >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
python -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.14 --dest wheels -r wheels.txt
