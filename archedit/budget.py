"""Budgets of a run in USD, tokens and minutes, kept around every model call.

Before a call, what the run has spent plus what calls in flight may spend plus
a conservative estimate of this call must fit every budget, or the call is
not made and ``BudgetExceeded`` stops the run at its last checkpoint. After
the call its real usage replaces the estimate. The tally of a run lives in
this process, keyed by the run's thread id; the runner seeds it from the
checkpointed ledger when a run is resumed.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

from langchain_core.messages import BaseMessage

from archedit.ledger import cost
from archedit.providers import ModelHandle
from graph.context import Context
from graph.state import CallRecord

logger = logging.getLogger(__name__)

Budget = Literal["usd", "tokens", "minutes"]
FLAGS: dict[Budget, str] = {
    "usd": "--max-usd",
    "tokens": "--max-tokens",
    "minutes": "--max-minutes",
}
# Reply length assumed when the model sets no limit of its own.
DEFAULT_OUTPUT_TOKENS = 2048
# Fewer characters per token than most tokenizers give, so that the estimate
# errs high.
CHARS_PER_TOKEN = 3
TOKENS_PER_MESSAGE = 8


class BudgetExceeded(RuntimeError):
    """A call would take the run over one of its budgets; nothing was sent.

    Attributes:
        budget: Which budget: "usd", "tokens" or "minutes".
        limit: The budget's value.
        raisable: Whether a larger budget lets the run go on; not so when the
            model has no price to check a USD budget against.
        record: The ledger record of a call stopped between its retries (its
            requests were sent), for the runner to keep; None otherwise.
    """

    def __init__(
        self, budget: Budget, limit: float, message: str, *, raisable: bool = True
    ) -> None:
        super().__init__(message)
        self.budget = budget
        self.limit = limit
        self.raisable = raisable
        self.record: CallRecord | None = None

    @property
    def flag(self) -> str:
        """The command-line option that raises this budget."""
        return FLAGS[self.budget]

    def suggestion(self) -> str:
        """A larger value for the budget, to offer in the resume hint."""
        larger = self.limit * 2 if self.limit > 0 else 1
        if self.budget == "tokens":
            return str(int(math.ceil(larger)))
        return f"{larger:.4g}"


@dataclass(frozen=True)
class Estimate:
    """The most a call is expected to use."""

    tokens: int
    usd: float | None


def estimate(handle: ModelHandle, messages: list[BaseMessage]) -> Estimate:
    """A conservative estimate of a call: long prompt, reply at its limit."""
    chars = sum(len(str(message.content)) for message in messages)
    prompt = math.ceil(chars / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE * len(messages)
    reply = _output_limit(handle) or DEFAULT_OUTPUT_TOKENS
    return Estimate(tokens=prompt + reply, usd=cost(handle, prompt, reply, 0))


def _output_limit(handle: ModelHandle) -> int | None:
    model = handle.model
    for name in ("max_tokens", "max_completion_tokens", "num_predict"):
        value = getattr(model, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


@dataclass
class Spend:
    """What one run has used so far, and what calls in flight may still use."""

    usd: float = 0.0
    tokens: int = 0
    worked_s: float = 0.0
    """Seconds worked in earlier starts and resumes of the run."""
    started: float = field(default_factory=time.monotonic)
    reserved_usd: float = 0.0
    reserved_tokens: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def minutes(self) -> float:
        """Minutes worked, this sitting included."""
        return (self.worked_s + time.monotonic() - self.started) / 60

    def reserve(self, context: Context, guess: Estimate, what: str) -> None:
        """Hold ``guess`` for a call about to be made, or refuse it.

        Raises:
            BudgetExceeded: when the call could take the run over a budget.
        """
        with self.lock:
            self._check(context, guess, what)
            self.reserved_usd += guess.usd or 0.0
            self.reserved_tokens += guess.tokens

    def settle(
        self, context: Context, guess: Estimate, record: CallRecord | None
    ) -> None:
        """Replace the estimate of a finished call by its real usage.

        A call that used more than its estimate can take the run over a
        budget; that is logged, and the next call's check stops the run.
        """
        with self.lock:
            self.reserved_usd -= guess.usd or 0.0
            self.reserved_tokens -= guess.tokens
            if record is None:
                return
            self.add(record)
            over = []
            if context.max_tokens is not None and self.tokens > context.max_tokens:
                over.append(f"{self.tokens} tokens of {context.max_tokens}")
            if context.max_usd is not None and self.usd > context.max_usd:
                over.append(f"${self.usd:.4f} of ${context.max_usd:g}")
            if over:
                logger.warning(
                    "%s attempt %s used more than estimated; the run is over "
                    "budget (%s) and stops before its next call",
                    record["file"] or "blueprint",
                    record["attempt"],
                    ", ".join(over),
                )

    def add(self, record: CallRecord) -> None:
        """Count a call's real usage (the caller holds the lock or owns self)."""
        self.tokens += record["input_tokens"] + record["output_tokens"]
        self.usd += record["cost_usd"] or 0.0

    def check_time(self, context: Context, what: str) -> None:
        """Refuse ``what`` when the run's minutes are used up.

        Raises:
            BudgetExceeded: when they are.
        """
        if context.max_minutes is not None and self.minutes() >= context.max_minutes:
            raise BudgetExceeded(
                "minutes",
                context.max_minutes,
                f"the run has worked {self.minutes():.1f} of its "
                f"{context.max_minutes:g} minutes; stopped before {what}",
            )

    def seconds_left(self, context: Context) -> float | None:
        """Seconds until the minutes budget is used up, None without one."""
        if context.max_minutes is None:
            return None
        return max(0.0, (context.max_minutes - self.minutes()) * 60)

    def _check(self, context: Context, guess: Estimate, what: str) -> None:
        self.check_time(context, what)
        if context.max_tokens is not None:
            committed = self.tokens + self.reserved_tokens
            if committed + guess.tokens > context.max_tokens:
                raise BudgetExceeded(
                    "tokens",
                    context.max_tokens,
                    f"{what} could take the run over its budget of "
                    f"{context.max_tokens} tokens ({committed} used or in "
                    f"flight, up to {guess.tokens} more for this call)",
                )
        if context.max_usd is not None:
            if guess.usd is None:
                raise BudgetExceeded(
                    "usd",
                    context.max_usd,
                    f"{what} goes to a model with no known price, so the USD "
                    "budget cannot be kept; add its prices to a file named by "
                    "ARCHEDIT_PRICES, or run without --max-usd",
                    raisable=False,
                )
            committed_usd = self.usd + self.reserved_usd
            if committed_usd + guess.usd > context.max_usd:
                raise BudgetExceeded(
                    "usd",
                    context.max_usd,
                    f"{what} could take the run over its budget of "
                    f"${context.max_usd:g} (${committed_usd:.4f} spent or in "
                    f"flight, up to ${guess.usd:.4f} more for this call)",
                )


_runs: dict[str, Spend] = {}
_runs_lock = threading.Lock()


def begin(run: str, ledger: list[CallRecord], worked_s: float = 0.0) -> Spend:
    """Start the tally of a run (again), counting the calls it already made."""
    spend = Spend(worked_s=worked_s)
    for record in ledger:
        spend.add(record)
    with _runs_lock:
        _runs[run] = spend
    return spend


def spend_of(run: str | None) -> Spend:
    """The tally of ``run``; a run the runner did not start gets a fresh one."""
    key = run or ""
    with _runs_lock:
        if key not in _runs:
            _runs[key] = Spend()
        return _runs[key]


def finish(run: str) -> float:
    """Forget a run's tally; return the seconds it has worked in total."""
    with _runs_lock:
        spend = _runs.pop(run, None)
    if spend is None:
        return 0.0
    return spend.worked_s + time.monotonic() - spend.started
