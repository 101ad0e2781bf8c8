"""Every kind of formula the report writes, each beside the value it gives.

An :class:`Expr` is an Excel expression and what it evaluates to. A writer puts an Expr in a cell
and gets back the cell as an Expr (its address and its value), to use in the next formula; so a
formula's stored result is computed by :mod:`xl_tdr.metrics` from the values of the very cells the
formula reads — what Excel shows before it recalculates, and what a viewer that never
recalculates (Protected View, a phone, pandas) shows. The writers never spell a formula of their
own: the TDR, GL, coverage, share, reading band, "n/a" and chart-point rules live here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from string import Formatter
from typing import NamedTuple

from .. import metrics
from ..errors import UndefinedMetric
from ..metrics import BANDS


class ExcelError(str):
    """An error value such as ``#N/A`` (stored as an error, compared as its text)."""


NA_ERROR = ExcelError("#N/A")
MILLION = 1_000_000


class Expr(NamedTuple):
    """An Excel expression (a cell, a name, a function call — something that needs no brackets
    inside another formula) and its value."""

    text: str
    value: object


def quoted(text: str) -> str:
    """A string literal of Excel (its quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def is_number(value: object) -> bool:
    """What Excel's ISNUMBER says of a value."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_or_zero(value: object) -> float:
    """Excel's N(): a number stays, anything else is 0."""
    return value if is_number(value) else 0


def fixed(value: float, decimals: int = 2) -> str:
    """Excel's FIXED(value, decimals, TRUE) as LibreOffice and Excel round: half away from zero,
    on the shortest decimal form of the number (2.675 → "2.68")."""
    quantum = Decimal(1).scaleb(-decimals)
    return f"{Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP):f}"


def literal(number: float) -> tuple[str, float]:
    """A number as a formula spells it, and the number that spelling means (what Excel compares)."""
    text = f"{float(number):.15g}"
    return text, float(text)


def _defined(metric: Callable, *args: float) -> object:
    try:
        return metric(*args)
    except UndefinedMetric:
        return None


