"""Files worked on at once: how many by default, and that they overlap.

One file's retries and escalations run while other files are being written:
the independent file's editor call does not answer until the slow file's
retry (or escalation) call has been made; were the files worked on one after
the other, that call would never come and the wait would run out.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from pydantic import Field

from graph.context import Context
from tests.support.pipeline import GOOD, UNDEFINED_NAME, plan_reply, run_pipeline
from tests.support.scripted import PLAN, ScriptedChatModel, fenced

TWO_INDEPENDENT = {
    "summary": "Two modules that do not import each other.",
    "files": [
        {
            "path": "calc.py",
            "kind": "module",
            "purpose": "add(a, b) returns a + b.",
            "interface": "def add(a: int, b: int) -> int",
        },
        {
            "path": "other.py",
            "kind": "module",
            "purpose": "twice(a) returns 2 * a.",
            "interface": "def twice(a: int) -> int",
        },
    ],
}
OTHER = "def twice(a: int) -> int:\n    return 2 * a\n"
WAIT_S = 60  # generous: only reached when the files were not worked on at once


class Rendezvous(ScriptedChatModel):
    """Scripted replies, with calls that wait for or announce other calls.

    ``announce`` maps a file to (its call number, event): that call sets the
    event. ``await_`` maps a file to an event its calls wait for first.
    """

    announce: dict[str, tuple[int, Any]] = Field(default_factory=dict)
    await_: dict[str, Any] = Field(default_factory=dict)
    timed_out: list[str] = Field(default_factory=list)

    def _generate(self, messages: Any, *args: Any, **kwargs: Any) -> Any:
        key = _key(messages)
        if key in self.await_ and not self.await_[key].wait(WAIT_S):
            self.timed_out.append(key)
        result = super()._generate(messages, *args, **kwargs)
        if key in self.announce:
            number, event = self.announce[key]
            if self.keys_called().count(key) == number:
                event.set()
        return result


def _key(messages: Any) -> str:
    text = str(messages[1].content) if len(messages) > 1 else ""
    first = text.splitlines()[0] if text else ""
    return first.removeprefix("File: ").split(" ")[0] if first else PLAN


def test_retry_runs_while_an_independent_file_is_written(tmp_path):
    retried = threading.Event()
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply(TWO_INDEPENDENT)]})
    editor = Rendezvous(
        scripts={
            "calc.py": [fenced(UNDEFINED_NAME), fenced(GOOD["calc.py"])],
            "other.py": [fenced(OTHER)],
        },
        announce={"calc.py": (2, retried)},
        await_={"other.py": retried},
    )
    state, _ = run_pipeline(architect, editor, str(tmp_path), concurrency=2)

    assert editor.timed_out == []
    assert state["results"]["calc.py"]["status"] == "passed_after_retry"
    assert state["results"]["other.py"]["status"] == "passed"


def test_escalation_runs_while_an_independent_file_is_written(tmp_path):
    escalated = threading.Event()
    architect = Rendezvous(
        scripts={
            PLAN: [plan_reply(TWO_INDEPENDENT)],
            "calc.py": [fenced(GOOD["calc.py"])],
        },
        announce={"calc.py": (1, escalated)},
    )
    editor = Rendezvous(
        scripts={"calc.py": [fenced(UNDEFINED_NAME)], "other.py": [fenced(OTHER)]},
        await_={"other.py": escalated},
    )
    state, _ = run_pipeline(
        architect, editor, str(tmp_path), concurrency=2, max_retries=0
    )

    assert editor.timed_out == []
    assert state["results"]["calc.py"]["status"] == "escalated"
    assert state["results"]["other.py"]["status"] == "passed"


@pytest.mark.parametrize(
    ("editor", "env", "expected"),
    [
        ("local", {}, 2),
        ("ollama:qwen2.5-coder", {}, 2),
        ("ollama:qwen2.5-coder", {"OLLAMA_NUM_PARALLEL": "6"}, 6),
        ("openai:gpt-4.1-mini", {}, 8),
        ("local", {"ARCHEDIT_CONCURRENCY": "3"}, 3),
    ],
)
def test_default_concurrency_follows_the_editor(monkeypatch, editor, env, expected):
    for name in ("OLLAMA_NUM_PARALLEL", "ARCHEDIT_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Context(editor=editor).concurrency == expected
    assert Context(editor=editor, concurrency=5).concurrency == 5
