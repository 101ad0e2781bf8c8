"""The README, tested: every `$ xl-tdr …` line prints what it shows, every Python line with a
result comment returns that result, every Excel example gives its result, and the claims in the
prose hold. Lines that cannot run here are listed below with the reason."""

from __future__ import annotations

import ast
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

import xl_tdr
from xl_tdr import udfs

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FLAT = " ".join(README.split())  # the prose with its line breaks undone

#: `$ xl-tdr …` lines that are not run, with the reason.
NOT_RUN = {
    "xl-tdr refresh": "reaches the Census over the network, and what it prints depends on the date and on what "
                      "Census has published (tests/test_refresh.py runs it against a local Census server)",
    "xl-tdr refresh --source bulk": "reaches the Census over the network (tests/test_refresh.py)",
    "xl-tdr refresh --full -v": "reaches the Census over the network (tests/test_refresh.py)",
    "xl-tdr refresh --sectors": "reaches the Census over the network (tests/test_refresh_sectors.py)",
}
#: Commented Python lines whose comment is not a result, with the reason.
NOT_RESULTS = {
    'xl_tdr.table(2024, top=None, band="surplus", sort="deficit")': "the comment names more arguments",
}
NUMBER = re.compile(r"^(−?-?\d[\d,]*(?:\.\d+)?)(…)?(?=[\s:;,)]|$)")


def fenced(info: str) -> list[list[str]]:
    """The README's fenced blocks of one kind (```console, ```python …), as lists of lines."""
    pattern = rf"^```{info}\n(.*?)^```$"
    return [block.splitlines() for block in re.findall(pattern, README, flags=re.MULTILINE | re.DOTALL)]


def split_comment(line: str) -> tuple[str, str | None]:
    """A shell line and its comment (the text after an unquoted ``#``), if any."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1:].strip()
    return line.rstrip(), None


def cli_examples() -> list[tuple[str, list[str] | str | None]]:
    """(command, what the README shows): the lines below it, a ``→ value`` comment, or None."""
    examples = []
    for block in fenced("console"):
        for i, line in enumerate(block):
            if not line.startswith("$ xl-tdr "):
                continue
            command, comment = split_comment(line[2:])
            below = []
            for following in block[i + 1:]:
                if following.startswith("$ "):
                    break
                below.append(following)
            shown = below or (comment[1:].strip().split()[0].rstrip(";,") if comment and comment.startswith("→")
                              else None)
            examples.append((command, shown))
    return examples


CLI_EXAMPLES = cli_examples()


def test_the_readme_has_the_examples_this_file_expects():
    commands = [command for command, _ in CLI_EXAMPLES]
    assert len(commands) >= 15 and "xl-tdr table 2025 --top 5" in commands
    assert not set(NOT_RUN) - set(commands), "an exclusion names a line the README no longer has"
    assert all(code in README for code in NOT_RESULTS)


@pytest.mark.parametrize("command, shown", [e for e in CLI_EXAMPLES if e[0] not in NOT_RUN],
                         ids=[c for c, _ in CLI_EXAMPLES if c not in NOT_RUN])
def test_a_command_line_example(command, shown, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # `build -o informe.xlsx` writes here
    argv = shlex.split(command)[1:]
    _, out, _ = cli(*argv)
    if isinstance(shown, list):
        assert [line.rstrip() for line in out.rstrip("\n").splitlines()] == [line.rstrip() for line in shown]
    elif shown is not None:
        assert_shown(out.strip(), shown)
    else:
        assert out.strip(), f"{command} printed nothing"
    if "-o" in argv:
        assert (tmp_path / argv[argv.index("-o") + 1]).is_file()


def assert_shown(text: str, shown: str) -> None:
    """A value as printed (``repr``) against what the README shows: all its digits, or the
    leading ones when the README cuts it with ``…``."""
    shown = shown.replace("−", "-")
    if shown.endswith("…"):
        assert text.startswith(shown[:-1]), (text, shown)
    else:
        assert text == shown, (text, shown)


def python_examples() -> list[tuple[ast.stmt, str, str | None]]:
    """Each statement of the README's Python block, its code and its comment (continued on
    comment-only lines below it), or None."""
    [block] = fenced("python")
    source = "\n".join(block) + "\n"
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string[1:].strip()
    statements = ast.parse(source).body
    examples = []
    for i, statement in enumerate(statements):
        last_on_line = i + 1 == len(statements) or statements[i + 1].lineno > statement.end_lineno
        line = statement.end_lineno
        text = comments.get(line) if last_on_line else None
        while text is not None and line + 1 in comments and not block[line].split("#")[0].strip():
            line += 1
            text += " " + comments[line]
        examples.append((statement, ast.get_source_segment(source, statement), text))
    return examples


def check_result(code: str, value: object, comment: str) -> None:
    """The value against its comment: a number, or ``DataFrame: columns``."""
    if comment.startswith("DataFrame:"):
        names = re.sub(r"\([^)]*\)", "", comment.removeprefix("DataFrame:"))
        assert type(value).__name__ == "DataFrame", code
        assert list(value.columns) == [name.strip() for name in names.split(",")], code
    elif NUMBER.match(comment):
        number, cut = NUMBER.match(comment).groups()
        assert_shown(repr(value), number + (cut or ""))
    else:
        assert code in NOT_RESULTS, f"{code}: the comment {comment!r} is neither a result nor listed in NOT_RESULTS"


def test_the_python_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # build_report("report.xlsx", …) writes here
    namespace: dict = {}
    checked = 0
    for statement, code, comment in python_examples():
        if isinstance(statement, ast.Expr):
            value = eval(compile(ast.Expression(statement.value), "README.md", "eval"), namespace)
        else:
            exec(compile(ast.Module([statement], []), "README.md", "exec"), namespace)  # noqa: S102 — the README's own code
        if comment is not None:
            check_result(code, value, comment)
            checked += 1
    assert checked >= 8
    assert (tmp_path / "report.xlsx").is_file()


def excel_examples() -> list[tuple[str, str]]:
    """(formula, result) from the README's table of worksheet functions."""
    section = README.split("\n## Excel\n")[1].split("\n## ")[0]
    examples = []
    for row in re.findall(r"^\| `TDR.*\|$", section, flags=re.MULTILINE):
        _, example, result = (cell.strip() for cell in row.strip("|").split("|"))
        formulas = re.findall(r"`(=[A-Z_]+\(.*?\))`", example)
        if result.startswith("spills"):
            examples += [(formula, "spills") for formula in formulas]
        else:
            numbers = re.findall(r"−?-?\d+(?:\.\d+)?", re.sub(r"\(.*\)", "", result))
            assert len(numbers) == len(formulas), row
            examples += list(zip(formulas, numbers))
    return examples


