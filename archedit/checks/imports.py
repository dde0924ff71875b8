"""The interface check: a file uses its project dependencies as they exist.

Every import of a project module must name a planned file; every name taken
from a written module must exist there; calls into a written module's
functions and classes must fit their signatures. Imports of libraries are
ruff's concern, not this check's.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from archedit.checks.modules import (
    ProjectModules,
    defined_names,
    package_of,
    resolve_relative,
)
from archedit.checks.problem import Problem, one_line
from archedit.checks.signatures import callable_signature


@dataclass(frozen=True)
class _Bound:
    """What a local name refers to: a project module, or a name in one."""

    module: str
    name: str | None = None


def interface_problems(
    path: str, tree: ast.Module, modules: ProjectModules
) -> list[Problem]:
    """Check ``tree``'s imports of and calls into the project's modules."""
    problems: list[str] = []
    bound: dict[str, _Bound] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            _check_import(node, modules, bound, problems)
        elif isinstance(node, ast.ImportFrom):
            _check_from(node, package_of(path), modules, bound, problems)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            problems.extend(_check_call(node, bound, modules))
    problems.sort(key=lambda text: int(text.split(":")[0].removeprefix("line ")))
    return [Problem("interface", one_line(p)) for p in problems]


def _check_import(node, modules, bound, problems) -> None:
    for alias in node.names:
        if not modules.is_internal(alias.name):
            continue
        if not modules.exists(alias.name):
            problems.append(_missing(node.lineno, alias.name, modules))
        elif alias.asname:
            bound[alias.asname] = _Bound(alias.name)
        else:
            top = alias.name.split(".")[0]
            bound[top] = _Bound(top)


def _check_from(node, package, modules, bound, problems) -> None:
    base = resolve_relative(node.module, node.level, package)
    if base is None:
        problems.append(
            f"line {node.lineno}: relative import {'.' * node.level}"
            f"{node.module or ''} climbs above the top-level package"
        )
        return
    if not base or not modules.is_internal(base):
        return
    if not modules.exists(base):
        problems.append(_missing(node.lineno, base, modules))
        return
    tree = modules.tree(base)
    names = defined_names(tree) if tree is not None else None
    for alias in node.names:
        local = alias.asname or alias.name
        if alias.name == "*":
            continue
        if modules.exists(f"{base}.{alias.name}"):
            bound[local] = _Bound(f"{base}.{alias.name}")
        elif names is not None and alias.name not in names:
            problems.append(_undefined(node.lineno, alias.name, base, modules))
        elif tree is None and base not in modules.paths:
            problems.append(
                f"line {node.lineno}: imports '{alias.name}' from '{base}', a "
                "package with no __init__.py and no such module; its modules: "
                + ", ".join(modules.related(base))
            )
        else:
            bound[local] = _Bound(base, alias.name)


def _check_call(node: ast.Call, bound, modules) -> list[str]:
    target = _call_target(node.func, bound, modules)
    if target is None:
        return []
    module, name = target
    tree = modules.tree(module)
    found = callable_signature(tree, name) if tree is not None else None
    if found is None:
        return []
    if any(isinstance(a, ast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        return []
    signature, shown = found
    try:
        signature.bind(*node.args, **{k.arg: k.value for k in node.keywords})
    except TypeError as err:
        return [
            f"line {node.lineno}: call to {module}.{name}() does not fit its "
            f"signature {name}({shown[:120]}): {err}"
        ]
    return []


def _call_target(func, bound, modules) -> tuple[str, str] | None:
    """The (module, name) a call expression refers to, if project code."""
    chain: list[str] = []
    while isinstance(func, ast.Attribute):
        chain.insert(0, func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or func.id not in bound:
        return None
    ref = bound[func.id]
    if ref.name is not None:
        return (ref.module, ref.name) if not chain else None
    module = ref.module
    while len(chain) > 1 and modules.exists(f"{module}.{chain[0]}"):
        module = f"{module}.{chain.pop(0)}"
    return (module, chain[0]) if len(chain) == 1 else None


def _missing(line: int, name: str, modules: ProjectModules) -> str:
    return (
        f"line {line}: imports '{name}', which is not a planned file; planned "
        f"modules: {', '.join(modules.related(name))}"
    )


def _undefined(line, name, base, modules) -> str:
    own = defined_names(modules.tree(base), imported=False) or set()
    public = sorted(n for n in own if not n.startswith("_"))
    offered = (
        f"which defines only: {', '.join(public[:20])}"
        if public
        else "which defines nothing public"
    )
    submodules = sorted(
        m.rpartition(".")[2] for m in modules.paths if m.rpartition(".")[0] == base
    )
    extra = f"; its modules: {', '.join(submodules)}" if submodules else ""
    return f"line {line}: imports '{name}' from '{base}', {offered}{extra}"
