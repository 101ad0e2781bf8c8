"""Every command with hostile arguments: a plain error or a result, never a traceback."""

import contextlib
import io

import pytest

from xl_tdr.cli import main

pytestmark = pytest.mark.slow  # four hundred commands

HOSTILE = ["", " ", "-1", "0", "99999", "1e400", "nan", "inf", "abc", "=HYPERLINK(\"x\")", "Mexco", "\u200b",
           "ñ", "../..", "Q9", "2025-13", "9" * 5000, "87.5", "HS77", "TRUE"]
COMMANDS = [
    lambda v: ["tdr", v, "2024"], lambda v: ["tdr", "Mexico", v], lambda v: ["tdr", "Mexico", "2024", "-p", v],
    lambda v: ["tdr", "Mexico", "2024", "--sector", v], lambda v: ["gl", v, "2024"],
    lambda v: ["gl", "Canada", v, "--sector", "87"], lambda v: ["table", v], lambda v: ["table", "2024", "-p", v],
    lambda v: ["series", v, "2013", "2024"], lambda v: ["series", "Mexico", v, "2024"],
    lambda v: ["series", "Mexico", "2023", "2024", "--sector", v], lambda v: ["sectors", v, "2024"],
    lambda v: ["sectors", "Mexico", v], lambda v: ["sectors", "Mexico", "2024", "-p", v],
    lambda v: ["chapters", v], lambda v: ["partners", v], lambda v: ["revisions", v, "2024"],
    lambda v: ["revisions", "Mexico", v], lambda v: ["refresh", "--from", v], lambda v: ["refresh", "--key", v],
]


@pytest.fixture
def offline(private_home, monkeypatch):
    """No Census to reach: a closed port, no retries."""
    monkeypatch.setenv("XL_TDR_CENSUS_API_URL", "http://127.0.0.1:9/data")
    monkeypatch.setenv("XL_TDR_CENSUS_BULK_URL", "http://127.0.0.1:9/country.xlsx")
    monkeypatch.setenv("XL_TDR_HTTP_RETRIES", "0")
    monkeypatch.setenv("XL_TDR_HTTP_TIMEOUT", "1")
    monkeypatch.delenv("CENSUS_API_KEY", raising=False)


@pytest.mark.parametrize("command", range(len(COMMANDS)))
def test_hostile_arguments_never_give_a_traceback(offline, command):
    for value in HOSTILE:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(COMMANDS[command](value))
            except SystemExit as exit_:  # argparse: a usage line and exit 2
                code = exit_.code
        text = err.getvalue()
        assert "Traceback" not in text
        if code == 1:
            lines = text.strip().splitlines()
            assert lines[-1].startswith("error: ") and len(lines[-1]) < 400, (COMMANDS[command](value), text)
        else:
            assert code in (0, 2), (COMMANDS[command](value), code, text)
