"""The bundled data: the snapshot of totals, the sector snapshot and their columnar encoding.

Read at run time (seeding a store); written by the maintainers' builders in ``xl_tdr.snapshot``.
"""

from __future__ import annotations

import json
import lzma
from collections import defaultdict
from pathlib import Path

from .. import config
from ..errors import SnapshotError
from .records import Observation, SectorObservation

SNAPSHOT_NAME, PARTNERS_NAME = "snapshot.json.xz", "partners.json"
SECTORS_NAME, CHAPTERS_NAME = "sectors.json.xz", "chapters.json"


def encode_rows(observations: list) -> tuple[list, list]:
    """Monthly values as ``[*key, vintage, [12 values]]`` and annual-only ones as
    ``[*key, vintage, value]``, where key is every field before ``month`` (code, flow, year;
    with the chapter for sector observations)."""
    monthly: dict[tuple, list] = defaultdict(lambda: [None] * 12)
    annual = []
    for obs in observations:
        key = tuple(obs[:-3]) + (obs.vintage,)
        if obs.month:
            monthly[key][obs.month - 1] = obs.value
        else:
            annual.append([*key, obs.value])
    return [[*key, values] for key, values in sorted(monthly.items())], sorted(annual)


def decode_rows(kind, monthly: list, annual: list) -> list:
    """The observations (of NamedTuple ``kind``) that :func:`encode_rows` encoded."""
    rows = [kind(*key[:-1], month + 1, value, key[-1])
            for *key, values in monthly for month, value in enumerate(values) if value is not None]
    return rows + [kind(*key[:-1], 0, value, key[-1]) for *key, value in annual]


def read_payload(path: Path) -> dict:
    """A bundled ``*.json.xz`` file, decompressed and parsed."""
    try:
        return json.loads(lzma.decompress(path.read_bytes()))
    except (OSError, lzma.LZMAError, ValueError) as exc:
        raise SnapshotError(f"the bundled snapshot {path} cannot be read ({exc})") from None


def write_payload(path: Path, payload: dict) -> int:
    """Write ``payload`` as xz-compressed JSON; returns its size in bytes."""
    path.write_bytes(lzma.compress(json.dumps(payload, separators=(",", ":")).encode(), preset=9))
    return path.stat().st_size


def load(path: Path | None = None) -> tuple[list[Observation], list[dict], dict[str, str]]:
    """Read the bundled snapshot: observations, vintages and Census names."""
    payload = read_payload(path or config.BUNDLED_DIR / SNAPSHOT_NAME)
    return decode_rows(Observation, payload["monthly"], payload["annual"]), payload["vintages"], payload["names"]


def load_sectors(path: Path | None = None) -> tuple[list[SectorObservation], list[dict]]:
    """Read the bundled sector snapshot: observations and their vintages."""
    payload = read_payload(path or config.BUNDLED_DIR / SECTORS_NAME)
    return decode_rows(SectorObservation, payload["monthly"], payload["annual"]), payload["vintages"]