class Formulas:
    """The formula kinds of one report (its "n/a" word, reading bands and thresholds)."""

    def __init__(self, na: str, band_names: dict[str, str], limits: tuple[float, ...]):
        self.na, self.na_text = na, quoted(na)
        self.band_names, self.limits = band_names, limits

    def _or_na(self, condition: str, undefined: bool, text: str, value: Callable[[], object]) -> Expr:
        return Expr(f"IF({condition},{self.na_text},{text})", self.na if undefined else value())

    # -- sums over the data sheets -----------------------------------------------------------
    @staticmethod
    def sumifs(total: str, criteria: list[tuple[str, str]], value: float) -> Expr:
        """SUMIFS of the defined name ``total`` where every (name, criterion) holds."""
        return Expr(f"SUMIFS({total},{','.join(f'{name},{test}' for name, test in criteria)})", value)

    @staticmethod
    def countifs(criteria: list[tuple[str, str]], value: int) -> Expr:
        return Expr(f"COUNTIFS({','.join(f'{name},{test}' for name, test in criteria)})", value)

    @staticmethod
    def millions(dollars: Expr) -> Expr:
        return Expr(f"{dollars.text}/{MILLION}", dollars.value / MILLION)

    # -- the metric family ---------------------------------------------------------------------
    @staticmethod
    def deficit(x: Expr, m: Expr) -> Expr:
        return Expr(f"{m.text}-{x.text}", metrics.deficit(x.value, m.value))

    def tdr(self, x: Expr, m: Expr) -> Expr:
        """(imports − exports) / exports; "n/a" without exports."""
        found = _defined(metrics.tdr, x.value, m.value)
        return self._or_na(f"{x.text}=0", found is None, f"({m.text}-{x.text})/{x.text}", lambda: found)

    def coverage(self, x: Expr, m: Expr) -> Expr:
        """exports / imports; "n/a" without imports."""
        found = _defined(metrics.coverage, x.value, m.value)
        return self._or_na(f"{m.text}=0", found is None, f"{x.text}/{m.text}", lambda: found)

    def share(self, x: Expr, m: Expr, world_x: Expr, world_m: Expr) -> Expr:
        """A partner's total trade as a share of the world's."""
        found = _defined(metrics.share, x.value + m.value, world_x.value + world_m.value)
        return self._or_na(f"{world_x.text}+{world_m.text}=0", found is None,
                           f"({x.text}+{m.text})/({world_x.text}+{world_m.text})", lambda: found)

    def share_of(self, x: Expr, m: Expr, total: Expr) -> Expr:
        """Exports + imports (millions) as a share of a total trade in dollars."""
        found = _defined(metrics.share, (x.value + m.value) * MILLION, total.value)
        return self._or_na(f"{total.text}=0", found is None, f"({x.text}+{m.text})*{MILLION}/{total.text}",
                           lambda: found)

    def gl(self, x: Expr, m: Expr, gap: Expr) -> Expr:
        """Grubel–Lloyd, 1 − gap / (exports + imports): the gap is |X − M| summed over a country's
        chapters, or over a group's member countries and chapters (the pooled index)."""
        found = _defined(metrics.share, gap.value, x.value + m.value)
        return self._or_na(f"{x.text}+{m.text}=0", found is None, f"1-{gap.text}/({x.text}+{m.text})",
                           lambda: 1 - found)

    def band(self, ratio: Expr) -> Expr:
        """The reading of a TDR cell in the report's words ("n/a" for no number)."""
        names = {key: quoted(name) for key, name in self.band_names.items()}
        text = names[BANDS[-1]]
        limits = [literal(limit) for limit in self.limits]
        for (limit, _), key in reversed(list(zip(limits, BANDS))):
            text = f"IF({ratio.text}<{limit},{names[key]},{text})"
        shown = tuple(number for _, number in limits)
        value = self.band_names[metrics.band(ratio.value, shown)] if is_number(ratio.value) else self.na
        return Expr(f"IF(ISNUMBER({ratio.text}),{text},{self.na_text})", value)

    def unless_missing(self, count: Expr, then: Expr, fewest: int = 1) -> Expr:
        """``then``, or "n/a" when ``count`` (a COUNTIFS) is below ``fewest``."""
        return self._or_na(f"{count.text}<{fewest}", count.value < fewest, then.text, lambda: then.value)

    def if_numbers(self, cells: list[Expr], then: Callable[..., Expr]) -> Expr:
        """``then(*cells)`` when every cell holds a number, else "n/a"."""
        text = then(*(Expr(cell.text, 1) for cell in cells)).text  # the text does not depend on the values
        test = ",".join(f"ISNUMBER({cell.text})" for cell in cells)
        numbers = all(is_number(cell.value) for cell in cells)
        return Expr(f"IF(AND({test}),{text},{self.na_text})", then(*cells).value if numbers else self.na)

    @staticmethod
    def blank_unless(cell: Expr, then: Callable[..., Expr], *cells: Expr) -> Expr:
        """``then(*cells)``, or "" when ``cell`` is empty text (a row the table does not fill)."""
        text = then(*(Expr(c.text, 1) for c in cells)).text  # the text does not depend on the values
        return Expr(f'IF({cell.text}="","",{text})', "" if cell.value == "" else then(*cells).value)

    @staticmethod
    def gap(x: Expr, m: Expr) -> Expr:
        """|exports − imports| of one country and chapter."""
        return Expr(f"ABS({x.text}-{m.text})", abs(x.value - m.value))

    @staticmethod
    def lookup(key: Expr, keys: str, values: str, found: object) -> Expr:
        """INDEX/MATCH of ``key`` in the range ``keys``, giving the same row of ``values`` ("" when
        it is not there)."""
        return Expr(f'IFERROR(INDEX({values},MATCH({key.text},{keys},0)),"")', found)

    # -- charts and labels -----------------------------------------------------------------------
    @staticmethod
    def chart_point(cell: Expr) -> Expr:
        """A chart's source cell: the number, or #N/A (a gap in the line, no marker) — text such
        as "n/a" would be drawn as 0."""
        value = cell.value if is_number(cell.value) else NA_ERROR
        return Expr(f"IF(ISNUMBER({cell.text}),{cell.text},NA())", value)

    @staticmethod
    def text(template: str, **parts: Expr | object) -> Expr:
        """A template text whose placeholders are cells (Exprs) or fixed values, joined with ``&``:
        ``"{partner}: TDR by year"`` with the chosen partner's cell → ``B3&": TDR by year"``."""
        pieces, value = [], []
        for plain, name, _, _ in Formatter().parse(template):
            if plain:
                pieces.append(quoted(plain))
                value.append(plain)
            if name is None:
                continue
            part = parts[name]
            if isinstance(part, Expr):
                pieces.append(part.text)
                value.append(str(part.value))
            else:
                pieces.append(quoted(str(part)))
                value.append(str(part))
        return Expr("&".join(pieces) or '""', "".join(value))

    @staticmethod
    def fixed(cell: Expr, decimals: int = 2) -> Expr:
        """A number as text with ``decimals`` decimals, without thousands separators."""
        return Expr(f"FIXED({cell.text},{decimals},TRUE)", fixed(cell.value, decimals))

    def labelled_if_above(self, name: Expr, peak: Expr, limit: float, template: str) -> Expr:
        """``name``, or the ``template`` text (``{partner}``, ``{value}``) when ``peak`` is above
        ``limit`` — a line's legend entry that says it runs off the capped axis."""
        peak_number = Expr(f"N({peak.text})", number_or_zero(peak.value))
        said = self.text(template, partner=name, value=self.fixed(peak_number))
        text, limit = literal(limit)
        return Expr(f"IF({peak_number.text}>{text},{said.text},{name.text})",
                    said.value if peak_number.value > limit else name.value)

    def flagged(self, title: Expr, points: list[tuple[Expr, Expr]], limit: float, template: str) -> Expr:
        """``title`` followed, for every (name, value) point above ``limit``, by ``; `` and the
        ``template`` text (``{partner}``, ``{value}``): a legend entry naming the points that lie
        off a capped axis, whatever the cells hold after a change."""
        text, limit = literal(limit)
        pieces, value = [title.text], str(title.value)
        for name, point in points:
            peak = Expr(f"N({point.text})", number_or_zero(point.value))
            said = self.text("; " + template, partner=name, value=self.fixed(peak))
            pieces.append(f'IF({peak.text}>{text},{said.text},"")')
            value += said.value if peak.value > limit else ""
        return Expr("&".join(pieces), value)
