"""The README's first command, as a new user runs it: taken from the README, in a fresh clone,
with Debian's own (externally managed) Python first on the PATH and a fresh data folder."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEBIAN_PYTHON = Path("/usr/bin/python3")


def readme_command(number: int) -> str:
    """Command ``number`` of the README, read as CI reads it (``.ci/readme-command``)."""
    return subprocess.run(["bash", str(ROOT / ".ci" / "readme-command"), str(number)], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_every_package_of_the_source_tree_is_installed():
    """A plain ``pip install .`` ships the packages pyproject.toml lists: a new subpackage left
    out installs an xl-tdr that cannot import itself."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "xl_tdr").rglob("__init__.py")}
    assert on_disk <= listed, sorted(on_disk - listed)


def fail_or_skip(reason: str) -> None:
    """Missing prerequisites fail under CI and skip elsewhere."""
    if os.environ.get("CI") or os.environ.get("XL_TDR_REQUIRE_SHARED"):
        pytest.fail(reason)
    pytest.skip(reason)


def fresh_clone(target: Path) -> Path:
    """A ``git clone`` of this checkout at its current commit (what is committed, nothing else)."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if head.returncode != 0:
        fail_or_skip("not a git checkout: the first command is tested in a fresh clone")
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(target)], check=True)
    subprocess.run(["git", "checkout", "--quiet", head.stdout.strip()], cwd=target, check=True)
    return target


def debian_environment(home: Path) -> dict[str, str]:
    """The environment of a new user's shell: /usr/bin first (Debian's python3), no virtual
    environment or project settings, the default data folder under a fresh XDG_DATA_HOME."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "XL_TDR_HOME", "PYTEST_ADDOPTS"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    rest = [p for p in env.get("PATH", "").split(os.pathsep) if p and p not in ("/usr/bin", "/bin")]
    env["PATH"] = os.pathsep.join(["/usr/bin", "/bin", *rest])
    env["XDG_DATA_HOME"] = str(home)
    return env


@pytest.mark.slow
def test_the_readmes_first_command_installs_and_builds_the_report(tmp_path):
    if not DEBIAN_PYTHON.exists():
        fail_or_skip(f"{DEBIAN_PYTHON} is not here: the first command is tested with Debian's own Python")
    stdlib = subprocess.run([str(DEBIAN_PYTHON), "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert (Path(stdlib) / "EXTERNALLY-MANAGED").exists(), "Debian's Python refuses pip install (PEP 668)"
    command = readme_command(1)
    clone, data = fresh_clone(tmp_path / "xl_tdr"), tmp_path / "data"
    result = subprocess.run(["bash", "-c", command], cwd=clone, env=debian_environment(data),
                            capture_output=True, text=True, timeout=1800, check=False)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"

    report = clone / "tdr_report_2025.xlsx"
    assert report.is_file() and "tdr_report_2025.xlsx in " in result.stdout, result.stdout[-500:]
    assert not (data / "xl_tdr" / "store.sqlite").exists(), "the bundled data serve: nothing is written until a refresh"
    venv = (clone / ".venv" / "pyvenv.cfg").read_text()
    assert "home = /usr/bin" in venv, venv  # made from Debian's python3
    from openpyxl import load_workbook

    workbook = load_workbook(report, read_only=True)
    assert workbook.sheetnames[0] == "TDR 2025" and "Data" in workbook.sheetnames
