"""A scripted chat model with a fixed latency per file, for the benchmarks.

Replies are keyed, as in the test suite's scripted model, by the file named on
the prompt's ``File: <path>`` line (``<plan>`` for the architect's plan). Each
key has a list of replies; the last one repeats, so a script never runs dry.
The call sleeps for the key's latency, standing in for a model that takes that
long, and records when it started and ended.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field, PrivateAttr

PLAN = "<plan>"
_FILE = re.compile(r"^File: (\S+)", re.MULTILINE)


def fenced(text: str, lang: str = "") -> str:
    """A reply that wraps ``text`` in a fence, as chat models usually do."""
    return f"```{lang}\n{text}```\n"


class TimedChatModel(BaseChatModel):
    """Answers from per-key scripts after that key's fixed latency."""

    replies: dict[str, list[str]]
    latency: dict[str, float] = Field(default_factory=dict)
    default_latency: float = 0.0
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _served: dict[str, int] = PrivateAttr(default_factory=dict)
    _calls: list[tuple[str, float, float]] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "timed-scripted"

    @property
    def calls(self) -> list[tuple[str, float, float]]:
        """(key, start, end) of every call, in ``time.perf_counter`` seconds."""
        return list(self._calls)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: Any = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        found = _FILE.search(str(messages[1].content)) if len(messages) > 1 else None
        key = found.group(1) if found else PLAN
        start = time.perf_counter()
        delay = self.latency.get(key, self.default_latency)
        if delay:
            time.sleep(delay)
        with self._lock:
            script = self.replies[key]
            index = self._served.get(key, 0)
            self._served[key] = index + 1
            self._calls.append((key, start, time.perf_counter()))
        text = script[min(index, len(script) - 1)]
        prompt = sum(len(str(m.content)) for m in messages)
        message = AIMessage(
            content=text,
            usage_metadata={
                "input_tokens": prompt // 4,
                "output_tokens": len(text) // 4,
                "total_tokens": prompt // 4 + len(text) // 4,
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])
