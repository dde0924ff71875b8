"""Blueprint validation: what is repaired, what is refused and why."""

from __future__ import annotations

import pytest

from archedit.blueprint import (
    Blueprint,
    BlueprintError,
    FileSpec,
    dependency_depths,
    unplanned_names,
    validate_blueprint,
)


def bp(*files: tuple[str, list[str]]) -> Blueprint:
    return Blueprint(
        files=[FileSpec(path=p, purpose="p", depends_on=d) for p, d in files]
    )


REFUSED = [
    ("traversal", bp(("../x.py", [])), "leaves the workspace"),
    ("traversal_inside", bp(("pkg/../../x.py", [])), "leaves the workspace"),
    ("absolute", bp(("/etc/passwd", [])), "is absolute"),
    ("windows_drive", bp(("C:\\x.py", [])), "is absolute"),
    ("hidden", bp((".env", [])), "unsafe part"),
    ("shell_chars", bp(("a;rm -rf.py", [])), "unsafe part"),
    ("empty_path", bp(("  ", [])), "is empty"),
    (
        "duplicate",
        bp(("a.py", []), ("b.py", []), ("./a.py", ["b.py"])),
        "listed twice",
    ),
    ("unknown_dep", bp(("a.py", ["b.py"])), "not in the blueprint"),
    ("bad_dep_path", bp(("a.py", ["../b.py"])), "leaves the workspace"),
    ("cycle", bp(("a.py", ["b.py"]), ("b.py", ["a.py"])), "dependency cycle"),
    ("long_cycle", bp(("a", ["b"]), ("b", ["c"]), ("c", ["a"])), "dependency cycle"),
    ("reserved", bp(("report.json", [])), "reserved"),
    ("no_files", Blueprint(files=[]), "no files"),
]


@pytest.mark.parametrize(
    ("blueprint", "expected"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_refused(blueprint, expected):
    with pytest.raises(BlueprintError) as caught:
        validate_blueprint(blueprint)
    assert expected in str(caught.value)


def test_too_many_files():
    many = bp(*[(f"m{i}.py", []) for i in range(5)])
    with pytest.raises(BlueprintError, match="at most 4"):
        validate_blueprint(many, max_files=4)


def test_all_problems_are_reported_at_once():
    with pytest.raises(BlueprintError) as caught:
        validate_blueprint(bp(("/abs.py", []), ("a.py", ["nope.py"])))
    assert len(caught.value.problems) == 2


REPAIRED = [
    ("self_dep_dropped", bp(("a.py", ["a.py"])), {"a.py": []}),
    (
        "repeat_dep_dropped",
        bp(("a.py", []), ("b.py", ["a.py", "./a.py"])),
        {"a.py": [], "b.py": ["a.py"]},
    ),
    (
        "path_normalised",
        bp(("pkg//./mod.py", []), ("t.py", ["pkg\\mod.py"])),
        {"pkg/mod.py": [], "t.py": ["pkg/mod.py"]},
    ),
    (
        "file_repeated_word_for_word_dropped",
        bp(("a.py", []), ("b.py", ["a.py"]), ("./b.py", ["a.py"])),
        {"a.py": [], "b.py": ["a.py"]},
    ),
    # What the embedded architect planned for "calc.py and test_calc.py".
    (
        "code_on_test_dropped_and_test_pointed_at_its_module",
        bp(
            ("calc.py", ["calc.py", "test_calc.py"]), ("test_calc.py", ["test_calc.py"])
        ),
        {"calc.py": [], "test_calc.py": ["calc.py"]},
    ),
    (
        "test_named_for_one_of_several_modules",
        bp(("pkg/calc.py", []), ("pkg/fmt.py", []), ("tests/test_fmt.py", [])),
        {"pkg/calc.py": [], "pkg/fmt.py": [], "tests/test_fmt.py": ["pkg/fmt.py"]},
    ),
    (
        "test_of_the_only_module",
        bp(("greet.py", []), ("tests/test_hello.py", [])),
        {"greet.py": [], "tests/test_hello.py": ["greet.py"]},
    ),
    (
        "test_left_alone_when_the_module_is_unclear",
        bp(("a.py", []), ("b.py", []), ("test_c.py", []), ("README.md", ["test_c.py"])),
        {"a.py": [], "b.py": [], "test_c.py": [], "README.md": ["test_c.py"]},
    ),
    (
        "test_with_code_keeps_its_dependencies",
        bp(("a.py", []), ("calc.py", []), ("test_calc.py", ["a.py"])),
        {"a.py": [], "calc.py": [], "test_calc.py": ["a.py"]},
    ),
]


@pytest.mark.parametrize(
    ("blueprint", "expected"),
    [case[1:] for case in REPAIRED],
    ids=[case[0] for case in REPAIRED],
)
def test_repaired(blueprint, expected):
    clean = validate_blueprint(blueprint)
    assert {f.path: f.depends_on for f in clean.files} == expected


def test_dependency_depths():
    clean = validate_blueprint(
        bp(("a.py", []), ("b.py", ["a.py"]), ("c.py", ["b.py", "a.py"]), ("d.py", []))
    )
    assert dependency_depths(clean) == {"a.py": 0, "b.py": 1, "c.py": 2, "d.py": 0}


@pytest.mark.parametrize(
    ("task", "missing"),
    [
        ("A module greet.py and a pytest test file test_greet.py.", []),
        ("greet.py and tests/test_greet.py", []),
        ("A module greet.py, with pyproject.toml.", ["pyproject.toml"]),
        ("shop/db.py using SQLite, v1.2 of the spec", ["shop/db.py"]),
        ("Write greet.py; no other files. Then greet.py again.", []),
        ("A report module, never report.json itself", []),
    ],
)
def test_unplanned_names(task, missing):
    planned = bp(("greet.py", []), ("tests/test_greet.py", ["greet.py"]))
    assert unplanned_names(task, planned) == missing
