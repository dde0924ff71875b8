"""A compact text of what a written file offers to the files that use it.

For Python: public classes with their methods and fields, functions with
their signatures, and constants, each with the first line of its docstring.
An editor writing a dependent file reads this instead of the whole source.
"""

from __future__ import annotations

import ast

_SHOWN_LINES = 40
_SHOWN_VALUE = 60
_CLASS_DECORATORS = {"dataclass", "property", "staticmethod", "classmethod"}


def interface_of(path: str, content: str) -> str:
    """Describe the public interface of the file ``path`` holding ``content``.

    Python files are summarised from their syntax tree without running them;
    other files are shown as they are, cut to their first lines.
    """
    if not path.endswith(".py"):
        return _head(path, content)
    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError, RecursionError) as err:
        return f"# {path}: does not parse ({err})"
    exported = _dunder_all(tree)
    doc = _first_line(tree)
    lines = [f"# {path}" + (f": {doc}" if doc else "")]
    for node in _top_level(tree.body):
        name = _name(node)
        if name is None or not _public(node, name, exported):
            continue
        if isinstance(node, ast.ClassDef):
            lines.extend(_class(node))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines.append(_function(node))
        elif isinstance(node, ast.ImportFrom | ast.Import):
            lines.append(ast.unparse(node))
        else:
            lines.append(_constant(node, name))
    return "\n".join(dict.fromkeys(lines))


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements at module level, looking inside top-level if and try."""
    found = []
    for node in body:
        if isinstance(node, ast.If | ast.Try):
            found.extend(_top_level(node.body))
        else:
            found.append(node)
    return found


def _name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.ImportFrom | ast.Import) and len(node.names) == 1:
        alias = node.names[0]
        return alias.asname or alias.name
    return None


def _public(node: ast.stmt, name: str, exported: set[str] | None) -> bool:
    """Listed in ``__all__`` if there is one; else not private nor imported."""
    if exported is not None:
        return name in exported
    if isinstance(node, ast.ImportFrom | ast.Import):
        return False
    return not name.startswith("_")


def _dunder_all(tree: ast.Module) -> set[str] | None:
    """Names in a literal ``__all__``, or None without one."""
    for node in tree.body:
        if _name(node) == "__all__" and isinstance(node, ast.Assign):
            try:
                return set(ast.literal_eval(node.value))
            except (ValueError, TypeError, SyntaxError):
                return None
    return None


def _class(node: ast.ClassDef) -> list[str]:
    bases = ", ".join(ast.unparse(b) for b in [*node.bases, *node.keywords])
    head = f"class {node.name}" + (f"({bases})" if bases else "")
    lines = [*_decorators(node), _with_doc(head, node)]
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            if not stmt.target.id.startswith("_"):
                field = f"{stmt.target.id}: {ast.unparse(stmt.annotation)}"
                default = f" = {_short(stmt.value)}" if stmt.value else ""
                lines.append(f"    {field}{default}")
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            if not stmt.name.startswith("_") or stmt.name in ("__init__", "__call__"):
                lines.extend(f"    {line}" for line in _decorators(stmt))
                lines.append(f"    {_function(stmt)}")
    return lines


def _function(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    prefix = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return _with_doc(f"{prefix} {node.name}({ast.unparse(node.args)}){returns}", node)


def _constant(node: ast.Assign | ast.AnnAssign, name: str) -> str:
    annotation = getattr(node, "annotation", None)
    text = name + (f": {ast.unparse(annotation)}" if annotation else "")
    return text + (f" = {_short(node.value)}" if node.value else "")


def _decorators(node) -> list[str]:
    shown = []
    for decorator in node.decorator_list:
        text = ast.unparse(decorator)
        if text.split("(")[0].rpartition(".")[2] in _CLASS_DECORATORS:
            shown.append(f"@{text}")
    return shown


def _with_doc(head: str, node) -> str:
    doc = _first_line(node)
    return f"{head}  # {doc}" if doc else head


def _first_line(node) -> str:
    doc = ast.get_docstring(node) or ""
    return doc.strip().split("\n")[0][:100]


def _short(value: ast.expr) -> str:
    text = ast.unparse(value)
    return text if len(text) <= _SHOWN_VALUE else "..."


def _head(path: str, content: str) -> str:
    lines = content.splitlines()
    shown = "\n".join(lines[:_SHOWN_LINES])
    more = len(lines) - _SHOWN_LINES
    tail = f"\n[... {more} more lines]" if more > 0 else ""
    return f"# {path}\n{shown}{tail}"
