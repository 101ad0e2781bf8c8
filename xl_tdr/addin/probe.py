"""Start the Python that Excel starts, as Excel starts it, and ask what it has.

The most common cause of "Could not activate Python COM server" is a configured Python that dies
at start-up, or that lacks xlwings, pywin32 or the worksheet functions; only starting it shows
which. The probe runs that interpreter (with a timeout, in an empty folder, with the environment
Excel gives it: no virtualenv or conda activation unless the config file asks xlwings for conda's)
and reads back its versions.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Runs in the configured Python, whatever its version: one JSON answer, written to argv[1].
SCRIPT = r"""
import json, struct, sys
found = {"python": sys.version.split()[0], "bits": struct.calcsize("P") * 8, "prefix": sys.prefix}
def attempt(key, load):
    try:
        found[key] = load()
    except BaseException as exc:
        found[key + "_error"] = (type(exc).__name__ + ": " + str(exc)).strip()[:300]
def xlwings_version():
    import xlwings
    return xlwings.__version__
def pythoncom_file():
    import pythoncom
    return pythoncom.__file__
def functions():
    import xl_tdr, xl_tdr.udfs
    found["xl_tdr"] = xl_tdr.__version__
    return [spec.name for spec in xl_tdr.udfs.UDFS]
def user_base():
    import site
    return site.getuserbase()
attempt("xlwings", xlwings_version)
attempt("pythoncom", pythoncom_file)
attempt("functions", functions)
attempt("user_base", user_base)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(found, out)
"""
ACTIVATION_ENV = ("VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "CONDA_SHLVL", "CONDA_PROMPT_MODIFIER")


@dataclass(frozen=True)
class Probe:
    """What the configured Python said about itself; ``problem``: why it did not answer."""
    python: Path
    problem: str = ""
    found: dict = field(default_factory=dict)

    @property
    def started(self) -> bool:
        return not self.problem


def is_conda(python: Path) -> bool:
    return (python.parent / "conda-meta").is_dir()


def excel_python(settings: Mapping[str, str]) -> Path | None:
    """The Python executable Excel starts for these settings, found as xlwings finds it (a conda
    environment from ``CONDA PATH`` and ``CONDA ENV`` when the interpreter is plain ``pythonw``)."""
    interpreter = settings.get("INTERPRETER_WIN", "")
    path, env = settings.get("CONDA PATH", ""), settings.get("CONDA ENV", "")
    if interpreter in ("", "python", "pythonw") and path and env:
        folder = Path(path) if env == "base" else Path(env) if "\\" in env or "/" in env else Path(path) / "envs" / env
        return folder / f"{interpreter or 'pythonw'}.exe"
    return Path(interpreter) if interpreter and interpreter not in ("python", "pythonw") else None


def activated(settings: Mapping[str, str]) -> bool:
    """Whether xlwings activates a conda environment before starting Python."""
    return bool(settings.get("CONDA PATH") and settings.get("CONDA ENV")) and \
        settings.get("INTERPRETER_WIN", "") in ("", "python", "pythonw")


def environment(python: Path, settings: Mapping[str, str], environ: Mapping[str, str]) -> dict[str, str]:
    """The environment Excel gives the interpreter: this shell's, without a virtualenv's or conda
    environment's activation (Excel was not started from it), plus conda's activation folders
    when xlwings activates the environment."""
    prefix = python.parent.resolve()
    env = {key: value for key, value in environ.items() if key not in ACTIVATION_ENV}
    kept = [entry for entry in env.get("PATH", "").split(os.pathsep) if entry and not _inside(entry, prefix)]
    if activated(settings):
        library = prefix / "Library"
        kept[:0] = [str(prefix), str(library / "mingw-w64" / "bin"), str(library / "usr" / "bin"),
                    str(library / "bin"), str(prefix / "Scripts"), str(prefix / "bin")]
        env["CONDA_PREFIX"] = str(prefix)
    env["PATH"] = os.pathsep.join(kept)
    return env


def _inside(entry: str, prefix: Path) -> bool:
    try:
        return Path(entry).resolve().is_relative_to(prefix)
    except (OSError, ValueError):
        return False


def run(python: Path, settings: Mapping[str, str], timeout: float, environ: Mapping[str, str] | None = None) -> Probe:
    """Start ``python`` with the probe script; a crash, a hang past ``timeout`` seconds or no
    answer is the probe's ``problem``."""
    with tempfile.TemporaryDirectory(prefix="xl_tdr_probe_") as work:
        answer, errors = Path(work) / "answer.json", Path(work) / "stderr.txt"
        try:
            with errors.open("wb") as stderr:
                process = subprocess.Popen([str(python), "-B", "-c", SCRIPT, str(answer)], cwd=work,
                                           env=environment(python, settings, environ or os.environ),
                                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                           **_detached())
        except OSError as exc:
            return Probe(python, f"{python} cannot be started: {exc.strerror or exc}")
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            return Probe(python, f"{python} did not finish starting within {timeout:g} seconds")
        said = _last_lines(errors.read_text(encoding="utf-8", errors="replace"))
        if code:
            shown = f"0x{code & 0xFFFFFFFF:08X}" if code < 0 or code > 255 else str(code)
            return Probe(python, f"{python} stopped at start-up (exit code {shown})" + (f": {said}" if said else ""))
        try:
            return Probe(python, found=json.loads(answer.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return Probe(python, f"{python} ended without answering" + (f": {said}" if said else ""))


def _detached() -> dict:
    """A process group of its own (a hung interpreter is stopped with its children), no window."""
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW}
    return {"start_new_session": True}


def _stop(process: subprocess.Popen) -> None:
    try:
        if os.name == "nt":
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    process.wait()


def _last_lines(text: str) -> str:
    """What a failed start printed that says why: its error lines (a fatal error, an exception),
    else its last line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r"(Fatal Python error|\w*(Error|Exception)\b)", line)]
    chosen = list(dict.fromkeys(errors[:1] + errors[-1:])) if errors else lines[-1:]
    return " / ".join(chosen)[:300]
