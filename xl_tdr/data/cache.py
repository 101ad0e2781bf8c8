"""What a fresh process would otherwise rebuild: the index of totals, kept beside the store.

The key is everything the index is made of — the code that builds it, the bundled data, the
store's version and its file as it is on disk — so a kept index is used only when rebuilding it
would give the same one. Best effort: a folder that cannot be written, or a
file that cannot be read, only means the index is rebuilt. ``marshal`` holds plain tables (no
code runs when it is read).
"""

from __future__ import annotations

import marshal
import os
from contextlib import suppress
from pathlib import Path

FORMAT = 1


def code_identity(*files: str) -> tuple:
    """Changes whenever the code that builds what is kept does (an upgrade of xl_tdr): the
    modules' ``files``, which the keeper names."""
    return tuple(Path(file).stat().st_mtime_ns for file in files)


def key(path: Path, *parts: object) -> tuple:
    """The key of what is kept for the store at ``path`` (its file's size and time: every write,
    and any damage, changes them once written through) and ``parts``."""
    try:
        info = path.stat()
        found = (info.st_size, info.st_mtime_ns)
    except OSError:
        found = None
    return (FORMAT, *parts, found)


def load(file: Path, wanted: tuple) -> object | None:
    """What was kept in ``file`` under the key ``wanted``, or None."""
    try:
        found, value = marshal.loads(file.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if found == wanted else None


def save(file: Path, wanted: tuple, value: object) -> None:
    """Keep ``value`` under ``wanted`` (replaced in one step; nothing when it cannot be written)."""
    partial = file.with_name(f"{file.name}.{os.getpid()}.partial")
    try:
        if not file.parent.is_dir():
            return  # a data folder is made by a refresh, not by a read
        partial.write_bytes(marshal.dumps((wanted, value)))
        os.replace(partial, file)
    except (OSError, ValueError):
        with suppress(OSError):
            partial.unlink()
