"""File checks: input file and project, out come the problems a model reads."""

from __future__ import annotations

import pytest

from archedit.checks import check_file, interface_of, is_test_file, run_tests

DB = '''"""Storage of users."""

from dataclasses import dataclass

LIMIT = 10


@dataclass
class User:
    """A stored user."""

    name: str
    age: int = 0


def connect(url: str, *, timeout: float = 1.0) -> dict:
    """Open a connection."""
    return {"url": url, "timeout": timeout}


def add_user(conn: dict, name: str, email: str | None = None) -> User:
    return User(name)
'''
SERVICE = '''"""Use cases."""

from app.db import User, add_user, connect


def register(name: str) -> User:
    """Register a user."""
    return add_user(connect("mem://"), name)
'''
WORKSPACE = {"app/__init__.py": "", "app/db.py": DB}
PLANNED = ["app/__init__.py", "app/db.py", "app/service.py", "tests/test_service.py"]

CASES = [
    # (id, path, content, expected check, expected text); "" expects no problem
    ("good module", "app/service.py", SERVICE, None, ""),
    ("syntax error", "app/service.py", "def f(:\n    pass\n", "syntax", "line 1:"),
    ("outside function", "app/service.py", "return 1\n", "syntax", "'return'"),
    ("undefined name", "app/service.py", "def f():\n    return x\n", "ruff", "F821"),
    ("unused import", "app/service.py", "import os\n", "ruff", "line 1: F401"),
    (
        "mutable default",
        "app/service.py",
        "def f(a=[]):\n    return a\n",
        "ruff",
        "B006",
    ),
    (
        "wrong internal name",
        "app/service.py",
        "from app.db import get_user\n\nget_user()\n",
        "interface",
        "line 1: imports 'get_user' from 'app.db', which defines only: "
        "LIMIT, User, add_user, connect",
    ),
    (
        "missing internal module",
        "app/service.py",
        "import app.models\n\napp.models.load()\n",
        "interface",
        "imports 'app.models', which is not a planned file",
    ),
    (
        "relative import of missing module",
        "app/service.py",
        "from .models import load\n\nload()\n",
        "interface",
        "'app.models', which is not a planned file",
    ),
    (
        "too few arguments",
        "app/service.py",
        "from app import db\n\ndb.add_user(db.connect('x'))\n",
        "interface",
        "missing a required argument: 'name'",
    ),
    (
        "unknown keyword",
        "app/service.py",
        "from app.db import connect\n\nconnect('x', retries=2)\n",
        "interface",
        "unexpected keyword argument 'retries'",
    ),
    (
        "dataclass arity",
        "app/service.py",
        "import app.db as db\n\ndb.User('a', 1, 2)\n",
        "interface",
        "too many positional arguments",
    ),
    (
        "planned, not yet written",
        "tests/test_service.py",
        "from app.service import register\n\n\ndef test_it():\n    register()\n",
        None,
        "",
    ),
    ("library import", "app/service.py", "import json\n\njson.dumps(1)\n", None, ""),
    ("broken json", "data/config.json", '{"a": 1,}', "parse", "line 1 column 9"),
    ("broken toml", "pyproject.toml", "[project\nname = 1\n", "parse", "TOML"),
    ("broken yaml", "conf.yaml", "a: [1, 2\n", "parse", "line"),
    ("broken ini", "setup.cfg", "key = 1\n", "parse", "section"),
    ("good yaml", "conf.yaml", "a: 1\n---\nb: 2\n", None, ""),
    ("markdown", "README.md", "# {not checked", None, ""),
]


@pytest.mark.parametrize(
    ("path", "content", "check", "text"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_check_file(path, content, check, text):
    problems = check_file(path, content, WORKSPACE, planned=PLANNED)
    if check is None:
        assert problems == []
        return
    assert any(p.check == check and text in p.message for p in problems), problems
    assert all("\n" not in p.message for p in problems)


def test_interface_of_lists_the_public_api():
    text = interface_of("app/db.py", DB)
    assert text.splitlines()[0] == "# app/db.py: Storage of users."
    assert "def connect(url: str, *, timeout: float=1.0) -> dict  # Open a" in text
    assert "class User  # A stored user." in text
    assert "    age: int = 0" in text
    assert "LIMIT = 10" in text
    assert "dataclass" not in text.replace("@dataclass", "")


def test_interface_of_a_file_that_does_not_parse():
    assert "does not parse" in interface_of("app/x.py", "def (")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/test_db.py", True),
        ("app/db_test.py", True),
        ("tests/helpers.py", True),
        ("conftest.py", True),
        ("app/testing.py", False),
        ("app/db.py", False),
    ],
)
def test_is_test_file(path, expected):
    assert is_test_file(path) is expected


def test_import_runs_in_the_sandbox(sandbox):
    broken = "from app.db import connect\n\nCONN = connect(1)\nraise ValueError('no')\n"
    problems = check_file("app/service.py", broken, WORKSPACE, sandbox=sandbox)
    assert [p.check for p in problems] == ["import"]
    assert "ValueError: no (at app/service.py line 4)" in problems[0].message
    assert check_file("app/service.py", SERVICE, WORKSPACE, sandbox=sandbox) == []


TESTS = """from app.service import register


def test_register():
    assert register("ann").name == "ann"


def test_wrong():
    assert register("bob").age == 1
"""


def test_run_tests_reports_passing_and_failing(sandbox):
    files = {**WORKSPACE, "app/service.py": SERVICE, "tests/test_service.py": TESTS}
    report = run_tests("tests/test_service.py", files, sandbox)
    assert report.passed == ("tests/test_service.py::test_register",)
    assert report.failed == ("tests/test_service.py::test_wrong",)
    assert not report.ok
    assert "assert 0 == 1" in report.output
    assert len(report.output.splitlines()) <= 62


def test_run_tests_all_passing(sandbox):
    passing = TESTS.replace("age == 1", "age == 0")
    files = {**WORKSPACE, "app/service.py": SERVICE, "tests/test_service.py": passing}
    report = run_tests("tests/test_service.py", files, sandbox)
    assert report.ok
    assert len(report.passed) == 2
    assert report.failed == ()
