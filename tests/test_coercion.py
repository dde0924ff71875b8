"""Input → output tables for coercing raw model replies."""

import json

import pytest
from langchain_core.messages import AIMessage
from pydantic import BaseModel, Field

from archedit.coercion import Coerced, Failure, coerce_file, coerce_json

CODE = "def add(a, b):\n    return a + b\n"
FENCED = f"```python\n{CODE}```"


def tool_call(args, name="write_file"):
    return {"name": name, "args": args, "id": "call_1", "type": "tool_call"}


def invalid_tool_call(args: str, name="write_file"):
    return {"name": name, "args": args, "id": "call_1", "error": None}


FILE_CASES = [
    # Fences and prose.
    pytest.param(FENCED, "pkg/calc.py", CODE, id="fence"),
    pytest.param(
        f"Here is the file:\n\n{FENCED}\n\nIt adds two numbers.",
        "calc.py",
        CODE,
        id="fence-with-prose",
    ),
    pytest.param(f"~~~py\n{CODE}~~~", "calc.py", CODE, id="tilde-fence"),
    pytest.param(f"````python\n{CODE}````", "calc.py", CODE, id="four-backticks"),
    pytest.param(
        "```python\ndef add(a, b):\n    return a + b```",
        "calc.py",
        CODE,
        id="closing-marker-glued-to-code",
    ),
    pytest.param(
        "1. Create the file:\n   ```python\n   def add(a, b):\n       return a + b\n"
        "   ```",
        "calc.py",
        CODE,
        id="indented-fence",
    ),
    pytest.param(
        f"```bash\npip install calc\n```\n\n{FENCED}",
        "calc.py",
        CODE,
        id="multiple-fences-language-tag",
    ),
    pytest.param(
        f"### other.py\n```python\nx = 1\n```\n### pkg/calc.py\n{FENCED}",
        "pkg/calc.py",
        CODE,
        id="multiple-fences-heading-names-file",
    ),
    pytest.param(
        "```python\n# other.py\nx = 1\n```\n```python\n# calc.py\ny = 2\n```",
        "pkg/calc.py",
        "# calc.py\ny = 2\n",
        id="multiple-fences-path-comment",
    ),
    pytest.param(
        f"```python\ndef add(a, b)\n    return a + b\n```\n{FENCED}",
        "calc.py",
        CODE,
        id="multiple-fences-prefers-parsing",
    ),
    pytest.param(
        "```python\nx = 1\n```\nUsage:\n```python\nimport calc\nprint(calc.x)\n```",
        "calc.py",
        "import calc\nprint(calc.x)\n",
        id="multiple-fences-longest",
    ),
    pytest.param(
        "```python\ndef add(a, b):\n    return a + b\n",
        "calc.py",
        CODE,
        id="unterminated-fence-parses",
    ),
    pytest.param(
        "```python\ndef add(a, b):\n    return (a +",
        "calc.py",
        Failure.TRUNCATED,
        id="unterminated-fence-truncated",
    ),
    pytest.param(
        f"{CODE}```\n\nThis adds two numbers.",
        "calc.py",
        CODE,
        id="missing-opening-fence",
    ),
    pytest.param(
        f"Here is the file:\n{CODE}```\nIt adds two numbers.",
        "calc.py",
        CODE,
        id="missing-opening-fence-after-prose",
    ),
    pytest.param(
        "Here is a way to do it in Python:\n```\nimport yaml\n",
        "config.yaml",
        Failure.TRUNCATED,
        id="open-fence-after-prose-that-parses",
    ),
    # Reasoning blocks.
    pytest.param(
        f"<think>\nMaybe ```python\nbroken(```\n</think>\n{FENCED}",
        "calc.py",
        CODE,
        id="think-block",
    ),
    pytest.param(
        f"I need an add function.\n</think>\n\n{FENCED}",
        "calc.py",
        CODE,
        id="think-orphan-close",
    ),
    pytest.param(
        f"<think>\nI need an add function.\n{FENCED}",
        "calc.py",
        CODE,
        id="think-unclosed-leading",
    ),
    # Plain text.
    pytest.param(CODE, "calc.py", CODE, id="bare-code"),
    pytest.param(CODE.rstrip("\n"), "calc.py", CODE, id="missing-trailing-newline"),
    pytest.param(CODE + "\n\n\n", "calc.py", CODE, id="extra-trailing-newlines"),
    pytest.param(CODE.replace("\n", "\r\n"), "calc.py", CODE, id="crlf"),
    pytest.param(
        f"Sure! Here is calc.py:\n{CODE}\nThis function adds two numbers.",
        "calc.py",
        CODE,
        id="prose-around-bare-code",
    ),
    pytest.param(
        "    def add(a, b):\n        return a + b\n", "calc.py", CODE, id="dedent"
    ),
    pytest.param(
        "def add(a, b)\n    return a + b\n", "calc.py", Failure.SYNTAX, id="syntax"
    ),
    pytest.param("", "calc.py", Failure.EMPTY, id="empty"),
    pytest.param(" \n\t\n", "calc.py", Failure.EMPTY, id="whitespace"),
    pytest.param(
        "I'm sorry, I cannot write that file.",
        "calc.py",
        Failure.NO_CODE,
        id="refusal",
    ),
    pytest.param("Sure", "calc.py", Failure.NO_CODE, id="lone-word"),
    pytest.param(
        "<think>Thinking about it.</think>",
        "calc.py",
        Failure.NO_CODE,
        id="only-reasoning",
    ),
    # JSON envelopes.
    pytest.param(
        json.dumps({"path": "calc.py", "content": CODE}),
        "calc.py",
        CODE,
        id="envelope",
    ),
    pytest.param(json.dumps({"code": CODE}), "calc.py", CODE, id="envelope-code-key"),
    pytest.param(
        '{"path": "calc.py", "content": "def add(a, b):\n    return a + b\n"}',
        "calc.py",
        CODE,
        id="envelope-raw-newlines",
    ),
    pytest.param(
        '{"path": "calc.py", "content": "d = {"a": 1, "b": 2}\nprint(d)"}',
        "calc.py",
        'd = {"a": 1, "b": 2}\nprint(d)\n',
        id="envelope-unescaped-quotes",
    ),
    pytest.param(
        json.dumps({"path": "calc.py", "content": 'print("a\\nb", r"\\d")\n'}),
        "calc.py",
        'print("a\\nb", r"\\d")\n',
        id="envelope-escapes-in-code",
    ),
    pytest.param(
        "{'path': 'calc.py', 'content': 'x = 1\\ny = 2\\n'}",
        "calc.py",
        "x = 1\ny = 2\n",
        id="envelope-single-quotes",
    ),
    pytest.param(
        "```json\n" + json.dumps({"path": "calc.py", "content": CODE}) + "\n```",
        "calc.py",
        CODE,
        id="envelope-in-json-fence",
    ),
    pytest.param(
        json.dumps({"path": "calc.py", "content": FENCED}),
        "calc.py",
        CODE,
        id="envelope-content-fenced",
    ),
    pytest.param(
        '{"path": "calc.py", "content": "def add(a, b):\\n    return (a',
        "calc.py",
        Failure.TRUNCATED,
        id="envelope-truncated",
    ),
    pytest.param(
        json.dumps({"path": "other.py", "content": CODE}),
        "calc.py",
        Failure.WRONG_PATH,
        id="envelope-wrong-path",
    ),
    pytest.param(
        json.dumps({"path": "./pkg/calc.py", "content": CODE}),
        "pkg/calc.py",
        CODE,
        id="envelope-dot-slash-path",
    ),
    pytest.param(
        'CONFIG = {"path": "calc.py", "content": "x"}\n',
        "calc.py",
        'CONFIG = {"path": "calc.py", "content": "x"}\n',
        id="dict-in-code",
    ),
    pytest.param(
        '{"content": "x = \'it\\\'s\'", "path": "calc.py"}',
        "calc.py",
        "x = 'it\\'s'\n",
        id="envelope-verbatim-code-with-non-json-escape",
    ),
    pytest.param(
        "{\"content\": \"data = {\n    'a': 1,\n}\nprint('\\x1f')\", "
        '"path": "calc.py"}',
        "calc.py",
        "data = {\n    'a': 1,\n}\nprint('\\x1f')\n",
        id="envelope-json-repair-gives-up",
    ),
    pytest.param(
        '{"content": "Hello"}',
        "i18n/en.json",
        '{"content": "Hello"}\n',
        id="json-file-with-content-key-is-not-envelope",
    ),
    # Tool calls written as text.
    pytest.param(
        json.dumps(
            {"name": "write_file", "arguments": {"path": "calc.py", "content": CODE}}
        ),
        "calc.py",
        CODE,
        id="tool-call-bare-json",
    ),
    pytest.param(
        json.dumps(
            {
                "name": "write_file",
                "arguments": json.dumps({"path": "calc.py", "content": CODE}),
            }
        ),
        "calc.py",
        CODE,
        id="tool-call-bare-json-string-arguments",
    ),
    pytest.param(
        "<tool_call>\n"
        + json.dumps(
            {"name": "write_file", "arguments": {"path": "calc.py", "content": CODE}}
        )
        + "\n</tool_call>",
        "calc.py",
        CODE,
        id="tool-call-tags",
    ),
    pytest.param(
        "<function=write_file>\n<parameter=path>\ncalc.py\n</parameter>\n"
        f"<parameter=content>\n{CODE}</parameter>\n</function>",
        "calc.py",
        CODE,
        id="function-markup-parameters",
    ),
    pytest.param(
        "<function=write_file>"
        + json.dumps({"path": "calc.py", "content": CODE})
        + "</function>",
        "calc.py",
        CODE,
        id="function-markup-json",
    ),
    pytest.param(
        '<tool_call>\n{"name": "add", "arguments": {"a": 1, "b": 2}}\n</tool_call>',
        "calc.py",
        Failure.NO_CODE,
        id="tool-call-tags-other-tool",
    ),
    pytest.param(
        AIMessage(content="", tool_calls=[tool_call({"a": 1}, name="add")]),
        "calc.py",
        Failure.NO_CODE,
        id="tool-call-other-tool",
    ),
    # Messages.
    pytest.param(
        AIMessage(
            content="", tool_calls=[tool_call({"path": "calc.py", "content": CODE})]
        ),
        "calc.py",
        CODE,
        id="tool-call",
    ),
    pytest.param(
        AIMessage(
            content="",
            tool_calls=[
                tool_call({"path": "other.py", "content": "x = 1\n"}),
                tool_call({"path": "calc.py", "content": CODE}),
            ],
        ),
        "calc.py",
        CODE,
        id="tool-calls-choose-path",
    ),
    pytest.param(
        AIMessage(
            content="", tool_calls=[tool_call({"path": "b.py", "content": CODE})]
        ),
        "calc.py",
        Failure.WRONG_PATH,
        id="tool-call-wrong-path",
    ),
    pytest.param(
        AIMessage(
            content="",
            tool_calls=[
                tool_call(
                    {"arguments": json.dumps({"path": "calc.py", "content": CODE})}
                )
            ],
        ),
        "calc.py",
        CODE,
        id="tool-call-args-json-string",
    ),
    pytest.param(
        AIMessage(
            content="",
            invalid_tool_calls=[
                invalid_tool_call('{"path": "calc.py", "content": "x = 1\n"')
            ],
        ),
        "calc.py",
        "x = 1\n",
        id="invalid-tool-call-args-string",
    ),
    pytest.param(
        AIMessage(
            content=[
                {"type": "text", "text": "```python\ndef add(a, b):\n"},
                "    return a + b\n```",
            ]
        ),
        "calc.py",
        CODE,
        id="content-blocks",
    ),
    pytest.param(
        AIMessage(
            content="```python\ndef add(a, b):\n    return (a",
            response_metadata={"finish_reason": "length"},
        ),
        "calc.py",
        Failure.TRUNCATED,
        id="finish-reason-length",
    ),
    pytest.param(
        AIMessage(
            content="def add(a, b):\n    return (a",
            response_metadata={"done_reason": "length"},
        ),
        "calc.py",
        Failure.TRUNCATED,
        id="done-reason-length-bare-code",
    ),
    pytest.param(
        AIMessage(content=FENCED, response_metadata={"done_reason": "length"}),
        "calc.py",
        CODE,
        id="length-but-parses",
    ),
    pytest.param(
        AIMessage(
            content=f"```python\n{CODE}\ndef mean(values):\n    return sum(values)\n",
            response_metadata={"finish_reason": "length"},
        ),
        "calc.py",
        Failure.TRUNCATED,
        id="length-in-open-fence-parses",
    ),
    pytest.param(
        AIMessage(
            content='{"path": "calc.py", "content": "def add(a, b):\\n    return a\\n',
            response_metadata={"finish_reason": "length"},
        ),
        "calc.py",
        Failure.TRUNCATED,
        id="length-in-envelope-string-parses",
    ),
    pytest.param(
        AIMessage(content=CODE, response_metadata={"finish_reason": "length"}),
        "calc.py",
        Failure.TRUNCATED,
        id="length-in-bare-code-parses",
    ),
    pytest.param(
        AIMessage(
            content="```python\ndef add(a, b)\n    return a + b\n```\nThis adds",
            response_metadata={"finish_reason": "length"},
        ),
        "calc.py",
        Failure.SYNTAX,
        id="length-after-closed-fence-that-fails",
    ),
    pytest.param(
        AIMessage(content="<think>Let me", response_metadata={"done_reason": "length"}),
        "calc.py",
        Failure.TRUNCATED,
        id="length-while-reasoning",
    ),
    # Other languages.
    pytest.param(
        'Here is data.json:\n```json\n{"a": [1, 2]}\n```',
        "data.json",
        '{"a": [1, 2]}\n',
        id="json-file-fenced",
    ),
    pytest.param(
        'Here is the file:\n{"a": 1}\nDone.',
        "data.json",
        '{"a": 1}\n',
        id="json-file-prose",
    ),
    pytest.param(
        '{"name": "x", "content": "y", "version": 2}',
        "package.json",
        '{"name": "x", "content": "y", "version": 2}\n',
        id="json-file-not-envelope",
    ),
    pytest.param('{"a": 1,,}', "data.json", Failure.SYNTAX, id="json-file-invalid"),
    pytest.param(
        '```toml\n[project]\nname = "x"\n```',
        "pyproject.toml",
        '[project]\nname = "x"\n',
        id="toml",
    ),
    pytest.param(
        "Sure:\n```yaml\na: 1\nb: [1, 2]\n```",
        "conf.yml",
        "a: 1\nb: [1, 2]\n",
        id="yaml",
    ),
    pytest.param(
        "I cannot write this config.", "conf.yaml", Failure.NO_CODE, id="yaml-refusal"
    ),
    pytest.param(
        f"**calc.py**\n{CODE}", "calc.py", CODE, id="bold-file-name-before-bare-code"
    ),
    pytest.param(
        "# Title\n\nText.\n\n```bash\npip install x\n```\n",
        "README.md",
        "# Title\n\nText.\n\n```bash\npip install x\n```\n",
        id="markdown-is-prose",
    ),
    pytest.param(
        "```markdown\n# Title\n\n```bash\npip install x\n```\n\nMore.\n```",
        "README.md",
        "# Title\n\n```bash\npip install x\n```\n\nMore.\n",
        id="markdown-wrapped-with-inner-fences",
    ),
    pytest.param(
        "```\nrequests\nflask\n```",
        "requirements.txt",
        "requests\nflask\n",
        id="text-fenced",
    ),
    pytest.param(
        "Here is setup.cfg:\n\n[metadata]\nname = x\n",
        "setup.cfg",
        "[metadata]\nname = x\n",
        id="cfg-prose",
    ),
]


