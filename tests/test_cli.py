import json
import subprocess
import sys

import pytest


def run(*args, ok=True):
    result = subprocess.run([sys.executable, "-m", "xl_tdr", *args], capture_output=True, text=True)
    assert (result.returncode == 0) == ok, result.stderr
    return result


def test_table_2025_top5_text():
    out = run("table", "2025", "--top", "5").stdout.splitlines()
    assert out[0].split()[:2] == ["#", "Partner"]
    rows = [line.split() for line in out[1:]]
    assert [r[1] for r in rows] == ["Mexico", "Canada", "China", "Taiwan", "Germany"]
    assert [r[5] for r in rows] == ["0.58", "0.14", "1.91", "2.68", "0.88"]


def test_table_spanish_and_machine_formats():
    out = run("table", "2025", "--lang", "es").stdout
    assert "México" in out and "RDC" in out and "moderado" in out
    records = json.loads(run("table", "2025", "--top", "7", "--format", "json").stdout)
    assert [r["partner"] for r in records][5:] == ["Japan", "Vietnam"]
    csv_lines = run("table", "2024", "-n", "2", "-f", "csv", "--period", "Q1").stdout.splitlines()
    assert csv_lines[0].startswith("rank,code,partner") and len(csv_lines) == 3


def test_tdr_prints_the_number():
    import xl_tdr

    assert float(run("tdr", "Mexico", "2024").stdout) == xl_tdr.tdr("Mexico", 2024)
    assert float(run("tdr", "USMCA", "2024", "--period", "Q1").stdout) == xl_tdr.tdr("USMCA", 2024, "Q1")


def test_series_partners_info():
    out = run("series", "Mexico", "2022", "2024", "-f", "csv").stdout.splitlines()
    assert out[0] == "year,exports,imports,deficit,tdr" and len(out) == 4
    assert "South Korea" in run("partners", "korea").stdout
    info = run("info").stdout
    assert "latest month:     2025-12" in info and "Census bulk file country.xlsx" in info


@pytest.mark.parametrize("args, message", [
    (("tdr", "Mexco", "2025"), 'error: unknown partner "Mexco" — did you mean Mexico?'),
    (("tdr", "Mexico", "2025", "--period", "Q1"), "error: Mexico: 2025 has only annual totals"),
    (("tdr", "Mexico", "20x5"), 'error: Mexico: "20x5" is not a year'),
    (("table", "2025", "--top", "0"), "error: top must be at least 1"),
    (("partners", "zzzz"), 'error: no partner matches "zzzz"'),
    (("series", "Mexico", "2024", "2020"), "error: the series starts after it ends"),
])
def test_errors_are_one_line_and_exit_1(args, message):
    result = run(*args, ok=False)
    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_help_everywhere():
    for command in ("tdr", "table", "series", "partners", "info", "snapshot"):
        assert "usage: xl-tdr" in run(command, "--help").stdout
