"""A loopback stand-in for the Census: the International Trade API and the bulk country.xlsx.

Answers are built from the real files in ../shared/census: JSON arrays of arrays of strings,
header first, rows shuffled, the ``time`` filter echoed as an extra column; 204 for months not
published; a ``country.xlsx`` in the real layout ($ millions, unpublished months as 0, groups
numbered the bulk file's way) served with an ETag. Faults are scripted per request.
"""

from __future__ import annotations

import csv
import io
import json
import random
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from xl_tdr.sources import census as schema

KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"  # 40 characters, like a real key
FILES = {"exports": ("census_api_exports_monthly_2013-2024.csv", schema.VALUE["X"]),
         "imports": ("census_api_imports_monthly_2013-2024.csv", schema.VALUE["M"])}


def load(census: Path) -> dict:
    """flow → {(year, month) → [(code, name, value string)]} from the shared API files."""
    data = {}
    for flow, (filename, column) in FILES.items():
        months = defaultdict(list)
        with (census / filename).open() as handle:
            for row in csv.DictReader(handle):
                months[(int(row[schema.YEAR]), int(row[schema.MONTH]))].append(
                    (row[schema.CODE], row[schema.NAME], row[column]))
        data[flow] = dict(months)
    return data


HS_IMPORTS = "census_hs/census_api_imports_hs2_monthly_2023-2024.csv"
HS_ANNUAL = "census_hs/census_hs2_partner_annual_2023-2024.csv"


def split_months(chapters: dict[str, int], months: list[int]) -> dict[tuple[str, int], int]:
    """Spread annual values by chapter over months so that every chapter keeps its annual value
    and every month its total, exactly (the north-west corner rule; both sides sum the same)."""
    cells, left = {}, list(months)
    month = 0
    for chapter, value in sorted(chapters.items()):
        while value:
            while not left[month]:
                month += 1
            take = min(value, left[month])
            cells[(chapter, month + 1)] = cells.get((chapter, month + 1), 0) + take
            value -= take
            left[month] -= take
    return cells


def load_sectors(shared: Path, totals: dict) -> dict:
    """(flow, chapter) → {(year, month) → [(code, name, value string)]} from the shared HS files.

    Imports are the API's months as they are. Exports are annual per country and chapter in the
    shared files: they are spread over the months so that each chapter keeps its annual value and
    each month the country's monthly total from the API file (``split_months``); the world and the
    groups whose members are listed are summed from the countries, and the two groups whose rows
    follow membership over time (OECD, NATO) get their monthly total spread over the chapters in
    the world's proportions — the shape of the API's monthly ``ALL_VAL_MO`` answer, every partner
    with a total having chapters that add up to it."""
    from xl_tdr.reference.partners import registry

    sectors: dict = defaultdict(lambda: defaultdict(list))
    with (shared / HS_IMPORTS).open() as handle:
        for row in csv.DictReader(handle):
            sectors[("imports", row[schema.COMMODITY["M"]])][(int(row[schema.YEAR]), int(row[schema.MONTH]))].append(
                (row[schema.CODE], row[schema.NAME], row[schema.VALUE["M"]]))
    annual: dict = defaultdict(dict)
    names = {}
    with (shared / HS_ANNUAL).open() as handle:
        for row in csv.DictReader(handle):
            if int(row[schema.FILE_EXPORTS]):
                annual[(row[schema.CODE], int(row[schema.YEAR]))][row[schema.FILE_CHAPTER]] = int(row[schema.FILE_EXPORTS])
                names[row[schema.CODE]] = row[schema.NAME]
    monthly = {(code, year, month): int(value) for (year, month), rows in totals["exports"].items()
               for code, _, value in rows}
    memberships = registry().memberships()
    sums: dict = defaultdict(int)
    for (code, year), chapters in annual.items():
        months = [monthly.get((code, year, month), 0) for month in range(1, 13)]
        for (chapter, month), value in split_months(chapters, months).items():
            sectors[("exports", chapter)][(year, month)].append((code, names[code], str(value)))
            for target in ["-", *memberships.get(code, ())]:
                sums[(chapter, year, month, target)] += value
    for (chapter, year, month, code), value in sums.items():
        sectors[("exports", chapter)][(year, month)].append((code, registry().by_code[code].census_name, str(value)))
    for code in ("0022", "0023"):
        for (year, month), share in _world_shares(sums).items():
            total = monthly.get((code, year, month), 0)
            for chapter, value in apportion(total, share).items():
                if value:
                    sectors[("exports", chapter)][(year, month)].append(
                        (code, registry().by_code[code].census_name, str(value)))
    return sectors


def _world_shares(sums: dict) -> dict:
    """(year, month) → {chapter: the world's exports of it}."""
    found: dict = defaultdict(dict)
    for (chapter, year, month, code), value in sums.items():
        if code == "-":
            found[(year, month)][chapter] = value
    return found


