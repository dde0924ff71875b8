"""Generated tests and imports, run for real inside the sandbox."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from archedit.sandbox import Limits, Outcome, Sandbox, python_executable

_KEPT_LINES = 60
_FAILURE_LINES = 40
_SUMMARY = re.compile(r"^(PASSED|FAILED|ERROR) (\S+)")
_SECTION = re.compile(r"^=+ (.+?) =+$")
_PYTEST_ENV = {
    # Installed plugins are the host's business, and some reach the network.
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
}
_FRAME = re.compile(
    r'File "(?:[^"]*/(?:workspace|archedit-ws-[^/"]+)/)?([^"]+)", line (\d+)'
)
# A frame of pytest's --tb=short traceback: "pkg/calc.py:12: in add".
_SHORT_FRAME = re.compile(r"^(\S+?\.py):(\d+): in ")


@dataclass(frozen=True)
class TestReport:
    """What a pytest run of one generated test file found.

    Attributes:
        passed: Ids of the tests that passed.
        failed: Ids of the tests that failed or errored, the file's own id if
            it could not be collected.
        output: The end of pytest's output, with the failure sections kept.
        returncode: pytest's exit status (5: no tests collected).
        killed_reason: Why the sandbox stopped the run, if it did.
        traced: Workspace files the failures' tracebacks pass through, each
            once, in the order they first appear.
    """

    __test__ = False  # not a pytest test class despite its name

    passed: tuple[str, ...]
    failed: tuple[str, ...]
    output: str
    returncode: int
    killed_reason: str | None
    traced: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every collected test passed and at least one ran."""
        return self.returncode == 0 and self.killed_reason is None


def run_tests(
    test_path: str,
    workspace: Mapping[str, str],
    sandbox: Sandbox,
    *,
    limits: Limits | None = None,
) -> TestReport:
    """Run the test file ``test_path`` with pytest on a sandboxed copy.

    Args:
        test_path: Relative path of the test file; must be in ``workspace``.
        workspace: Relative path to text of every file the tests may use.
        sandbox: Where to run; its workspace copy is the tests' root and
            ``PYTHONPATH``.
        limits: Limits for this run instead of the sandbox's defaults.

    Raises:
        ValueError: if ``test_path`` is not in ``workspace``.
    """
    if test_path not in workspace:
        raise ValueError(f"test file {test_path!r} is not in the workspace")
    argv = [python_executable(), "-m", "pytest", "-q", "-x", "--no-header"]
    argv += ["-p", "no:cacheprovider", "-rfEp", "--tb=short", "--color=no"]
    outcome = sandbox.run([*argv, test_path], workspace, limits=limits, env=_PYTEST_ENV)
    passed, failed, output = read_pytest(outcome)
    return TestReport(
        passed=tuple(passed),
        failed=tuple(failed),
        output=output,
        returncode=outcome.returncode,
        killed_reason=outcome.killed_reason,
        traced=traced_files(output, workspace),
    )


def traced_files(output: str, workspace: Collection[str]) -> tuple[str, ...]:
    """Files of ``workspace`` named by traceback frames in ``output``."""
    found: dict[str, None] = {}
    for line in output.splitlines():
        match = _SHORT_FRAME.match(line) or _FRAME.search(line)
        if match and match[1] in workspace:
            found[match[1]] = None
    return tuple(found)


def import_error(module: str, files: Mapping[str, str], sandbox: Sandbox) -> str:
    """Import ``module`` in the sandbox; the last lines of any failure, or ''."""
    argv = [python_executable(), "-c", f"import {module}"]
    limits = Limits(timeout_seconds=10, cpu_seconds=10)
    outcome = sandbox.run(argv, files, limits=limits)
    if outcome.ok:
        return ""
    if outcome.killed_reason:
        return f"importing {module}: {outcome.killed_reason}"
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    frames = [m for m in map(_FRAME.search, lines) if m]
    last = lines[-1].strip() if lines else f"exit status {outcome.returncode}"
    where = f" (at {frames[-1][1]} line {frames[-1][2]})" if frames else ""
    return f"importing {module} fails: {last}{where}"


def read_pytest(outcome: Outcome) -> tuple[list[str], list[str], str]:
    """Passed and failed test ids of a ``-rfEp`` pytest run, and its output.

    The output is trimmed, and says why the sandbox stopped the run if it did.
    """
    text = outcome.stdout + (f"\n{outcome.stderr}" if outcome.stderr.strip() else "")
    passed: list[str] = []
    failed: list[str] = []
    for line in text.splitlines():
        match = _SUMMARY.match(line)
        if match:
            (passed if match[1] == "PASSED" else failed).append(match[2])
    output = trim_output(text)
    if outcome.killed_reason:
        output += f"\n[sandbox: {outcome.killed_reason}]"
    return passed, failed, output


def trim_output(text: str) -> str:
    """Keep the first failure section and the end of pytest's output."""
    lines = text.strip("\n").rstrip().splitlines()
    if len(lines) <= _KEPT_LINES:
        return "\n".join(lines)
    failures: list[str] = []
    for index, line in enumerate(lines):
        match = _SECTION.match(line)
        if match and match[1] in ("FAILURES", "ERRORS"):
            section = lines[index : index + _FAILURE_LINES]
            end = next(
                (i for i, s in enumerate(section[1:], 1) if _SECTION.match(s)),
                len(section),
            )
            failures = section[:end]
            break
    tail = lines[-(_KEPT_LINES - len(failures)) :]
    if failures and failures[0] in tail:
        return "\n".join(tail)
    left_out = len(lines) - len(failures) - len(tail)
    return "\n".join([*failures, f"[... {left_out} lines left out ...]", *tail])
