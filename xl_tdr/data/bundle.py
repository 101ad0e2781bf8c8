"""The bundled data: the snapshot of real Census figures that ships with the package.

Two files in ``_bundled/``, both cheap to decode (zlib, also in WebAssembly): ``totals.json.zlib``
(every partner's totals with the vintages and Census names) and ``sectors.pack`` (trade by HS
chapter, one compressed block per partner, so that a partner's chapters are read only when asked
for). Read at run time; written by the maintainers' builders in :mod:`xl_tdr.snapshot`.

Rows come out as plain tuples: totals ``(code, flow, year, month, value, vintage)``, a partner's
chapters ``(chapter, flow, year, month, value, vintage)``; ``month`` 0 is an annual total.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from .. import config
from ..errors import SnapshotError

TOTALS_NAME, SECTORS_NAME = "totals.json.zlib", "sectors.pack"
PARTNERS_NAME, CHAPTERS_NAME = "partners.json", "chapters.json"
MAGIC = b"xl_tdr sectors 2\n"
FORMAT = 2


def encode_rows(rows: list[tuple]) -> tuple[list, list]:
    """Rows ``(*key, month, value, vintage)`` as monthly ``[*key, vintage, [12 values]]`` (None
    where a month has no row) and annual ``[*key, vintage, value]`` lists."""
    monthly: dict[tuple, list] = defaultdict(lambda: [None] * 12)
    annual = []
    for *key, month, value, vintage in rows:
        if month:
            monthly[(*key, vintage)][month - 1] = value
        else:
            annual.append([*key, vintage, value])
    return [[*key, values] for key, values in sorted(monthly.items())], sorted(annual)


def decode_rows(monthly: list, annual: list) -> list[tuple]:
    """The rows ``(*key, month, value, vintage)`` that :func:`encode_rows` encoded."""
    rows = [(*key[:-1], month, value, key[-1])
            for *key, values in monthly for month, value in enumerate(values, 1) if value is not None]
    rows += [(*key[:-1], 0, value, key[-1]) for *key, value in annual]
    return rows


def _pack(payload: dict) -> bytes:
    return zlib.compress(json.dumps(payload, separators=(",", ":")).encode(), 9)


def _unpack(data: bytes, path: Path) -> dict:
    try:
        return json.loads(zlib.decompress(data))
    except (zlib.error, ValueError) as exc:
        raise SnapshotError(f"the bundled data {path} cannot be read ({exc})") from None


def write_totals(path: Path, rows: list[tuple], vintages: list[dict], names: dict[str, str], built: str) -> int:
    """Write the totals file; returns its size in bytes."""
    monthly, annual = encode_rows(rows)
    path.write_bytes(_pack({"format": FORMAT, "built": built, "vintages": vintages,
                            "names": dict(sorted(names.items())), "monthly": monthly, "annual": annual}))
    return path.stat().st_size


def write_sectors(path: Path, rows: list[tuple], vintages: list[dict], built: str) -> int:
    """Write the sector pack from rows ``(code, chapter, flow, year, month, value, vintage)``: one
    compressed block per partner after a header that says where each block is."""
    by_code: dict[str, list[tuple]] = defaultdict(list)
    for code, *rest in rows:
        by_code[code].append(tuple(rest))
    blocks, where, offset = [], {}, 0
    for code in sorted(by_code):
        monthly, annual = encode_rows(by_code[code])
        block = _pack({"monthly": monthly, "annual": annual})
        where[code] = [offset, len(block)]
        blocks.append(block)
        offset += len(block)
    header = json.dumps({"format": FORMAT, "built": built, "vintages": vintages, "blocks": where}).encode()
    path.write_bytes(MAGIC + struct.pack("<I", len(header)) + header + b"".join(blocks))
    return path.stat().st_size


class Bundle:
    """The bundled data of one folder (the package's ``_bundled/`` by default), read lazily."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder or config.bundled_dir())
        self._below_zero: dict[str, list[tuple]] = {}

    @property
    def identity(self) -> str:
        """Changes whenever a bundled file does (for caches of what is built from it)."""
        stats = [(self.folder / name).stat() for name in (TOTALS_NAME, SECTORS_NAME)]
        return ";".join(f"{s.st_size}:{s.st_mtime_ns}" for s in stats)

    @lru_cache(maxsize=1)
    def totals(self) -> tuple[list[tuple], list[dict], dict[str, str]]:
        """Every total as a row, the vintages and the Census names."""
        path = self.folder / TOTALS_NAME
        payload = _unpack(self._read(path), path)
        return decode_rows(payload["monthly"], payload["annual"]), payload["vintages"], payload["names"]

    @lru_cache(maxsize=1)
    def _sector_pack(self) -> tuple[bytes, int, dict]:
        path = self.folder / SECTORS_NAME
        data = self._read(path)
        if not data.startswith(MAGIC):
            raise SnapshotError(f"the bundled data {path} cannot be read (not a sector pack)")
        start = len(MAGIC) + 4
        (size,) = struct.unpack("<I", data[len(MAGIC):start])
        try:
            header = json.loads(data[start:start + size])
        except ValueError as exc:
            raise SnapshotError(f"the bundled data {path} cannot be read ({exc})") from None
        return data, start + size, header

    def sector_vintages(self) -> list[dict]:
        """The vintages of the bundled trade by HS chapter."""
        return self._sector_pack()[2]["vintages"]

    def sector_codes(self) -> list[str]:
        """The partners with bundled trade by HS chapter."""
        return list(self._sector_pack()[2]["blocks"])

    def sector_rows(self, code: str) -> list[tuple]:
        """A partner's bundled chapters as rows ``(chapter, flow, year, month, value, vintage)``."""
        data, base, header = self._sector_pack()
        where = header["blocks"].get(code)
        if where is None:
            return []
        offset, length = where
        payload = _unpack(data[base + offset:base + offset + length], self.folder / SECTORS_NAME)
        return decode_rows(payload["monthly"], payload["annual"])

    @lru_cache(maxsize=1)
    def totals_below_zero(self) -> list[tuple]:
        """Every total as a row with its vintage numbered below zero, as views read them."""
        return [(*row[:-1], -row[-1]) for row in self.totals()[0]]

    def sector_rows_below_zero(self, code: str) -> list[tuple]:
        """A partner's chapters with the vintage numbered below zero, as views read them (decoded
        once per process: a report reads every partner's)."""
        found = self._below_zero.get(code)
        if found is None:
            found = self._below_zero[code] = [(*row[:-1], -row[-1]) for row in self.sector_rows(code)]
        return found

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise SnapshotError(f"the bundled data {path} cannot be read ({exc.strerror or exc})") from None


def bundle(folder: Path | None = None) -> Bundle:
    """The bundled data (one reader per folder and process; by default the package's, or
    ``XL_TDR_BUNDLED_DIR``)."""
    return _reader(Path(folder or config.bundled_dir()))


@lru_cache(maxsize=8)
def _reader(folder: Path) -> Bundle:
    return Bundle(folder)
