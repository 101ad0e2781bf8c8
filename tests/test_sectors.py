"""The sector view: trade by HS chapter, TDR and Grubel–Lloyd per chapter, pinned to the shared
files in ../shared/census_hs (2023–2024)."""

import csv
from collections import defaultdict

import pytest
from conftest import SHARED

import xl_tdr
from xl_tdr import metrics
from xl_tdr.data import bundle
from xl_tdr.data.records import Observation, SectorObservation, is_country
from xl_tdr.data.store import Store
from xl_tdr.errors import DataNotAvailable, UnknownSector
from xl_tdr.reference.chapters import chapters
from xl_tdr.service import Service
from xl_tdr.snapshot import sectors as sector_snapshot
from xl_tdr import snapshot


@pytest.fixture(scope="module")
def hs(census):
    """The shared sector files: annual (exports, imports) per (country, chapter, year), and the
    monthly imports per (code, chapter, year, month)."""
    folder = SHARED / "census_hs"
    annual = {}
    with (folder / sector_snapshot.ANNUAL_FILE).open() as handle:
        for row in csv.DictReader(handle):
            annual[(row["CTY_CODE"], row["HS2"], int(row["YEAR"]))] = (int(row["exports_usd"]), int(row["imports_usd"]))
    monthly = {}
    with (folder / sector_snapshot.IMPORTS_FILE).open() as handle:
        for row in csv.DictReader(handle):
            monthly[(row["CTY_CODE"], row["I_COMMODITY"], int(row["YEAR"]), int(row["MONTH"]))] = int(row["GEN_VAL_MO"])
    return annual, monthly


def test_must_show_vehicles_2024(hs):
    annual, _ = hs
    x, m = annual[("2010", "87", 2024)]
    assert (x, m) == (28_931_081_847, 136_556_709_549)
    assert xl_tdr.tdr("Mexico", 2024, sector=87) == (m - x) / x
    assert xl_tdr.exports("MX", 2024, sector="87") == x and xl_tdr.imports("México", 2024, None, 87.0) == m
    cx, cm = annual[("1220", "87", 2024)]
    assert xl_tdr.tdr("Canada", 2024, sector="vehicles") == (cm - cx) / cx
    assert round(xl_tdr.tdr("Canada", 2024, sector="HS87"), 2) == -0.11
    assert xl_tdr.gl("Canada", 2024, sector=87) == 1 - abs(cx - cm) / (cx + cm)
    assert round(xl_tdr.gl("Canada", 2024, sector=87), 2) == 0.94
    assert round(xl_tdr.gl("Mexico", 2024, sector=87), 2) == 0.35


def test_groups_and_world_by_chapter(hs):
    annual, monthly = hs
    for chapter in ("87", "84", "27"):
        usmca_x = annual.get(("2010", chapter, 2024), (0, 0))[0] + annual.get(("1220", chapter, 2024), (0, 0))[0]
        assert xl_tdr.exports("USMCA", 2024, sector=chapter) == usmca_x
        assert xl_tdr.imports("USMCA", 2024, sector=chapter) == sum(
            monthly.get(("0020", chapter, 2024, month), 0) for month in range(1, 13))
        world_x = sum(v[0] for (code, ch, year), v in annual.items() if ch == chapter and year == 2024)
        assert xl_tdr.exports("World", 2024, sector=chapter) == world_x
        assert xl_tdr.imports("World", 2024, sector=chapter) == sum(
            monthly.get(("-", chapter, 2024, month), 0) for month in range(1, 13))


def test_monthly_imports_by_chapter_are_the_api_months(hs):
    _, monthly = hs
    q1 = sum(monthly.get(("5700", "85", 2023, month), 0) for month in (1, 2, 3))
    assert xl_tdr.imports("China", 2023, "Q1", "electrical") == q1
    with pytest.raises(DataNotAvailable, match="2023 exports by HS chapter are annual totals only"):
        xl_tdr.exports("China", 2023, "Q1", 85)


