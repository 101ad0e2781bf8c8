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
