"""Call signatures of a module's functions and classes, read from its ast.

Only signatures that the source states plainly are returned: a decorator
that is not known to keep the signature, or a class whose ``__init__`` may
come from a base class, gives None, and no call to it is judged.
"""

from __future__ import annotations

import ast
from inspect import Parameter, Signature

_KEEPS_SIGNATURE = {"staticmethod", "cache", "lru_cache", "wraps"}
_DATACLASS = "dataclass"


def callable_signature(tree: ast.Module, name: str) -> tuple[Signature, str] | None:
    """The signature of top-level ``name`` and how to show it, if known."""
    found = None
    for node in tree.body:
        if getattr(node, "name", None) == name:
            found = node
    try:
        if isinstance(found, ast.FunctionDef | ast.AsyncFunctionDef):
            if all(_decorator(d) in _KEEPS_SIGNATURE for d in found.decorator_list):
                return _from_arguments(found.args), ast.unparse(found.args)
        if isinstance(found, ast.ClassDef) and not found.keywords:
            return _class_signature(found)
    except ValueError:
        # Parameters in an order Python would reject at call time anyway.
        return None
    return None


def _class_signature(node: ast.ClassDef) -> tuple[Signature, str] | None:
    decorators = [_decorator(d) for d in node.decorator_list]
    if node.bases or any(d != _DATACLASS for d in decorators):
        return None
    if _DATACLASS in decorators:
        return _dataclass_signature(node)
    methods = {
        stmt.name: stmt for stmt in node.body if isinstance(stmt, ast.FunctionDef)
    }
    if "__new__" in methods:
        return None
    init = methods.get("__init__")
    if init is None:
        return Signature(), ""
    if init.decorator_list or not (init.args.posonlyargs or init.args.args):
        return None
    signature = _from_arguments(init.args)
    params = list(signature.parameters.values())[1:]
    shown = ast.unparse(init.args).partition(",")[2].strip()
    return signature.replace(parameters=params), shown


def _dataclass_signature(node: ast.ClassDef) -> tuple[Signature, str] | None:
    options = {
        k.arg: k.value
        for d in node.decorator_list
        if isinstance(d, ast.Call)
        for k in d.keywords
    }
    if _is_false(options.get("init")):
        return None
    keyword_only = _is_true(options.get("kw_only"))
    params, shown = [], []
    for stmt in node.body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        annotation = ast.unparse(stmt.annotation)
        if "ClassVar" in annotation:
            continue
        if annotation.endswith("KW_ONLY"):
            keyword_only = True
            continue
        has_default, in_init, field_kw = _field_options(stmt.value)
        if not in_init:
            continue
        kind = Parameter.KEYWORD_ONLY if keyword_only or field_kw else None
        kind = kind or Parameter.POSITIONAL_OR_KEYWORD
        default = ... if has_default else Parameter.empty
        params.append(Parameter(stmt.target.id, kind, default=default))
        shown.append(stmt.target.id + ("=..." if has_default else ""))
    # Keyword-only fields go last in the generated __init__.
    params.sort(key=lambda p: p.kind == Parameter.KEYWORD_ONLY)
    return Signature(params), ", ".join(shown)


def _field_options(value: ast.expr | None) -> tuple[bool, bool, bool]:
    """Whether a dataclass field has a default, is in __init__, is kw-only."""
    if value is None:
        return False, True, False
    if isinstance(value, ast.Call) and _decorator(value.func) == "field":
        keywords = {k.arg: k.value for k in value.keywords}
        has_default = "default" in keywords or "default_factory" in keywords
        in_init = not _is_false(keywords.get("init"))
        return has_default, in_init, _is_true(keywords.get("kw_only"))
    return True, True, False


def _from_arguments(args: ast.arguments) -> Signature:
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    params = []
    for index, arg in enumerate(positional):
        kind = (
            Parameter.POSITIONAL_ONLY
            if index < len(args.posonlyargs)
            else Parameter.POSITIONAL_OR_KEYWORD
        )
        default = ... if index >= first_default else Parameter.empty
        params.append(Parameter(arg.arg, kind, default=default))
    if args.vararg:
        params.append(Parameter(args.vararg.arg, Parameter.VAR_POSITIONAL))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        value = Parameter.empty if default is None else ...
        params.append(Parameter(arg.arg, Parameter.KEYWORD_ONLY, default=value))
    if args.kwarg:
        params.append(Parameter(args.kwarg.arg, Parameter.VAR_KEYWORD))
    return Signature(params)


def _decorator(node: ast.expr) -> str:
    """The last dotted part of a decorator's name: ``functools.cache`` is cache."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False
