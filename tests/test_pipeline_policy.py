"""Policy of the compiled pipeline, driven by scripted chat models."""

from __future__ import annotations

import json

from tests.support.pipeline import (
    BLUEPRINT,
    GOOD,
    PROSE_ONLY,
    UNDEFINED_NAME,
    plan_reply,
    run_pipeline,
    steps_of,
)
from tests.support.scripted import PLAN, ScriptedChatModel, fenced

FIRST_TIME = ["edit", "coerce", "check"]


def editor_for(**overrides: list[str]) -> ScriptedChatModel:
    scripts = {path: [fenced(code)] for path, code in GOOD.items()}
    scripts.update(overrides)
    return ScriptedChatModel(scripts=scripts)


def test_all_files_pass_first_time(tmp_path):
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    state, visits = run_pipeline(architect, editor_for(), str(tmp_path))

    pipeline_nodes = [node for file, node in visits if file is None]
    # The architect call and each file's branch report as they finish; plan
    # and dispatch report once all of theirs are done.
    assert pipeline_nodes == [
        "architect",
        "plan",
        "file",
        "file",
        "file",
        "dispatch",
        "report",
    ]
    for path in GOOD:
        assert steps_of(visits, path) == FIRST_TIME
        assert state["results"][path]["status"] == "passed"
        assert (tmp_path / path).read_text() == GOOD[path]
    # calc.py is written before the files that depend on it start.
    first_dependent = min(
        visits.index(("fmt.py", "edit")), visits.index(("test_calc.py", "edit"))
    )
    assert visits.index(("calc.py", "check")) < first_dependent
    tests = state["results"]["test_calc.py"]["tests"]
    assert tests["failed"] == [] and any("test_add" in t for t in tests["passed"])
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["counts"] == {
        "passed": 3,
        "passed_after_retry": 0,
        "escalated": 0,
        "failed": 0,
    }
    assert report["calls_by_role"]["editor"]["calls"] == 3
    assert report["calls_by_role"]["architect"]["calls"] == 1
    listed = "- test_calc.py: 1 passed, 0 failed\n  - passed: `test_calc.py::test_add`"
    assert listed in (tmp_path / "report.md").read_text()


def test_editor_sees_dependency_interface_not_whole_blueprint(tmp_path):
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = editor_for()
    run_pipeline(architect, editor, str(tmp_path))
    prompt = dict(editor.calls)["fmt.py"]
    assert "def add(a: int, b: int) -> int" in prompt
    assert "test_calc.py" not in prompt


def test_file_passes_on_second_retry_without_escalation(tmp_path):
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = editor_for(
        **{"fmt.py": [PROSE_ONLY, fenced(UNDEFINED_NAME), fenced(GOOD["fmt.py"])]}
    )
    state, visits = run_pipeline(architect, editor, str(tmp_path))

    assert steps_of(visits, "fmt.py") == FIRST_TIME + (["retry"] + FIRST_TIME) * 2
    result = state["results"]["fmt.py"]
    assert result["status"] == "passed_after_retry"
    assert [a["failure"] for a in result["attempts"]] == ["format", "check", None]
    assert any("totl" in p for p in result["attempts"][1]["problems"])
    assert architect.keys_called() == [PLAN]
    # The third attempt was shown the second attempt's problems.
    third_prompt = [p for key, p in editor.calls if key == "fmt.py"][2]
    assert "totl" in third_prompt


def test_file_escalates_after_two_failed_retries_and_passes(tmp_path):
    architect = ScriptedChatModel(
        scripts={PLAN: [plan_reply()], "fmt.py": [fenced(GOOD["fmt.py"])]}
    )
    editor = editor_for(**{"fmt.py": [fenced(UNDEFINED_NAME)] * 3})
    state, visits = run_pipeline(architect, editor, str(tmp_path))

    assert steps_of(visits, "fmt.py") == (
        FIRST_TIME + (["retry"] + FIRST_TIME) * 2 + ["escalate", "coerce", "check"]
    )
    result = state["results"]["fmt.py"]
    assert result["status"] == "escalated"
    assert result["role"] == "escalation"
    assert len(result["attempts"]) == 4
    assert architect.keys_called() == [PLAN, "fmt.py"]
    escalation = [call for call in state["ledger"] if call["role"] == "escalation"]
    assert [(c["file"], c["attempt"]) for c in escalation] == [("fmt.py", 4)]
    assert state["results"]["calc.py"]["status"] == "passed"


