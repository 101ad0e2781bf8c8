"""Report templates: declarative TOML files for labels, formats, colours and sheets.

A template names a shipped one (``en``, ``es``) or a path to a user's copy. A user's file may
leave keys out: they are taken from the shipped template of the same language.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Formatter

from .. import labels
from ..errors import TemplateError
from ..metrics import BANDS

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

    @property
    def band_names(self) -> dict[str, str]:
        """Band key → the name the report shows."""
        return {key: self.bands[key] for key in BANDS}

    def bands_text(self, limits: tuple[float, ...]) -> str:
        """The bands with their thresholds, in words: "surplus (below 0), balanced (0 to 0.25)…"."""
        t, names, shown = self.text, self.band_names, [f"{limit:g}" for limit in limits]
        spans = [t["band_below"].format(value=shown[0])]
        spans += [t["band_between"].format(first=a, last=b) for a, b in zip(shown, shown[1:])]
        spans += [t["band_above"].format(value=shown[-1])]
        return ", ".join(f"{names[key]} ({span})" for key, span in zip(BANDS, spans))


def shipped() -> list[str]:
    """Names of the templates that ship with xl_tdr."""
    folder = resources.files("xl_tdr.workbook_templates")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _read(path_or_name: str) -> tuple[dict, str]:
    path = Path(path_or_name)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise TemplateError(f"template file {path} does not exist")
        raw, source = path.read_bytes(), str(path)
    elif path_or_name in shipped():
        raw = resources.files("xl_tdr.workbook_templates").joinpath(f"{path_or_name}.toml").read_bytes()
        source = path_or_name
    else:
        raise TemplateError(f'unknown template "{path_or_name}" (shipped: {", ".join(shipped())}; '
                         "or give the path of a .toml file)")
    try:
        return tomllib.loads(raw.decode("utf-8-sig")), source
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"template {source} is not valid TOML: {exc}", source) from None
    except RecursionError:
        raise TemplateError(f"template {source} is nested too deeply to be a template (lists within lists "
                            "within lists…)", source) from None


def load(name_or_path: str | None = None, lang: str | None = None) -> Template:
    """The template to use: ``name_or_path`` if given, else the shipped one for ``lang``."""
    data, source = _read(name_or_path or lang or "en")
    lang = data.get("lang", lang or "en")
    if not isinstance(lang, str):
        raise TemplateError(f'template {source}: lang must be text such as "en" or "es", not {_kind(lang)}', source)
    shipped_one = _read(lang if lang in shipped() else "en")[0]
    base = shipped_one if source != lang else data
    for section in SECTIONS:
        if not isinstance(data.get(section, {}), dict):
            raise TemplateError(f"template {source}: {section} must be a table ([{section}]), not {_kind(data[section])}",
                                source)
    merged = {section: {**base.get(section, {}), **data.get(section, {})} for section in SECTIONS}
    merged["bands"] = {**default_bands(lang), **data.get("bands", {})}
    if "limits" in merged["bands"]:
        raise TemplateError(f"template {source}: [bands] limits are not set in a template: the thresholds between "
                            "the readings are one setting for every face, band_limits = [0.0, 0.25, 1.0] in "
                            "config.toml in the data folder (a template names the bands)", source)
    sheets = data.get("sheets", base["sheets"])
    if not isinstance(sheets, list):
        raise TemplateError(f'template {source}: sheets must be a list such as ["dashboard", "about"], '
                            f"not {_kind(sheets)}", source)
    unknown = [s for s in sheets if not isinstance(s, str) or s not in SHEETS]
    if unknown:
        raise TemplateError(f"template {source}: unknown sheet {unknown[0]!r:.50} (known: {', '.join(SHEETS)})",
                            source)
    shipped_one["bands"] = default_bands(lang)
    for section in SECTIONS:
        for key, value in merged[section].items():
            problem = _check(section, key, value, shipped_one.get(section, {}).get(key))
            if problem:
                raise TemplateError(f"template {source}: [{section}] {key} {problem}", source)
    _check_sheet_names(merged["names"], source)
    return Template(lang=lang, sheets=tuple(sheets), source=source, **merged)


def default_bands(lang: str) -> dict:
    """Band names in the template's language."""
    return dict(labels.BANDS[labels.lang_of(lang)])


