"""archedit's orchestration cost per file against a bare LangGraph graph.

The bare graph has archedit's shape (a task per file, each running a file
subgraph; see ``bare_graph.py``) and the same SQLite checkpointer, and runs
independent files with the same concurrency and graph configuration.
archedit runs with zero-latency scripted models writing Markdown files,
whose checks are a no-op: what is measured is orchestration (dispatch,
prompt rendering, the model call path with its ledger and budget, coercion,
state and checkpoints, the report), not ruff, pytest or the sandbox, which a
Python file adds on top (see ``sandbox_overhead.py``). The bare graph's
nodes do nothing.

A bare graph that fans out with ``Send`` instead is timed too, as context:
it is cheaper per file, but a ``Send`` fan-out runs in supersteps, so a slow
file would hold back every file after it (see ``critical_path.py``).

The per-file cost is the slope between two sizes, so start-up and the fixed
cost of a run cancel out. Runs alternate and repeat; medians are compared.

Usage: python benchmarks/overhead.py [--sizes 12 96] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bare_graph import build_bare_graph, build_bare_send_graph
from runs import run
from shapes import independent

from archedit.checkpoints import open_checkpointer
from archedit.runner import THREADS

CONCURRENCY = 4


def bare(n: int) -> float:
    """Seconds the bare graph of archedit's shape takes for ``n`` files."""
    return _bare(n, "task")


def bare_send(n: int) -> float:
    """Seconds the bare graph that fans out with ``Send`` takes for ``n`` files."""
    return _bare(n, "send")


def _bare(n: int, shape: str) -> float:
    files = [spec["path"] for spec in independent(n)]
    config = {
        "configurable": {"thread_id": "bare"},
        "recursion_limit": 100_000,
    }
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with open_checkpointer(Path(tmp)) as saver:
            if shape == "task":
                graph = build_bare_graph(files, saver, slots=CONCURRENCY)
                config["max_concurrency"] = THREADS
            else:
                graph = build_bare_send_graph(files, saver)
                config["max_concurrency"] = CONCURRENCY
            final = graph.invoke({}, config)
        seconds = time.perf_counter() - start
    if len(final["results"]) != n:
        raise RuntimeError(f"bare {shape} graph wrote {len(final['results'])} of {n}")
    return seconds


def archedit(n: int) -> float:
    """Seconds archedit takes for ``n`` files with instant models."""
    return run(independent(n), concurrency=CONCURRENCY).seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[12, 96])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    small, large = args.sizes
    graphs = {"archedit": archedit, "bare": bare, "bare-send": bare_send}
    for measure in graphs.values():
        measure(small)  # warm-up: first-use imports
    times: dict[tuple[str, int], list[float]] = {}
    for _ in range(args.repeat):
        for name, measure in graphs.items():
            for n in (small, large):
                times.setdefault((name, n), []).append(measure(n))
    per_file = {}
    for name in graphs:
        low, high = (statistics.median(times[name, n]) for n in (small, large))
        per_file[name] = (high - low) / (large - small)
        print(
            f"{name:<9} {small} files {low:6.2f} s, {large} files {high:6.2f} s,"
            f" {1000 * per_file[name]:6.1f} ms per file"
        )
    ratio = per_file["archedit"] / per_file["bare"]
    print(f"per-file orchestration ratio {ratio:.2f} (target <= 1.5)")
    send = per_file["archedit"] / per_file["bare-send"]
    shape = per_file["bare"] / per_file["bare-send"]
    print(
        f"context: archedit / bare Send fan-out {send:.2f}; "
        f"the task shape itself costs {shape:.2f}x a Send fan-out"
    )


if __name__ == "__main__":
    main()