@pytest.mark.parametrize(("reply", "path", "expected"), FILE_CASES)
def test_coerce_file(reply, path: str, expected: str | Failure) -> None:
    result = coerce_file(reply, path)

    if isinstance(expected, Failure):
        assert (result.failure, result.value) == (expected, None)
        assert result.message
    else:
        assert (result.failure, result.value) == (None, expected)
        assert result.message == ""
    assert result.constraint_honoured is None


REPAIR_CASES = [
    pytest.param(FENCED, ("fence",), id="clean-fence"),
    pytest.param(CODE, (), id="bare-code"),
    pytest.param(f"<think>x</think>{FENCED}", ("think_block", "fence"), id="think"),
    pytest.param(f"Here:\n{FENCED}\nDone.", ("fence", "prose"), id="prose"),
    pytest.param(f"{FENCED}\n{FENCED}", ("multiple_fences",), id="multiple"),
    pytest.param(CODE.replace("\n", "\r\n"), ("crlf",), id="crlf"),
    pytest.param(CODE.rstrip(), ("trailing_newline",), id="trailing-newline"),
    pytest.param(
        json.dumps({"path": "calc.py", "content": CODE}),
        ("json_envelope",),
        id="envelope",
    ),
    pytest.param(
        '{"path": "calc.py", "content": "x = 1\n"}',
        ("json_envelope", "json_repair"),
        id="envelope-repaired",
    ),
    pytest.param(
        "<tool_call>"
        + json.dumps({"name": "w", "arguments": {"path": "calc.py", "content": CODE}})
        + "</tool_call>",
        ("tool_call_text",),
        id="tool-call-text",
    ),
    pytest.param(
        AIMessage(
            content="", invalid_tool_calls=[invalid_tool_call('{"code": "x = 1"}')]
        ),
        ("tool_call_args_string",),
        id="tool-call-args-string",
    ),
]


