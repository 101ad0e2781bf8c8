#!/usr/bin/env bash
# Build the 2025 report in English and Spanish and render every sheet to PNG with LibreOffice.
# Usage: docs/make_screenshots.sh [OUTDIR]   (default: out/screenshots in the checkout)
# Needs: xl-tdr (the README's first command makes .venv/bin/xl-tdr; else the one on the PATH),
# libreoffice-calc-nogui and poppler-utils, and the renderer tools/xlsx_render.sh of the
# project's shared folder: $XL_TDR_SHARED, else ../shared beside the checkout (or XLSX_RENDER=path).
set -euo pipefail
here=$(pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$here/$1" ;; esac; }

out=$(absolute "${1:-$root/out/screenshots}")
shared=$(absolute "${XL_TDR_SHARED:-$root/../shared}")
render=$(absolute "${XLSX_RENDER:-$shared/tools/xlsx_render.sh}")
if [ ! -f "$render" ]; then
  echo "make_screenshots: the renderer $render is missing: it is in the project's shared folder" \
       "(tools/xlsx_render.sh), not in the repository — set XL_TDR_SHARED to that folder" \
       "(or XLSX_RENDER to the script)" >&2
  exit 1
fi
if [ -x "$root/.venv/bin/xl-tdr" ]; then
  xl_tdr=("$root/.venv/bin/xl-tdr")
elif command -v xl-tdr >/dev/null; then
  xl_tdr=(xl-tdr)
else
  echo "make_screenshots: xl-tdr is not installed: run the README's first command (or activate .venv)" >&2
  exit 1
fi

mkdir -p "$out"
for lang in en es; do
  "${xl_tdr[@]}" build --year 2025 --lang "$lang" -o "$out/tdr_report_2025_$lang.xlsx"
  bash "$render" "$out/tdr_report_2025_$lang.xlsx" "$out" 90
done