HEX_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")
BAD_SHEET_CHARACTERS = set("[]:*?/\\")
#: Characters no worksheet can hold (XML 1.0 forbids them; a sheet name takes no control character).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTROL = re.compile("[\x00-\x1f\x7f]")
FORMATS = ("millions", "dollars", "ratio", "percent")  # number formats of the [style] section


def _check(section: str, key: str, value: object, shipped_value: object) -> str | None:
    """What is wrong with one template entry (compared with the shipped template, all the way
    down: a list of texts, a list of pairs of texts…), or None."""
    if shipped_value is None:
        return None  # an entry the shipped template does not have is not read
    problem = _shape(value, shipped_value)
    if problem:
        return problem
    if isinstance(value, str) and HEX_COLOUR.fullmatch(str(shipped_value)) and not HEX_COLOUR.fullmatch(value):
        return f'must be a colour as six hexadecimal digits (e.g. "1F3864"), not {value!r}'
    if isinstance(value, int) and not 6 <= value <= 72:
        return f"must be a font size from 6 to 72, not {value}"
    if section == "style" and key in FORMATS and value.count('"') % 2:
        return f"is not a number format Excel reads (an unclosed quote): {value[:40]!r}"
    fills = {"year"} if section == "names" else _fields(shipped_value)
    for text in _strings(value):
        problem = _text_problem(text, fills, name=section == "names")
        if problem:
            return problem
    return None


def _shape(value: object, shipped_value: object) -> str | None:
    """Whether ``value`` has the shipped value's type at every level (lists of one kind of item;
    pairs stay pairs)."""
    if isinstance(shipped_value, bool) or type(value) is not type(shipped_value):
        return f"must be {_kind(shipped_value)}, not {_kind(value)}"
    if isinstance(value, list) and shipped_value:
        model = shipped_value[0]
        for item in value:
            if type(item) is not type(model):
                return f"must be a list of {_kind(model, plural=True)}, not of {_kind(item, plural=True)}"
            if isinstance(model, list) and (len(item) != len(model) or not all(isinstance(part, str) for part in item)):
                return f"must be a list of pairs of texts such as [\"0.50\", \"…\"], not {str(item)[:40]}"
    return None


def _text_problem(text: str, fills: set[str], name: bool = False) -> str | None:
    """What is wrong with one text: a character a worksheet cannot hold, a stray brace, or a
    placeholder this text does not fill (with a conversion or a format, which none takes)."""
    bad = (CONTROL if name else FORBIDDEN).search(text)
    if bad:
        return f"has the character U+{ord(bad.group()):04X}, which a worksheet cannot hold: {text[:40]!r}"
    try:
        fields = [(field, conversion, spec) for _, field, spec, conversion in Formatter().parse(text) if field is not None]
    except ValueError as exc:
        return f"has a stray brace ({exc}): {text[:60]!r}"
    for field, conversion, spec in fields:
        if field not in fills:
            said = ", ".join("{" + f + "}" for f in sorted(fills)) or "none"
            return f"has the unknown placeholder {{{field}}} (this text fills: {said})"
        if conversion or spec:
            return f"has {{{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}: a placeholder " \
                   f"takes no conversion or format, write {{{field}}}"
    return None


def _fields(value: object) -> set[str]:
    """The placeholders of a shipped text (or of every text of a list)."""
    return {field for text in _strings(value) for _, field, _, _ in Formatter().parse(text) if field}


def _check_sheet_names(names: dict, source: str) -> None:
    titles = {}
    for key, name in names.items():
        title = name.replace("{year}", "2025")[:31]
        bad = sorted(BAD_SHEET_CHARACTERS & set(title))
        if bad or not title.strip() or title.startswith("'"):
            raise TemplateError(f"template {source}: [names] {key} {name[:40]!r} is not a sheet name Excel accepts "
                             f"(no {' '.join(sorted(BAD_SHEET_CHARACTERS))}, not empty, at most 31 characters)")
        if title.lower() in titles:
            raise TemplateError(f"template {source}: [names] {key} and {titles[title.lower()]} give the same sheet "
                             f"name {title!r} (Excel keeps the first 31 characters)")
        titles[title.lower()] = key


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _kind(value: object, plural: bool = False) -> str:
    if plural:
        return {str: "texts", int: "whole numbers", float: "numbers", list: "lists", bool: "true or false values",
                dict: "tables"}.get(type(value), type(value).__name__)
    return {str: "text", int: "a whole number", float: "a number", list: "a list", bool: "true or false",
            dict: "a table"}.get(type(value), type(value).__name__)
