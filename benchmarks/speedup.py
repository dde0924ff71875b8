"""Speed-up of 12 independent files at concurrency 4 over concurrency 1.

Scripted models with a fixed latency write Markdown files (whose checks cost
nothing); the two runs are interleaved, repeated, and the medians compared.
With the architect's plan call as long as a file's, model time alone allows
(1 + 12) / (1 + 3) = 3.25x; the pipeline's own per-file cost, paid serially at
concurrency 1 and overlapped at 4, moves the figure either way.

Usage: python benchmarks/speedup.py [--latency 0.5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics

from runs import run
from shapes import independent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=0.5, help="seconds a call")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each")
    args = parser.parse_args()
    files = independent(12)
    latency = {spec["path"]: args.latency for spec in files}
    times: dict[int, list[float]] = {1: [], 4: []}
    for _ in range(args.repeat):
        for concurrency in times:
            timed = run(files, latency, args.latency, concurrency=concurrency)
            times[concurrency].append(timed.seconds)
    serial, parallel = (statistics.median(times[c]) for c in (1, 4))
    print(f"concurrency 1: {serial:6.2f} s (median of {args.repeat})")
    print(f"concurrency 4: {parallel:6.2f} s (median of {args.repeat})")
    print(f"speed-up {serial / parallel:.2f}x (target >= 3x)")
    print(
        "(model time alone allows 13/4 = 3.25x: the plan call is serial and "
        "the 12 files take 12 calls at concurrency 1, 3 waves at 4)"
    )


if __name__ == "__main__":
    main()
