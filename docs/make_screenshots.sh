#!/usr/bin/env bash
# Build the 2025 report in English and Spanish and render every sheet to PNG with LibreOffice.
# Usage: docs/make_screenshots.sh [OUTDIR]   (default: out/screenshots; needs libreoffice-calc-nogui, poppler-utils)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/screenshots}
render=${XLSX_RENDER:-../shared/tools/xlsx_render.sh}
mkdir -p "$out"
for lang in en es; do
  xl-tdr build --year 2025 --lang "$lang" -o "$out/tdr_report_2025_$lang.xlsx"
  bash "$render" "$out/tdr_report_2025_$lang.xlsx" "$out" 90
done
