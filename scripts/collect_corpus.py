"""Collects raw replies of the embedded model into the coercion test corpus.

Each sample asks the embedded model (SmolLM2-135M-Instruct) for one file or
one blueprint, under one of the prompts below and one temperature, and keeps
the reply exactly as the server sent it, with its finish reason. The expected
outcome written beside it is what archedit's coercion gave at collection time:
it is a proposal only, and every record must be reviewed by hand before the
corpus is committed, since a test that expects whatever the code returned
proves nothing.

A record holds the prompt kind, the target (a file path or "blueprint"), the
temperature, seed and token limit, the finish reason, the raw content, a
category naming the reply's shape (for the recovery benchmark), and the
expected outcome: "ok" or a failure class, with the file's exact text in
expected_content or the blueprint's file paths in expected_paths. Where the
review disagrees with coercion, the record keeps the reviewed outcome and a
"disagreement" saying what coercion does instead; the corpus test expects
such a case to fail until coercion learns it.

Usage:
    python scripts/collect_corpus.py [--output PATH] [--force]
    python scripts/collect_corpus.py --append KIND...

The default output is tests/data/coercion_corpus.jsonl; an existing file is
kept unless --force is given, so reviewed expectations are not lost.
--append samples only the prompts of the given kinds and adds their records.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
)

from archedit.blueprint import Blueprint
from archedit.coercion import coerce_file, coerce_json
from archedit.embedded import EmbeddedServer, chat_model
from archedit.providers import constrained
from prompts.architect import EXAMPLE_PLAN, EXAMPLE_TASK, PLAN_SYSTEM, PLAN_TASK
from prompts.editor import EDIT_SYSTEM, EDIT_TASK, NO_DEPENDENCIES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_prompts import (  # noqa: E402
    ARCHITECT_TASKS,
    ENVELOPE_SYSTEM,
    EXAMPLE_ENVELOPE,
    EXAMPLE_PATH,
    EXAMPLE_SPEC,
    EXAMPLE_TOOL_CALL,
    FILE_SPECS,
    TOOL_TEXT_SYSTEM,
    dependencies,
)

_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.M)
_FENCE_BODY = re.compile(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", re.M | re.S)
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "tests" / "data" / "coercion_corpus.jsonl"
#: (temperature, seed): greedy once, then two seeds at each sampled setting.
SETTINGS = [(0.0, 1), (0.7, 1), (0.7, 2), (1.2, 1), (1.2, 2)]
FILE_TOKENS = 256
PLAN_TOKENS = 360
#: Greedy samples cut short on purpose, so the corpus holds truncated replies.
SHORT_TOKENS = 48


@dataclass(frozen=True)
class Prompt:
    """One prompt to sample: its kind, what it asks for and its messages.

    Attributes:
        kind: Which prompt: editor, envelope, tool_text, architect, ...
        target: The file path asked for, or "blueprint".
        messages: The messages sent.
        max_tokens: The reply's token limit.
        task: Which architect task, counted from 1; 0 for a file.
    """

    kind: str
    target: str
    messages: list[BaseMessage]
    max_tokens: int
    task: int = 0


def editor_messages(
    path: str, system: str = EDIT_SYSTEM, example: str | None = None
) -> list[BaseMessage]:
    """The editor's messages for one file of `FILE_SPECS`.

    Args:
        path: The file's path.
        system: The system prompt, which says what shape the reply takes.
        example: A reply for `EXAMPLE_SPEC` to show before the task, if any.

    Returns:
        System and task messages, as the edit node builds them.
    """
    messages: list[BaseMessage] = [SystemMessage(system)]
    if example is not None:
        messages += [
            HumanMessage(_task(EXAMPLE_PATH, EXAMPLE_SPEC, "")),
            AIMessage(example),
        ]
    task = _task(path, FILE_SPECS[path], dependencies(path))
    return [*messages, HumanMessage(task)]


def _task(path: str, spec: dict, dependencies: str) -> str:
    return EDIT_TASK.format(
        path=path,
        kind=spec["kind"],
        purpose=spec["purpose"],
        interface=spec["interface"] or "(none declared)",
        dependencies=dependencies or NO_DEPENDENCIES,
    )


def architect_messages(task: str) -> list[BaseMessage]:
    """The architect's messages, with the worked example the plan node sends."""
    return [
        SystemMessage(PLAN_SYSTEM.format(max_files=6)),
        HumanMessage(PLAN_TASK.format(task=EXAMPLE_TASK)),
        AIMessage(EXAMPLE_PLAN),
        HumanMessage(PLAN_TASK.format(task=task)),
    ]


def prompts() -> list[Prompt]:
    """Every prompt the corpus samples."""
    found = [
        Prompt("editor", path, editor_messages(path), FILE_TOKENS)
        for path in FILE_SPECS
    ]
    for path in ("calc.py", "settings.json", "config.yaml"):
        messages = editor_messages(path, ENVELOPE_SYSTEM)
        found.append(Prompt("envelope", path, messages, FILE_TOKENS))
    for path in ("calc.py", "slug.py", "pyproject.toml"):
        messages = editor_messages(path, TOOL_TEXT_SYSTEM)
        found.append(Prompt("tool_text", path, messages, FILE_TOKENS))
    for path in ("calc.py", "config.yaml"):
        messages = editor_messages(path, ENVELOPE_SYSTEM, EXAMPLE_ENVELOPE)
        found.append(Prompt("envelope_example", path, messages, FILE_TOKENS))
    for path in ("calc.py", "pyproject.toml"):
        messages = editor_messages(path, TOOL_TEXT_SYSTEM, EXAMPLE_TOOL_CALL)
        found.append(Prompt("tool_text_example", path, messages, FILE_TOKENS))
    for number, task in enumerate(ARCHITECT_TASKS, 1):
        for kind in ("architect", "architect_constrained"):
            messages = architect_messages(task)
            found.append(Prompt(kind, "blueprint", messages, PLAN_TOKENS, number))
    return found