def test_sectors_table_ranks_by_total_trade_and_adds_up():
    frame = xl_tdr.sectors("Mexico", 2024, top=5)
    assert list(frame.columns) == ["rank", "chapter", "name", "name_es", "exports", "imports", "deficit",
                                   "tdr", "gl", "share"]
    assert list(frame["chapter"]) == ["87", "84", "85", "27", "90"]
    assert list(frame["rank"]) == [1, 2, 3, 4, 5]
    assert frame["name"].iloc[0] == "Vehicles and parts" and frame["name_es"].iloc[0] == "Vehículos y autopartes"
    every = xl_tdr.sectors("Mexico", 2024, top=None)
    assert every["exports"].sum() == xl_tdr.exports("Mexico", 2024)
    assert every["imports"].sum() == xl_tdr.imports("Mexico", 2024)
    assert every["share"].sum() == pytest.approx(1.0)
    row = every.iloc[0]
    assert row.tdr == metrics.tdr(row.exports, row.imports) and row.deficit == row.imports - row.exports
    assert xl_tdr.gl("Mexico", 2024) == metrics.grubel_lloyd(list(zip(every["exports"], every["imports"])))


def test_all_chapter_gl_and_the_adjusted_index():
    pairs = [(x, m) for x, m in zip(*(xl_tdr.sectors("Canada", 2024, top=None)[c] for c in ("exports", "imports")))]
    total = sum(x + m for x, m in pairs)
    gap = abs(sum(x for x, _ in pairs) - sum(m for _, m in pairs))
    assert xl_tdr.gl("Canada", 2024, adjusted=True) == (total - sum(abs(x - m) for x, m in pairs)) / (total - gap)
    assert xl_tdr.gl("Canada", 2024, adjusted=True) >= xl_tdr.gl("Canada", 2024)


@pytest.mark.parametrize("args, message", [
    (("Mexico", 2024, None, 77), "Mexico: HS chapter 77 does not exist"),
    (("Mexico", 2022, None, 87), "sector data cover 2023–2024; `xl-tdr refresh --sectors` brings more"),
    (("Mexico", 2025, None, "vehicles"), "sector data cover 2023–2024"),
    (("Mexico", 2024, 3, 87), "2024 exports by HS chapter are annual totals only in the store, not monthly"),
    (("Mexico", 2024, None, "8703"), '"8703" is an HS heading, not a chapter: .* use chapter 87'),
    (("Mexico", 2024, None, "vehicels"), r'unknown sector "vehicels" — did you mean Vehicles and parts \(87\)'),
    (("OECD", 2024, None, 87), "OECD, HS 87: the store has no exports by HS chapter for this partner in 2024"),
])
def test_one_line_errors(args, message):
    with pytest.raises(xl_tdr.XlTdrError, match=message) as caught:
        xl_tdr.tdr(*args)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("query, code", [
    (87, "87"), ("87", "87"), (87.0, "87"), ("HS87", "87"), ("hs 87", "87"), ("Chapter 87", "87"),
    ("vehicles", "87"), ("Autos", "87"), ("vehículos", "87"), ("VEHICULOS", "87"), ("parts and vehicles", "87"),
    ("machinery", "84"), ("electrical", "85"), ("oil", "27"), (1, "01"), ("1", "01"), ("01", "01"),
    ("capítulo 27", "27"), (99, "99"), ("Special import provisions", "99"),
])
def test_chapter_in_any_form(query, code):
    assert chapters().resolve(query).code == code


@pytest.mark.parametrize("query, message", [
    (77, "chapter 77 does not exist"), ("8703", "heading"), (870321, "use chapter 87"), (101, "use chapter 01"),
    (0, "not an HS chapter"), (100, "heading"), (True, "not an HS chapter"), ("machinry", "did you mean Machinery"),
])
def test_bad_chapters_say_why(query, message):
    with pytest.raises(UnknownSector, match=message):
        chapters().resolve(query)


def test_chapter_registry_is_complete():
    codes = list(chapters().by_code)
    assert codes == [f"{n:02d}" for n in range(1, 100) if n != 77]
    assert all(c.name and c.name_es and c.description for c in chapters().by_code.values())
    assert chapters().resolve(None) is None and chapters().resolve("") is None
    assert list(xl_tdr.chapters("vehic")["chapter"]) == ["87", "88"]  # 88: vehículos espaciales
    assert list(xl_tdr.chapters("autos")["chapter"]) == ["87"]
    assert len(xl_tdr.chapters()) == 98


def test_sector_snapshot_reproduces_the_shared_files_to_the_dollar(hs):
    annual, monthly = hs
    rows, vintages = _sector_rows(), bundle.Bundle().sector_vintages()
    imports = {(o.code, o.chapter, o.year, o.month): o.value for o in rows if o.flow == "M"}
    assert imports == monthly
    exports = {(o.code, o.chapter, o.year): o.value for o in rows if o.flow == "X" and is_country(o.code)}
    assert exports == {key: x for key, (x, _) in annual.items() if x}
    assert [v["id"] for v in vintages] == [4, 5, 6]


