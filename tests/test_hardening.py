"""Edge inputs and narrow consoles: never a traceback, never NaN or -0.0 on the screen."""

import subprocess
import sys

import pytest
from stores import revise

import xl_tdr
from xl_tdr import udfs
from xl_tdr.errors import PeriodError, XlTdrError


def cli(*args, encoding="cp1252"):
    import os

    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "xl_tdr", *args], capture_output=True, text=True,
                          encoding=encoding, env=env)


def test_revisions_print_on_a_windows_code_page(private_home):
    before = int(xl_tdr.exports("Mexico", 2024, 1))
    revise({("2010", "X", 2024, 1): before + 5})
    result = cli("revisions", "Mexico", "2024")
    assert result.returncode == 0, result.stderr
    assert f"2024-01 exports: {before:,}" in result.stdout and f"-> {before + 5:,}" in result.stdout


def test_any_output_degrades_to_look_alikes_on_an_ascii_console():
    result = cli("sectors", "Mexico", "2024", "-n", "1", "--lang", "es", encoding="ascii")
    assert result.returncode == 0 and "Vehiculos y autopartes" in result.stdout and result.stdout.startswith("Mexico, 2024")
    error = cli("tdr", "Mexco", "2025", encoding="ascii")
    assert error.returncode == 1 and error.stderr == 'error: unknown partner "Mexco" -- did you mean Mexico?\n'


@pytest.mark.parametrize("args", [([[1, 2], [3]], 2024), ("Mexico", [[2024, 2025], []]), ([], 2024),
                                  ("Mexico", 2024, [[1], [2, 3]]), ("Mexico", 2024, None, [[87, 85], [1]])])
def test_ragged_or_empty_ranges_are_a_cell_text(args):
    assert udfs.TDR(*args) == "#N/A a range is empty or not rectangular"


@pytest.mark.parametrize("value", [10**400, -10**400, 1e308, float("inf"), "9" * 5000])
def test_huge_numbers_are_refused_in_one_short_sentence(value):
    for args in (("Mexico", value), ("Mexico", 2024, value)):
        text = udfs.TDR(*args)
        assert text.startswith("#N/A ") and len(text) < 160, text  # (-10**400 reads as an Excel error code)
        with pytest.raises(PeriodError):
            xl_tdr.tdr(*args)
    for result in (udfs.TDR_TABLE(2024, value), udfs.TDR_SECTORS("Mexico", 2024, value)):
        assert isinstance(result, list) or result.startswith("#N/A")  # a huge "top" is every row


def test_table_top_none_is_every_country_and_never_nan_on_screen():
    every = xl_tdr.table(2024, top=None)
    assert len(every) == sum(1 for p in xl_tdr.partners().itertuples() if p.kind == "country")
    assert every["band"].isna().sum() >= 1  # partners with zero exports have no reading…
    out = cli("table", "2024", "--top", "1000").stdout
    assert "NaN" not in out and "None" not in out and "-0.0 " not in out  # …shown as n/a, never NaN
    assert "Western Sahara" in out
    with pytest.raises(XlTdrError, match='top must be a whole number, not "2.5"'):
        xl_tdr.table(2024, top=2.5)


def test_build_into_a_folder_and_never_a_broken_file(tmp_path, monkeypatch):
    from xl_tdr.report import build_report

    assert build_report(str(tmp_path / "out") + "/", year=2025) == tmp_path / "out" / "tdr_report_2025.xlsx"
    assert build_report(tmp_path, year=2025) == tmp_path / "tdr_report_2025.xlsx"
    good = (tmp_path / "tdr_report_2025.xlsx").read_bytes()

    import openpyxl.workbook.workbook as workbook

    def disk_full(self, stream):  # (a real full disk: tests/test_workbook_output.py, where mounting is allowed)
        stream.write(b"PK\x03\x04 half a file")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(workbook.Workbook, "save", disk_full)
    with pytest.raises(XlTdrError, match=r"cannot write .*tdr_report_2025\.xlsx: the disk is full; "
                                         r"an earlier file there is unchanged"):
        build_report(tmp_path, year=2025)
    assert (tmp_path / "tdr_report_2025.xlsx").read_bytes() == good  # the old report, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tdr_report_2025.xlsx"]  # no partial left


def _template(tmp_path, text: str):
    path = tmp_path / "mine.toml"
    path.write_text('lang = "en"\n' + text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("text, message", [
    ('[names]\ndashboard = 5\n', r"\[names\] dashboard must be text, not a whole number"),
    ('[names]\ndashboard = "TDR/{year}"\n', r"\[names\] dashboard 'TDR/\{year\}' is not a sheet name Excel accepts"),
    ('[names]\ndashboard = "Data"\n', r"\[names\] data and dashboard give the same sheet name 'Data'|"
                                     r"\[names\] dashboard and data give the same sheet name"),
    ('[names]\nabout = "' + "x" * 300 + '"\n', r"^(?!.*Traceback)"),  # a long name: cut to 31, no error
    ('[text]\ntitle = "TDR {yaer}"\n', r"\[text\] title has the unknown placeholder \{yaer\}"),
    ('[text]\ntitle = "TDR {year"\n', r"\[text\] title has a stray brace"),
    ('[style]\naccent = "red"\n', r'\[style\] accent must be a colour as six hexadecimal digits \(e.g. "1F3864"\), not \'red\''),
    ('[style]\nsize = 500\n', r"\[style\] size must be a font size from 6 to 72, not 500"),
    ('[text]\nguide = "not a list"\n', r"\[text\] guide must be a list, not text"),
    ('sheets = ["dashboard", 3]\n', r"unknown sheet 3"),
])
def test_template_content_errors_are_one_sentence(tmp_path, text, message):

    template = _template(tmp_path, text)
    result = subprocess.run([sys.executable, "-m", "xl_tdr", "build", "--template", template, "-o", str(tmp_path)],
                            capture_output=True, text=True)
    if message.startswith("^(?!"):
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    import re

    assert re.search(message, result.stderr), result.stderr
    error = result.stderr.replace("building the report…\n", "")  # (the progress line)
    assert error.startswith(f"error: template {template}: ") and error.count("\n") == 1
