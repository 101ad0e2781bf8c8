"""Report templates: declarative TOML files for labels, formats, colours and sheets.

A template names a shipped one (``en``, ``es``) or a path to a user's copy. A user's file may
leave keys out: they are taken from the shipped template of the same language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import XlTdrError

SHEETS = ("dashboard", "focus", "trends", "sectors", "data", "sector_data", "partners", "about")
SECTIONS = ("names", "style", "text", "bands", "about")


@dataclass(frozen=True)
class Template:
    lang: str
    sheets: tuple[str, ...]
    names: dict
    style: dict
    text: dict
    bands: dict
    about: dict
    source: str

    def label(self, key: str, **values) -> str:
        """A text of the template with ``{placeholders}`` filled in."""
        return self.text[key].format(**values)


def shipped() -> list[str]:
    """Names of the templates that ship with xl_tdr."""
    folder = resources.files("xl_tdr.workbook_templates")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _read(path_or_name: str) -> tuple[dict, str]:
    path = Path(path_or_name)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise XlTdrError(f"template file {path} does not exist")
        raw, source = path.read_bytes(), str(path)
    elif path_or_name in shipped():
        raw = resources.files("xl_tdr.workbook_templates").joinpath(f"{path_or_name}.toml").read_bytes()
        source = path_or_name
    else:
        raise XlTdrError(f'unknown template "{path_or_name}" (shipped: {", ".join(shipped())}; '
                         "or give the path of a .toml file)")
    try:
        return tomllib.loads(raw.decode("utf-8")), source
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise XlTdrError(f"template {source} is not valid TOML: {exc}") from None


def load(name_or_path: str | None = None, lang: str | None = None) -> Template:
    """The template to use: ``name_or_path`` if given, else the shipped one for ``lang``."""
    data, source = _read(name_or_path or lang or "en")
    lang = data.get("lang", lang or "en")
    base = _read(lang if lang in shipped() else "en")[0] if source != lang else data
    merged = {section: {**base.get(section, {}), **data.get(section, {})} for section in SECTIONS}
    sheets = tuple(data.get("sheets", base["sheets"]))
    unknown = [s for s in sheets if s not in SHEETS]
    if unknown:
        raise XlTdrError(f"template {source}: unknown sheet {unknown[0]!r} (known: {', '.join(SHEETS)})")
    return Template(lang=lang, sheets=sheets, source=source, **merged)
