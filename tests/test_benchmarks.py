"""Every benchmark script runs as the README says and prints its figures.

Sizes and latencies are the smallest that exercise each script; the figures
are not judged here (timed tests would only measure the machine), only that
each script gets through and states its ratio and target.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RUNS = [
    (
        "critical_path.py",
        ["--latency", "0.05"],
        r"worst ratio [\d.]+ \(target <= 1.2\)",
    ),
    ("speedup.py", ["--latency", "0.05", "--repeat", "1"], r"speed-up [\d.]+x"),
    (
        "overhead.py",
        ["--sizes", "2", "6", "--repeat", "1"],
        r"per-file orchestration ratio -?[\d.]+ \(target <= 1.5\)",
    ),
    ("prompt_economy.py", [], r"mean per file [\d.]+, worst [\d.]+"),
    ("scaling.py", ["--sizes", "4", "12"], r"checkpoint size, 4 to 12 files: x[\d.]+"),
    ("sandbox_overhead.py", ["-n", "2"], r"pytest, 2 tests .* [\d.]+x"),
]


def run_script(name: str, args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / name), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize(("name", "args", "figure"), RUNS, ids=[r[0] for r in RUNS])
def test_benchmark_prints_its_figure(name, args, figure, sandbox):
    # Every run checks its files in the sandbox: ``sandbox`` skips where
    # bubblewrap is missing, and fails in CI, where it must be there.
    assert_matches(run_script(name, args), figure)


@pytest.mark.embedded
def test_embedded_throughput_prints_its_ratio():
    out = run_script(
        "embedded_throughput.py",
        ["--files", "1", "--rounds", "2", "--max-tokens", "8"],
    )
    assert_matches(out, r"round 2: archedit 8 tokens")
    assert_matches(out, r"ratio [\d.]+ \(target >= 0.95\)")


def assert_matches(out: str, pattern: str) -> None:
    assert re.search(pattern, out), f"no {pattern!r} in:\n{out}"
