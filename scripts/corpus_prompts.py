"""What the coercion corpus asks the embedded model for.

Small specs in the four languages coercion checks (Python, JSON, TOML, YAML),
two system prompts that ask for other reply shapes than a fenced block (a
JSON envelope, a tool call written as text), each also with a worked
example, and two architect tasks.
"""

from __future__ import annotations

import json

from prompts.editor import DEPENDENCY

FILE_SPECS: dict[str, dict] = {
    "calc.py": {
        "kind": "module",
        "purpose": "Defines add(a, b) returning a + b and mean(values) returning "
        "the arithmetic mean; mean raises ValueError on an empty list.",
        "interface": "def add(a: float, b: float) -> float; "
        "def mean(values: list[float]) -> float",
        "depends_on": [],
    },
    "test_calc.py": {
        "kind": "test",
        "purpose": "pytest tests: add(2, 3) == 5, mean([1, 2, 3]) == 2 and "
        "mean([]) raises ValueError.",
        "interface": "",
        "depends_on": ["calc.py"],
    },
    "slug.py": {
        "kind": "module",
        "purpose": "Defines slugify(text) returning text lowercased, with runs "
        "of characters other than letters and digits replaced by one hyphen "
        "and no hyphen at either end.",
        "interface": "def slugify(text: str) -> str",
        "depends_on": [],
    },
    "settings.json": {
        "kind": "config",
        "purpose": 'A JSON object with "name": "shop", "debug": false and '
        '"port": 8080.',
        "interface": "",
        "depends_on": [],
    },
    "pyproject.toml": {
        "kind": "config",
        "purpose": 'A [project] table with name = "shop", version = "0.1.0" and '
        'requires-python = ">=3.11".',
        "interface": "",
        "depends_on": [],
    },
    "config.yaml": {
        "kind": "config",
        "purpose": "A YAML mapping: database with host localhost and port 5432, "
        "and log_level info.",
        "interface": "",
        "depends_on": [],
    },
}

ENVELOPE_SYSTEM = """You write exactly one file of a project. Reply with one \
JSON object and nothing else: {"path": "<the file's path>", "content": "<the \
complete text of the file>"}"""

TOOL_TEXT_SYSTEM = """You write exactly one file of a project with the tool \
write_file(path, content). Call it by replying with nothing but:
<tool_call>
{"name": "write_file", "arguments": {"path": "<the file's path>", \
"content": "<the complete text of the file>"}}
</tool_call>"""

#: A worked example shown before the task, as the architect is shown one:
#: small models copy a reply's shape far more readily than they follow a
#: description of it.
EXAMPLE_PATH = "greet.py"
EXAMPLE_SPEC = {
    "kind": "module",
    "purpose": "Defines greet(name) returning 'Hello, <name>!'.",
    "interface": "def greet(name: str) -> str",
    "depends_on": [],
}
EXAMPLE_CODE = 'def greet(name: str) -> str:\n    return f"Hello, {name}!"\n'
EXAMPLE_ENVELOPE = json.dumps({"path": EXAMPLE_PATH, "content": EXAMPLE_CODE})
EXAMPLE_TOOL_CALL = (
    "<tool_call>\n"
    + json.dumps(
        {
            "name": "write_file",
            "arguments": {"path": EXAMPLE_PATH, "content": EXAMPLE_CODE},
        }
    )
    + "\n</tool_call>"
)

ARCHITECT_TASKS = [
    "A module temperature.py with celsius_to_fahrenheit(c) and "
    "fahrenheit_to_celsius(f), and a pytest test.",
    "A package shop with shop/models.py (an Item dataclass with name and "
    "price), shop/cart.py (a Cart with add(item) and total()) and a pytest "
    "test of the cart.",
]


def dependencies(path: str) -> str:
    """What `path` may use from the files it depends on, as the editor sees it.

    Args:
        path: A key of `FILE_SPECS`.

    Returns:
        The rendered dependencies, or "" when there are none.
    """
    return "\n".join(
        DEPENDENCY.format(
            path=dep,
            purpose=FILE_SPECS[dep]["purpose"],
            interface=FILE_SPECS[dep]["interface"],
        )
        for dep in FILE_SPECS[path]["depends_on"]
    )
