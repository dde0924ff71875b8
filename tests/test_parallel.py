"""Files worked on at once: how many by default, and that they overlap.

One file's retries and escalations run while another file is being written:
the slow file's retry (or escalation) call waits until the other file's call
has started, and the other file's call waits until the retry has started.
Worked on one after the other, in either order, one of them would wait in
vain until the wait runs out.
"""

from __future__ import annotations

import re
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
_FILE = re.compile(r"^File: (\S+)", re.MULTILINE)
WAIT_S = 60  # generous: only reached when the files were not worked on at once


class Rendezvous(ScriptedChatModel):
    """Scripted replies, with calls that announce they started or wait.

    Both map a file to (call number, event): ``on_start`` sets the event when
    that call of the file starts; ``await_`` makes that call wait for it.
    """

    on_start: dict[str, tuple[int, Any]] = Field(default_factory=dict)
    await_: dict[str, tuple[int, Any]] = Field(default_factory=dict)
    timed_out: list[str] = Field(default_factory=list)

    def _generate(self, messages: Any, *args: Any, **kwargs: Any) -> Any:
        key = _key(messages)
        number = self.keys_called().count(key) + 1
        if self.on_start.get(key, (0,))[0] == number:
            self.on_start[key][1].set()
        if self.await_.get(key, (0,))[0] == number:
            if not self.await_[key][1].wait(WAIT_S):
                self.timed_out.append(key)
        return super()._generate(messages, *args, **kwargs)


def _key(messages: Any) -> str:
    # The same key the scripted model answers by.
    found = _FILE.search(str(messages[1].content)) if len(messages) > 1 else None
    return found.group(1) if found else PLAN


def test_retry_runs_while_an_independent_file_is_written(tmp_path):
    retried, other_started = threading.Event(), threading.Event()
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply(TWO_INDEPENDENT)]})
    editor = Rendezvous(
        scripts={
            "calc.py": [fenced(UNDEFINED_NAME), fenced(GOOD["calc.py"])],
            "other.py": [fenced(OTHER)],
        },
        on_start={"calc.py": (2, retried), "other.py": (1, other_started)},
        await_={"calc.py": (2, other_started), "other.py": (1, retried)},
    )
    state, _ = run_pipeline(architect, editor, str(tmp_path), concurrency=2)

    assert editor.timed_out == []
    assert state["results"]["calc.py"]["status"] == "passed_after_retry"
    assert state["results"]["other.py"]["status"] == "passed"


def test_escalation_runs_while_an_independent_file_is_written(tmp_path):
    escalated, other_started = threading.Event(), threading.Event()
    architect = Rendezvous(
        scripts={
            PLAN: [plan_reply(TWO_INDEPENDENT)],
            "calc.py": [fenced(GOOD["calc.py"])],
        },
        on_start={"calc.py": (1, escalated)},
        await_={"calc.py": (1, other_started)},
    )
    editor = Rendezvous(
        scripts={"calc.py": [fenced(UNDEFINED_NAME)], "other.py": [fenced(OTHER)]},
        on_start={"other.py": (1, other_started)},
        await_={"other.py": (1, escalated)},
    )
    state, _ = run_pipeline(
        architect, editor, str(tmp_path), concurrency=2, max_retries=0
    )

    assert architect.timed_out == [] and editor.timed_out == []
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
