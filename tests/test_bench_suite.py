"""The shipped bench suite: every task can be solved and can be failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from archedit.bench.acceptance import score
from archedit.bench.suite import load_suite
from archedit.sandbox import Limits, Sandbox, python_executable

SUITE = Path(__file__).parent.parent / "suites" / "python-packages"
TASKS = load_suite(SUITE)


@pytest.fixture(scope="module", name="sandbox")
def fixture_sandbox() -> Sandbox:
    return Sandbox()


def test_the_suite_has_the_tasks_the_bench_is_for():
    assert len(TASKS) >= 6
    sizes = {task.name: len(task.reference) for task in TASKS}
    assert max(sizes.values()) >= 12, sizes
    for task in TASKS:
        text = "\n".join(task.reference.values())
        assert "sqlite3" in text, task.name
        assert "unittest import mock" in text, task.name


@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.name)
def test_the_reference_passes_every_acceptance_test(task, sandbox):
    acceptance = score(task, task.reference, sandbox)
    assert acceptance.score == 1.0, acceptance.output
    assert len(acceptance.passed) == task.test_count


@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.name)
def test_an_empty_package_scores_zero(task, sandbox):
    acceptance = score(task, {}, sandbox)
    assert acceptance.score == 0.0
    assert len(acceptance.failed) == task.test_count


@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.name)
def test_the_task_text_names_every_file_and_the_reference_tests_pass(task, sandbox):
    for path in task.reference:
        assert f"`{path}`" in task.text, f"{task.name}: {path} not in task.md"
    argv = [python_executable(), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    outcome = sandbox.run(
        [*argv, "tests"],
        task.reference,
        limits=Limits(timeout_seconds=60),
        env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert outcome.ok, outcome.stdout + outcome.stderr
