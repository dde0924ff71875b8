"""Plan approval: the run pauses after plan; accept, edit or reject resumes it."""

from __future__ import annotations

import json

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from archedit.approval import ApprovalError, read_decision
from archedit.blueprint import Blueprint
from graph.builder import build_graph
from graph.context import Context
from tests.support.pipeline import BLUEPRINT, GOOD, plan_reply
from tests.support.scripted import PLAN, ScriptedChatModel, fenced

CONFIG = {"configurable": {"thread_id": "approval"}}
ONLY_CALC = {**BLUEPRINT, "files": BLUEPRINT["files"][:1]}


def paused_run(tmp_path):
    """A graph paused at approval, with its editor."""
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = ScriptedChatModel(
        scripts={path: [fenced(code)] for path, code in GOOD.items()}
    )
    context = Context(
        architect=architect, editor=editor, out_dir=str(tmp_path), approve_plan=True
    )
    graph = build_graph(checkpointer=InMemorySaver())
    graph.invoke({"task": "calc"}, CONFIG, context=context)
    return graph, context, editor


def pause_of(graph):
    (pending,) = graph.get_state(CONFIG).interrupts
    return pending.value


def test_pauses_with_the_blueprint_before_any_file(tmp_path):
    graph, _, editor = paused_run(tmp_path)
    value = pause_of(graph)
    assert value["blueprint"] == Blueprint.model_validate(BLUEPRINT).model_dump()
    assert value["error"] is None
    assert editor.keys_called() == []
    assert graph.get_state(CONFIG).next == ("approve",)


def test_accept_writes_the_plan(tmp_path):
    graph, context, editor = paused_run(tmp_path)
    state = graph.invoke(Command(resume="accept"), CONFIG, context=context)
    assert state["approval"] == "accepted"
    assert sorted(state["results"]) == sorted(GOOD)
    assert sorted(editor.keys_called()) == sorted(GOOD)


def test_edit_writes_only_the_edited_plan(tmp_path):
    graph, context, editor = paused_run(tmp_path)
    answer = {"action": "edit", "blueprint": ONLY_CALC}
    state = graph.invoke(Command(resume=answer), CONFIG, context=context)
    assert state["approval"] == "edited"
    assert [spec["path"] for spec in state["blueprint"]["files"]] == ["calc.py"]
    assert list(state["results"]) == ["calc.py"]
    assert editor.keys_called() == ["calc.py"]
    assert not (tmp_path / "fmt.py").exists()


def test_invalid_edit_keeps_the_pause_with_the_reason(tmp_path):
    graph, context, editor = paused_run(tmp_path)
    bad = {**ONLY_CALC, "files": [{**ONLY_CALC["files"][0], "path": "../calc.py"}]}
    graph.invoke(
        Command(resume={"action": "edit", "blueprint": bad}), CONFIG, context=context
    )
    value = pause_of(graph)
    assert "leaves the workspace" in value["error"]
    assert editor.keys_called() == []

    state = graph.invoke(Command(resume="accept"), CONFIG, context=context)
    assert sorted(state["results"]) == sorted(GOOD)


def test_reject_reports_without_writing(tmp_path):
    graph, context, editor = paused_run(tmp_path)
    answer = {"action": "reject", "reason": "wrong design"}
    state = graph.invoke(Command(resume=answer), CONFIG, context=context)
    assert state["approval"] == "rejected"
    assert editor.keys_called() == []
    report = json.loads((tmp_path / "report.json").read_text())
    assert "rejected at plan approval: wrong design" in report["error"]
    assert {f["status"] for f in report["files"]} == {"not_run"}
    assert not (tmp_path / "calc.py").exists()


@pytest.mark.parametrize(
    ("answer", "action"),
    [
        ("accept", "accept"),
        ({"action": "accept"}, "accept"),
        ("reject", "reject"),
        ({"action": "edit", "blueprint": ONLY_CALC}, "edit"),
    ],
)
def test_answers_read(answer, action):
    assert read_decision(answer, max_files=5).action == action


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("yes", "unknown answer 'yes'"),
        (None, "unknown answer None"),
        ({"action": "edit"}, "needs the changed blueprint"),
        ({"action": "edit", "blueprint": {"files": "x"}}, "malformed: files"),
        ({"action": "edit", "blueprint": {"files": []}}, "lists no files"),
        ({"action": "edit", "blueprint": BLUEPRINT}, "plan at most 2"),
    ],
)
def test_unusable_answers_say_why(answer, message):
    with pytest.raises(ApprovalError, match=message):
        read_decision(answer, max_files=2)
