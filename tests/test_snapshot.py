"""The bundled snapshot is what the project's importer makes of the real Census files."""

import csv
import json
import shutil
import zlib
from collections import defaultdict

import pytest

from xl_tdr import config
from xl_tdr.data import bundle
from xl_tdr.data.records import Observation, is_country
from xl_tdr.data.rules import check_world, derive_groups
from xl_tdr.errors import SnapshotError
from xl_tdr.reference.partners import registry
from xl_tdr import snapshot
from xl_tdr.snapshot import totals as snapshot_totals


def _payload(folder):
    data = json.loads(zlib.decompress((folder / bundle.TOTALS_NAME).read_bytes()))
    data.pop("built")
    return data


def _observations() -> list[Observation]:
    return [Observation(*row) for row in bundle.Bundle().totals()[0]]


def test_bundled_snapshot_is_rebuilt_identically(census, tmp_path):
    """The importer, run on the shared files, makes the bundled totals, partners, sector pack and
    chapters again, value for value."""
    summary = snapshot.build(census, tmp_path)
    assert _payload(tmp_path) == _payload(config.BUNDLED_DIR)
    assert (tmp_path / "partners.json").read_text() == (config.BUNDLED_DIR / "partners.json").read_text()
    assert summary["observations"] > 72_000
    assert summary["bytes"] < 600_000  # compact: a few hundred KB

    def sectors(folder):
        data = bundle.Bundle(folder)
        return data.sector_vintages(), {code: data.sector_rows(code) for code in data.sector_codes()}

    assert sectors(tmp_path) == sectors(config.BUNDLED_DIR)
    assert (tmp_path / "chapters.json").read_text() == (config.BUNDLED_DIR / "chapters.json").read_text()
    total = summary["sectors"]["bytes"] + (config.BUNDLED_DIR / bundle.TOTALS_NAME).stat().st_size
    assert total <= 1.75 * 2**20  # zlib, one block per partner: cheap to decode, a little larger than xz


def test_snapshot_reproduces_the_api_files_to_the_dollar(census):
    observations, vintages = _observations(), bundle.Bundle().totals()[1]
    stored = {(o.code, o.flow, o.year, o.month): o.value for o in observations if o.vintage == 1}
    for flow, (filename, column) in snapshot_totals.API_FILES.items():
        with (census / filename).open() as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == sum(1 for key in stored if key[1] == flow)
        for row in rows:
            key = (row["CTY_CODE"], flow, int(row["YEAR"]), int(row["MONTH"]))
            assert stored[key] == int(row[column])
    assert {v["id"] for v in vintages} == {1, 2, 3}


def test_2025_annual_values_are_the_bulk_millions_in_dollars(census):
    observations = _observations()
    annual = {(o.code, o.flow): o for o in observations if o.year == 2025}
    with (census / snapshot_totals.ANNUAL_FILE).open() as handle:
        for row in csv.DictReader(handle):
            if row["is_aggregate"] == "False":
                assert annual[(row["census_code"], "X")].value == round(float(row["exports_musd"]) * 1e6)
                assert annual[(row["census_code"], "M")].value == round(float(row["imports_musd"]) * 1e6)
    # World, USMCA and continents are derived (vintage 3); the bulk file's own 0021/0022 series are not used
    assert annual[("-", "X")].vintage == 3 and annual[("-", "X")].value == 2_179_891_500_000
    assert annual[("-", "M")].value == 3_414_510_100_000
    assert annual[("0020", "M")].value == annual[("2010", "M")].value + annual[("1220", "M")].value
    assert annual[("0003", "X")].vintage == 2
    assert ("0007", "X") not in annual  # the bulk file's own numbering of groups is not used …
    members = [code for code, groups in registry().memberships().items() if "0021" in groups]
    assert annual[("0021", "X")].vintage == 3  # … its 0021 is not the Twenty Latin American Republics: summed
    assert annual[("0021", "X")].value == sum(annual[(code, "X")].value for code in members if (code, "X") in annual)


def test_countries_add_up_to_the_world_row_every_month(census):
    observations = _observations()
    world, countries = {}, defaultdict(int)
    for o in observations:
        if o.code == "-":
            world[(o.flow, o.year, o.month)] = o.value
        elif is_country(o.code):
            countries[(o.flow, o.year, o.month)] += o.value
    assert len(world) == 2 * (12 * 12 + 1)
    assert all(countries[key] == value for key, value in world.items())


def test_derived_groups_equal_the_api_rows(census):
    """Deriving the World, USMCA and the continents from the API's countries gives the API's own
    rows; so do the groups listed with today's members, for the years those are their members
    (ASEAN throughout, the Euro Area since Croatia joined in 2023, the EU since the UK left)."""
    observations = _observations()
    api = [o for o in observations if o.vintage == 1]
    given = {(o.code, o.flow, o.year, o.month): o.value for o in api}
    countries_only = [o for o in api if is_country(o.code)]
    memberships = registry().memberships()
    stable = {code: [g for g in groups if g == "0020" or g.endswith("XXX")] for code, groups in memberships.items()}
    derived = derive_groups(countries_only, 9, stable)
    assert len(derived) == 2 * 144 * 9
    assert all(given[(d.code, d.flow, d.year, d.month)] == d.value for d in derived)
    since = {"0027": 2013, "0025": 2023, "0003": 2021, "0014": 2013, "0021": 2013, "0024": 2013, "0026": 2013,
             "0028": 2013, "0017": 2013}
    listed = [d for d in derive_groups(countries_only, 9, memberships) if d.year >= since.get(d.code, 9999)]
    assert {d.code for d in listed} == set(since)
    assert all(given[(d.code, d.flow, d.year, d.month)] == d.value for d in listed)


def _copy_inputs(census, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(census, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


@pytest.mark.parametrize("mangle, message", [
    (lambda text: text.replace("ALL_VAL_MO", "VALUE", 1), "lacks the column ALL_VAL_MO"),
    (lambda text: text.replace(",123031879061", ",12x", 1), r"row 2 .* non-numeric value '12x' for - 2013-01"),
    (lambda text: text + text.splitlines()[1] + "\n", "repeats - 2013-01"),
    (lambda text: text.replace(",123031879061", ",123031879062", 1), "do not add up to the world"),
])
def test_importer_rejects_bad_input_with_a_clear_message(census, tmp_path, mangle, message):
    folder = _copy_inputs(census, tmp_path)
    path = folder / snapshot_totals.API_FILES["X"][0]
    path.write_text(mangle(path.read_text()))
    with pytest.raises(SnapshotError, match=message):
        snapshot.build(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_importer_names_a_missing_file(tmp_path):
    with pytest.raises(SnapshotError, match="missing input file"):
        snapshot.build(tmp_path, tmp_path / "out")


def test_check_world_names_the_period():
    rows = [Observation("-", "X", 2024, 1, 10, 1), Observation("2010", "X", 2024, 1, 9, 1)]
    with pytest.raises(SnapshotError, match="X 2024-01: countries 9 ≠ world 10"):
        check_world(rows)
