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
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import Field

from archedit.blueprint import FileSpec
from archedit.scheduling import start_order
from graph.builder import build_graph
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


SLOW_AND_PAIR = {
    "summary": "A slow module nothing needs, and a module with one that uses it.",
    "files": [
        {
            "path": "slow.py",
            "kind": "module",
            "purpose": "twice(a) returns 2 * a.",
            "interface": "def twice(a: int) -> int",
        },
        {
            "path": "calc.py",
            "kind": "module",
            "purpose": "add(a, b) returns a + b.",
            "interface": "def add(a: int, b: int) -> int",
        },
        {
            "path": "fmt.py",
            "kind": "module",
            "purpose": "show(a, b) returns 'a + b = sum' using calc.add.",
            "interface": "def show(a: int, b: int) -> str",
            "depends_on": ["calc.py"],
        },
    ],
}


def test_a_slow_file_holds_back_only_the_files_that_depend_on_it(tmp_path):
    # slow.py's only call lasts until fmt.py's call has started; fmt.py can
    # start only once calc.py is finished. Started in waves, fmt.py would wait
    # for slow.py and slow.py for fmt.py.
    dependent_started = threading.Event()
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply(SLOW_AND_PAIR)]})
    editor = Rendezvous(
        scripts={
            "slow.py": [fenced(OTHER)],
            "calc.py": [fenced(GOOD["calc.py"])],
            "fmt.py": [fenced(GOOD["fmt.py"])],
        },
        on_start={"fmt.py": (1, dependent_started)},
        await_={"slow.py": (1, dependent_started)},
    )
    state, visits = run_pipeline(architect, editor, str(tmp_path), concurrency=3)

    assert editor.timed_out == []
    assert {r["status"] for r in state["results"].values()} == {"passed"}
    assert visits.index(("calc.py", "check")) < visits.index(("fmt.py", "edit"))


class Counting(ScriptedChatModel):
    """Scripted replies that take a moment, counting the calls under way."""

    busy: list[int] = Field(default_factory=lambda: [0, 0])

    def _generate(self, messages: Any, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.busy[0] += 1
            self.busy[1] = max(self.busy)
        try:
            threading.Event().wait(0.2)
            return super()._generate(messages, *args, **kwargs)
        finally:
            with self._lock:
                self.busy[0] -= 1


FOUR_INDEPENDENT = {
    "summary": "Four modules that do not import each other.",
    "files": [
        {
            "path": f"m{n}.py",
            "kind": "module",
            "purpose": "twice(a) returns 2 * a.",
            "interface": "def twice(a: int) -> int",
        }
        for n in range(4)
    ],
}


@pytest.mark.parametrize("concurrency", [1, 2])
def test_concurrency_bounds_the_files_at_work(tmp_path, concurrency):
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply(FOUR_INDEPENDENT)]})
    editor = Counting(scripts={f"m{n}.py": [fenced(OTHER)] for n in range(4)})
    state, _ = run_pipeline(architect, editor, str(tmp_path), concurrency=concurrency)

    assert len(state["results"]) == 4
    assert editor.busy == [0, concurrency]


def test_one_slot_writes_ready_files_in_start_order(tmp_path):
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply(FOUR_INDEPENDENT)]})
    editor = ScriptedChatModel(scripts={f"m{n}.py": [fenced(OTHER)] for n in range(4)})
    run_pipeline(architect, editor, str(tmp_path), concurrency=1)
    assert editor.keys_called() == [f"m{n}.py" for n in range(4)]


def _spec(path: str, *deps: str) -> FileSpec:
    return FileSpec(path=path, kind="doc", purpose="p", depends_on=list(deps))


def test_files_start_after_their_dependencies_and_ready_ones_first():
    files = [
        _spec("cli.md", "service.md"),
        _spec("service.md", "store.md"),
        _spec("store.md"),
        _spec("readme.md"),
        _spec("test_store.md", "store.md"),
    ]
    order = [spec.path for spec in start_order(files)]
    assert order == ["store.md", "readme.md", "service.md", "test_store.md", "cli.md"]


def test_a_long_chain_is_ordered_without_recursion():
    files = [_spec(f"f{n}.md", *([f"f{n - 1}.md"] if n else [])) for n in range(3000)]
    order = [spec.path for spec in start_order(reversed(files))]
    assert order == [f"f{n}.md" for n in range(3000)]


@pytest.mark.parametrize("threads", [1, 2])
def test_few_langgraph_threads_still_write_every_file(tmp_path, threads):
    # Waiting file tasks hold LangGraph worker threads; called in start order,
    # each waits only on tasks that already have one.
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = ScriptedChatModel(
        scripts={path: [fenced(code)] for path, code in GOOD.items()}
    )
    graph = build_graph(checkpointer=InMemorySaver())
    context = Context(
        architect=architect, editor=editor, out_dir=str(tmp_path), concurrency=3
    )
    config = {"configurable": {"thread_id": "few"}, "max_concurrency": threads}
    finished: list[dict] = []
    worker = threading.Thread(
        target=lambda: finished.append(
            graph.invoke({"task": "calc"}, config, context=context)
        ),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=120)
    assert finished, f"a run with max_concurrency {threads} did not finish"
    assert {r["status"] for r in finished[0]["results"].values()} == {"passed"}