def test_failed_escalation_marks_only_that_file_failed(tmp_path):
    architect = ScriptedChatModel(
        scripts={PLAN: [plan_reply()], "fmt.py": [PROSE_ONLY]}
    )
    editor = editor_for(**{"fmt.py": [fenced(UNDEFINED_NAME)] * 3})
    state, visits = run_pipeline(architect, editor, str(tmp_path))

    assert steps_of(visits, "fmt.py")[-3:] == ["escalate", "coerce", "check"]
    statuses = {path: r["status"] for path, r in state["results"].items()}
    assert statuses == {
        "calc.py": "passed",
        "fmt.py": "failed",
        "test_calc.py": "passed",
    }
    assert visits[-1] == (None, "report")
    report = json.loads((tmp_path / "report.json").read_text())
    row = next(f for f in report["files"] if f["path"] == "fmt.py")
    assert row["status"] == "failed"
    assert row["check_failures"] == 3 and row["format_failures"] == 1
    assert "failed" in (tmp_path / "report.md").read_text()


def test_more_escalations_when_the_context_allows(tmp_path):
    architect = ScriptedChatModel(
        scripts={PLAN: [plan_reply()], "fmt.py": [PROSE_ONLY, fenced(GOOD["fmt.py"])]}
    )
    editor = editor_for(**{"fmt.py": [fenced(UNDEFINED_NAME)] * 3})
    state, visits = run_pipeline(architect, editor, str(tmp_path), max_escalations=2)
    assert steps_of(visits, "fmt.py").count("escalate") == 2
    assert state["results"]["fmt.py"]["status"] == "escalated"


def test_unusable_blueprint_is_reasked_then_fails_with_reasons(tmp_path):
    bad = {"files": [{"path": "../evil.py", "purpose": "x", "depends_on": []}]}
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply(bad)] * 3})
    state, visits = run_pipeline(architect, editor_for(), str(tmp_path))

    assert [node for _, node in visits] == ["architect"] * 3 + ["plan", "report"]
    assert "leaves the workspace" in state["error"]
    assert len(architect.calls) == 3
    # The second call quoted the problem back to the architect.
    assert "leaves the workspace" in architect.calls[1][1]
    assert not (tmp_path / "evil.py").exists()
    assert json.loads((tmp_path / "report.json").read_text())["error"]


def test_blueprint_fixed_on_second_ask(tmp_path):
    cyclic = {
        "files": [
            {"path": "a.py", "purpose": "a", "depends_on": ["b.py"]},
            {"path": "b.py", "purpose": "b", "depends_on": ["a.py"]},
        ]
    }
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply(cyclic), plan_reply()]})
    state, _ = run_pipeline(architect, editor_for(), str(tmp_path))
    assert "cycle" in architect.calls[1][1]
    assert state["error"] is None
    assert len(state["results"]) == 3


WITHOUT_FMT = {
    "files": [spec for spec in BLUEPRINT["files"] if spec["path"] != "fmt.py"]
}
NAMING_FMT = "calc.py with add, and fmt.py that shows a sum"


def test_plan_without_a_file_the_task_names_is_sent_back_once(tmp_path):
    architect = ScriptedChatModel(
        scripts={PLAN: [plan_reply(WITHOUT_FMT), plan_reply()]}
    )
    state, _ = run_pipeline(architect, editor_for(), str(tmp_path), task=NAMING_FMT)

    assert len(architect.calls) == 2
    assert (
        "the task names fmt.py, which the plan does not list" in (architect.calls[1][1])
    )
    assert state["results"]["fmt.py"]["status"] == "passed"


def test_plan_still_without_a_named_file_is_taken_after_one_ask(tmp_path, caplog):
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply(WITHOUT_FMT)] * 2})
    state, _ = run_pipeline(architect, editor_for(), str(tmp_path), task=NAMING_FMT)

    assert len(architect.calls) == 2
    assert state["error"] is None
    assert sorted(state["results"]) == ["calc.py", "test_calc.py"]
    assert "plans no fmt.py, which the task names" in caplog.text


