"""How a run's cost grows with the number of files: 12, 100 and 1,000.

Each size runs in a fresh process (so peak memory is that run's) on copies of
the 12-file package as Markdown files, with instant scripted models, SQLite
checkpoints and concurrency 4. For each size it prints the wall time per file,
the checkpoint database's size per file and the process's peak memory. Linear
growth keeps the per-file figures flat; state copied into every step makes
them grow with the number of files.

Usage: python benchmarks/scaling.py [--sizes 12 100 1000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from runs import run
from shapes import as_docs, package

from archedit.checkpoints import sqlite_path


def one(n: int) -> dict[str, float]:
    """Run ``n`` files in this process and measure it."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        timed = run(as_docs(package(n)), concurrency=4, out_dir=tmp)
        database = sqlite_path(Path(tmp))
        size = sum(
            path.stat().st_size for path in database.parent.glob(database.name + "*")
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "files": n,
        "seconds": timed.seconds,
        "checkpoint_bytes": size,
        "peak_rss_kib": peak,
        "rss_before_kib": before,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[12, 100, 1000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    rows = []
    for n in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(n)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(done.stdout.splitlines()[-1]))
    print(
        f"{'files':>6} {'wall':>9} {'ms/file':>8} {'checkpoints':>12}"
        f" {'KiB/file':>9} {'peak RSS':>9} {'growth':>7}"
    )
    for row in rows:
        n = row["files"]
        growth = (row["peak_rss_kib"] - row["rss_before_kib"]) / 1024
        print(
            f"{n:>6} {row['seconds']:7.2f} s {1000 * row['seconds'] / n:8.1f}"
            f" {row['checkpoint_bytes'] / 2**20:9.1f} MiB"
            f" {row['checkpoint_bytes'] / 1024 / n:9.1f}"
            f" {row['peak_rss_kib'] / 1024:5.0f} MiB {growth:5.0f} MiB"
        )
    # The two largest sizes: at the smallest, a run's fixed costs dominate.
    first, last = rows[-2:] if len(rows) > 1 else rows * 2
    scale = last["files"] / first["files"]
    for key, label in [
        ("seconds", "wall time"),
        ("checkpoint_bytes", "checkpoint size"),
    ]:
        ratio = last[key] / first[key]
        print(
            f"{label}, {first['files']} to {last['files']} files: x{ratio:.1f}"
            f" (per file x{ratio / scale:.2f}; 1.00 is linear)"
        )
    print("growth: peak RSS above the process's size before the run")


if __name__ == "__main__":
    main()
