"""The project's modules: file paths as import names, and what each defines."""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterable, Mapping


def module_name(path: str) -> str | None:
    """The dotted import name of a Python file, or None if it has none.

    ``app/db.py`` is ``app.db``, ``app/__init__.py`` is ``app`` and a leading
    ``src/`` directory is not part of the name.
    """
    if not path.endswith(".py"):
        return None
    parts = path[: -len(".py")].split("/")
    if parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def package_of(path: str) -> str:
    """The package a file's relative imports start from ('' at top level)."""
    name = module_name(path) or ""
    if posixpath.basename(path) == "__init__.py":
        return name
    return name.rpartition(".")[0]


def resolve_relative(module: str | None, level: int, package: str) -> str | None:
    """The absolute name of ``from <level dots><module> import``.

    Returns None when the dots climb above the top-level package.
    """
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level - 1 > len(parts) or (level - 1 == len(parts) and not module):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base)


class ProjectModules:
    """Every Python module the blueprint plans, and the text of those written."""

    def __init__(self, planned: Iterable[str], written: Mapping[str, str]) -> None:
        """Index ``planned`` paths and ``written`` path-to-text files."""
        self.paths: dict[str, str] = {}
        for path in [*planned, *written]:
            name = module_name(path)
            if name is not None:
                self.paths.setdefault(name, path)
        self.written = written
        self.packages = {
            ".".join(name.split(".")[:i])
            for name in self.paths
            for i in range(1, name.count(".") + 1)
        }
        self.tops = {name.split(".")[0] for name in self.paths}
        self._trees: dict[str, ast.Module | None] = {}

    def is_internal(self, name: str) -> bool:
        """Whether ``name`` belongs to the project rather than a library."""
        return name.split(".")[0] in self.tops

    def exists(self, name: str) -> bool:
        """Whether ``name`` is a planned module or a package holding some."""
        return name in self.paths or name in self.packages

    def related(self, name: str, limit: int = 15) -> list[str]:
        """Planned module names under the same top-level package as ``name``."""
        top = name.split(".")[0]
        found = sorted(n for n in self.paths if n.split(".")[0] == top)
        return found[:limit] or sorted(self.paths)[:limit]

    def tree(self, name: str) -> ast.Module | None:
        """The parsed text of module ``name``, if it is written and parses."""
        if name not in self._trees:
            text = self.written.get(self.paths.get(name, ""))
            try:
                self._trees[name] = None if text is None else ast.parse(text)
            except (SyntaxError, ValueError, RecursionError):
                self._trees[name] = None
        return self._trees[name]


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def defined_names(tree: ast.Module, *, imported: bool = True) -> set[str] | None:
    """Names a module binds at top level, or None if they cannot be known.

    Definitions inside top-level ``if``, ``try``, ``with`` and loops count,
    and so do names the module imports unless ``imported`` is False. A star
    import or a module-level ``__getattr__`` makes the set unknowable.
    """
    names: set[str] = set()
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, _SCOPES):
            if node.name == "__getattr__":
                return None
            names.add(node.name)
        elif isinstance(node, ast.Import) and imported:
            names |= {a.asname or a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if any(a.name == "*" for a in node.names):
                return None
            if imported:
                names |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if _stored(n)}
        elif isinstance(node, ast.For | ast.AsyncFor | ast.With | ast.AsyncWith):
            heads = (
                [node.target]
                if isinstance(node, ast.For | ast.AsyncFor)
                else [item.optional_vars for item in node.items if item.optional_vars]
            )
            names |= {n.id for h in heads for n in ast.walk(h) if _stored(n)}
        if not isinstance(node, _SCOPES):
            for field in ("body", "orelse", "finalbody", "handlers"):
                stack.extend(getattr(node, field, []))
        if isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def _stored(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
