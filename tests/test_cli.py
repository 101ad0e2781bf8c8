"""The ``xl-tdr`` command, run in this process (the ``cli`` fixture); one test starts it as
``python -m xl_tdr`` to check the entry point itself."""

import json
import subprocess
import sys

import pytest


def test_python_dash_m_runs_the_command():
    result = subprocess.run([sys.executable, "-m", "xl_tdr", "tdr", "Mexco", "2025"], capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == 'error: unknown partner "Mexco" — did you mean Mexico?\n'


def test_table_2025_top5_text(cli):
    out = cli("table", "2025", "--top", "5").stdout.splitlines()
    assert out[0].split()[:2] == ["#", "Partner"]
    rows = [line.split() for line in out[1:]]
    assert [r[1] for r in rows] == ["Mexico", "Canada", "China", "Taiwan", "Germany"]
    assert [r[5] for r in rows] == ["0.58", "0.14", "1.91", "2.68", "0.88"]


def test_table_spanish_and_machine_formats(cli):
    out = cli("table", "2025", "--lang", "es").stdout
    assert "México" in out and "RDC" in out and "moderado" in out
    records = json.loads(cli("table", "2025", "--top", "7", "--format", "json").stdout)
    assert [r["partner"] for r in records][5:] == ["Japan", "Vietnam"]
    csv_lines = cli("table", "2024", "-n", "2", "-f", "csv", "--period", "Q1").stdout.splitlines()
    assert csv_lines[0].startswith("rank,code,partner") and len(csv_lines) == 3


def test_tdr_prints_the_number(cli):
    import xl_tdr

    assert float(cli("tdr", "Mexico", "2024").stdout) == xl_tdr.tdr("Mexico", 2024)
    assert float(cli("tdr", "USMCA", "2024", "--period", "Q1").stdout) == xl_tdr.tdr("USMCA", 2024, "Q1")


def test_series_partners_info(cli):
    out = cli("series", "Mexico", "2022", "2024", "-f", "csv").stdout.splitlines()
    assert out[0] == "partner,partner_es,code,year,exports,imports,deficit,tdr,note" and len(out) == 4
    assert "South Korea" in cli("partners", "korea").stdout
    info = cli("info").stdout
    assert "Latest month:              2025-12" in info and "Census bulk file country.xlsx" in info


@pytest.mark.parametrize("args, message", [
    (("tdr", "Mexco", "2025"), 'error: unknown partner "Mexco" — did you mean Mexico?'),
    (("tdr", "Mexico", "2025", "--period", "Q1"), "error: Mexico: 2025 has only annual totals"),
    (("tdr", "Mexico", "20x5"), 'error: Mexico: "20x5" is not a year'),
    (("table", "2025", "--top", "0"), "error: top must be at least 1"),
    (("partners", "zzzz"), 'error: no partner matches "zzzz"'),
    (("series", "Mexico", "2024", "2020"), "error: the series starts after it ends"),
    (("tdr", "Mexico", "2024", "--sector", "77"), "error: Mexico: HS chapter 77 does not exist"),
    (("tdr", "Mexico", "2022", "--sector", "87"), "error: Mexico, HS 87: sector data cover 2023–2024; "
                                                  "`xl-tdr refresh --sectors` brings more"),
    (("tdr", "Mexico", "2024", "-p", "Q1", "-s", "87"), "error: Mexico, HS 87: 2024 exports by HS chapter are annual"),
    (("gl", "Mexico", "2024", "--sector", "8703"), 'error: Mexico: "8703" is an HS heading'),
    (("sectors", "Mexico", "2025"), "error: Mexico: sector data cover 2023–2024"),
    (("chapters", "zzzz"), 'error: no HS chapter matches "zzzz"'),
])
def test_errors_are_one_line_and_exit_1(cli, args, message):
    result = cli(*args, ok=False)
    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_sector_commands(cli):
    import xl_tdr

    assert float(cli("tdr", "Mexico", "2024", "--sector", "87").stdout) == (136_556_709_549 - 28_931_081_847) / 28_931_081_847
    assert float(cli("tdr", "Mexico", "2024", "--sector", "vehicles").stdout) == xl_tdr.tdr("Mexico", 2024, sector=87)
    assert round(float(cli("tdr", "Canada", "2024", "-s", "87").stdout), 2) == -0.11
    assert round(float(cli("gl", "Canada", "2024", "--sector", "87").stdout), 2) == 0.94
    assert float(cli("gl", "USMCA", "2024").stdout) == xl_tdr.gl("USMCA", 2024)
    assert float(cli("gl", "World", "2024", "--adjusted").stdout) == xl_tdr.gl("World", 2024, adjusted=True)
    out = cli("sectors", "Mexico", "2024", "--top", "5").stdout.splitlines()
    assert out[0] == "Mexico, 2024" and out[1].split()[:3] == ["Rank", "HS", "Sector"]
    assert [line.split()[1] for line in out[2:]] == ["87", "84", "85", "27", "90"]
    assert "Vehicles and parts" in out[2] and "0.35" in out[2]
    spanish = cli("sectors", "Mexico", "2024", "-n", "1", "--lang", "es").stdout
    assert "Vehículos y autopartes" in spanish and "Lugar" in spanish
    records = json.loads(cli("sectors", "USMCA", "2024", "-f", "json", "-n", "0").stdout)
    assert len(records) >= 95 and records[0]["chapter"] == "87" and records[0]["sector"] == "Vehicles and parts"
    series = cli("series", "Canada", "2023", "2024", "--sector", "87", "-f", "csv").stdout.splitlines()
    assert len(series) == 3 and series[2].startswith("Canada,Canadá,1220,2024,56636337039,50416450187,")
    assert "87" in cli("chapters", "autos").stdout and "Vehículos" in cli("chapters").stdout


def test_help_everywhere(cli):
    for command in ("tdr", "table", "series", "partners", "info", "snapshot", "gl", "sectors", "chapters"):
        assert "usage: xl-tdr" in cli(command, "--help").stdout


def test_the_refresh_progress_bar(capsys):
    from xl_tdr.cli.progress import progress_bar

    progress = progress_bar()
    for done in range(1, 5):
        progress(done, 4, f"exports {2020 + done}")
    for done in range(1, 99):
        progress(done, 98, f"exports HS {done:02d}")
    err = capsys.readouterr().err
    assert "4/4" in err and "exports 2024" in err  # the totals' bar, finished
    assert "98/98" in err and "exports HS 98" in err and "request" in err  # then the sectors' bar
