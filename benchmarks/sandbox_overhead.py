"""Start-up cost of the sandbox per check, against a bare subprocess.

Runs each check N times in three ways, interleaved so machine noise hits all
alike: a bare subprocess on a fresh copy of the files, the Sandbox without
bubblewrap (rlimits and output capture only), and the full Sandbox. Prints the
median wall-clock time of each and the sandbox's ratio to the bare run.

Usage: python benchmarks/sandbox_overhead.py [-n 20]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import tempfile
import time

from archedit.sandbox import Sandbox, python_executable

TESTS = """
def add(a, b):
    return a + b


def test_add():
    assert add(1, 2) == 3


def test_add_negative():
    assert add(-1, -2) == -3
"""
CHECKS = {
    "python -c 'import ast'": ([python_executable(), "-c", "import ast"], {}),
    "pytest, 2 tests": (
        [python_executable(), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        + ["test_add.py"],
        {"test_add.py": TESTS},
    ),
}
PYTEST_ENV = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}


def bare(argv: list[str], files: dict[str, str]) -> float:
    """Copy the files to a fresh directory and run argv there, unconfined."""
    start = time.perf_counter()
    root = tempfile.mkdtemp()
    for path, text in files.items():
        with open(os.path.join(root, path), "w") as out:
            out.write(text)
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": root, **PYTEST_ENV}
    subprocess.run(argv, cwd=root, env=env, capture_output=True, check=True)
    shutil.rmtree(root)
    return time.perf_counter() - start


def confined(sandbox: Sandbox, argv: list[str], files: dict[str, str]) -> float:
    """Run argv through ``sandbox`` and return the wall-clock seconds."""
    start = time.perf_counter()
    outcome = sandbox.run(argv, files, env=PYTEST_ENV)
    if not outcome.ok:
        raise RuntimeError(f"check failed: {outcome}")
    return time.perf_counter() - start


def main() -> None:
    """Measure every check and print one line per check."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=20, help="repetitions per way")
    repetitions = parser.parse_args().n
    sandboxed, rlimits_only = Sandbox(), Sandbox(unsandboxed=True)
    # The unsandboxed Sandbox warns on every run by design; not wanted here.
    logging.getLogger("archedit.sandbox").setLevel(logging.ERROR)
    print(f"{'check':<26}{'bare':>9}{'rlimits':>10}{'sandbox':>10}{'ratio':>8}")
    for name, (argv, files) in CHECKS.items():
        times: dict[str, list[float]] = {"bare": [], "rlimits": [], "sandbox": []}
        for _ in range(repetitions):
            times["bare"].append(bare(argv, files))
            times["rlimits"].append(confined(rlimits_only, argv, files))
            times["sandbox"].append(confined(sandboxed, argv, files))
        medians = {way: statistics.median(t) * 1000 for way, t in times.items()}
        ratio = medians["sandbox"] / medians["bare"]
        print(
            f"{name:<26}{medians['bare']:>7.1f}ms{medians['rlimits']:>8.1f}ms"
            f"{medians['sandbox']:>8.1f}ms{ratio:>7.2f}x"
        )
    print(f"medians of {repetitions} interleaved runs each")


if __name__ == "__main__":
    main()
