"""Scripted chat models for policy tests: replies chosen by the file asked for.

Files are written in parallel branches, so a single reply queue would hand
replies out in a racy order. ``ScriptedChatModel`` keeps one queue per file
(read from the prompt's ``File: <path>`` line) and one for planning.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr

PLAN = "<plan>"
CRASH = "<crash>"
"""A scripted reply that makes the call raise, as a dying provider would."""
_FILE = re.compile(r"^File: (\S+)", re.MULTILINE)


def fenced(code: str, lang: str = "python") -> str:
    """A reply that wraps ``code`` the way chat models usually do."""
    return f"Here is the file.\n```{lang}\n{code}```\n"


class ScriptedChatModel(BaseChatModel):
    """Answers from per-file scripts and records every prompt it was sent."""

    scripts: dict[str, list[str]]
    after: dict[str, str] = {}
    """Keys whose calls answer only once another key has been called."""
    name_: str = "scripted"
    _queues: dict[str, deque[str]] = PrivateAttr(default_factory=dict)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _calls: list[tuple[str, str]] = PrivateAttr(default_factory=list)
    _called: dict[str, threading.Event] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any) -> None:
        self._queues = {key: deque(replies) for key, replies in self.scripts.items()}
        self._called = {key: threading.Event() for key in self.after.values()}

    @property
    def _llm_type(self) -> str:
        return "scripted"

    @property
    def calls(self) -> list[tuple[str, str]]:
        """(key, last prompt text) of every call, in order."""
        return list(self._calls)

    def keys_called(self) -> list[str]:
        return [key for key, _ in self._calls]

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: Any = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        prompt = "\n".join(str(m.content) for m in messages)
        found = _FILE.search(str(messages[1].content)) if len(messages) > 1 else None
        key = found.group(1) if found else PLAN
        if key in self.after:
            first = self.after[key]
            if not self._called[first].wait(timeout=30):
                raise AssertionError(f"{key} waited 30 s for a call for {first}")
        with self._lock:
            self._calls.append((key, prompt))
            if key in self._called:
                self._called[key].set()
            queue = self._queues.get(key)
            if not queue:
                raise AssertionError(f"no scripted reply left for {key}")
            text = queue.popleft()
        if text == CRASH:
            raise RuntimeError(f"scripted crash while writing {key}")
        message = AIMessage(
            content=text,
            usage_metadata={
                "input_tokens": len(prompt) // 4,
                "output_tokens": len(text) // 4,
                "total_tokens": len(prompt) // 4 + len(text) // 4,
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])
