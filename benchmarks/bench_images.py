"""Chart images: a chart in a fresh process (goal ≤ 1.5 s) and warm in one (goal ≤ 0.3 s).

Run: python benchmarks/bench_images.py   (throwaway XL_TDR_HOME, seeded first; prints numbers only)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_core import fresh_process as fresh  # (sets a throwaway XL_TDR_HOME)

import xl_tdr  # noqa: E402

OUT = Path(tempfile.mkdtemp(prefix="xl_tdr_bench_images_"))
CHARTS = {
    "exhibit, top 5 (PNG)": ("exhibit", {}, "png"),
    "exhibit, top 15, Spanish (SVG)": ("exhibit", {"top": 15, "lang": "es"}, "svg"),
    "exhibit, top 7, print (PDF)": ("exhibit", {"top": 7, "size": "print"}, "pdf"),
    "trend, default partners (PNG)": ("trend", {}, "png"),
    "gl, top 10 (PNG)": ("gl", {}, "png"),
    "sector, Mexico (PNG)": ("sector", {"partners": "Mexico"}, "png"),
}


def warm(kind: str, options: dict, suffix: str, repeat: int = 10) -> float:
    """Median seconds to draw and write one chart in a process that has drawn it before."""
    out = OUT / f"warm.{suffix}"
    xl_tdr.chart(kind, out=out, **options)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        xl_tdr.chart(kind, out=out, **options)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    subprocess.run([sys.executable, "-c", "import xl_tdr; xl_tdr.info()"], check=True)  # seed the store once
    base = fresh("import xl_tdr; xl_tdr.tdr('Mexico', 2025)")
    print(f"fresh process, no chart (import xl_tdr, tdr): {base:.2f} s (median of 5)")
    png = OUT / "fresh.png"
    api = fresh(f"import xl_tdr; xl_tdr.chart(out={str(png)!r})")
    print(f"fresh process, the exhibit as PNG via xl_tdr.chart: {api:.2f} s (median of 5; goal <= 1.5 s)")
    cli = fresh(f"from xl_tdr.cli import main; main(['chart', '-o', {str(png)!r}])")
    print(f"fresh process, `xl-tdr chart -o fresh.png`: {cli:.2f} s (median of 5)")
    sector = fresh(f"import xl_tdr; xl_tdr.chart('sector', partners='Mexico', out={str(png)!r})")
    print(f"fresh process, the Mexico sector chart (loads the sector index too): {sector:.2f} s (median of 5)")
    for name, (kind, options, suffix) in CHARTS.items():
        print(f"warm, {name}: {warm(kind, options, suffix):.3f} s (median of 10; goal <= 0.3 s)")


if __name__ == "__main__":
    main()
