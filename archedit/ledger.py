"""The ledger: one record per model call, priced from a dated price list.

Local models cost nothing but their tokens and time are counted. A hosted
model missing from the price list is unpriced (``cost_usd`` is None), never
silently free.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from langchain_core.messages import AIMessage, BaseMessage

from archedit.providers import ModelHandle
from graph.state import CallRecord, Role


def price_list(path: str | None = None) -> dict[str, dict[str, float]]:
    """Prices per million tokens by model name.

    The list shipped with archedit is overridden, entry by entry, by the JSON
    file named in ``ARCHEDIT_PRICES`` (same shape: ``{"models": {...}}``).
    """
    return _prices(path or os.environ.get("ARCHEDIT_PRICES") or None)


@cache
def _prices(override: str | None) -> dict[str, dict[str, float]]:
    shipped = json.loads(
        resources.files("archedit").joinpath("data/prices.json").read_text()
    )["models"]
    if override:
        shipped.update(json.loads(Path(override).read_text())["models"])
    return shipped


def price_of(name: str) -> dict[str, float] | None:
    """Look a model name up, allowing a vendor prefix such as 'openai/'."""
    prices = price_list()
    bare = name.rsplit("/", 1)[-1]
    return prices.get(name) or prices.get(bare)


def cost(handle: ModelHandle, inp: int, out: int, cached: int) -> float | None:
    """USD cost of a call, 0 for local models, None when unpriced."""
    if handle.is_local:
        return 0.0
    return cost_for(handle.name, inp, out, cached)


def cost_for(name: str, inp: int, out: int, cached: int) -> float | None:
    """USD cost of token counts at ``name``'s prices, None when unpriced."""
    price = price_of(name)
    if price is None:
        return None
    cached_price = price.get("cached_input", price["input"])
    return (
        (inp - cached) * price["input"] + cached * cached_price + out * price["output"]
    ) / 1_000_000


def record(
    handle: ModelHandle,
    role: Role,
    *,
    file: str | None,
    attempt: int,
    reply: BaseMessage | None,
    started: float,
    run: str | None = None,
    tries: int = 1,
    error: str | None = None,
) -> CallRecord:
    """Make the ledger record of a finished (or failed, reply None) call."""
    usage = getattr(reply, "usage_metadata", None) or {}
    inp = int(usage.get("input_tokens") or 0)
    out = int(usage.get("output_tokens") or 0)
    cached = int((usage.get("input_token_details") or {}).get("cache_read") or 0)
    return CallRecord(
        run=run,
        role=role,
        provider=handle.provider,
        model=handle.name,
        file=file,
        attempt=attempt,
        input_tokens=inp,
        output_tokens=out,
        cached_tokens=cached,
        cost_usd=cost(handle, inp, out, cached),
        latency_s=round(time.monotonic() - started, 3),
        outcome="ok" if isinstance(reply, AIMessage) else "error",
        tries=tries,
        error=error,
    )


def totals(
    ledger: Iterable[CallRecord], by: Callable[[CallRecord], str] | None = None
) -> dict[str, dict[str, float]]:
    """Calls, tokens, cost and time summed by role (or by the key ``by`` gives).

    A row's ``cost_usd`` sums the priced calls; ``unpriced_calls`` counts the
    others, so an unknown price never reads as free.
    """
    key = by or (lambda call: call["role"])
    out: dict[str, dict[str, float]] = {}
    for call in ledger:
        row = out.setdefault(
            key(call),
            {
                "calls": 0,
                "failed_calls": 0,
                "tries": 0,
                "input_tokens": 0,
                "output_tokens": 0,
                "cached_tokens": 0,
                "cost_usd": 0.0,
                "latency_s": 0.0,
                "unpriced_calls": 0,
            },
        )
        row["calls"] += 1
        row["failed_calls"] += call["outcome"] == "error"
        row["tries"] += call.get("tries") or 1
        row["input_tokens"] += call["input_tokens"]
        row["output_tokens"] += call["output_tokens"]
        row["cached_tokens"] += call.get("cached_tokens") or 0
        row["latency_s"] = round(row["latency_s"] + call["latency_s"], 3)
        if call["cost_usd"] is None:
            row["unpriced_calls"] += 1
        else:
            row["cost_usd"] = round(row["cost_usd"] + call["cost_usd"], 8)
    return out
