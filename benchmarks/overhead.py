"""archedit's orchestration cost per file against a bare LangGraph graph.

Both graphs have the same shape and the same SQLite checkpointer and run
independent files at the same concurrency. archedit runs with zero-latency
scripted models writing Markdown files, whose checks are a no-op: what is
measured is orchestration (dispatch, prompt rendering, the model call path
with its ledger and budget, coercion, state and checkpoints, the report),
not ruff, pytest or the sandbox, which a Python file adds on top (see
``sandbox_overhead.py``). The bare graph's nodes do nothing.

The per-file cost is the slope between two sizes, so start-up and the fixed
cost of a run cancel out. Runs alternate and repeat; medians are compared.

Usage: python benchmarks/overhead.py [--sizes 12 48] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bare_graph import build_bare_graph
from runs import run
from shapes import independent

from archedit.checkpoints import open_checkpointer

CONCURRENCY = 4


def bare(n: int) -> float:
    """Seconds the bare graph takes for ``n`` files."""
    files = [spec["path"] for spec in independent(n)]
    config = {
        "configurable": {"thread_id": "bare"},
        "max_concurrency": CONCURRENCY,
        "recursion_limit": 100_000,
    }
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with open_checkpointer(Path(tmp)) as saver:
            build_bare_graph(files, saver).invoke({}, config)
        return time.perf_counter() - start


def archedit(n: int) -> float:
    """Seconds archedit takes for ``n`` files with instant models."""
    return run(independent(n), concurrency=CONCURRENCY).seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[12, 48])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    small, large = args.sizes
    archedit(small), bare(small)  # warm-up: first-use imports
    times: dict[tuple[str, int], list[float]] = {}
    for _ in range(args.repeat):
        for name, measure in (("archedit", archedit), ("bare", bare)):
            for n in (small, large):
                times.setdefault((name, n), []).append(measure(n))
    per_file = {}
    for name in ("archedit", "bare"):
        low, high = (statistics.median(times[name, n]) for n in (small, large))
        per_file[name] = (high - low) / (large - small)
        print(
            f"{name:<9} {small} files {low:6.2f} s, {large} files {high:6.2f} s,"
            f" {1000 * per_file[name]:6.1f} ms per file"
        )
    ratio = per_file["archedit"] / per_file["bare"]
    print(f"per-file orchestration ratio {ratio:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
