"""One colour per partner, the same in every report, chart image and language.

Colour-blind-safe: Okabe & Ito's colours, then Paul Tol's "muted" ones, without yellow (too
light on white). The largest partners have a colour of their own; every other partner gets one
from its code (stable: the same in every report). Two lines of one chart that share a colour are
told apart by their marker: :func:`styles` gives each the next shape. USMCA and World, the
totals, are black and grey, drawn dashed.
"""

from __future__ import annotations

from typing import NamedTuple
from zlib import crc32

from .reference.partner_facts import CHINA, USMCA, WORLD

PALETTE = ("0072B2", "D55E00", "009E73", "CC79A7", "E69F00", "56B4E9", "882255", "117733",
           "999933", "44AA99", "AA4499", "332288")
#: The largest partners by total trade (2024–2025), each with a colour no other of them has.
FIXED = {"2010": "009E73", "1220": "D55E00", CHINA: "882255", "5830": "56B4E9", "4280": "332288",
         "5880": "CC79A7", "5520": "E69F00", "5800": "0072B2", "4419": "999933", "4120": "AA4499",
         "4190": "117733", "5330": "44AA99"}
#: The totals: USMCA black and dashed, World grey and dotted.
TOTALS = {USMCA: ("000000", "dash"), WORLD: ("7F7F7F", "sysDash")}
MARKERS = ("circle", "square", "triangle", "diamond")


class LineStyle(NamedTuple):
    """How one partner's line is drawn: colour (six hex digits), marker, dash (None: solid)."""

    color: str
    marker: str
    dash: str | None


def colour(code: str) -> str:
    """The partner's colour, six hexadecimal digits (``"009E73"`` for Mexico)."""
    if code in TOTALS:
        return TOTALS[code][0]
    return FIXED.get(code) or PALETTE[crc32(code.encode()) % len(PALETTE)]


def styles(codes: list[str]) -> list[LineStyle]:
    """A line style per partner: its own colour; a partner whose colour an earlier line of the
    same chart already has gets the next marker shape; the totals are dashed, without markers."""
    seen: dict[str, int] = {}
    found = []
    for code in codes:
        color = colour(code)
        if code in TOTALS:
            found.append(LineStyle(color, "none", TOTALS[code][1]))
            continue
        count = seen.get(color, 0)
        seen[color] = count + 1
        found.append(LineStyle(color, MARKERS[count % len(MARKERS)], None))
    return found
