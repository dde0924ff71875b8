"""Wall time of a run divided by its critical path.

The critical path is the architect's plan call plus the longest dependency
chain of editor attempts: no scheduler can finish sooner. Scripted models
with fixed latencies write Markdown files (whose checks cost nothing), with
concurrency at least the blueprint's width, so the ratio measures how close
dispatch gets to that bound. Even latencies give every file the same latency;
uneven ones vary it from file to file, which is where a file whose
dependencies finished early may wait for an unrelated slow file.

Usage: python benchmarks/critical_path.py [--latency 1.0]
"""

from __future__ import annotations

import argparse

from runs import run
from shapes import (
    as_docs,
    chain,
    critical_path,
    independent,
    package,
    superstep_path,
)

UNEVEN = [1.0, 3.0, 1.0, 2.0, 1.0, 3.0, 2.0, 1.0, 1.0, 2.0, 3.0, 1.0]
# The package's first file (nothing depends on it) as slow as four attempts.
SLOW_LEAF = [4.0] + [1.0] * 11


def measure(name: str, files: list, factors: list[float], base: float) -> float:
    """Run one blueprint; print and return wall time / critical path."""
    latency = {
        spec["path"]: base * factors[i % len(factors)] for i, spec in enumerate(files)
    }
    timed = run(files, latency, plan_latency=base, concurrency=len(files))
    bound = base + critical_path(files, latency)
    waves = base + superstep_path(files, latency)
    ratio = timed.seconds / bound
    # The same run with instant models: what the pipeline itself costs.
    fixed = run(files, concurrency=len(files)).seconds
    print(
        f"{name:<26} {timed.seconds:7.2f} s {bound:7.2f} s {ratio:6.2f}"
        f" {waves / bound:6.2f} {fixed:7.2f} s"
    )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=1.0, help="seconds a call")
    base = parser.parse_args().latency
    # Warm-up: first-use imports are no part of the pipeline's cost.
    run(as_docs(package(12)))
    print(
        f"{'blueprint':<26} {'wall':>9} {'critical':>9} {'ratio':>6}"
        f" {'waves':>6} {'0-lat':>9}"
    )
    cases = [
        ("12 independent, even", independent(12), [1.0]),
        ("chain of 12, even", chain(12), [1.0]),
        ("12-file package, even", as_docs(package(12)), [1.0]),
        ("12 independent, uneven", independent(12), UNEVEN),
        ("chain of 12, uneven", chain(12), UNEVEN),
        ("12-file package, uneven", as_docs(package(12)), UNEVEN),
        ("package, one slow leaf", as_docs(package(12)), SLOW_LEAF),
    ]
    ratios = [measure(name, files, factors, base) for name, files, factors in cases]
    print(f"worst ratio {max(ratios):.2f} (target <= 1.2)")
    print(
        "ratio: wall / critical path; waves: the best a wave-by-wave schedule "
        "can do, over the critical path;\n0-lat: the same run with instant "
        "models (the pipeline's own cost)"
    )


if __name__ == "__main__":
    main()