def excel_call(formula: str) -> object:
    """Call the worksheet function as Excel would: numbers as floats, an empty argument as None."""
    name, inside = re.fullmatch(r"=([A-Z_]+)\((.*)\)", formula).groups()
    args = [arg.strip() for arg in re.split(r',(?=(?:[^"]*"[^"]*")*[^"]*$)', inside)] if inside else []
    values = [None if arg == "" else arg[1:-1] if arg.startswith('"') else float(arg) for arg in args]
    return getattr(udfs, name)(*values)


EXCEL_EXAMPLES = excel_examples()


def test_the_excel_table_is_read_whole():
    assert len(EXCEL_EXAMPLES) == 10 and ('=TDR("Mexico", 2024, , 87)', "3.72") in EXCEL_EXAMPLES


@pytest.mark.parametrize("formula, shown", EXCEL_EXAMPLES, ids=[f for f, _ in EXCEL_EXAMPLES])
def test_an_excel_example(formula, shown):
    value = excel_call(formula)
    if shown == "spills":
        assert isinstance(value, list) and len(value) >= 2, value
        assert all(isinstance(cell, str) for cell in value[0]), "a header row"
        assert not any(str(cell).startswith("#N/A") for row in value for cell in row), value
    else:
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        assert f"{value:.{decimals}f}" == shown.replace("−", "-")


def test_a_range_of_partners_and_a_row_of_years_give_a_table():
    assert "`=TDR(A2:A251, B1:N1)` (250 × 13 cells" in FLAT
    partners = [[p["Name"]] for p in udfs_rows(udfs.TDR_PARTNERS())[:250]]
    years = [[float(year) for year in range(2013, 2026)]]
    table = udfs.TDR(partners, years)
    assert len(table) == 250 and {len(row) for row in table} == {13}
    assert "(a table of the top 7 with its header row: 8 rows × 9 columns)" in FLAT
    assert [len(row) for row in udfs.TDR_TABLE(2025.0, 7.0)] == [9] * 8


def udfs_rows(grid: list[list]) -> list[dict]:
    return [dict(zip(grid[0], row)) for row in grid[1:]]


def readme_number(value: float) -> str:
    return f"{value:.2f}".replace("-", "−")


def test_the_numbers_in_the_prose():
    top5 = xl_tdr.table(2025, top=5)
    ratios = ", ".join(f"{name} {readme_number(tdr)}" for name, tdr in zip(top5["partner"], top5["tdr"]))
    assert f"In 2025, for the five largest partners: {ratios}." in FLAT
    vehicles = {p: readme_number(xl_tdr.tdr(p, 2024, sector=87)) for p in ("Mexico", "Canada")}
    assert (f"in 2024, vehicles and parts with Mexico have a TDR of {vehicles['Mexico']}, "
            f"with Canada {vehicles['Canada']}.") in FLAT
    gl = {p: readme_number(xl_tdr.gl(p, 2024, sector=87)) for p in ("Canada", "Mexico")}
    overall = {p: readme_number(xl_tdr.gl(p, 2024)) for p in ("USMCA", "Mexico", "China")}
    assert (f"HS 87 with Canada {gl['Canada']}, with Mexico {gl['Mexico']}; over all chapters (trade-weighted) "
            f"USMCA {overall['USMCA']}, Mexico {overall['Mexico']}, China {overall['China']}.") in FLAT
    assert f"the bloc view nets them first (USMCA {readme_number(xl_tdr.gl('USMCA', 2024, bloc=True))}:" in FLAT


