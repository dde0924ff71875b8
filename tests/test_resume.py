"""A run that dies in the middle of a file resumes without redoing others."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archedit.checkpoints import open_checkpointer, saved_work
from graph.builder import build_graph
from graph.context import Context
from tests.support.pipeline import BLUEPRINT, GOOD, UNDEFINED_NAME
from tests.support.scripted import CRASH, PLAN, ScriptedChatModel, fenced

CHAIN = {**BLUEPRINT, "files": BLUEPRINT["files"][:2]}
BROKEN_ADD = "def add(a: int, b: int) -> int:\n    return (a + b) // (a - a)\n"
OTHER = "def twice(a: int) -> int:\n    return 2 * a\n"


def sitting(
    out: Path, thread: str, architect: Any, editor: Any, task: str | None, **extra
) -> tuple[dict | None, tuple[dict, list]]:
    """One process's go at a run, as a new process would: a new checkpointer
    on the same file, the models given.

    Returns the final state (None when a scripted crash stopped the run) and
    what the checkpoints hold: file results and model calls.
    """
    config = {"configurable": {"thread_id": thread}}
    context = Context(architect=architect, editor=editor, out_dir=str(out), **extra)
    with open_checkpointer(out) as saver:
        graph = build_graph(checkpointer=saver)
        try:
            state = graph.invoke(task and {"task": task}, config, context=context)
        except RuntimeError as err:
            if "scripted crash" not in str(err):
                raise
            state = None
        return state, saved_work(graph, config)


def test_resume_redoes_only_the_interrupted_file(tmp_path):
    architect = ScriptedChatModel(scripts={PLAN: [json.dumps(CHAIN)]})
    first = ScriptedChatModel(
        scripts={
            "calc.py": [fenced(GOOD["calc.py"])],
            "fmt.py": [fenced(UNDEFINED_NAME), CRASH],
        }
    )
    state, _ = sitting(tmp_path, "crash", architect, first, "calc")
    assert state is None
    assert first.keys_called() == ["calc.py", "fmt.py", "fmt.py"]

    second = ScriptedChatModel(scripts={"fmt.py": [fenced(GOOD["fmt.py"])]})
    state, _ = sitting(tmp_path, "crash", architect, second, None)

    assert second.keys_called() == ["fmt.py"]
    assert architect.keys_called() == [PLAN]
    fmt = state["results"]["fmt.py"]
    assert fmt["status"] == "passed_after_retry"
    # The attempt made before the crash is kept, not redone.
    assert [a["failure"] for a in fmt["attempts"]] == ["check", None]
    assert state["results"]["calc.py"]["status"] == "passed"
    assert (tmp_path / "fmt.py").read_text() == GOOD["fmt.py"]


def test_a_crash_stops_waiting_files_and_keeps_finished_ones(tmp_path):
    # calc.py crashes; fmt.py and test_calc.py wait on it and never start.
    # other.py does not depend on it: it finishes, is saved, and is not
    # written again by the resumed run.
    other_spec = {
        "path": "other.py",
        "kind": "module",
        "purpose": "twice(a) returns 2 * a.",
        "interface": "def twice(a: int) -> int",
    }
    blueprint = {**BLUEPRINT, "files": [*BLUEPRINT["files"], other_spec]}
    architect = ScriptedChatModel(scripts={PLAN: [json.dumps(blueprint)]})

    def crashing(after: dict[str, str]) -> ScriptedChatModel:
        return ScriptedChatModel(
            scripts={"calc.py": [CRASH], "other.py": [fenced(OTHER)]}, after=after
        )

    # One file at a time: calc.py comes first in the start order and stops
    # the run, so other.py never starts either.
    first = crashing(after={})
    state, (results, ledger) = sitting(
        tmp_path, "stop", architect, first, "calc", concurrency=1
    )
    assert state is None
    assert first.keys_called() == ["calc.py"]
    assert results == {}
    assert [call["file"] for call in ledger] == [None]

    # Two at a time: calc.py crashes while other.py is at work; other.py is
    # finished and kept.
    second = crashing(after={"calc.py": "other.py"})
    state, (results, ledger) = sitting(
        tmp_path, "stop", architect, second, None, concurrency=2
    )
    assert state is None
    assert sorted(second.keys_called()) == ["calc.py", "other.py"]
    assert list(results) == ["other.py"]
    assert sorted(str(call["file"]) for call in ledger) == ["None", "other.py"]

    third = ScriptedChatModel(scripts={path: [fenced(GOOD[path])] for path in GOOD})
    state, _ = sitting(tmp_path, "stop", architect, third, None)

    assert sorted(third.keys_called()) == sorted(GOOD)
    assert {r["status"] for r in state["results"].values()} == {"passed"}
    assert (tmp_path / "other.py").read_text() == OTHER
    assert sorted(str(call["file"]) for call in state["ledger"]) == sorted(
        ["None", "other.py", *GOOD]
    )


def test_a_crash_in_a_reopened_file_resumes_only_that_file(tmp_path):
    architect = ScriptedChatModel(scripts={PLAN: [json.dumps(BLUEPRINT)]})
    first = ScriptedChatModel(
        scripts={
            "calc.py": [fenced(BROKEN_ADD), CRASH],
            "fmt.py": [fenced(GOOD["fmt.py"])],
            "test_calc.py": [fenced(GOOD["test_calc.py"])],
        }
    )
    state, _ = sitting(tmp_path, "reopen", architect, first, "calc")
    assert state is None
    assert sorted(first.keys_called()) == sorted(["calc.py", *GOOD])

    second = ScriptedChatModel(scripts={"calc.py": [fenced(GOOD["calc.py"])]})
    state, _ = sitting(tmp_path, "reopen", architect, second, None)

    assert second.keys_called() == ["calc.py"]
    assert state["results"]["calc.py"]["status"] == "passed_after_retry"
    assert state["results"]["test_calc.py"]["attempts"][-1]["failure"] is None
    # Attempt 2 is the test's verdict on the first draft; the crashed call
    # raised no provider error, so only the resumed attempt 3 is recorded.
    calls = [call["attempt"] for call in state["ledger"] if call["file"] == "calc.py"]
    assert calls == [1, 3]


def test_a_crash_while_planning_keeps_the_earlier_plan_attempts(tmp_path):
    first = ScriptedChatModel(scripts={PLAN: ['{"summary": "no files"}', CRASH]})
    state, (_, ledger) = sitting(
        tmp_path, "plan", first, ScriptedChatModel(scripts={}), "calc"
    )
    assert state is None
    assert [call["attempt"] for call in ledger] == [1]

    second = ScriptedChatModel(scripts={PLAN: [json.dumps(CHAIN)]})
    editor = ScriptedChatModel(
        scripts={path: [fenced(GOOD[path])] for path in ("calc.py", "fmt.py")}
    )
    state, _ = sitting(tmp_path, "plan", second, editor, None)

    # Only the second attempt is asked again, with the first one's problems.
    ((_, prompt),) = second.calls
    assert "no files" in prompt and "files" in prompt.split("no files")[-1]
    planning = [call["attempt"] for call in state["ledger"] if call["file"] is None]
    assert planning == [1, 2]
    assert sorted(state["results"]) == ["calc.py", "fmt.py"]