def test_answer_that_drops_a_file_for_the_named_one_is_not_taken(tmp_path):
    only_fmt = {
        "files": [
            {**BLUEPRINT["files"][1], "depends_on": []},
        ]
    }
    architect = ScriptedChatModel(
        scripts={PLAN: [plan_reply(WITHOUT_FMT), plan_reply(only_fmt)]}
    )
    task = "calc.py with add, test_calc.py for it, and fmt.py that shows a sum"
    state, _ = run_pipeline(architect, editor_for(), str(tmp_path), task=task)

    assert len(architect.calls) == 2
    assert sorted(state["results"]) == ["calc.py", "test_calc.py"]


def test_valid_plan_sent_back_for_a_name_is_kept_if_no_valid_one_follows(tmp_path):
    bad = {"files": [{"path": "../evil.py", "purpose": "x", "depends_on": []}]}
    architect = ScriptedChatModel(
        scripts={PLAN: [plan_reply(WITHOUT_FMT), plan_reply(bad), plan_reply(bad)]}
    )
    state, _ = run_pipeline(architect, editor_for(), str(tmp_path), task=NAMING_FMT)

    assert len(architect.calls) == 3
    assert state["error"] is None
    assert sorted(state["results"]) == ["calc.py", "test_calc.py"]


def test_wrong_import_between_two_files_is_caught_and_retried(tmp_path):
    two_files = {
        "files": [f for f in BLUEPRINT["files"] if f["path"] in ("calc.py", "fmt.py")]
    }
    wrong = (
        GOOD["fmt.py"].replace("import add", "import plus").replace("{add(", "{plus(")
    )
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply(two_files)]})
    editor = editor_for(**{"fmt.py": [fenced(wrong), fenced(GOOD["fmt.py"])]})
    state, visits = run_pipeline(architect, editor, str(tmp_path))

    assert sorted(state["results"]) == ["calc.py", "fmt.py"]
    fmt = state["results"]["fmt.py"]
    assert fmt["status"] == "passed_after_retry"
    first = fmt["attempts"][0]
    assert first["failure"] == "check"
    assert first["problems"] == [
        "interface: line 1: imports 'plus' from 'calc', which defines only: add"
    ]
    # The retry was told which names calc.py really has.
    retry_prompt = [p for key, p in editor.calls if key == "fmt.py"][1]
    assert "defines only: add" in retry_prompt
    assert steps_of(visits, "fmt.py") == FIRST_TIME + ["retry"] + FIRST_TIME
    assert (tmp_path / "fmt.py").read_text() == GOOD["fmt.py"]


def test_failing_generated_test_is_retried_with_its_output(tmp_path):
    wrong = GOOD["test_calc.py"].replace("== 5", "== 6")
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = editor_for(
        **{"test_calc.py": [fenced(wrong), fenced(GOOD["test_calc.py"])]}
    )
    state, _ = run_pipeline(architect, editor, str(tmp_path))

    result = state["results"]["test_calc.py"]
    assert result["status"] == "passed_after_retry"
    first = result["attempts"][0]
    assert first["failure"] == "check"
    assert first["problems"][0].startswith("test:")
    assert "assert 5 == 6" in first["problems"][0]


def test_test_file_without_tests_is_retried_with_what_to_write(tmp_path):
    empty = "from calc import add\n\nassert add\n"
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = editor_for(
        **{"test_calc.py": [fenced(empty), fenced(GOOD["test_calc.py"])]}
    )
    state, _ = run_pipeline(architect, editor, str(tmp_path))

    result = state["results"]["test_calc.py"]
    assert result["status"] == "passed_after_retry"
    problem = result["attempts"][0]["problems"][0]
    assert problem.startswith(
        "test: pytest collected no tests; write test functions named test_*\n"
    )
    retry_prompt = [p for key, p in editor.calls if key == "test_calc.py"][1]
    assert "collected no tests" in retry_prompt


# Passes ruff and imports; raises when called.
BROKEN_ADD = "def add(a: int, b: int) -> int:\n    return (a + b) // (a - a)\n"


