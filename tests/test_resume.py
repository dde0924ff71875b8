"""A run that dies in the middle of a file resumes without redoing others."""

from __future__ import annotations

import json

import pytest

from archedit.checkpoints import open_checkpointer
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
