"""What ``xl-tdr refresh`` prints while and after it works: a progress bar, and the revisions."""

from __future__ import annotations

import sys

FLOWS = {"X": "exports", "M": "imports"}


def progress_bar():
    """A ``progress(done, total, label)`` callback drawing a tqdm bar (rate and time left) on
    stderr; a new total (the sector requests after the totals) starts a new bar."""
    from tqdm import tqdm

    bars: list = []

    def progress(done: int, total: int, label: str) -> None:
        if not bars or bars[-1].total != total or bars[-1].n > done:
            if bars:
                bars[-1].close()
            bars.append(tqdm(total=total, unit="request", file=sys.stderr, dynamic_ncols=True, leave=True))
        bars[-1].set_postfix_str(label, refresh=False)
        bars[-1].update(done - bars[-1].n)
        if done >= total:
            bars[-1].close()

    return progress


def revision_lines(summary, verbose: bool) -> list[str]:
    """The largest revisions of the totals (and, when refreshed, by HS chapter): 5, or 20 with
    ``verbose``."""
    lines = [_line(r) for r in summary.revisions[: 20 if verbose else 5]]
    if summary.sectors is not None and summary.sectors.revisions:
        shown = summary.sectors.revisions[: 20 if verbose else 5]
        lines.append(f"by HS chapter, {len(summary.sectors.revisions):,} revised; the largest:")
        lines += [_line(r) for r in shown]
    return lines


def _line(revision) -> str:
    from ..reference.partners import registry

    partner = registry().by_code.get(revision.code)
    name = partner.name if partner else revision.code
    chapter = f" HS {revision.chapter}" if revision.chapter else ""
    when = f"{revision.year}-{revision.month:02d}" if revision.month else str(revision.year)
    return (f"  revised {name}{chapter} {when} {FLOWS[revision.flow]}: {revision.old:,} → {revision.new:,} "
            f"({revision.new - revision.old:+,})")
