"""Value axes that tell the truth and stay readable: round steps, two axes whose zeros line up,
and an axis capped above the rest when one partner is far off the scale.

Pure: the workbook's native charts and the chart images both draw with these bounds.
"""

from __future__ import annotations

import math

Bounds = tuple[float, float, float]  # minimum, maximum, major unit


def nice_step(span: float) -> float:
    """The round step (1, 2, 2.5 or 5 × 10ⁿ) at or above ``span``."""
    if span <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(span))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= span * (1 - 1e-12))


def aligned_bounds(left: list[float], right: list[float], steps: int = 6, headroom: float = 0.08) -> tuple[Bounds, Bounds]:
    """Bounds of two value axes drawn side by side whose zeros sit at the same height (and whose
    gridlines coincide): each axis gets a round step of its own, and both the same number of
    steps below and above zero."""
    def measure(values: list[float]) -> tuple[float, int, int]:
        low, high = min([0.0, *values]), max([0.0, *values])
        pad = (high - low) * headroom
        step = nice_step((high - low + 2 * pad) / steps)
        return step, math.ceil((-low + (pad if low < 0 else 0)) / step - 1e-9), math.ceil((high + pad) / step - 1e-9)

    (step_l, below_l, above_l), (step_r, below_r, above_r) = measure(left), measure(right)
    below, above = max(below_l, below_r), max(above_l, above_r, 1)
    return (-below * step_l, above * step_l, step_l), (-below * step_r, above * step_r, step_r)


def capped_points(values: dict[str, float]) -> tuple[Bounds | None, dict[str, float]]:
    """One TDR per partner (the exhibit's markers, in the workbook and the chart images alike):
    capped only for a TDR three times the next highest, taken as at least 1 — Vietnam's 9.46
    against China's 2.06, not China's 1.91 against Mexico's 0.58."""
    return capped({code: [value] for code, value in values.items()}, factor=3.0, floor=1.0, points=True)


def capped(values: dict[str, list[float]], factor: float = 2.0, fewest: int = 4,
           points: bool = False, floor: float = 0.5) -> tuple[Bounds | None, dict[str, float]]:
    """A value axis that keeps the others readable when one partner's value is far above the
    rest (Vietnam's TDR of 11 against 0–3): the axis is capped a round step above the next
    highest, and the partners beyond it are returned with their highest value, for a legend or
    note to name. None (the chart's own scale) without an outlier, with fewer than ``fewest``
    partners, or when a partner's line would lie wholly above the cap — unless the values are
    ``points`` (one value per partner: the chart draws an outlier's marker at the cap, or leaves
    it off, and names it with its value). An outlier is ``factor`` times the next highest, taken
    as at least ``floor``."""
    peaks = sorted(((max(v), code) for code, v in values.items() if v), reverse=True)
    if len(peaks) < fewest:  # a few lines: each keeps its place, whatever the scale
        return None, {}
    rest = [peak for peak, _ in peaks[1:]]
    if peaks[0][0] <= factor * max(rest[0], floor):
        return None, {}
    step = nice_step(rest[0] * 1.15 / 5)
    top = step * math.ceil(rest[0] * 1.1 / step)
    low = min(min(v) for v in values.values() if v)
    bottom = -step * math.ceil(-low / step) if low < 0 else 0.0
    outliers = {code: peak for peak, code in peaks if peak > top}
    if not points and any(min(values[code]) > top for code in outliers):
        return None, {}  # a line wholly above the cap would vanish: keep the full scale
    return (bottom, top, step), outliers