def apportion(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` split over the keys in proportion to ``weights``, in whole numbers that add up
    to it exactly (largest remainders)."""
    whole = sum(weights.values())
    if not whole:
        return {}
    exact = {key: total * weight / whole for key, weight in weights.items()}
    found = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - found[k], reverse=True)[: total - sum(found.values())]:
        found[key] += 1
    return found


def bulk_xlsx(data: dict, published: tuple[int, int], extra_year: int | None = None) -> bytes:
    """country.xlsx in the real layout from the API figures (rounded to $0.1 million)."""
    from openpyxl import Workbook

    values = defaultdict(lambda: {"I": [0.0] * 12, "E": [0.0] * 12})
    names = {}
    for flow, letter in (("imports", "I"), ("exports", "E")):
        for (year, month), rows in data[flow].items():
            if (year, month) > published:
                continue
            for code, name, value in rows:
                if code.isdigit() and not code.startswith("0") or code == "0003":
                    values[(code, year)][letter][month - 1] = round(int(value) / 1e6, 1)
                    names[code] = name
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("country")
    months = schema.MONTHS
    ws.append([schema.BULK_YEAR, schema.BULK_CODE, schema.BULK_NAME] + [f"I{m}" for m in months] + ["IYR"]
              + [f"E{m}" for m in months] + ["EYR"])
    for (code, year), flows in sorted(values.items()):
        name = "European Union" if code == "0003" else names[code].title()
        ws.append([year, int(code) if code == "0003" else code, name] + flows["I"] + [round(sum(flows["I"]), 1)]
                  + flows["E"] + [round(sum(flows["E"]), 1)])
        if code == "0003":  # groupings numbered the bulk file's way, which must be left out
            ws.append([year, "0010", "North America"] + [1.0] * 13 + [1.0] * 13)
            ws.append([year, "0021", "USMCA with Mexico (Consump)"] + [2.0] * 13 + [0.0] * 13)
    if extra_year:  # a year whose months are not published yet: zeros, not trade
        ws.append([extra_year, "2010", "Mexico"] + [0.0] * 26)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class Replay:
    """The server's state: what is published, which faults to play, what was asked."""

    def __init__(self, census: Path):
        self.data = load(census)
        self.sectors = load_sectors(census.parent, self.data)
        self.answers: dict = {}
        self.bodies: dict = {}
        self.reset()

    def reset(self) -> None:
        self.published = (2024, 12)
        self.published_sectors: tuple[int, int] | None = None  # (None: the same as the totals)
        self.faults: dict[int, str] = {}   # request number (1-based) → fault name
        self.always: str | None = None     # a fault for every request
        self.revise: dict[tuple, str] = {}  # (flow, code, year, month) → value
        self.requests: list[str] = []
        self.agents: set[str | None] = set()
        self.bulk: bytes | None = None
        self.etag = '"v1"'
        self.delay = 0.0
        self.slow = 3.0  # seconds the "slow" fault waits (longer than the client's timeout)

    def fault_for(self, number: int) -> str | None:
        return self.always or self.faults.get(number)

    def table(self, flow: str, column: str, first: tuple[int, int], last: tuple[int, int]) -> list[list[str]]:
        rows = []
        for (year, month), entries in self.data[flow].items():
            if first <= (year, month) <= last and (year, month) <= self.published:
                for code, name, value in entries:
                    value = self.revise.get((flow, code, year, month), value)
                    rows.append([code, name, value, f"{year}-{month:02d}"])
        random.Random(len(rows)).shuffle(rows)
        return [[schema.CODE, schema.NAME, column, schema.TIME]] + rows

    def sector_table(self, flow: str, column: str, commodity: str, chapters: list[str],
                     first: tuple[int, int], last: tuple[int, int], echo: dict) -> list[list[str]]:
        """An HS2 answer: value, chapter and time columns, then the echoed filters (remembered
        while nothing is revised: an answer of 140,000 rows takes a while to assemble)."""
        published = self.published_sectors or self.published
        key = (flow, tuple(chapters), first, last, published, tuple(echo.items()))
        if not self.revise and key in self.answers:
            return self.answers[key]
        rows = []
        for chapter in chapters:
            for (year, month), entries in self.sectors.get((flow, chapter), {}).items():
                if first <= (year, month) <= last and (year, month) <= published:
                    for code, name, value in entries:
                        value = self.revise.get((flow, code, chapter, year, month), value)
                        rows.append([code, name, value, chapter, f"{year}-{month:02d}", *echo.values()])
        random.Random(len(rows)).shuffle(rows)
        table = [[schema.CODE, schema.NAME, column, commodity, schema.TIME, *echo]] + rows
        if not self.revise:
            self.answers[key] = table
        return table


def mangle(fault: str, rows: list[list[str]]) -> list[list[str]]:
    """Faults that damage an otherwise good table."""
    if len(rows) < 3:
        return rows
    rows = [list(r) for r in rows]
    if fault == "renamed_column":
        rows[0][2] = rows[0][2].replace("_MO", "")
    elif fault == "non_numeric":
        rows[5][2] = "(D)"
    elif fault == "world_mismatch":
        row = next(r for r in rows[1:] if r[0] == "2010")
        row[2] = str(int(row[2]) + 1)
    elif fault == "duplicate_row":
        rows.append(list(rows[7]))
    elif fault == "bad_code":
        rows[3][0] = "MEXICO"
    elif fault == "list_cell":  # valid JSON, but a list where a code should be
        rows[3][0] = [rows[3][0]]
    elif fault == "missing_world":
        rows = [r for r in rows if r[0] != "-"]
    elif fault == "extra_months":  # rows for a month that was not asked for
        at = rows[0].index(schema.TIME)
        rows += [[*r[:at], "2013-01", *r[at + 1:]] for r in rows[1:] if r[at] == rows[1][at]]
    elif fault == "missing_group":  # the EU left out of the answer
        rows = [r for r in rows if r[0] != "0003"]
    elif fault == "wrong_chapter":  # an exports answer labelled with another chapter than asked
        for at in [i for i, name in enumerate(rows[0]) if name == schema.COMMODITY["X"]]:
            for row in rows[1:]:
                row[at] = "99" if row[at] != "99" else "98"
    elif fault in ("negative", "huge", "superscript", "arabic_digits"):
        rows[5][2] = {"negative": "-5", "huge": "9" * 5000, "superscript": "²",
                      "arabic_digits": "١٢٣"}[fault]
    return rows


class Handler(BaseHTTPRequestHandler):
    server_version = "CensusReplay/1.0"

    def log_message(self, *args) -> None:  # quiet
        pass

    @property
    def replay(self) -> Replay:
        return self.server.replay  # type: ignore[attr-defined]

    def send(self, status: int, body: bytes = b"", content_type: str = "application/json", headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        self.replay.requests.append(self.path)
        self.replay.agents.add(self.headers.get("User-Agent"))
        number = len(self.replay.requests)
        fault = self.replay.fault_for(number)
        if self.replay.delay:
            time.sleep(self.replay.delay)
        url = urlparse(self.path)
        if url.path.endswith("/country.xlsx"):
            return self.bulk(fault)
        flow = url.path.rstrip("/").split("/")[-2]
        if flow not in FILES:
            return self.send(404, b"not found", "text/plain")
        return self.api(flow, parse_qs(url.query), fault)

    def api(self, flow: str, query: dict, fault: str | None) -> None:
        if fault and self.play(fault, query):
            return
        if "key" not in query:
            return self.send(302, b"", "text/html", {"Location": "/data/key_signup.html",
                                                     "X-DataWebAPI-KeyError": "Missing key"})
        if query["key"][0] != KEY:
            return self.send(200, b"<html><body><h1>Invalid Key</h1><p>A valid key must be included "
                                  b"with each data API request.</p></body></html>", "text/html")
        column = FILES[flow][1]
        span = query[schema.TIME][0].replace("from ", "").split(" to ")
        first, last = (tuple(int(p) for p in span[0].split("-")), tuple(int(p) for p in span[-1].split("-")))
        if schema.LEVEL in query:
            rows = self.hs2(flow, column, query, first, last)
            if rows is None:
                return None
        elif query.get("get", [""])[0].split(",") != [schema.CODE, schema.NAME, column]:
            return self.send(400, f"error: unknown variable in get={query.get('get')}".encode(), "text/plain")
        else:
            rows = self.replay.table(flow, column, first, last)
        if fault:
            rows = mangle(fault, rows)
        if len(rows) == 1:
            return self.send(204)
        body = self.replay.bodies.get(id(rows)) if not fault else None
        if body is None:
            body = json.dumps(rows).replace("],", "],\n").encode()
            if not fault and any(rows is kept for kept in self.replay.answers.values()):
                self.replay.bodies[id(rows)] = body  # a remembered answer: its bytes too
        self.send(200, body[:5000] if fault == "truncated_json" else body)

    def hs2(self, flow: str, column: str, query: dict, first, last) -> list[list[str]] | None:
        """The HS2 answer the client's query asks for, or None after sending a 400 like the API's."""
        commodity = schema.COMMODITY["X" if flow == "exports" else "M"]
        wanted = [schema.CODE, schema.NAME, column, commodity]
        echo = {schema.LEVEL: schema.CHAPTER_LEVEL}
        if flow == "exports":  # all chapters at once time out at the real API: one chapter per query
            if commodity not in query or any(query.get(k) != [v] for k, v in schema.EXPORT_DIMENSIONS.items()):
                self.send(400, b"error: exports by chapter need E_COMMODITY, DF=- and DISTRICT=-", "text/plain")
                return None
            echo = {schema.LEVEL: schema.CHAPTER_LEVEL, commodity: query[commodity][0], **schema.EXPORT_DIMENSIONS}
        if query[schema.LEVEL] != [schema.CHAPTER_LEVEL] or query.get("get", [""])[0].split(",") != wanted:
            self.send(400, f"error: unknown variable in get={query.get('get')}".encode(), "text/plain")
            return None
        chapters = [query[commodity][0]] if flow == "exports" else sorted(
            {chapter for f, chapter in self.replay.sectors if f == flow})
        return self.replay.sector_table(flow, column, commodity, chapters, first, last, echo)

    def play(self, fault: str, query: dict) -> bool:
        """Faults that replace the whole answer; returns True when one was played."""
        echo = "&".join(f"{k}={v[0]}" for k, v in query.items())
        answers = {
            "redirect": (302, b"", "text/html", {"Location": "/key_error.html", "X-DataWebAPI-KeyError": "Invalid"}),
            "invalid_key_html": (200, b"<html><body>Invalid Key: please request one</body></html>", "text/html", {}),
            "bad_request": (400, f"error: unknown predicate variable: 'FOO' in {echo}".encode(), "text/plain", {}),
            "rate_limit": (429, b"Too Many Requests", "text/plain", {"Retry-After": "0"}),
            "server_error": (500, b"Internal Server Error", "text/plain", {}),
            "html": (200, b"<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>", "text/html", {}),
            "no_data": (204, b"", "application/json", {}),
        }
        if fault in answers:
            status, body, kind, headers = answers[fault]
            self.send(status, body, kind, headers)
            return True
        if fault == "slow":
            time.sleep(self.replay.slow)
            self.send(204)
            return True
        if fault == "trickle":  # one byte every half second, for ever (bounded: 60 s)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(120):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass
            self.close_connection = True
            return True
        if fault == "bad_gzip":
            self.send(200, b"\x1f\x8b\x08\x00garbage, not gzip at all" * 10, "application/json",
                      {"Content-Encoding": "gzip"})
            return True
        if fault == "echo_key_upper":
            key = query.get("key", [""])[0]
            self.send(400, f"error: invalid key {key.upper()} in {key.lower()}".encode(), "text/plain")
            return True
        if fault in ("echo_key_base64", "echo_key_groups"):
            import base64

            key = query.get("key", [""])[0]
            shown = base64.b64encode(key.encode()).decode() if fault == "echo_key_base64" else \
                " ".join(key[i:i + 4] for i in range(0, len(key), 4))
            self.send(400, f"error: the key {shown} is not valid".encode(), "text/plain")
            return True
        if fault == "key_in_header":  # a 200 answer whose header is an error quoting the key
            key = query.get("key", [""])[0]
            self.send(200, json.dumps([["error: invalid key", key], ["x", "y"]]).encode())
            return True
        if fault == "key_as_code":  # the key where a partner code should be
            key = query.get("key", [""])[0]
            column = schema.VALUE["X"] if "exports" in self.path else schema.VALUE["M"]
            self.send(200, json.dumps([[schema.CODE, schema.NAME, column, schema.TIME],
                                       [key, "X", "1", "2024-01"]]).encode())
            return True
        if fault == "nested_json":
            self.send(200, b"[" * 200_000)
            return True
        if fault == "reset":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "500000")
            self.end_headers()
            header = json.dumps([schema.CODE, schema.NAME, schema.VALUE["X"], schema.TIME])
            self.wfile.write(f'[{header},\n["5700","CHINA","1'.encode())
            self.wfile.flush()
            self.close_connection = True
            return True
        return False

    def bulk(self, fault: str | None) -> None:
        if fault == "server_error":
            return self.send(500, b"error", "text/plain")
        body = self.replay.bulk or b""
        if fault == "corrupt_xlsx":
            body = body[: len(body) // 2]
        if self.headers.get("If-None-Match") == self.replay.etag and not fault:
            return self.send(304)
        self.send(200, body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  {"ETag": self.replay.etag, "Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT"})


class Server:
    """Start with ``Server(census).start()``; ``api_url`` and ``bulk_url`` point at it."""

    def __init__(self, census: Path):
        self.replay = Replay(census)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.replay = self.replay  # type: ignore[attr-defined]
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.api_url = f"http://{host}:{port}/data/timeseries/intltrade"
        self.bulk_url = f"http://{host}:{port}/foreign-trade/balance/country.xlsx"

    def start(self) -> "Server":
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
