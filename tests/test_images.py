"""Chart images (issue 19): text as text in SVG, the data's labels and vintage, Spanish, every
kind in every format, sizes, byte-identical renders, one-sentence errors, and image comparisons
against the reference PNGs in tests/images/ (written by this file once, then kept)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import xl_tdr
from xl_tdr.errors import XlTdrError

pytest.importorskip("matplotlib")

from matplotlib.testing.compare import compare_images  # noqa: E402

from xl_tdr import images  # noqa: E402
from xl_tdr.images.words import MINUS  # noqa: E402

REFERENCES = Path(__file__).parent / "images"
KINDS = {"exhibit": {}, "trend": {"partners": "Mexico,Canada,China,USMCA"}, "gl": {},
         "sector": {"partners": "Mexico", "sector": 87}}


def svg_text(path: Path) -> str:
    """Every text of an SVG, one line of the drawing per line."""
    texts = ET.parse(path).iter("{http://www.w3.org/2000/svg}text")
    return "\n".join("".join(element.itertext()) for element in texts)


def flat(text: str) -> str:
    return " ".join(text.split())


def label(value: float) -> str:
    """A TDR as the data give it, rounded to two decimals (computed here, not copied)."""
    return f"{round(value, 2) + 0.0:.2f}".replace("-", MINUS)


def vintage_of(year: int) -> list[dict]:
    return [v for v in xl_tdr.info()["vintages"] if year in v["years"] and not v["source"].startswith("computed")
            and "chapter" not in (v["note"] or "") and "HS2" not in v["source"]]


def test_the_2025_exhibit_in_svg_holds_title_partners_labels_and_vintage(tmp_path):
    out = tmp_path / "exhibit.svg"
    images.chart(year=2025, out=out)
    text = svg_text(out)
    assert "Trade Deficit Ratio (TDR) of U.S. goods trade, 2025" in flat(text)
    top = xl_tdr.table(2025, top=5)
    lines = text.splitlines()
    for partner in top["partner"]:
        assert partner in lines
        assert label(xl_tdr.tdr(partner, 2025)) in lines
    (vintage,) = vintage_of(2025)  # worded as the report's source line words it (xl_tdr.provenance)
    assert f"Source: {vintage['source']}, retrieved {vintage['retrieved']}. Exports: total exports F.A.S." in flat(text)
    assert "2025: annual totals only" in flat(text)
    assert "<image" not in out.read_text()  # nothing drawn as a picture of text


def test_the_spanish_exhibit_speaks_spanish_with_a_decimal_point(tmp_path):
    out = tmp_path / "grafica.svg"
    images.chart(year=2025, lang="es", out=out)
    text, lines = flat(svg_text(out)), svg_text(out).splitlines()
    assert "Razón de déficit comercial (RDC) del comercio de bienes de EE. UU., 2025" in text
    for partner in xl_tdr.table(2025, top=5)["partner_es"]:
        assert partner in lines
    assert {"México", "Canadá", "Taiwán", "Alemania"} <= set(lines)
    mexico = label(xl_tdr.tdr("Mexico", 2025))
    assert mexico in lines and "." in mexico and "," not in mexico
    for words in ("Déficit comercial (MDD)", "Exportaciones (MDD)", "RDC (eje derecho)", "Millones de dólares",
                  "Fuente: archivo masivo country.xlsx del Census, obtenido", "solo totales anuales"):
        assert words in text
    assert "Trade deficit" not in text and "Source" not in text
    assert "retrieved" not in text and "bulk file" not in text  # the source line in Spanish too


def test_an_outlier_caps_the_axis_and_is_named_with_its_value(tmp_path):
    out = tmp_path / "outlier.svg"
    images.chart(year=2024, top=10, out=out)
    text = flat(svg_text(out))
    vietnam = label(xl_tdr.tdr("Vietnam", 2024))
    assert f"Vietnam's TDR ({vietnam}) is off the scale" in text
    assert vietnam in svg_text(out).splitlines()


def test_surpluses_read_below_zero_with_a_true_minus(tmp_path):
    out = tmp_path / "surplus.svg"
    images.chart(year=2025, partners="Netherlands,Australia,Mexico,China", guide=True, out=out)
    lines = svg_text(out).splitlines()
    netherlands = xl_tdr.tdr("Netherlands", 2025)
    assert netherlands < 0 and label(netherlands) in lines and label(netherlands).startswith(MINUS)
    assert "off the scale" not in flat(svg_text(out))  # China's 1.91 is no outlier beside Mexico's 0.58
    assert "Reading the TDR: below 0 (shaded), a U.S. surplus" in flat(svg_text(out))


def test_the_trend_caps_an_outlier_as_the_trends_sheet_does(tmp_path):
    out = tmp_path / "trend.svg"
    images.chart("trend", partners="Mexico,Canada,China,Japan,Vietnam", start=2013, end=2025, out=out)
    text = flat(svg_text(out))
    peak = max(xl_tdr.series("Vietnam", 2013, 2025)["tdr"])
    assert f"Vietnam (off scale, up to {label(peak)})" in text
    assert "Vietnam is off the scale: its line leaves the chart above" in text
    assert "Trade Deficit Ratio (TDR) by year, 2013–2025" in text
    images.chart("trend", partners="Mexico,Canada,China,Japan,Vietnam", start=2019, end=2025, out=out)
    assert "off the scale" not in flat(svg_text(out))  # from 2019 Vietnam's whole line would be above a cap


def test_gl_and_sector_charts_carry_the_sector_data_and_their_vintage(tmp_path):
    gl, sector = tmp_path / "gl.svg", tmp_path / "sector.svg"
    images.chart("gl", partners="Mexico,Canada,China", out=gl)
    lines = svg_text(gl).splitlines()
    for partner in ("Mexico", "Canada", "China"):
        assert partner in lines and label(xl_tdr.gl(partner, 2024)) in lines
    assert "USITC DataWeb" in flat(svg_text(gl))
    images.chart("sector", partners="Mexico", year=2024, sector="vehicles", top=3, out=sector)
    lines = svg_text(sector).splitlines()
    assert "87 Vehicles and parts" in lines
    assert label(xl_tdr.tdr("Mexico", 2024, sector=87)) in lines
    assert label(xl_tdr.gl("Mexico", 2024, sector=87)) in lines
    oil = xl_tdr.sectors("Mexico", 2024, top=None)
    assert len(oil) > 3
    images.chart("sector", partners="Mexico", year=2024, sector=oil["chapter"].iloc[-1], top=3, out=sector)
    assert f"{oil['chapter'].iloc[-1]} {oil['name'].iloc[-1]}" in svg_text(sector).splitlines()  # marked, shown


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_every_kind_in_every_format(kind, suffix, tmp_path):
    out = tmp_path / f"{kind}{suffix}"
    fig = images.chart(kind, out=out, **KINDS[kind])
    title = fig.texts[0].get_text().split("\n")[0]
    data = out.read_bytes()
    if suffix == ".png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        from matplotlib.image import imread

        assert imread(out).shape[:2] == (800, 1200)
    elif suffix == ".svg":
        assert title in svg_text(out)
    else:
        assert data[:5] == b"%PDF-"
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
            assert title in text  # TrueType text: searchable


def test_renders_are_the_same_bytes_every_time(tmp_path):
    for suffix in (".svg", ".pdf", ".png"):
        first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        images.chart(top=3, out=first)
        images.chart(top=3, out=second)
        assert first.read_bytes() == second.read_bytes(), suffix


def test_the_font_is_matplotlibs_own_dejavu():
    import matplotlib
    from matplotlib.font_manager import FontProperties, findfont

    from xl_tdr.images.style import FONT

    for weight in ("normal", "bold"):
        path = Path(findfont(FontProperties(family=FONT, weight=weight), fallback_to_default=False))
        assert path.is_relative_to(Path(matplotlib.get_data_path())), path


def test_sizes_presets_and_scale(tmp_path):
    from matplotlib.image import imread

    images.chart(top=3, size="social", out=tmp_path / "card.png")
    assert imread(tmp_path / "card.png").shape[:2] == (1080, 1080)
    images.chart(top=3, out=tmp_path / "retina.png", scale=2)
    assert imread(tmp_path / "retina.png").shape[:2] == (1600, 2400)
    images.chart(top=3, width=1600, height="5in", out=tmp_path / "wide.png")
    assert imread(tmp_path / "wide.png").shape[:2] == (1200, 1600)
    images.chart(top=3, size="print", out=tmp_path / "column.pdf")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(tmp_path / "column.pdf")], capture_output=True, text=True).stdout
        assert "453.543 x 283.465 pts" in info  # 16 × 10 cm


@pytest.mark.parametrize("call, message", [
    (lambda p: images.chart(partners="Mexco", out=p / "a.png"), 'unknown partner "Mexco" — did you mean Mexico?'),
    (lambda p: images.chart(out=p / "a.gif"), 'cannot write "a.gif": the file name must end with .png, .svg, .pdf'),
    (lambda p: images.chart(year=2011), "no data for 2011: the data start in 2013"),
    (lambda p: images.chart("gl", year=2025), "Mexico: sector data cover 2023–2024"),
    (lambda p: images.chart("pie"), 'unknown chart "pie" (choose from exhibit, trend, gl, sector)'),
    (lambda p: images.chart("sector"), "a sector chart shows one partner (e.g. Mexico), not none"),
    (lambda p: images.chart(size="poster"), 'unknown size "poster" (choose from web, social, print)'),
    (lambda p: images.chart(width="wide"), 'the width "wide" is not a size'),
    (lambda p: images.chart(out=p / "a.png", scale=100), 'the scale "100" must be a number from 0.25 to 8'),
    (lambda p: images.chart(top=0), 'top must be at least 1, not 0'),
    (lambda p: images.chart(top=float("inf")), 'top must be a whole number, not "inf"'),
    (lambda p: images.chart(out=p / "no" / "a.png"), "the folder"),
])
def test_bad_inputs_are_one_sentence(call, message, tmp_path):
    with pytest.raises(XlTdrError) as caught:
        call(tmp_path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_service_passed_in_draws_the_same_chart(tmp_path, bundled_home):
    from xl_tdr.data.store import Store
    from xl_tdr.service import Service

    images.chart(top=3, out=tmp_path / "api.svg")
    images.chart(top=3, out=tmp_path / "service.svg", service=Service(Store(bundled_home / "store.sqlite")))
    assert (tmp_path / "api.svg").read_bytes() == (tmp_path / "service.svg").read_bytes()


def test_a_partner_trading_under_a_million_gets_distinct_tick_labels():
    """North Korea's chapters are a few hundred thousand dollars: the axis in millions reads
    0.0, 0.2, 0.4 … (it read 0, 0, 0, 1, 1)."""
    fig = xl_tdr.chart("sector", partners="North Korea", year=2024)
    fig.canvas.draw()
    money = [ax.xaxis for ax in fig.axes if "Millions" in ax.get_xlabel()]
    assert money
    for axis in money:
        ticks = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
        assert len(ticks) >= 3 and len(set(ticks)) == len(ticks) and any("." in t for t in ticks), ticks


def test_the_python_api_returns_the_figure():
    from matplotlib.figure import Figure

    fig = xl_tdr.chart(top=2)
    assert isinstance(fig, Figure) and fig.texts[0].get_text().startswith("Trade Deficit Ratio")


def test_export_exhibit_writes_beside_the_report(tmp_path):
    report = tmp_path / "tdr_report_2025.xlsx"
    written = images.export_exhibit(["Mexico", "Canada"], 2025, report, lang="es")
    assert written == tmp_path / "tdr_report_2025_chart.png" and written.stat().st_size > 10_000
    assert images.export_exhibit(["Mexico"], 2025, tmp_path) == tmp_path / "tdr_chart_2025.png"


def test_the_command_writes_the_image_and_says_errors_in_one_line(tmp_path):
    run = [sys.executable, "-m", "xl_tdr", "chart"]
    done = subprocess.run([*run, "--lang", "es", "-o", str(tmp_path / "grafica.png")], capture_output=True, text=True)
    assert done.returncode == 0 and (tmp_path / "grafica.png").stat().st_size > 10_000, done.stderr
    bad = subprocess.run([*run, "-o", str(tmp_path / "grafica.bmp")], capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.strip().splitlines() == [
        'error: cannot write "grafica.bmp": the file name must end with .png, .svg, .pdf']


def test_without_matplotlib_the_faces_say_how_to_install_it(tmp_path):
    blocked = "import sys; sys.modules['matplotlib'] = None\n"
    api = blocked + "import xl_tdr\ntry:\n    xl_tdr.chart()\nexcept xl_tdr.XlTdrError as e:\n    print(e)\n"
    out = subprocess.run([sys.executable, "-c", api], capture_output=True, text=True)
    assert out.stdout.strip() == 'chart images need matplotlib: install xl-tdr[charts] (pip install "xl-tdr[charts]")'
    cli = blocked + "from xl_tdr.cli import main; raise SystemExit(main(['chart', '-o', 'x.png']))"
    out = subprocess.run([sys.executable, "-c", cli], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 1 and out.stderr.strip().startswith("error: chart images need matplotlib")
    assert "Traceback" not in out.stderr


def test_capped_points_cap_a_single_marker():
    from xl_tdr.scales import capped

    values = {"mx": [0.58], "cn": [1.91], "tw": [2.68], "vn": [11.43]}
    assert capped(values) == (None, {})  # as lines: a line wholly above the cap would vanish
    bounds, outliers = capped(values, factor=3.0, floor=1.0, points=True)
    assert outliers == {"vn": 11.43} and 2.68 < bounds[1] < 11.43
    assert capped({"mx": [0.58], "au": [-0.14], "nl": [-0.63], "cn": [1.91]}, factor=3.0, floor=1.0,
                  points=True) == (None, {})


#: The reference images: EN, ES, a surplus set, fifteen partners, and one of each other kind.
REFERENCE_CHARTS = {
    "exhibit_en": {"year": 2025},
    "exhibit_es": {"year": 2025, "lang": "es"},
    "exhibit_surplus": {"year": 2025, "partners": "Netherlands,Australia,Mexico,China", "guide": True},
    "exhibit_15": {"year": 2025, "top": 15},
    "trend_es": {"kind": "trend", "partners": "Mexico,Canada,China,Vietnam,USMCA", "lang": "es"},
    "gl": {"kind": "gl", "year": 2024},
    "sector": {"kind": "sector", "partners": "Mexico", "year": 2024, "sector": 87},
}


@pytest.mark.parametrize("name", list(REFERENCE_CHARTS))
def test_charts_look_like_their_reference_images(name, tmp_path):
    options = dict(REFERENCE_CHARTS[name])
    actual = tmp_path / f"{name}.png"
    images.chart(options.pop("kind", "exhibit"), out=actual, scale=0.5, **options)
    expected = REFERENCES / f"{name}.png"
    if not expected.exists():
        REFERENCES.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
        if os.environ.get("CI") or os.environ.get("XL_TDR_REQUIRE_SHARED"):
            pytest.fail(f"no reference image {expected.name}: one was written, commit it")
        pytest.skip(f"reference image {expected.name} written: look at it, then commit it")
    assert compare_images(str(expected), str(actual), tol=2) is None


def test_the_comparison_sees_a_different_chart(tmp_path):
    """The tolerance is no blindfold: another year's exhibit does not pass for the 2025 one."""
    expected = REFERENCES / "exhibit_en.png"
    if not expected.exists():
        pytest.skip("the reference images are written by test_charts_look_like_their_reference_images")
    other = tmp_path / "other.png"
    images.chart(year=2024, out=other, scale=0.5)
    assert compare_images(str(expected), str(other), tol=2) is not None
