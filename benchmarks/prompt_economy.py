"""Editor prompt size per file against a prompt carrying the whole blueprint.

On the 12-file package, each file's editor prompt is rendered exactly as the
edit node renders it (system prompt, the file's spec, the interfaces of the
files it depends on). The comparison prompt is the same but carries the
whole blueprint, every file's spec and dependencies, in place of the
dependency interfaces: what an editor would be sent without bounded work
orders. Sizes are characters / 4, a tokenizer-free estimate; ``--tokenize``
counts real tokens with the embedded model's tokenizer instead.

Usage: python benchmarks/prompt_economy.py [--tokenize]
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable

from shapes import package

from archedit.blueprint import Blueprint
from archedit.briefing import render_fields
from graph.state import FileResult
from nodes.dispatch import file_task
from prompts.editor import EDIT_SYSTEM, EDIT_TASK


def prompts(blueprint: Blueprint) -> list[tuple[str, str]]:
    """(bounded, whole-blueprint) editor prompts of every file."""
    specs = {spec.path: spec for spec in blueprint.files}
    # Dependencies described by their declared interfaces, as when nothing
    # usable was written for them; written code would be described by the
    # interface read from it, which is of the same order.
    results = {
        path: FileResult(
            path=path,
            status="passed",
            content=None,
            model=None,
            role=None,
            attempts=[],
        )
        for path in specs
    }
    whole = json.dumps(blueprint.model_dump()["files"])
    pairs = []
    for spec in blueprint.files:
        fields = render_fields(file_task(spec, specs, results))
        bounded = EDIT_SYSTEM + "\n" + EDIT_TASK.format(**fields)
        blueprint_fields = {**fields, "dependencies": f"The blueprint:\n{whole}"}
        full = EDIT_SYSTEM + "\n" + EDIT_TASK.format(**blueprint_fields)
        pairs.append((bounded, full))
    return pairs


def embedded_tokenizer() -> Callable[[str], int]:
    """Token counts from the embedded llama.cpp server's ``/tokenize``."""
    import httpx

    from archedit.embedded import shared_server

    server = shared_server(n_parallel=1)
    base = server.base_url.removesuffix("/v1")

    def count(text: str) -> int:
        reply = httpx.post(f"{base}/tokenize", json={"content": text}, timeout=30)
        reply.raise_for_status()
        return len(reply.json()["tokens"])

    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tokenize", action="store_true", help="count with the embedded model"
    )
    args = parser.parse_args()
    size = embedded_tokenizer() if args.tokenize else (lambda text: len(text) / 4)
    unit = "tokens" if args.tokenize else "chars/4"
    blueprint = Blueprint.model_validate({"files": package(12)})
    pairs = prompts(blueprint)
    print(f"{'file':<26} {'bounded':>8} {'whole':>8} {'ratio':>6}   ({unit})")
    ratios = []
    for spec, (bounded, full) in zip(blueprint.files, pairs, strict=True):
        ratio = size(bounded) / size(full)
        ratios.append(ratio)
        print(f"{spec.path:<26} {size(bounded):8.0f} {size(full):8.0f} {ratio:6.2f}")
    total = sum(size(b) for b, _ in pairs) / sum(size(f) for _, f in pairs)
    print(
        f"mean per file {statistics.mean(ratios):.2f}, worst "
        f"{max(ratios):.2f}, total {total:.2f} (target <= 0.4)"
    )


if __name__ == "__main__":
    main()
