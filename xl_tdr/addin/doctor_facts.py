"""What ``xl-tdr doctor`` looks at (``Setup``) and what each check says (``Check``).

``Setup.here()`` describes this machine; the tests describe broken desktops with their own
``Setup`` (folders, stand-in interpreters, an Excel executable's header, registry values).
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import build, machine

OK, WARN, FAIL, NA = "ok", "warn", "fail", "n/a"
MARKS = {OK: "✓", WARN: "!", FAIL: "✗", NA: "–"}


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Setup:
    """The facts the checks look at. ``python``, ``bits`` and ``xlwings_version`` are the Python
    running doctor; the Python Excel starts is the one the config file names (``probe``)."""
    windows: bool
    python: Path
    python_version: str
    bits: int
    xlwings_version: str | None
    profile: Path
    conf: Path
    xlstart: Path
    code_page: str
    excel: machine.Excel | None = None  # None: not found (or not Windows)
    built: Path | None = None  # where `xl-tdr addin install` built the add-in it copied to XLSTART
    probe_timeout: float = 60.0  # seconds the configured Python gets to start and answer
    environ: Mapping[str, str] | None = None  # the environment Excel inherits (None: this one)

    @classmethod
    def here(cls) -> Setup:
        try:
            import xlwings

            xlwings_version = xlwings.__version__
        except Exception:  # noqa: BLE001 — not installed, or broken: the check says so
            xlwings_version = None
        return cls(windows=os.name == "nt", python=Path(sys.executable), python_version=sys.version.split()[0],
                   bits=struct.calcsize("P") * 8, xlwings_version=xlwings_version, profile=Path.home(),
                   conf=build.conf_path(), xlstart=build.xlstart_folder(), code_page=build.ansi_code_page(),
                   excel=machine.excel_here(), built=build.built_path())
