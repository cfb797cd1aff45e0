"""Refresh tests/durations.json from the output of a suite run with ``--durations=0``:

    make test PYTEST_ARGS="--durations=0" | tee var/durations.log
    .venv/bin/python scripts/test_durations.py var/durations.log

The file lists every test that took a second or more (set-up, call and tear-down together), slowest
first. tests/conftest.py hands the tests to the pytest-xdist processes in that order, so the long ones
start first and the run does not end with one process busy on a long test while the other waits. A
stale file costs only some balance; a test missing from it runs after the listed ones.
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

LINE = re.compile(r"([\d.]+)s (setup|call|teardown)\s+(\S+)")
FIRST_SETUP = 15.0  # s: a set-up this long is the process creating its test databases, not the test's


def main(log: str) -> None:
    seconds: Counter = Counter()
    for line in Path(log).read_text().splitlines():
        m = LINE.match(line)
        if m and not (m[2] == "setup" and float(m[1]) > FIRST_SETUP):
            seconds[m[3]] += float(m[1])
    slow = {test: round(s, 1) for test, s in seconds.most_common() if s >= 1.0}
    out = Path(__file__).resolve().parent.parent / "tests" / "durations.json"
    out.write_text(json.dumps(slow, indent=0, ensure_ascii=False) + "\n")
    print(f"{len(slow)} tests, {sum(slow.values()):.0f} s -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])