@pytest.mark.parametrize(("reply", "repairs"), REPAIR_CASES)
def test_coerce_file_names_repairs(reply, repairs: tuple[str, ...]) -> None:
    result = coerce_file(reply, "calc.py")

    assert result.ok
    assert set(repairs) <= set(result.repairs)
    if repairs in ((), ("fence",)):
        assert result.repairs == repairs


def test_syntax_message_quotes_line_and_error() -> None:
    result = coerce_file("x = 1\ndef f(:\n    pass\n", "calc.py")

    assert result.failure == Failure.SYNTAX
    assert "line 2" in result.message
    assert "invalid syntax" in result.message
    assert "```python" in result.message


def test_wrong_path_message_names_both_files() -> None:
    result = coerce_file(json.dumps({"path": "b.py", "content": "x = 1"}), "a.py")

    assert "'b.py'" in result.message and "'a.py'" in result.message


class FileSpec(BaseModel):
    path: str
    purpose: str


class Blueprint(BaseModel):
    files: list[FileSpec] = Field(min_length=1)


class Verdict(BaseModel):
    title: str
    done: bool
    notes: str | None = None


PLAN = {"files": [{"path": "a.py", "purpose": "entry point"}]}
PLAN_JSON = json.dumps(PLAN)

JSON_CASES = [
    pytest.param(PLAN_JSON, Blueprint, PLAN, id="clean"),
    pytest.param(f"```json\n{PLAN_JSON}\n```", Blueprint, PLAN, id="fence"),
    pytest.param(
        f"Here is the plan:\n{PLAN_JSON}\nLet me know.", Blueprint, PLAN, id="prose"
    ),
    pytest.param(
        f"<think>Plan {{a}}.</think>\n{PLAN_JSON}", Blueprint, PLAN, id="think-block"
    ),
    pytest.param(
        '{"files": [{"path": "a.py", "purpose": "entry point",},],}',
        Blueprint,
        PLAN,
        id="trailing-commas",
    ),
    pytest.param(
        "{'files': [{'path': 'a.py', 'purpose': 'entry point'}]}",
        Blueprint,
        PLAN,
        id="single-quotes",
    ),
    pytest.param(
        '{\n  // files to write\n  "files": [{"path": "a.py", /* main */ '
        '"purpose": "entry point"}]\n}',
        Blueprint,
        PLAN,
        id="comments",
    ),
    pytest.param(
        "{'title': 'x', 'done': True, 'notes': None}",
        Verdict,
        {"title": "x", "done": True, "notes": None},
        id="python-literals",
    ),
    pytest.param(
        '{"files": [{"path": "a.py", "purpose": "entry point"}',
        Blueprint,
        PLAN,
        id="missing-closing-brackets",
    ),
    pytest.param(
        '{"files": [{"path": "a.py", "purpose": "entry point"}, {"path": "b.py", "pu',
        Blueprint,
        Failure.TRUNCATED,
        id="truncated-mid-value",
    ),
    pytest.param(
        '{"files": [{"path": "a.py", "purpose": "entry point"}, {"path": "b.py", '
        '"purpose": "hel',
        Blueprint,
        Failure.TRUNCATED,
        id="truncated-but-repair-validates",
    ),
    pytest.param(json.dumps({"blueprint": PLAN}), Blueprint, PLAN, id="envelope-key"),
    pytest.param(
        json.dumps({"status": "ok", "result": PLAN}),
        Blueprint,
        PLAN,
        id="envelope-with-scalar-siblings",
    ),
    pytest.param(
        json.dumps({"result": PLAN, "notes": ["a"]}),
        Blueprint,
        Failure.SCHEMA_VIOLATION,
        id="two-containers-not-unwrapped",
    ),
    pytest.param(json.dumps(PLAN["files"]), Blueprint, PLAN, id="top-level-list"),
    pytest.param(
        json.dumps({"name": "Blueprint", "arguments": PLAN}),
        Blueprint,
        PLAN,
        id="tool-call-bare-json",
    ),
    pytest.param(
        "<tool_call>"
        + json.dumps({"name": "Blueprint", "arguments": PLAN})
        + "</tool_call>",
        Blueprint,
        PLAN,
        id="tool-call-tags",
    ),
    pytest.param(
        f"I'll write [1 file]: {PLAN_JSON}", Blueprint, PLAN, id="brackets-in-prose"
    ),
    pytest.param(
        '{"files": [{"path": "a.py"}]}',
        Blueprint,
        Failure.SCHEMA_VIOLATION,
        id="schema-violation",
    ),
    pytest.param(
        "Two files: a.py and b.py.", Blueprint, Failure.UNREPAIRABLE_JSON, id="no-json"
    ),
    pytest.param("", Blueprint, Failure.EMPTY, id="empty"),
    pytest.param(
        AIMessage(content="", tool_calls=[tool_call(PLAN, name="Blueprint")]),
        Blueprint,
        PLAN,
        id="tool-call",
    ),
    pytest.param(
        AIMessage(
            content="",
            invalid_tool_calls=[invalid_tool_call(PLAN_JSON[:-2], name="Blueprint")],
        ),
        Blueprint,
        PLAN,
        id="tool-call-args-string",
    ),
    pytest.param(
        AIMessage(content=[{"type": "text", "text": PLAN_JSON}]),
        Blueprint,
        PLAN,
        id="content-blocks",
    ),
    pytest.param(
        AIMessage(
            content=PLAN_JSON[:-2], response_metadata={"finish_reason": "length"}
        ),
        Blueprint,
        Failure.TRUNCATED,
        id="finish-reason-length",
    ),
]