def test_the_errors_the_readme_names_are_importable_from_xl_tdr():
    paragraph = FLAT.split("Errors are `xl_tdr.XlTdrError` subclasses")[1].split(". `examples")[0]
    names = re.findall(r"`([A-Z][a-z]+(?:[A-Z][a-z]+)+)`", paragraph)
    errors = {name for name in xl_tdr.__all__ if isinstance(getattr(xl_tdr, name), type)} - {"XlTdrError"}
    assert set(names) == errors  # every error the package exports, named once
    for name in names:
        assert issubclass(getattr(xl_tdr, name), xl_tdr.XlTdrError), name


@pytest.mark.parametrize("argv, status, message", [
    (["tdr", "Mexco", "2025"], 1, 'error: unknown partner "Mexco" — did you mean Mexico?'),
    (["tdr", "Mexico", "2012"], 1, "error: Mexico: no data for 2012: the data start in 2013"),
    (["tdr", "Mexico", "2024", "--sector"], 2,
     "error: argument --sector/-s: expected one argument (see xl-tdr tdr --help)"),
    (["table", "2025", "--top", "five"], 2, "error: argument --top/-n: invalid int value: 'five' (see xl-tdr table --help)"),
    (["tabel", "2025"], 2, "error: argument COMMAND: invalid choice: 'tabel'"),
    ([], 2, "error: the following arguments are required: COMMAND (see xl-tdr --help)"),
])
def test_every_error_is_one_line(argv, status, message, cli):
    assert "Every error is one line, `error: …`, and exit status 1;" in FLAT
    assert "is one line too, `error: … (see xl-tdr COMMAND --help)`, with exit status 2." in FLAT
    code, out, err = cli(*argv, ok=None)
    assert code == status and not out
    assert err.startswith(message) and err.count("\n") == 1, err


def test_a_loose_match_says_which_partner_it_used(cli):
    assert "a loose match says on stderr which partner it used (`Korea → South Korea (5800)`)" in FLAT
    code, out, err = cli("tdr", "Korea", "2024", ok=None)
    assert code == 0 and float(out) == xl_tdr.tdr("South Korea", 2024)
    assert err == "Korea → South Korea (5800)\n"


def test_a_series_marks_the_year_that_cannot_give_the_period(cli):
    assert "`series … -p 1-11` keeps the years that can give the period, marking 2025 `n/a` with that note" in FLAT
    code, out, _ = cli("series", "Mexico", "2023", "2025", "-p", "1-11", ok=None)
    [row_2025] = [line.split() for line in out.splitlines() if line.split()[:1] == ["2025"]]
    assert code == 0 and row_2025[1:5] == ["n/a"] * 4 and "only annual totals" in " ".join(row_2025)


def test_the_readme_ignores_what_its_commands_make():
    if not shutil.which("git") or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    made = [".venv/", "tdr_report_2025.xlsx", "report.xlsx", "informe.xlsx", "build/", "xl_tdr.egg-info/"]
    ignored = subprocess.run(["git", "check-ignore", *made], cwd=ROOT, capture_output=True, text=True, check=False)
    assert len(ignored.stdout.split()) == 6, ignored.stdout


def test_a_run_without_the_census_files_ends_with_a_warning(tmp_path):
    env = {**os.environ, "XL_TDR_SHARED": str(tmp_path)}
    env.pop("XL_TDR_REQUIRE_SHARED", None), env.pop("CI", None), env.pop("PYTEST_ADDOPTS", None)
    test = "tests/test_snapshot.py::test_snapshot_reproduces_the_api_files_to_the_dollar"
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    tail = result.stdout[result.stdout.index("short test summary"):]
    assert "the real Census files are missing" in tail
    assert f"1 test skipped: no Census files in {tmp_path / 'census'}." in tail
    assert "XL_TDR_SHARED=/path/to/shared python -m pytest" in tail


def test_the_screenshot_script_says_what_is_missing(tmp_path):
    env = {**os.environ, "XL_TDR_SHARED": str(tmp_path)}
    env.pop("XLSX_RENDER", None)
    result = subprocess.run(["bash", str(ROOT / "docs" / "make_screenshots.sh"), str(tmp_path / "out")],
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1 and not (tmp_path / "out").exists()
    assert f"the renderer {tmp_path}/tools/xlsx_render.sh is missing" in result.stderr
    assert "set XL_TDR_SHARED to that folder" in result.stderr


def test_the_bundled_files_are_the_sizes_the_readme_gives():
    bundled = ROOT / "xl_tdr" / "_bundled"
    for name, unit in (("totals.json.zlib", "KB"), ("sectors.pack", "MB")):
        shown = float(re.search(rf"`{re.escape(name)}` \(≈ ([\d.]+) {unit}", FLAT)[1])
        size = (bundled / name).stat().st_size / (1000 if unit == "KB" else 1_000_000)
        assert abs(size - shown) / size < 0.1, (name, size, shown)
