#!/usr/bin/env bash
# Build the reports a reviewer looks at and render every sheet to PNG with LibreOffice: the 2025
# report in English and Spanish, a surplus set, the top 10 of 2024 (an outlier capped), one
# partner, and North Korea on Partner focus (years without a TDR); then the English report as
# printed (its page setup), with the page count.
# Usage: docs/make_screenshots.sh [OUTDIR]   (default: out/screenshots in the checkout)
# Needs: xl-tdr (the README's first command makes .venv/bin/xl-tdr; else XL_TDR, else the one on
# the PATH), libreoffice-calc-nogui and poppler-utils, and the renderer tools/xlsx_render.sh of the
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
if [ -n "${XL_TDR:-}" ]; then
  read -r -a xl_tdr <<< "$XL_TDR"
elif [ -x "$root/.venv/bin/xl-tdr" ]; then
  xl_tdr=("$root/.venv/bin/xl-tdr")
elif command -v xl-tdr >/dev/null; then
  xl_tdr=(xl-tdr)
else
  echo "make_screenshots: xl-tdr is not installed: run the README's first command (or activate .venv)" >&2
  exit 1
fi

mkdir -p "$out"
build() { name=$1; shift; "${xl_tdr[@]}" build "$@" -o "$out/$name.xlsx"; bash "$render" "$out/$name.xlsx" "$out" 90; }
build tdr_report_2025_en --year 2025 --lang en
build tdr_report_2025_es --year 2025 --lang es
build surplus_2024 --year 2024 --partners "Netherlands,Australia,Mexico,China"
build top10_2024 --year 2024 --top 10
build one_partner_2025 --year 2025 --partners Mexico
build north_korea_2025 --year 2025 --partners "North Korea"
mkdir -p "$out/printed"
XLSX_RENDER_MODE=print bash "$render" "$out/tdr_report_2025_en.xlsx" "$out/printed" 60 > /dev/null
echo "printed: $(pdfinfo "$out/printed/tdr_report_2025_en.pdf" | awk '/^Pages/ {print $2}') pages (the report sheets first, then the data sheets)"
