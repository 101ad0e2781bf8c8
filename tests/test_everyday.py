"""The analyst's everyday questions on the command line and in Python, in both languages:
chosen partners, sorting, filtering by reading, stacked series with partial years, one
vocabulary, no NaN and no -0.0 anywhere."""

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

import xl_tdr
from xl_tdr import labels, udfs
from xl_tdr.errors import XlTdrError
from xl_tdr.report import build_report
from xl_tdr.service import Service
from xl_tdr.workbook.template import load as load_template


def test_table_for_chosen_partners_sorted_and_filtered(cli):
    status, out, _ = cli("table", 2025, "--partners", "USMCA,China,EU", "-f", "json", ok=None)
    rows = json.loads(out)
    assert status == 0 and [r["code"] for r in rows] == ["0020", "0003", "5700"]  # by total trade
    assert rows[0]["rank"] is None and rows[2]["rank"] == 3  # China: third country of 2025
    status, out, _ = cli("table", 2024, "--band", "surplus", "--sort", "deficit", "-f", "json", ok=None)
    rows = json.loads(out)
    everyone = xl_tdr.table(2024, top=None)
    assert {r["code"] for r in rows} == set(everyone.loc[everyone["tdr"] < 0, "code"])
    assert [r["deficit"] for r in rows] == sorted((r["deficit"] for r in rows), reverse=True)
    assert all(r["band"] == "surplus" for r in rows) and len(rows) > 20
    status, out, _ = cli("table", 2024, "--band", "alta dependencia", "--top", 10, "--lang", "es", ok=None)
    assert status == 0 and "alta dependencia" in out and "China" in out and "moderado" not in out
    assert cli("table", 2024, "--band", "sunny", ok=None)[2].startswith('error: unknown reading "sunny"')
    assert cli("table", 2024, "--sort", "mood", ok=None)[2].startswith('error: cannot sort by "mood"')


def test_spanish_reaches_csv_and_json_of_every_table(cli):
    _, out, _ = cli("table", 2025, "--lang", "es", "-f", "csv", ok=None)
    header, first = list(csv.reader(io.StringIO(out)))[:2]
    assert header == ["Lugar", "Código", "Socio", "Exportaciones", "Importaciones", "Déficit", "RDC", "Cobertura",
                      "Participación", "Lectura"]
    assert first[2] == "México" and first[-1] == labels.BANDS["es"][xl_tdr.table(2025)["band"][0]]
    _, out, _ = cli("series", "Mexico", 2023, 2025, "--lang", "es", "-f", "json", ok=None)
    assert set(json.loads(out)[0]) == {"Socio", "Código", "Año", "Exportaciones", "Importaciones", "Déficit", "RDC",
                                       "Nota"}
    _, out, _ = cli("sectors", "Mexico", 2024, "-n", 2, "--lang", "es", "-f", "json", ok=None)
    assert json.loads(out)[0]["Sector"] == "Vehículos y autopartes" and "SA" in json.loads(out)[0]
    _, out, _ = cli("table", 2025, "-f", "csv", ok=None)  # English keeps the API's column names
    assert out.splitlines()[0].startswith("rank,code,partner,partner_es,exports")
    frame = xl_tdr.table(2025, lang="es")
    assert list(frame.columns)[:3] == ["Lugar", "Código", "Socio"]


def test_series_stack_by_partner_and_keep_the_years_a_period_can_give(cli):
    frame = xl_tdr.series("Mexico", 2022, 2025, period="1-11")
    assert list(frame["year"]) == [2022, 2023, 2024, 2025]
    assert set(frame["partner"]) == {"Mexico"} and set(frame["code"]) == {"2010"}
    assert frame["exports"].iloc[:3].tolist() == [xl_tdr.exports("Mexico", y, "1-11") for y in (2022, 2023, 2024)]
    assert frame["exports"].isna().iloc[3] and "only annual totals" in frame["note"].iloc[3]
    with pytest.raises(XlTdrError, match="the data start in 2013"):
        xl_tdr.series("Mexico", 2010, 2012)
    both = []
    for partner in ("Mexico", "Canada"):
        _, out, _ = cli("series", partner, 2023, 2024, "-f", "csv", ok=None)
        both += list(csv.DictReader(io.StringIO(out)))
    assert [(r["partner"], r["year"]) for r in both] == [("Mexico", "2023"), ("Mexico", "2024"),
                                                        ("Canada", "2023"), ("Canada", "2024")]
    _, out, _ = cli("series", "Mexico", 2024, 2025, "-p", "1-11", ok=None)
    assert re.search(r"2025\s+n/a\s+n/a\s+n/a\s+n/a\s+2025 has only annual totals", out)


