"""Where `xl-tdr build -o` writes (issue 15, item 13): a regular file or a link to one, never a
device, a pipe or a loop; a name the file system refuses, a full disk and a size limit are one
sentence each, and leave an earlier report as it was."""

import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

LONG = "a" * 300 + ".xlsx"


def build(output: str, cwd: Path, limit: int | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """``xl-tdr build --top 1 -o OUTPUT`` in a process of its own (optionally under ``ulimit -f``)."""
    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "xl_tdr", "build", "--top", "1", "-o", output],
                          capture_output=True, text=True, cwd=cwd, timeout=120, stdin=subprocess.DEVNULL,
                          preexec_fn=limited if limit else None, env={**os.environ, **(env or {})}, check=False)


def one_sentence(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line != "building the report…"]
    assert len(lines) == 1 and lines[0].startswith("error: cannot write ") and words in lines[0], result.stderr


def test_a_device_and_a_pipe_are_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    for target in ("/dev/null", "pipe"):
        one_sentence(build(target, tmp_path), "it is not a regular file (a device, a pipe or a socket)")
    assert stat.S_ISFIFO(os.stat(tmp_path / "pipe").st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_link_is_written_through(tmp_path):
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "report.xlsx"
    target.write_text("old")
    (tmp_path / "link.xlsx").symlink_to(target)
    assert build("link.xlsx", tmp_path).returncode == 0
    assert (tmp_path / "link.xlsx").is_symlink() and zipfile.is_zipfile(target)  # the link stays, its target is new
    assert [p.name for p in (tmp_path / "shared").iterdir()] == ["report.xlsx"]  # no temporary file left


def test_a_link_into_a_missing_folder_and_a_loop_are_refused(tmp_path):
    (tmp_path / "unmounted.xlsx").symlink_to(tmp_path / "drive" / "report.xlsx")
    one_sentence(build("unmounted.xlsx", tmp_path), "whose folder does not exist")
    assert not (tmp_path / "drive").exists()  # nothing created on the way
    (tmp_path / "one").symlink_to(tmp_path / "two")
    (tmp_path / "two").symlink_to(tmp_path / "one")
    for target in ("one", "one/report.xlsx"):
        one_sentence(build(target, tmp_path), "its symbolic links loop")


def test_a_name_too_long_for_the_file_system(tmp_path):
    one_sentence(build(LONG, tmp_path), "the name is too long for the file system")


def test_a_size_limit_leaves_the_earlier_report(tmp_path):
    earlier = tmp_path / "report.xlsx"
    earlier.write_text("the earlier report")
    one_sentence(build("report.xlsx", tmp_path, limit=60_000), "the file is larger than this system allows")
    assert earlier.read_text() == "the earlier report" and os.listdir(tmp_path) == ["report.xlsx"]


def test_a_full_disk_leaves_the_earlier_report(tmp_path):
    """A real full disk: a 300 kB tmpfs (needs the right to mount, as root in CI's container)."""
    disk = Path(tempfile.mkdtemp(prefix="xl_tdr_full_"))
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(disk)], capture_output=True,
                      check=False).returncode:
        shutil.rmtree(disk)
        pytest.skip("mounting a small file system needs root")
    try:
        earlier = disk / "report.xlsx"
        earlier.write_text("the earlier report")
        one_sentence(build(str(earlier), tmp_path), "the disk is full")
        assert earlier.read_text() == "the earlier report" and os.listdir(disk) == ["report.xlsx"]
        (disk / "scratch").mkdir()  # openpyxl's own temporary files on the full disk
        one_sentence(build("elsewhere.xlsx", tmp_path, env={"TMPDIR": str(disk / "scratch")}), "the disk is full")
    finally:
        subprocess.run(["umount", str(disk)], check=True)
        disk.rmdir()
