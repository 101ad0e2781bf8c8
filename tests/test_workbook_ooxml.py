"""Every report package validates against the Office schemas (ECMA-376 / ISO 29500-4) and passes
the Excel repair-trigger checks of ../shared/tools/ooxml — a file LibreOffice opens can still make
Excel offer a repair."""

import subprocess
import sys

import pytest
from conftest import SHARED, require_shared

from xl_tdr.report import build_report

pytestmark = pytest.mark.slow  # a schema validator over every part

TOOLS = SHARED / "tools" / "ooxml"


@pytest.fixture(scope="module")
def reports(tmp_path_factory, built_report):
    require_shared()
    folder = tmp_path_factory.mktemp("ooxml")
    custom = folder / "ours.toml"
    custom.write_text('lang = "es"\nsheets = ["dashboard", "sectors", "about"]\n[text]\n'
                      'title = "Nuestra vista del RDC, {year} — «T-MEC» & <socios>"\n'
                      '[style]\ndeficit_color = "7B3294"\n', encoding="utf-8")
    return [built_report(year=2025), built_report(year=2025, lang="es"),
            built_report(year=2024, partners="Netherlands,Australia,Mexico,USMCA"),
            built_report(year=2024, all_months=True, first_year=2022),
            build_report(folder / "custom.xlsx", year=2025, template=str(custom)),
            built_report(year=2025, top=1),
            built_report(year=2024, top=10),  # a capped outlier named in a legend
            built_report(year=2025, partners="North Korea")]  # #N/A chart points


@pytest.mark.parametrize("tool", ["validate.py", "checks.py"])
def test_reports_are_valid_office_packages(reports, tool):
    result = subprocess.run([sys.executable, str(TOOLS / tool), *map(str, reports)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 schema error(s)" in result.stdout or "0 problem(s)" in result.stdout
    assert result.stdout.count("== ") == len(reports)  # every package was looked at
