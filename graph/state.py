"""Typed state of the pipeline and of one file's branch.

Every field says which node writes it and how parallel writes merge. Data
moves forward: blueprint -> file task -> attempt -> file result -> report.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, NotRequired, TypedDict

from langchain_core.messages import AIMessage

Role = Literal["architect", "editor", "escalation"]
FileStatus = Literal["passed", "passed_after_retry", "escalated", "failed"]


class CallRecord(TypedDict):
    """One model call, as the ledger keeps it."""

    role: Role
    provider: str
    model: str
    file: str | None
    attempt: int
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    cost_usd: float | None
    latency_s: float
    outcome: Literal["ok", "error"]
    run: NotRequired[str | None]
    """The thread id of the run that made the call."""
    tries: NotRequired[int]
    """Requests sent for this call, counting the provider retries."""
    error: NotRequired[str | None]
    """Why a call with outcome "error" failed."""


class Attempt(TypedDict):
    """One try at a file: who wrote it and what the checks said."""

    number: int
    role: Role
    model: str
    failure: Literal["format", "check"] | None
    problems: list[str]
    repairs: list[str]


class TestOutcome(TypedDict):
    """Which tests of a generated test file passed in the sandbox."""

    passed: list[str]
    failed: list[str]


class FileResult(TypedDict):
    """Where a file ended up; the report is built from these."""

    path: str
    status: FileStatus
    content: str | None
    model: str | None
    role: Role | None
    attempts: list[Attempt]
    tests: NotRequired[TestOutcome | None]
    retries: NotRequired[int]
    """Editor retries used."""
    escalations: NotRequired[int]
    """Architect escalations used."""
    implicates: NotRequired[str | None]
    """For a test file whose tests failed in the code of a file it tests: that
    file, which dispatch reopens with the failure."""


class Dependency(TypedDict):
    """What a file may rely on from one file it depends on."""

    path: str
    purpose: str
    interface: str


class FileTask(TypedDict):
    """The bounded work order for one file: its spec and its dependencies."""

    path: str
    kind: str
    purpose: str
    interface: str
    dependencies: list[Dependency]
    workspace: dict[str, str]
    planned: list[str]
    reopenable: NotRequired[list[str]]
    """Files this one depends on that can still take another attempt: a
    test failing in their code sends them the failure."""


def merge_results(
    left: dict[str, FileResult], right: dict[str, FileResult]
) -> dict[str, FileResult]:
    """Merge per-file results from parallel branches; a later write wins."""
    return {**(left or {}), **(right or {})}


class PipelineInput(TypedDict):
    """What a caller provides: the task in plain words."""

    task: str


class PipelineState(TypedDict):
    """The whole run."""

    task: str
    """The user's task. Written by the caller."""
    blueprint: NotRequired[dict[str, Any] | None]
    """The validated plan as plain data (``Blueprint.model_dump()``), so
    checkpoints hold no custom classes. Written by plan."""
    results: Annotated[dict[str, FileResult], merge_results]
    """Final result per file path. Written by dispatch."""
    ledger: Annotated[list[CallRecord], operator.add]
    """Every model call. Appended by plan and by dispatch for every file."""
    approval: NotRequired[Literal["accepted", "edited", "rejected"] | None]
    """The reviewer's decision on the blueprint, when approval was asked for.
    Written by approve."""
    error: NotRequired[str | None]
    """Why the run could not plan, or that its plan was rejected. Written by
    plan and approve."""
    report_path: NotRequired[str | None]
    """Where report.json was written. Written by report."""


class FileState(TypedDict):
    """One file's branch: attempts until it passes or is given up."""

    file: FileTask
    """The work order. Given by dispatch."""
    reply: NotRequired[AIMessage | None]
    """The latest raw model reply. Written by edit and escalate."""
    writer: NotRequired[dict[str, str]]
    """Role and model of the latest reply. Written by edit and escalate."""
    draft: NotRequired[str | None]
    """The latest coerced file text, None if coercion failed. Written by coerce,
    or given by dispatch with a finished file it reopens or checks again."""
    recheck: NotRequired[bool]
    """Check the given draft again, as a file it depends on was rewritten.
    Given by dispatch."""
    implicates: NotRequired[str | None]
    """The file whose code the latest test failure is in, when dispatch is
    to reopen it. Written by check."""
    repairs: NotRequired[list[str]]
    """Repairs coercion applied to the latest reply. Written by coerce."""
    format_problem: NotRequired[str | None]
    """Why the latest reply held no usable file. Written by coerce."""
    passed: NotRequired[bool]
    """Whether the latest draft passed every check. Written by check."""
    attempts: Annotated[list[Attempt], operator.add]
    """Every attempt and its problems. Appended by check."""
    feedback: NotRequired[list[str]]
    """Problems the next editor attempt must fix. Written by retry."""
    retries: NotRequired[int]
    """Editor retries used. Written by retry."""
    escalations: NotRequired[int]
    """Architect escalations used. Written by escalate."""
    results: Annotated[dict[str, FileResult], merge_results]
    """This file's result, handed back to the pipeline. Written by check."""
    ledger: Annotated[list[CallRecord], operator.add]
    """Model calls made for this file. Appended by edit and escalate."""