def category(content: str, finish: str, target: str) -> str:
    """Names the shape of a reply, for the recovery table of the benchmark.

    The first shape that applies wins, so a cut-off envelope is "truncated".

    Args:
        content: The raw reply text.
        finish: The finish reason the server gave.
        target: The file path asked for, or "blueprint".

    Returns:
        The category's name.
    """
    text = content.strip()
    if not text:
        return "empty"
    if finish == "length":
        return "truncated"
    if "<tool_call>" in text or "<function=" in text:
        return "tool-call text"
    fences = _FENCE.findall(text)
    first_body = _FENCE_BODY.search(text)
    json_text = first_body[1] if first_body and not text.startswith("{") else text
    try:
        loaded = json.loads(json_text)
    except ValueError:
        loaded = None
    if target == "blueprint":
        if loaded is not None:
            return "blueprint JSON" if json_text is text else "blueprint fenced"
        return "blueprint broken JSON" if "{" in text else "blueprint no JSON"
    if isinstance(loaded, dict) and "content" in loaded:
        return "envelope JSON"
    if loaded is None and json_text.lstrip().startswith("{") and '"content"' in text:
        return "broken JSON"
    if not fences:
        return "bare text"
    if len(fences) == 2 and text.startswith("`") and text.endswith("`"):
        return "fenced code"
    return "prose-wrapped"


def sample(server: EmbeddedServer, prompt: Prompt, temperature: float, seed: int):
    """Asks the model once and returns its reply message."""
    model = chat_model(
        server, temperature=temperature, seed=seed, max_tokens=prompt.max_tokens
    )
    runnable = model
    if prompt.kind == "architect_constrained":
        runnable = constrained(model, Blueprint)
    return runnable.invoke(prompt.messages)


def record(prompt: Prompt, temperature: float, seed: int, reply: Any) -> dict:
    """One corpus record, with the expected outcome proposed by coercion."""
    content = reply.content if isinstance(reply.content, str) else ""
    finish = reply.response_metadata.get("finish_reason") or ""
    message = AIMessage(content=content, response_metadata={"finish_reason": finish})
    if prompt.target == "blueprint":
        coerced = coerce_json(message, Blueprint)
        expected = {"expected_paths": None}
        if coerced.ok:
            expected["expected_paths"] = [spec.path for spec in coerced.value.files]
    else:
        coerced = coerce_file(message, prompt.target)
        expected = {"expected_content": coerced.value}
    return {
        "id": f"{prompt.kind}-{prompt.target}{prompt.task or ''}-t{temperature}"
        f"-s{seed}-n{prompt.max_tokens}",
        "prompt": prompt.kind,
        "target": prompt.target,
        "temperature": temperature,
        "seed": seed,
        "max_tokens": prompt.max_tokens,
        "finish_reason": finish,
        "category": category(content, finish, prompt.target),
        "content": content,
        "outcome": "ok" if coerced.ok else str(coerced.failure),
        **expected,
    }


def plan() -> list[tuple[Prompt, float, int]]:
    """Every (prompt, temperature, seed) to sample, short ones last."""
    runs = [(p, t, s) for p in prompts() for t, s in SETTINGS]
    short = [p for p in prompts() if p.target in ("calc.py", "test_calc.py")]
    short = [p for p in short if p.kind == "editor"]
    short += [p for p in prompts() if p.kind == "architect"][:1]
    for prompt in short:
        clipped = replace(prompt, max_tokens=SHORT_TOKENS)
        runs.append((clipped, 0.0, 1))
    return runs


def main() -> int:
    """Samples every prompt and writes the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--force", action="store_true", help="overwrite output")
    parser.add_argument(
        "--append",
        metavar="KIND",
        nargs="+",
        help="sample only these prompt kinds and add them to the output",
    )
    args = parser.parse_args()
    if args.output.exists() and not (args.force or args.append):
        print(f"{args.output} exists; pass --force to replace it", file=sys.stderr)
        return 1
    runs = plan()
    if args.append:
        runs = [run for run in runs if run[0].kind in args.append]
    started = time.monotonic()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    # Written as they come, so that an interrupted run keeps what it sampled.
    # One thread: on a busy machine llama.cpp's threads wait on each other, and
    # two threads on two loaded CPUs ran ten times slower than one.
    server = EmbeddedServer(threads=1)
    with server, args.output.open("a" if args.append else "w") as out:
        for number, (prompt, temperature, seed) in enumerate(runs, 1):
            reply = sample(server, prompt, temperature, seed)
            item = record(prompt, temperature, seed, reply)
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            out.flush()
            print(
                f"{number}/{len(runs)} {item['id']}: {item['outcome']} "
                f"({time.monotonic() - started:.0f} s)",
                file=sys.stderr,
            )
    print(f"wrote {len(runs)} samples to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