def test_test_failing_in_module_code_reopens_the_module(tmp_path):
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = editor_for(**{"calc.py": [fenced(BROKEN_ADD), fenced(GOOD["calc.py"])]})
    state, visits = run_pipeline(architect, editor, str(tmp_path))

    calc = state["results"]["calc.py"]
    assert calc["status"] == "passed_after_retry"
    assert calc["retries"] == 1
    # The test's failure is calc.py's second attempt; the third passes.
    assert [a["failure"] for a in calc["attempts"]] == [None, "check", None]
    judged = calc["attempts"][1]["problems"][0]
    assert judged.startswith("test: test_calc.py::test_add failed in calc.py")
    assert "ZeroDivisionError" in judged
    retry_prompt = [p for key, p in editor.calls if key == "calc.py"][1]
    assert "ZeroDivisionError" in retry_prompt and "(a - a)" in retry_prompt
    assert steps_of(visits, "calc.py") == FIRST_TIME + ["retry"] + FIRST_TIME
    # fmt.py, which imports calc.py, is checked again against its new text.
    assert steps_of(visits, "fmt.py") == FIRST_TIME + ["check"]
    assert editor.keys_called().count("fmt.py") == 1
    assert [a["failure"] for a in state["results"]["fmt.py"]["attempts"]] == [
        None,
        None,
    ]

    # The test file is checked again, not rewritten, and now passes.
    test = state["results"]["test_calc.py"]
    assert editor.keys_called().count("test_calc.py") == 1
    assert steps_of(visits, "test_calc.py") == FIRST_TIME + ["check"]
    assert test["content"] == GOOD["test_calc.py"]
    assert test["attempts"][-1]["failure"] is None
    assert test["implicates"] is None
    assert any("test_add" in t for t in test["tests"]["passed"])
    assert (tmp_path / "calc.py").read_text() == GOOD["calc.py"]


def test_reopened_module_without_retries_left_is_escalated(tmp_path):
    architect = ScriptedChatModel(
        scripts={PLAN: [plan_reply()], "calc.py": [fenced(GOOD["calc.py"])]}
    )
    editor = editor_for(**{"calc.py": [fenced(BROKEN_ADD)]})
    state, _ = run_pipeline(architect, editor, str(tmp_path), max_retries=0)

    calc = state["results"]["calc.py"]
    assert calc["status"] == "escalated"
    assert calc["escalations"] == 1
    escalation_prompt = dict(architect.calls)["calc.py"]
    assert "ZeroDivisionError" in escalation_prompt
    assert state["results"]["test_calc.py"]["attempts"][-1]["failure"] is None


def test_module_with_no_attempt_left_is_not_reopened(tmp_path):
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = editor_for(**{"calc.py": [fenced(BROKEN_ADD)]})
    state, visits = run_pipeline(
        architect, editor, str(tmp_path), max_retries=0, max_escalations=0
    )

    assert steps_of(visits, "calc.py") == FIRST_TIME
    assert state["results"]["calc.py"]["status"] == "passed"
    test = state["results"]["test_calc.py"]
    assert test["status"] == "failed"
    assert test["implicates"] is None
    assert "ZeroDivisionError" in test["attempts"][-1]["problems"][0]


def test_dependent_that_breaks_on_the_reopened_text_is_retried(tmp_path):
    # fmt.py uses SEP from calc.py's first draft; the rewrite drops it.
    calc_v1 = BROKEN_ADD + "\n\nSEP = ' + '\n"
    fmt_v1 = (
        "from calc import SEP, add\n\n\ndef show(a: int, b: int) -> str:\n"
        '    return f"{a}{SEP}{b} = {add(a, b)}"\n'
    )
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = editor_for(
        **{
            "calc.py": [fenced(calc_v1), fenced(GOOD["calc.py"])],
            "fmt.py": [fenced(fmt_v1), fenced(GOOD["fmt.py"])],
        }
    )
    state, visits = run_pipeline(architect, editor, str(tmp_path))

    fmt = state["results"]["fmt.py"]
    assert steps_of(visits, "fmt.py") == FIRST_TIME + ["check", "retry"] + FIRST_TIME
    assert [a["failure"] for a in fmt["attempts"]] == [None, "check", None]
    assert "SEP" in "\n".join(fmt["attempts"][1]["problems"])
    assert fmt["status"] == "passed_after_retry"
    assert (tmp_path / "fmt.py").read_text() == GOOD["fmt.py"]
