"""The report with awkward partners: surpluses, an outlier, a chosen set, one partner — read back
from the chart XML and the cells, compared with what the store says."""

import zipfile

import openpyxl
import pytest
from lxml import etree

import xl_tdr
from xl_tdr import palette, scales
from xl_tdr.report import build_report
from xl_tdr.workbook import trends

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SURPLUS = "Netherlands,Australia,Mexico,China,United Kingdom,Vietnam,USMCA"


def chart(path, index=None, title=None):
    """A chart of the package, by number or by the start of its title."""
    with zipfile.ZipFile(path) as archive:
        found = [etree.fromstring(archive.read(name)) for name in sorted(archive.namelist())
                 if name.startswith("xl/charts/chart") and (index is None or name == f"xl/charts/chart{index}.xml")]
    if title:
        found = [c for c in found if "".join(c.find(f"{C}chart/{C}title").itertext()).startswith(title)]
    (only,) = found
    return only


def axis_bounds(axis):
    scaling = axis.find(f"{C}scaling")
    return float(scaling.find(f"{C}min").get("val")), float(scaling.find(f"{C}max").get("val"))


@pytest.fixture(scope="module")
def surplus(built_report):
    return built_report(year=2024, partners=SURPLUS)


def test_surplus_partners_keep_their_names_below_the_plot_and_both_zeros_at_one_height(surplus):
    combo = chart(surplus, 1)
    assert combo.find(f".//{C}catAx/{C}tickLblPos").get("val") == "low"
    values = combo.findall(f".//{C}valAx")
    (bar_min, bar_max), (tdr_min, tdr_max) = axis_bounds(values[0]), axis_bounds(values[1])
    assert bar_min < 0 and tdr_min < 0  # there are surpluses
    assert -bar_min / (bar_max - bar_min) == pytest.approx(-tdr_min / (tdr_max - tdr_min), abs=1e-12)
    ws = openpyxl.load_workbook(surplus)["TDR 2024"]
    shown = [(ws[f"C{row}"].value, ws[f"B{row}"].value) for row in range(6, 13)]
    deficits = [xl_tdr.deficit(code, 2024) / 1e6 for code, _ in shown]
    ratios = {name: xl_tdr.tdr(code, 2024) for code, name in shown}
    assert bar_min <= min(deficits) and max(deficits + [xl_tdr.exports(c, 2024) / 1e6 for c, _ in shown]) <= bar_max
    off = {name: value for name, value in ratios.items() if value > tdr_max}
    assert list(off) == ["Vietnam"] and all(tdr_min <= value for value in ratios.values())  # one outlier, capped
    legend = [v.text for v in combo.findall(f".//{C}lineChart/{C}ser/{C}tx//{C}v")]
    assert legend == [f"TDR; Vietnam off the scale: {off['Vietnam']:.2f}"]  # and named


@pytest.mark.parametrize("partners, off", [("Mexico,Canada,China,United Kingdom,Switzerland,Netherlands", None),
                                           ("Mexico,Canada,Vietnam,Germany,Japan", "Vietnam")])
def test_the_report_and_the_chart_image_cap_the_same_tdr(built_report, partners, off):
    """One rule for the exhibit's markers (scales.capped_points): China's 1.91 is no outlier among
    six; Vietnam's 11.43 is among five — in the workbook's legend and the image's note alike."""
    from xl_tdr import images

    legend = [v.text for v in chart(built_report(year=2025, partners=partners), 1).findall(
        f".//{C}lineChart/{C}ser/{C}tx//{C}v")]
    note = " ".join(t.get_text() for t in images.chart(year=2025, partners=partners).texts)
    if off is None:
        assert legend == ["TDR"] and "off the scale" not in note
    else:
        value = f"{xl_tdr.tdr(off, 2025):.2f}"
        assert legend == [f"TDR; {off} off the scale: {value}"] and f"{off}'s TDR ({value}) is off the scale" in note


def test_a_chosen_set_says_so_ranks_among_all_partners_and_never_repeats_a_line(surplus):
    ws = openpyxl.load_workbook(surplus)["TDR 2024"]
    assert ws["A2"].value.startswith("Selected U.S. partners")
    codes = [ws[f"C{row}"].value for row in range(6, 30) if ws[f"C{row}"].value]
    assert codes.count("0020") == 1 and codes.count("-") == 1
    everyone = xl_tdr.table(2024, top=None)
    true_rank = dict(zip(everyone["code"], everyone["rank"]))
    for row in range(6, 13):
        code, rank = ws[f"C{row}"].value, ws[f"A{row}"].value
        assert rank == (true_rank[code] if code in true_rank else None), code
    totals = [xl_tdr.exports(ws[f"C{r}"].value, 2024) + xl_tdr.imports(ws[f"C{r}"].value, 2024) for r in range(6, 13)]
    assert totals == sorted(totals, reverse=True)


def test_the_largest_partners_keep_their_subtitle_and_ranks(tmp_path):
    ws = openpyxl.load_workbook(build_report(tmp_path / "r.xlsx", year=2025, top=3))["TDR 2025"]
    assert ws["A2"].value.startswith("Largest U.S. partners") and [ws[f"A{r}"].value for r in (6, 7, 8)] == [1, 2, 3]


