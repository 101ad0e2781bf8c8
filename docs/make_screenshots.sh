#!/usr/bin/env bash
# Build the reports a reviewer looks at and render every sheet to PNG with LibreOffice: the 2025
# report in English and Spanish, a surplus set, the top 10 of 2024 (an outlier capped), one
# partner, and North Korea on Partner focus (years without a TDR); then the English report as
# printed (its page setup), with the page count.
# Usage: docs/make_screenshots.sh [OUTDIR]   (default: out/screenshots; needs libreoffice-calc-nogui, poppler-utils)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/screenshots}
render=${XLSX_RENDER:-../shared/tools/xlsx_render.sh}
xl_tdr=${XL_TDR:-xl-tdr}
mkdir -p "$out"
build() { name=$1; shift; $xl_tdr build "$@" -o "$out/$name.xlsx"; bash "$render" "$out/$name.xlsx" "$out" 90; }
build tdr_report_2025_en --year 2025 --lang en
build tdr_report_2025_es --year 2025 --lang es
build surplus_2024 --year 2024 --partners "Netherlands,Australia,Mexico,China"
build top10_2024 --year 2024 --top 10
build one_partner_2025 --year 2025 --partners Mexico
build north_korea_2025 --year 2025 --partners "North Korea"
mkdir -p "$out/printed"
XLSX_RENDER_MODE=print bash "$render" "$out/tdr_report_2025_en.xlsx" "$out/printed" 60 > /dev/null
echo "printed: $(pdfinfo "$out/printed/tdr_report_2025_en.pdf" | awk '/^Pages/ {print $2}') pages (the report sheets first, then the data sheets)"