def test_chapters_add_up_to_every_total_and_countries_to_the_world():
    """For every partner, year and flow, the chapters sum exactly to the all-goods total."""
    rows = _sector_rows()
    totals = [Observation(*row) for row in bundle.Bundle().totals()[0]]
    by_year = defaultdict(int)
    for o in rows:
        by_year[(o.code, o.flow, o.year)] += o.value
    year_total = defaultdict(int)
    for o in totals:
        if o.year in (2023, 2024):
            year_total[(o.code, o.flow, o.year)] += o.value
    checked = 0
    for key, value in by_year.items():
        if key in year_total:
            assert value == year_total[key], key
            checked += 1
    assert checked > 900  # every country, group and the world that both files have, both flows
    world = defaultdict(int)
    for o in rows:
        if is_country(o.code):
            world[(o.chapter, o.flow, o.year, o.month)] += o.value
    assert all(world[(o.chapter, o.flow, o.year, o.month)] == o.value for o in rows if o.code == "-")


def test_the_importer_refuses_chapters_that_do_not_add_up(census, tmp_path):
    import shutil

    folder = tmp_path / "in"
    shutil.copytree(SHARED, folder, ignore=shutil.ignore_patterns("tools", "hooks", "*.md"))
    for path in folder.rglob("*.csv"):
        path.chmod(0o644)
    target = folder / "census_hs" / sector_snapshot.ANNUAL_FILE
    text = target.read_text().splitlines()
    for i, line in enumerate(text):
        if line.startswith("2024,2010,") and ",87," in line:
            fields = line.split(",")
            fields[-3] = str(int(fields[-3]) + 1)
            text[i] = ",".join(fields)
    target.write_text("\n".join(text) + "\n")
    with pytest.raises(xl_tdr.XlTdrError, match="chapters do not add up to the partner's total in 7 cases: World exports 2024: chapters 2,061,690,757,602"):
        snapshot.build(folder / "census", tmp_path / "out")


def test_trade_by_chapter_is_read_on_first_use_only_and_by_partner(tmp_path):
    """The totals path never reads trade by chapter; a sector question reads the World's and the
    partner's blocks only."""
    data = bundle.Bundle()
    read = []
    original = data.sector_rows
    data.sector_rows = lambda code: read.append(code) or original(code)
    service = Service(Store(tmp_path / "store.sqlite"), data=data)
    assert service.scalar(metrics.tdr, "Mexico", 2025) > 0 and read == []
    assert round(service.scalar(metrics.tdr, "Mexico", 2024, None, 87), 2) == 3.72
    assert read == ["-", "2010"]
    assert not (tmp_path / "store.sqlite").exists()  # and no store is written for it


def test_a_schema_1_store_is_read_and_upgraded_in_place(private_home):
    import sqlite3

    from stores import revise, store_year

    store = store_year(2024)
    with sqlite3.connect(store.path) as db:  # make it the store an earlier xl_tdr wrote
        db.executescript("DROP TABLE sector_obs; DROP TABLE sector_history; UPDATE meta SET value = '1' WHERE key = 'schema';")
    service = Service(Store(store.path))
    assert service.scalar(metrics.exports, "Mexico", 2024, None, "vehicles") == 28_931_081_847  # the bundled chapters
    revise({("2010", "X", 2024, 5): 1}, store)
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT count(*) FROM sector_obs").fetchone()[0] == 0  # the tables exist again
    assert Service(Store(store.path)).scalar(metrics.exports, "Mexico", 2024, 5) == 1


def test_services_are_independent(tmp_path, private_home):
    """Each face owns a service; two services over two stores never mix answers."""
    from stores import revise

    other = revise({("2010", "X", 2024, 1): 1}, Store(tmp_path / "other.sqlite"))
    mine, theirs = Service(), Service(other)
    assert mine.scalar(metrics.exports, "Mexico", 2024, 1) != theirs.scalar(metrics.exports, "Mexico", 2024, 1) == 1


def _sector_rows() -> list[SectorObservation]:
    data = bundle.Bundle()
    return [SectorObservation(code, *row) for code in data.sector_codes() for row in data.sector_rows(code)]