def test_a_loose_match_says_which_partner_was_used(cli):
    status, out, err = cli("tdr", "Korea", 2024, ok=None)
    assert status == 0 and err.strip() == "Korea → South Korea (5800)" and float(out) == xl_tdr.tdr("South Korea", 2024)
    for exact in ("Mexico", "méxico", "MX", "2010", "USMCA", "T-MEC"):
        assert cli("tdr", exact, 2024, ok=None)[2] == ""
    assert cli("tdr", "Mexico", 2012, ok=None)[2] == "error: Mexico: no data for 2012: the data start in 2013\n"


def test_every_argument_and_lang_option_has_help():
    from xl_tdr.cli import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        for action in sub._actions:
            if action.dest in ("help",) or isinstance(action, type(parser._subparsers._group_actions[0])):
                continue
            if not action.option_strings or action.dest == "lang":
                assert action.help, f"{name} {action.dest} has no help"


@pytest.mark.parametrize("fmt", ["text", "csv", "json"])
def test_no_nan_and_no_negative_zero_in_any_table_of_any_year(cli, fmt):
    years = Service().coverage()["years"]
    for year in years:
        for lang in ("en", "es"):
            status, out, err = cli("table", year, "--top", 300, "-f", fmt, "--lang", lang, ok=None)
            assert status == 0, err
            assert not re.search(r"\bnan\b|NaN|-0\.0+\b(?!\d)", out, re.I), (year, lang)
    _, out, _ = cli("series", "Mexico", years[0], years[-1], "-p", "1-11", "-f", fmt, ok=None)
    assert not re.search(r"\bnan\b|NaN", out, re.I)


def test_one_vocabulary():
    """Band names, headings and info labels live in labels.py; no face spells them again."""
    package = Path(xl_tdr.__file__).parent
    for path in package.rglob("*.py"):
        if path.name != "labels.py":
            source = path.read_text(encoding="utf-8")
            for word in ("superávit", "alta dependencia", "Participación", "Último mes"):
                assert word not in source, f"{path.name} spells {word!r}"
    for template in package.parent.glob("workbook_templates/*.toml"):
        assert "[bands]\n" not in template.read_text(encoding="utf-8").replace("#   [bands]\n", "")
    info = udfs.TDR_INFO("es")
    assert info[0][0] == "Almacén" and any(row[0] == "Último mes" for row in info)
    assert udfs.TDR_SERIES("Mexico", 2024, 2025, None, "es")[0] == ["Año", "RDC"]
    assert dict(udfs.TDR_INFO())["Latest month"] == "2025-12"


def test_band_thresholds_are_one_setting_for_every_face(tmp_path, private_home, cli):
    """config.toml's band_limits reach the report, the command line and the worksheet functions
    alike; a template names the bands but cannot move their thresholds."""
    assert load_template(None, "es").band_names["balanced"] == "equilibrado"
    (private_home / "config.toml").write_text("band_limits = [0.0, 0.5, 1.5]\n")
    custom = tmp_path / "bands.toml"
    custom.write_text('lang = "en"\n[bands]\nbalanced = "roughly balanced"\n')
    wb = openpyxl.load_workbook(build_report(tmp_path / "r.xlsx", year=2025, template=str(custom)))
    band = wb["TDR 2025"]["J6"].value
    assert "<0.5," in band and "<1.5," in band and '"roughly balanced"' in band and "<0.25" not in band
    about = [c.value for c in wb["About"]["A"] if c.value]
    assert any("roughly balanced (0 to 0.5), moderate (0.5 to 1.5), high dependency (1.5 and above)" in line
               for line in about)
    mexico = xl_tdr.tdr("Mexico", 2025)
    expected = "balanced" if mexico < 0.5 else "moderate" if mexico < 1.5 else "high dependency"
    _, out, _ = cli("table", 2025, "-n", 1, "-f", "json", ok=None)
    assert json.loads(out)[0]["band"] == expected
    assert udfs.TDR_TABLE(2025, 1)[1][-1] == expected
    custom.write_text('lang = "en"\n[bands]\nlimits = [0.0, 0.5, 1.5]\n')
    with pytest.raises(XlTdrError, match=r"\[bands\] limits are not set in a template: .* band_limits"):
        load_template(str(custom))
    for wrong in ("[0.5, 0.25, 1.0]", "[0.0, 1.0]", '["a", "b", "c"]'):
        (private_home / "config.toml").write_text(f"band_limits = {wrong}\n")
        assert cli("table", 2025, ok=None)[2].startswith("error: band_limits in ")
