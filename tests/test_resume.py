"""A run that dies in the middle of a file resumes without redoing others."""

from __future__ import annotations

import json

import pytest

from archedit.checkpoints import open_checkpointer, saved_work
from graph.builder import build_graph
from graph.context import Context
from tests.support.pipeline import BLUEPRINT, GOOD, UNDEFINED_NAME
from tests.support.scripted import CRASH, PLAN, ScriptedChatModel, fenced

CHAIN = {**BLUEPRINT, "files": BLUEPRINT["files"][:2]}


def test_resume_redoes_only_the_interrupted_file(tmp_path):
    config = {"configurable": {"thread_id": "crash"}}
    architect = ScriptedChatModel(scripts={PLAN: [json.dumps(CHAIN)]})
    first = ScriptedChatModel(
        scripts={
            "calc.py": [fenced(GOOD["calc.py"])],
            "fmt.py": [fenced(UNDEFINED_NAME), CRASH],
        }
    )
    context = Context(architect=architect, editor=first, out_dir=str(tmp_path))
    with open_checkpointer(tmp_path) as saver:
        graph = build_graph(checkpointer=saver)
        with pytest.raises(RuntimeError, match="scripted crash"):
            graph.invoke({"task": "calc"}, config, context=context)
        assert first.keys_called() == ["calc.py", "fmt.py", "fmt.py"]

    # A new process: a new checkpointer on the same file, new models.
    second = ScriptedChatModel(scripts={"fmt.py": [fenced(GOOD["fmt.py"])]})
    context = Context(architect=architect, editor=second, out_dir=str(tmp_path))
    with open_checkpointer(tmp_path) as saver:
        graph = build_graph(checkpointer=saver)
        state = graph.invoke(None, config, context=context)

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
    blueprint = {
        **BLUEPRINT,
        "files": [
            *BLUEPRINT["files"],
            {
                "path": "other.py",
                "kind": "module",
                "purpose": "twice(a) returns 2 * a.",
                "interface": "def twice(a: int) -> int",
            },
        ],
    }
    other = "def twice(a: int) -> int:\n    return 2 * a\n"
    config = {"configurable": {"thread_id": "stop"}}
    architect = ScriptedChatModel(scripts={PLAN: [json.dumps(blueprint)]})
    first = ScriptedChatModel(scripts={"calc.py": [CRASH], "other.py": [fenced(other)]})
    context = Context(
        architect=architect, editor=first, out_dir=str(tmp_path), concurrency=1
    )
    with open_checkpointer(tmp_path) as saver:
        graph = build_graph(checkpointer=saver)
        with pytest.raises(RuntimeError, match="scripted crash"):
            graph.invoke({"task": "calc"}, config, context=context)
        results, ledger = saved_work(graph, config)
    # One file at a time: calc.py starts first and stops the run, so other.py
    # never starts either.
    assert first.keys_called() == ["calc.py"]
    assert results == {}
    assert [call["file"] for call in ledger] == [None]

    second = ScriptedChatModel(
        scripts={
            "calc.py": [CRASH],
            "other.py": [fenced(other)],
        }
    )
    context = Context(
        architect=architect, editor=second, out_dir=str(tmp_path), concurrency=2
    )
    with open_checkpointer(tmp_path) as saver:
        graph = build_graph(checkpointer=saver)
        with pytest.raises(RuntimeError, match="scripted crash"):
            graph.invoke(None, config, context=context)
        results, ledger = saved_work(graph, config)
    # Two at a time: other.py is written while calc.py crashes, and kept.
    assert sorted(second.keys_called()) == ["calc.py", "other.py"]
    assert list(results) == ["other.py"]
    assert sorted(str(call["file"]) for call in ledger) == ["None", "other.py"]

    third = ScriptedChatModel(scripts={path: [fenced(GOOD[path])] for path in GOOD})
    context = Context(architect=architect, editor=third, out_dir=str(tmp_path))
    with open_checkpointer(tmp_path) as saver:
        graph = build_graph(checkpointer=saver)
        state = graph.invoke(None, config, context=context)

    assert sorted(third.keys_called()) == sorted(GOOD)
    assert {r["status"] for r in state["results"].values()} == {"passed"}
    assert (tmp_path / "other.py").read_text() == other
    assert sorted(str(call["file"]) for call in state["ledger"]) == sorted(
        ["None", "other.py", *GOOD]
    )


def test_a_crash_in_a_reopened_file_resumes_only_that_file(tmp_path):
    broken = "def add(a: int, b: int) -> int:\n    return (a + b) // (a - a)\n"
    config = {"configurable": {"thread_id": "reopen"}}
    architect = ScriptedChatModel(scripts={PLAN: [json.dumps(BLUEPRINT)]})
    first = ScriptedChatModel(
        scripts={
            "calc.py": [fenced(broken), CRASH],
            "fmt.py": [fenced(GOOD["fmt.py"])],
            "test_calc.py": [fenced(GOOD["test_calc.py"])],
        }
    )
    context = Context(architect=architect, editor=first, out_dir=str(tmp_path))
    with open_checkpointer(tmp_path) as saver:
        graph = build_graph(checkpointer=saver)
        with pytest.raises(RuntimeError, match="scripted crash"):
            graph.invoke({"task": "calc"}, config, context=context)
    assert sorted(first.keys_called()) == sorted(["calc.py", *GOOD])

    second = ScriptedChatModel(scripts={"calc.py": [fenced(GOOD["calc.py"])]})
    context = Context(architect=architect, editor=second, out_dir=str(tmp_path))
    with open_checkpointer(tmp_path) as saver:
        graph = build_graph(checkpointer=saver)
        state = graph.invoke(None, config, context=context)

    assert second.keys_called() == ["calc.py"]
    assert state["results"]["calc.py"]["status"] == "passed_after_retry"
    assert state["results"]["test_calc.py"]["attempts"][-1]["failure"] is None
    # Attempt 2 is the test's verdict on the first draft; the crashed call
    # raised no provider error, so only the resumed attempt 3 is recorded.
    calls = [call["attempt"] for call in state["ledger"] if call["file"] == "calc.py"]
    assert calls == [1, 3]


def test_a_crash_while_planning_keeps_the_earlier_plan_attempts(tmp_path):
    config = {"configurable": {"thread_id": "plan"}}
    first = ScriptedChatModel(scripts={PLAN: ['{"summary": "no files"}', CRASH]})
    editor = ScriptedChatModel(scripts={})
    context = Context(architect=first, editor=editor, out_dir=str(tmp_path))
    with open_checkpointer(tmp_path) as saver:
        graph = build_graph(checkpointer=saver)
        with pytest.raises(RuntimeError, match="scripted crash"):
            graph.invoke({"task": "calc"}, config, context=context)
        _, ledger = saved_work(graph, config)
    assert [call["attempt"] for call in ledger] == [1]

    second = ScriptedChatModel(scripts={PLAN: [json.dumps(CHAIN)]})
    editor = ScriptedChatModel(
        scripts={path: [fenced(GOOD[path])] for path in ("calc.py", "fmt.py")}
    )
    context = Context(architect=second, editor=editor, out_dir=str(tmp_path))
    with open_checkpointer(tmp_path) as saver:
        graph = build_graph(checkpointer=saver)
        state = graph.invoke(None, config, context=context)

    # Only the second attempt is asked again, with the first one's problems.
    ((_, prompt),) = second.calls
    assert "no files" in prompt and "files" in prompt.split("no files")[-1]
    planning = [call["attempt"] for call in state["ledger"] if call["file"] is None]
    assert planning == [1, 2]
    assert sorted(state["results"]) == ["calc.py", "fmt.py"]
