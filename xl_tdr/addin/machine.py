"""What doctor reads about Excel on Windows: where it is, its bitness (from the executable's
header), whether it is Office from the Microsoft Store, and the macro settings that decide
whether an add-in's VBA runs (Trust Center options and IT policies, from the registry)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

OFFICE = r"Software\Microsoft\Office\16.0\Excel\Security"  # Excel 2016, 2019, 2021, 2024 and 365
POLICY = r"Software\Policies\Microsoft\Office\16.0\Excel\Security"
APP_PATHS = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\excel.exe"
STORE_PACKAGE = "Microsoft.Office.Desktop_8wekyb3d8bbwe"
MACHINES = {0x8664: 64, 0xAA64: 64, 0x014C: 32}  # x64, ARM64, x86


@dataclass(frozen=True)
class Excel:
    """Excel as installed: ``bits`` None when its executable cannot be read; ``policy``: the
    macro settings found (``VBAWarnings`` 1–4, ``RequireAddinSig``, ``AllLocationsDisabled``);
    ``trusted``: the trusted locations (None: unknown)."""
    path: Path | None
    bits: int | None
    store: bool = False
    policy: dict[str, int] = field(default_factory=dict)
    trusted: tuple[str, ...] | None = None


def pe_bits(path: Path) -> int | None:
    """32 or 64 from a Windows executable's header (None: unreadable, or not an executable)."""
    try:
        with path.open("rb") as exe:
            head = exe.read(4096)
    except OSError:
        return None
    if head[:2] != b"MZ" or len(head) < 64:
        return None
    offset = int.from_bytes(head[60:64], "little")
    if head[offset:offset + 4] != b"PE\0\0":
        return None
    return MACHINES.get(int.from_bytes(head[offset + 4:offset + 6], "little"))


def excel_here() -> Excel | None:
    """This machine's Excel, from the registry (None off Windows, or without Excel)."""
    if os.name != "nt":
        return None
    import winreg

    path = _value(winreg.HKEY_LOCAL_MACHINE, APP_PATHS, "") or _value(winreg.HKEY_CURRENT_USER, APP_PATHS, "")
    package = Path(os.environ.get("LOCALAPPDATA", "")) / "Packages" / STORE_PACKAGE
    store = package.is_dir() or "windowsapps" in str(path or "").lower()
    if not path and not store:
        return None
    excel = Path(os.path.expandvars(str(path))) if path else None
    policy = {}
    for name in ("VBAWarnings", "RequireAddinSig"):
        found = _value(winreg.HKEY_CURRENT_USER, POLICY, name)
        found = found if found is not None else _value(winreg.HKEY_CURRENT_USER, OFFICE, name)
        if found is not None:
            policy[name] = int(found)
    disabled = _value(winreg.HKEY_CURRENT_USER, POLICY + r"\Trusted Locations", "AllLocationsDisabled")
    if disabled is not None:
        policy["AllLocationsDisabled"] = int(disabled)
    return Excel(excel, pe_bits(excel) if excel else None, store, policy, _trusted_locations(winreg))


def _value(root, key: str, name: str):
    import winreg

    try:
        with winreg.OpenKey(root, key) as opened:
            return winreg.QueryValueEx(opened, name)[0]
    except OSError:
        return None


def _trusted_locations(winreg) -> tuple[str, ...] | None:
    """The trusted locations' folders (Trust Center and policies), environment variables expanded."""
    found, known = [], False
    for key in (OFFICE + r"\Trusted Locations", POLICY + r"\Trusted Locations"):
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as locations:
                known = True
                for index in range(winreg.QueryInfoKey(locations)[0]):
                    name = winreg.EnumKey(locations, index)
                    folder = _value(winreg.HKEY_CURRENT_USER, rf"{key}\{name}", "Path")
                    if folder:
                        found.append(os.path.expandvars(str(folder)))
        except OSError:
            continue
    return tuple(found) if known else None


def is_trusted(folder: Path, trusted: tuple[str, ...] | None) -> bool | None:
    """Whether ``folder`` is (inside) one of the trusted locations; None when they are unknown."""
    if trusted is None:
        return None
    mine = os.path.normcase(os.path.normpath(str(folder)))
    for location in trusted:
        theirs = os.path.normcase(os.path.normpath(location))
        if mine == theirs or mine.startswith(theirs.rstrip("\\/") + os.sep):
            return True
    return False
