"""dispatch: one bounded task per file whose dependencies are finished."""

from __future__ import annotations

from archedit.blueprint import Blueprint, FileSpec
from archedit.checks import interface_of
from graph.state import Dependency, FileResult, FileTask, PipelineState


def dispatch(state: PipelineState) -> dict:
    """Collect the files that are ready: not yet done, dependencies done."""
    blueprint = Blueprint.model_validate(state["blueprint"])
    results = state.get("results") or {}
    specs = {spec.path: spec for spec in blueprint.files}
    pending = [
        file_task(spec, specs, results)
        for spec in blueprint.files
        if spec.path not in results and all(dep in results for dep in spec.depends_on)
    ]
    return {"pending": pending}


def file_task(
    spec: FileSpec,
    specs: dict[str, FileSpec],
    results: dict[str, FileResult],
) -> FileTask:
    """The work order for one file: its spec, its dependencies' interfaces.

    Direct dependencies are described by the interface of the code actually
    written for them (the declared one if nothing usable was written). The
    workspace holds the finished text of every file it depends on, directly or
    not, so checks and tests can import them. The task's planned paths are the
    file itself and those files, written or not: a file can import nothing
    else, and listing the whole blueprint in every task would make the run's
    state grow with the square of the number of files.
    """
    dependencies = [
        Dependency(
            path=dep,
            purpose=specs[dep].purpose,
            interface=_interface(specs[dep], results[dep].get("content")),
        )
        for dep in spec.depends_on
    ]
    workspace: dict[str, str] = {}
    below: set[str] = set()
    stack = list(spec.depends_on)
    while stack:
        dep = stack.pop()
        if dep in below:
            continue
        below.add(dep)
        content = results[dep].get("content")
        if content is not None:
            workspace[dep] = content
        stack.extend(specs[dep].depends_on)
    return FileTask(
        path=spec.path,
        kind=spec.kind,
        purpose=spec.purpose,
        interface=spec.interface,
        dependencies=dependencies,
        workspace=workspace,
        planned=[spec.path, *sorted(below)],
    )


def _interface(spec: FileSpec, content: str | None) -> str:
    if content and spec.path.endswith(".py"):
        found = interface_of(spec.path, content)
        if found.strip():
            return found
    return spec.interface or "(no public interface declared)"
