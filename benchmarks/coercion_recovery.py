"""Recovery rates on the coercion corpus: archedit against two baselines.

Every reply in tests/data/coercion_corpus.jsonl is handed to three readers:

- archedit: `coerce_file` for a file, `coerce_json` for a blueprint;
- json-repair alone: `json_repair.loads`, then the object's "content" (or
  "arguments"."content") for a file, else the raw text; the object itself
  for a JSON file or a blueprint;
- langchain-core: `JsonOutputParser` the same way for a file,
  `PydanticOutputParser` for a blueprint.

A reply counts as recovered only when the reader's value is the one the
corpus expects after review: the same file text (surrounding whitespace
aside; JSON, TOML and YAML compared as data), or a blueprint that validates
with the same file paths. A value from a reply the review found unusable
(truncated, not code, ...) is counted as a false accept, not a recovery.

Usage:
    python benchmarks/coercion_recovery.py
"""

from __future__ import annotations

import json
import logging
import tomllib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import json_repair
import yaml
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from pydantic import ValidationError

from archedit.blueprint import Blueprint
from archedit.coercion import coerce_file, coerce_json

CORPUS = Path(__file__).resolve().parents[1] / "tests/data/coercion_corpus.jsonl"
READERS = ("archedit", "json-repair", "langchain")
_DATA = {".json": json.loads, ".toml": tomllib.loads, ".yaml": yaml.safe_load}

Reader = Callable[[dict], Any]


def archedit_reader(case: dict) -> Any:
    """archedit's coercion of the reply as the chat model returned it."""
    metadata = {"finish_reason": case["finish_reason"]}
    message = AIMessage(content=case["content"], response_metadata=metadata)
    if case["target"] == "blueprint":
        return coerce_json(message, Blueprint).value
    return coerce_file(message, case["target"]).value


def json_repair_reader(case: dict) -> Any:
    """json-repair alone, then validation or the content field."""
    try:
        loaded = json_repair.loads(case["content"])
    except (ValueError, RecursionError):
        loaded = None
    return _from_json(case, loaded)


def langchain_reader(case: dict) -> Any:
    """langchain-core's JSON (or pydantic) output parser."""
    if case["target"] == "blueprint":
        parser = PydanticOutputParser(pydantic_object=Blueprint)
        try:
            return parser.parse(case["content"])
        except OutputParserException:
            return None
    try:
        loaded = JsonOutputParser().parse(case["content"])
    except OutputParserException:
        loaded = None
    return _from_json(case, loaded)


def _from_json(case: dict, loaded: Any) -> Any:
    target = case["target"]
    if target == "blueprint":
        try:
            return Blueprint.model_validate(loaded)
        except ValidationError:
            return None
    if target.endswith(".json") and loaded is not None and "content" not in loaded:
        return json.dumps(loaded)
    content = None
    if isinstance(loaded, dict):
        arguments = loaded.get("arguments")
        content = loaded.get("content")
        if content is None and isinstance(arguments, dict):
            content = arguments.get("content")
    return content if isinstance(content, str) else case["content"]


def recovered(case: dict, value: Any) -> bool:
    """Whether `value` is what the reviewed corpus expects for `case`."""
    if value is None or case["outcome"] != "ok":
        return False
    if case["target"] == "blueprint":
        return [spec.path for spec in value.files] == case["expected_paths"]
    expected = case["expected_content"]
    load = _DATA.get(Path(case["target"]).suffix)
    if load is not None:
        try:
            return load(value) == load(expected)
        except (ValueError, yaml.YAMLError, RecursionError):
            return False
    return value.replace("\r\n", "\n").strip() == expected.strip()


def false_accept(case: dict, value: Any) -> bool:
    """Whether a reader gave a value where the review found none usable."""
    return value is not None and case["outcome"] != "ok" and _valid(case, value)


def _valid(case: dict, value: Any) -> bool:
    if case["target"] == "blueprint":
        return True
    load = _DATA.get(Path(case["target"]).suffix)
    try:
        if load is not None:
            load(value)
        elif case["target"].endswith(".py"):
            compile(value, case["target"], "exec")
    except (ValueError, SyntaxError, yaml.YAMLError, RecursionError):
        return False
    return True


def main() -> None:
    """Prints recovery tables by reply shape and by prompt, then the totals."""
    # Coercion logs each degraded reply; the tables are the output wanted here.
    logging.disable(logging.WARNING)
    cases = [json.loads(line) for line in CORPUS.read_text().splitlines() if line]
    readers: dict[str, Reader] = {
        "archedit": archedit_reader,
        "json-repair": json_repair_reader,
        "langchain": langchain_reader,
    }
    scores = []
    for case in cases:
        values = {name: reader(case) for name, reader in readers.items()}
        scores.append(
            (
                case,
                {name: recovered(case, value) for name, value in values.items()},
                {name: false_accept(case, value) for name, value in values.items()},
            )
        )
    for column in ("category", "prompt"):
        _print_table(column, scores)
        print()
    n, usable = len(cases), sum(case["outcome"] == "ok" for case in cases)
    print(f"{n} replies, {usable} usable (the best any reader can recover).")
    for name in READERS:
        hits = sum(hit[name] for _, hit, _ in scores)
        false = sum(wrong[name] for _, _, wrong in scores)
        print(
            f"{name}: {_rate(hits, n)} of all replies, {_rate(hits, usable)} of "
            f"usable ones; {false} false accepts of {n - usable} unusable replies"
        )


def _print_table(column: str, scores: list[tuple[dict, dict, dict]]) -> None:
    rows: dict[str, list[tuple[dict, dict, dict]]] = defaultdict(list)
    for score in scores:
        rows[score[0][column]].append(score)
    header = f"{column:<28}{'n':>4}{'usable':>8}" + "".join(
        f"{name:>14}" for name in READERS
    )
    print(header)
    print("-" * len(header))
    for row, members in sorted(rows.items()):
        usable = sum(case["outcome"] == "ok" for case, _, _ in members)
        cells = "".join(
            f"{_rate(sum(hit[name] for _, hit, _ in members), len(members)):>14}"
            for name in READERS
        )
        print(f"{row:<28}{len(members):>4}{usable:>8}{cells}")


def _rate(hits: int, total: int) -> str:
    if not total:
        return "-"
    return f"{hits}/{total} {100 * hits / total:.0f}%"


if __name__ == "__main__":
    main()
