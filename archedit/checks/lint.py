"""Syntax and defect checks of Python source: ``compile`` and ruff.

Ruff runs with a rule set limited to defects (names that do not exist,
imports that are unused or missing, redefinitions, and a few bug patterns),
never style, so a retry is only asked for when the code is wrong. Ruff is
trusted and runs outside the sandbox on the text passed through stdin.
"""

from __future__ import annotations

import ast
import json
import posixpath
import subprocess
from functools import cache

from ruff.__main__ import find_ruff_bin

from archedit.checks.problem import Problem, one_line

RULES = (
    "F",  # pyflakes: undefined and unused names, bad imports, redefinitions
    "E9",  # syntax-level errors
    "PLE",  # pylint errors: return in __init__, await outside async, ...
    "B002",  # ++x, which Python reads as +(+x)
    "B006",  # mutable default argument shared between calls
    "B012",  # return or break inside finally swallows the exception
    "B015",  # comparison whose result is thrown away
    "B020",  # loop variable overwrites the iterable it loops over
    "B023",  # closure captures a loop variable late
    "B025",  # the same exception caught twice
)
# Star imports leave ruff unsure rather than certain of a defect.
IGNORED = ("F403", "F405")


def syntax_problems(path: str, content: str) -> tuple[ast.Module | None, list]:
    """Parse and compile ``content``; return its tree or the syntax problem.

    Compiling catches what parsing alone accepts, such as ``return`` outside
    a function.
    """
    try:
        tree = ast.parse(content, filename=path)
        compile(tree, path, "exec", dont_inherit=True)
    except SyntaxError as err:
        where = f"line {err.lineno}: " if err.lineno else ""
        code = (err.text or "").strip()
        shown = f": {code[:80]}" if code else ""
        return None, [Problem("syntax", one_line(f"{where}{err.msg}{shown}"))]
    except (ValueError, RecursionError) as err:
        # Null bytes, or nesting too deep for the compiler.
        return None, [Problem("syntax", one_line(f"line 1: {err}"))]
    return tree, []


def ruff_problems(path: str, content: str) -> list[Problem]:
    """Run ruff's defect rules on ``content`` as if it were the file ``path``.

    Raises:
        RuntimeError: if ruff itself fails rather than reporting findings.
    """
    ignored = list(IGNORED)
    if posixpath.basename(path) == "__init__.py":
        # A package's __init__ imports names to re-export them.
        ignored.append("F401")
    result = subprocess.run(
        [
            _ruff(),
            "check",
            "--no-cache",
            "--isolated",
            "--select",
            ",".join(RULES),
            "--ignore",
            ",".join(ignored),
            "--output-format",
            "json",
            "--stdin-filename",
            path,
            "-",
        ],
        input=content,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(f"ruff failed on {path}: {result.stderr.strip()}")
    problems = []
    for finding in json.loads(result.stdout or "[]"):
        row = finding["location"]["row"]
        message = finding["message"].replace("`", "'")
        message = message[:1].lower() + message[1:]
        code = finding.get("code") or ""
        problems.append(Problem("ruff", one_line(f"line {row}: {code} {message}")))
    return problems


@cache
def _ruff() -> str:
    return find_ruff_bin()