def test_the_trends_chart_caps_an_outlier_and_names_it(built_report):
    path = built_report(year=2025, top=10)
    lines = chart(path, title="Trade Deficit Ratio by year")
    low, high = axis_bounds(lines.find(f".//{C}valAx"))
    names = [v.text for v in lines.findall(f".//{C}ser/{C}tx//{C}v")]
    highest = {name: max(xl_tdr.tdr(name, y) for y in range(2013, 2026)) for name in ("Vietnam", "China")}
    assert high < highest["Vietnam"] and high >= highest["China"]  # capped, the next line whole
    assert f"Vietnam (off the scale: up to {highest['Vietnam']:.2f})" in names
    assert low <= min(xl_tdr.tdr("United Kingdom", y) for y in range(2013, 2026))
    assert lines.find(f".//{C}catAx/{C}tickLblPos").get("val") == "low"
    colors = [s.find(f"{C}spPr/{A}ln/{A}solidFill/{A}srgbClr").get("val") for s in lines.iter(f"{C}ser")]
    dashes = {names[i]: getattr(s.find(f"{C}spPr/{A}ln/{A}prstDash"), "attrib", {}).get("val", "solid")
              for i, s in enumerate(lines.iter(f"{C}ser"))}
    codes = openpyxl.load_workbook(path, data_only=True)["Trends"]  # (the dashboard's codes, stored)
    codes = [codes.cell(4, col).value for col in range(2, 2 + len(colors))]
    assert colors == [palette.colour(code) for code in codes]  # each partner's own colour
    assert len(set(colors)) == len(colors)  # the largest partners' colours differ
    assert dashes["USMCA"] == "dash" and dashes["World"] == "sysDash"
    assert {dash for name, dash in dashes.items() if name not in ("USMCA", "World")} == {"solid"}


def test_a_colour_that_comes_back_comes_with_another_marker():
    codes = [f"{n:04d}" for n in range(1000, 1015)] + ["0020", "-"]
    styles = palette.styles(codes)
    assert len({(s.color, s.marker) for s in styles[:15]}) == 15  # lines that share a colour differ by marker
    assert [s.dash for s in styles[15:]] == ["dash", "sysDash"] and {s.marker for s in styles[15:]} == {"none"}


def test_no_outlier_no_cap():
    assert trends.scale({"a": [0.1, 0.5], "b": [1.0, 2.7], "c": [3.5, 2.0]}) == (None, {})
    bounds, out = trends.scale({"a": [0.1, -0.3], "b": [1.0, 2.7], "c": [11.4, 2.0], "d": [0.4, 0.5]})
    assert out == {"c": 11.4} and bounds[0] <= -0.3 and 2.7 <= bounds[1] < 11.4
    assert trends.scale({"a": [0.1, -0.3], "b": [1.0, 2.7], "c": [11.4, 2.0]}) == (None, {})  # three lines
    # China with Mexico, USMCA and World: capping would hide its whole line
    assert trends.scale({"mx": [0.24, 0.58], "cn": [1.9, 3.48], "usmca": [0.15, 0.37], "w": [0.44, 0.63]}) == (None, {})


def test_aligned_bounds_put_zero_at_one_height_and_contain_the_values():
    for left, right in (([-54, 88, 334, 295], [-0.61, 9.46]), ([5, 10], [0.1, 0.2]), ([-3, -1, 4], [-0.9, -0.2]),
                        ([0.001, 1e12], [-1, 40])):
        (l_min, l_max, l_step), (r_min, r_max, r_step) = scales.aligned_bounds(left, right)
        assert l_min <= min(left + [0]) and max(left) <= l_max and r_min <= min(right + [0]) and max(right) <= r_max
        assert -l_min / (l_max - l_min) == pytest.approx(-r_min / (r_max - r_min))
        assert round((l_max - l_min) / l_step) == round((r_max - r_min) / r_step)  # gridlines coincide


def test_the_partner_dropdown_refuses_what_is_not_in_its_list(built_report):
    for lang, text in (("en", "Choose a partner from the list"), ("es", "Elija un socio de la lista")):
        wb = openpyxl.load_workbook(built_report(year=2025, lang=lang))
        focus = wb[wb.sheetnames[1]]
        (validation,) = focus.data_validations.dataValidation
        assert validation.type == "list" and str(validation.sqref) == "B3"
        assert validation.showErrorMessage and validation.errorStyle == "stop" and validation.error.startswith(text)


def test_one_partner_and_fifteen(built_report):
    one = openpyxl.load_workbook(built_report(year=2025, partners="Mexico"))["TDR 2025"]
    assert [one[f"C{r}"].value for r in range(6, 10)] == ["2010", None, "0020", "-"]
    fifteen = built_report(year=2025, top=15)
    refs = [f.text for f in chart(fifteen, 1).findall(f".//{C}ser/{C}val//{C}f")]
    assert refs[0].endswith("$F$6:$F$20")
