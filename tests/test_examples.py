import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_walkthrough_runs_and_tells_the_story():
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "walkthrough.py")],
                         capture_output=True, text=True, check=True).stdout
    assert "Mexico 2025: TDR 0.58" in out
    assert "3. China    exports  106.0  imports  308.7  TDR  1.91" in out
    assert 'did you mean Mexico?' in out


def test_automotive_example_shows_the_sector_evidence():
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "automotive.py")],
                         capture_output=True, text=True, check=True).stdout
    assert "Mexico   exports   28.9 bn  imports  136.6 bn  TDR   3.72  GL 0.35" in out
    assert "Canada   exports   56.6 bn  imports   50.4 bn  TDR  -0.11  GL 0.94" in out
    assert "87 Vehicles and parts" in out and "'vehículos' is chapter 87" in out
    assert "annual totals only in the store" in out
