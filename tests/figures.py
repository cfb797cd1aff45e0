"""Figures measured by the fault and concurrency tests (tests.services.FIGURES), printed at the end of
the run. Under pytest-xdist each process measures its own: it hands them over in a file that the main
process reads for its summary. Only a pytest-xdist main process clears or reads that folder: `make test`
runs another pytest process beside it (the tests marked ``separate``), which prints its own."""

import os
from pathlib import Path

from tests.services import FIGURES

FOLDER = Path(__file__).resolve().parents[1] / "var" / "figures"
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _hands_out(config) -> bool:
    """This process is the main process of a pytest-xdist run (its workers hand figures over)."""
    return not WORKER and bool(getattr(config.option, "numprocesses", None))


def start(config):
    """The main process starts a run with no figures of an earlier one."""
    if _hands_out(config) and FOLDER.is_dir():
        for old in FOLDER.glob("*.txt"):
            old.unlink()


def hand_over():
    if WORKER and FIGURES:
        FOLDER.mkdir(parents=True, exist_ok=True)
        (FOLDER / f"{WORKER}.txt").write_text("\n".join(FIGURES) + "\n", encoding="utf-8")


def collected(config) -> list[str]:
    lines = list(FIGURES)
    if _hands_out(config) and FOLDER.is_dir():
        for path in sorted(FOLDER.glob("*.txt")):
            lines += path.read_text(encoding="utf-8").splitlines()
            path.unlink()
    return lines
