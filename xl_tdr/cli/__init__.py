"""The ``xl-tdr`` command: one handler per command (:mod:`.commands`) over a service.

Every user error prints ``error: <one sentence>`` on stderr and exits 1; a command line that
cannot be parsed prints one such line and exits 2 (as command-line tools do).
"""

from __future__ import annotations

import argparse
import codecs
import sys
import unicodedata

from ..errors import XlTdrError
from .commands import COMMANDS

LOOK_ALIKES = {"→": "->", "−": "-", "–": "-", "—": "--", "≠": "!=", "…": "...", "×": "x", "✓": "ok", "✗": "X"}


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error in one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = Parser(prog="xl-tdr", description="Trade Deficit Ratio (TDR) of U.S. goods trade by partner, "
                    "from U.S. Census Bureau data.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS.values():
        command.options(sub.add_parser(command.name, help=command.help, description=command.help))
    return parser


def _look_alike(error: UnicodeEncodeError) -> tuple[str, int]:
    """An encoding error handler: a character the console cannot show becomes a look-alike
    (``→`` → ``->``, ``é`` → ``e``) instead of a crash after the work is done."""
    text = error.object[error.start:error.end]
    plain = "".join(LOOK_ALIKES.get(c) or unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
                    or "?" for c in text)
    return plain, error.end


codecs.register_error("xl_tdr_look_alike", _look_alike)


def _tolerant_output() -> None:
    """Let stdout and stderr degrade gracefully on a narrow code page (a Windows console, cp1252)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="xl_tdr_look_alike")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``xl-tdr`` console script."""
    from ..service import Service

    _tolerant_output()
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command].run(args, Service()) or 0
    except XlTdrError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