@pytest.mark.parametrize(("reply", "schema", "expected"), JSON_CASES)
def test_coerce_json(reply, schema: type[BaseModel], expected: dict | Failure) -> None:
    result = coerce_json(reply, schema)

    if isinstance(expected, Failure):
        assert (result.failure, result.value) == (expected, None)
        assert result.message
    else:
        assert result.failure is None, result.message
        assert result.value.model_dump() == expected


@pytest.mark.parametrize(
    ("reply", "honoured"),
    [
        pytest.param(PLAN_JSON, True, id="clean-text"),
        pytest.param(f"\n{PLAN_JSON}\n", True, id="surrounding-whitespace"),
        pytest.param(
            AIMessage(content="", tool_calls=[tool_call(PLAN)]), True, id="tool-call"
        ),
        pytest.param(f"```json\n{PLAN_JSON}\n```", False, id="fenced"),
        pytest.param(json.dumps({"blueprint": PLAN}), False, id="envelope"),
        pytest.param('{"files": [{"path": "a.py"}]}', False, id="invalid"),
    ],
)
def test_constraint_honoured(reply, honoured: bool) -> None:
    assert coerce_json(reply, Blueprint).constraint_honoured is honoured


def test_schema_violation_lists_first_errors() -> None:
    reply = json.dumps({"files": [{"path": "a.py"}, {"purpose": "x"}, {}, {"path": 1}]})

    result = coerce_json(reply, Blueprint)

    assert result.failure == Failure.SCHEMA_VIOLATION
    assert "files.0.purpose: Field required" in result.message
    assert "files.1.path: Field required" in result.message
    assert "more" in result.message


def test_coerced_ok_reflects_failure() -> None:
    assert Coerced("x\n", None, "").ok
    assert not Coerced(None, Failure.EMPTY, "The reply was empty.").ok
