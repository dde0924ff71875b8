"""Scoring a generated package with the acceptance tests of its task."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from archedit.bench.suite import BenchTask
from archedit.checks.testrun import read_pytest
from archedit.sandbox import Limits, Sandbox, python_executable

# Beside the generated files, under a name no package is likely to use.
ACCEPTANCE_DIR = "_acceptance"
_INI = f"{ACCEPTANCE_DIR}/pytest.ini"
_LIMITS = Limits(timeout_seconds=120, cpu_seconds=120)
_ENV = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}


@dataclass(frozen=True)
class Acceptance:
    """How a package did against its task's acceptance tests.

    Attributes:
        passed: Ids of the tests that passed.
        failed: Ids of the tests that failed, or of files that did not load.
        total: Number of acceptance tests of the task.
        output: The end of pytest's output.
    """

    passed: tuple[str, ...]
    failed: tuple[str, ...]
    total: int
    output: str

    @property
    def score(self) -> float:
        """Share of the acceptance tests that passed, from 0 to 1."""
        return min(len(self.passed), self.total) / self.total

    def as_dict(self) -> dict:
        """Plain data for bench.json."""
        return {
            "score": round(self.score, 4),
            "passed": len(self.passed),
            "total": self.total,
            "failed": list(self.failed),
            "output": self.output,
        }


def score(task: BenchTask, files: Mapping[str, str], sandbox: Sandbox) -> Acceptance:
    """Run the acceptance tests of ``task`` against ``files`` in the sandbox.

    Args:
        task: The task whose acceptance tests to run.
        files: Relative path to text of every generated file; they sit at
            the workspace root, where the tests import them from.
        sandbox: Where the tests run.
    """
    workspace = {
        path: text
        for path, text in files.items()
        if not path.startswith(f"{ACCEPTANCE_DIR}/")
    }
    for path, text in task.acceptance.items():
        workspace[f"{ACCEPTANCE_DIR}/{path}"] = text
    # An ini of our own keeps any pytest settings or conftest the package
    # ships from changing how the acceptance tests run.
    workspace[_INI] = "[pytest]\n"
    argv = [python_executable(), "-m", "pytest", "-q", "--no-header"]
    argv += ["-c", _INI, "--rootdir", ACCEPTANCE_DIR, "--confcutdir", ACCEPTANCE_DIR]
    argv += ["-p", "no:cacheprovider", "--import-mode=importlib"]
    argv += ["-rfEp", "--tb=line", "--color=no", ACCEPTANCE_DIR]
    outcome = sandbox.run(argv, workspace, limits=_LIMITS, env=_ENV)
    passed, failed, output = read_pytest(outcome)
    return Acceptance(
        passed=tuple(dict.fromkeys(passed)),
        failed=tuple(dict.fromkeys(failed)),
        total=task.test_count,
        output=output,
    )
