"""The TDR metric family: pure functions of exports and imports (U.S. side, any unit).

All take exports ``x`` and imports ``m`` as non-negative numbers of the same unit. A ratio whose
denominator is zero raises :class:`UndefinedMetric` — never ``inf`` or ``NaN``.
"""

from __future__ import annotations

from .errors import UndefinedMetric

#: TDR reading bands, lowest first, and the default thresholds between them (a TDR below the
#: first reads "surplus", below the second "balanced", …; from the last on "high dependency").
#: Reading guide: below 0 the U.S. runs a surplus; near 0 trade is balanced; 0.5 means imports of
#: $1.50 per $1 exported; from 1.0 on the U.S. imports at least twice what it exports.
BANDS = ("surplus", "balanced", "moderate", "high dependency")
BAND_LIMITS = (0.0, 0.25, 1.0)


def tdr(x: float, m: float) -> float:
    """Trade Deficit Ratio, (imports − exports) / exports."""
    if not x:
        raise UndefinedMetric("TDR is undefined: U.S. exports to this partner are zero")
    return (m - x) / x


def exports(x: float, m: float) -> float:
    """The exports of an (exports, imports) pair — a metric like the others, for one memo."""
    return x


def imports(x: float, m: float) -> float:
    """The imports of an (exports, imports) pair."""
    return m


def deficit(x: float, m: float) -> float:
    """U.S. trade deficit with the partner, imports − exports."""
    return m - x


def balance(x: float, m: float) -> float:
    """U.S. trade balance with the partner, exports − imports (Census's sign)."""
    return x - m


def coverage(x: float, m: float) -> float:
    """Export coverage of imports, exports / imports."""
    if not m:
        raise UndefinedMetric("coverage is undefined: U.S. imports from this partner are zero")
    return x / m


def normalised_balance(x: float, m: float) -> float:
    """(exports − imports) / (exports + imports), between −1 and 1."""
    if not x + m:
        raise UndefinedMetric("normalised balance is undefined: no trade with this partner")
    return (x - m) / (x + m)


def total_trade(x: float, m: float) -> float:
    """Exports + imports."""
    return x + m


def share(part: float, whole: float) -> float:
    """``part`` as a share of ``whole`` (e.g. a partner's total trade in U.S. total trade)."""
    if not whole:
        raise UndefinedMetric("share is undefined: the total is zero")
    return part / whole


def band(ratio: float, limits: tuple[float, ...] = BAND_LIMITS) -> str:
    """The reading band of a TDR: surplus, balanced, moderate or high dependency (``limits``:
    the thresholds between them, increasing)."""
    for limit, label in zip(limits, BANDS):
        if ratio < limit:
            return label
    return BANDS[-1]


def grubel_lloyd(pairs: list[tuple[float, float]]) -> float:
    """Grubel–Lloyd intra-industry trade index, trade-weighted over sectors:
    1 − Σ|Xᵢ − Mᵢ| / Σ(Xᵢ + Mᵢ). For one sector, 1 − |X − M| / (X + M).

    Near 1: two-way trade inside the same industries (co-production); near 0: one-way trade.
    """
    total = sum(x + m for x, m in pairs)
    if not total:
        raise UndefinedMetric("the Grubel–Lloyd index is undefined: no trade in these sectors")
    return 1 - sum(abs(x - m) for x, m in pairs) / total


def grubel_lloyd_adjusted(pairs: list[tuple[float, float]]) -> float:
    """Grubel–Lloyd index adjusted for the overall imbalance:
    (Σ(Xᵢ + Mᵢ) − Σ|Xᵢ − Mᵢ|) / (Σ(Xᵢ + Mᵢ) − |ΣXᵢ − ΣMᵢ|).

    The plain index is lowered by a partner's overall deficit or surplus; this one measures
    two-way trade relative to the most that the overall balance allows (equal to the plain index
    when trade is balanced overall; 1 when every sector is as balanced as the total).
    """
    total = sum(x + m for x, m in pairs)
    gap = abs(sum(x for x, _ in pairs) - sum(m for _, m in pairs))
    if total - gap <= 0:
        raise UndefinedMetric("the adjusted Grubel–Lloyd index is undefined: trade is one-way overall")
    return (total - sum(abs(x - m) for x, m in pairs)) / (total - gap)


def grubel_lloyd_bloc(pairs: list[tuple[float, float]]) -> float:
    """The Grubel–Lloyd index of a group's own flows, netted across its members (the bloc view):
    the same formula as :func:`grubel_lloyd`, over the group's per-chapter totals instead of its
    members' pairs."""
    return grubel_lloyd(pairs)


def grubel_lloyd_adjusted_bloc(pairs: list[tuple[float, float]]) -> float:
    """The adjusted index of a group's own flows (the bloc view of :func:`grubel_lloyd_adjusted`)."""
    return grubel_lloyd_adjusted(pairs)


#: Metrics of per-sector (exports, imports) pairs rather than of one (exports, imports) total;
#: for a group, pooled over its member countries' pairs, except the bloc metrics.
SECTOR_METRICS = (grubel_lloyd, grubel_lloyd_adjusted, grubel_lloyd_bloc, grubel_lloyd_adjusted_bloc)
BLOC_METRICS = (grubel_lloyd_bloc, grubel_lloyd_adjusted_bloc)


def gl_metric(adjusted: bool = False, bloc: bool = False):
    """The Grubel–Lloyd metric asked for: plain or adjusted, pooled over a group's members or of
    its own (bloc) flows."""
    return {(False, False): grubel_lloyd, (True, False): grubel_lloyd_adjusted,
            (False, True): grubel_lloyd_bloc, (True, True): grubel_lloyd_adjusted_bloc}[(adjusted, bloc)]
