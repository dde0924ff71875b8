"""Properties of coercion: code survives any wrapping, and nothing raises."""

import json
import string

from hypothesis import given, settings
from hypothesis import strategies as st
from langchain_core.messages import AIMessage
from pydantic import BaseModel

from archedit.coercion import Failure, coerce_file, coerce_json

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

NAMES = st.sampled_from(["x", "y", "total", "items", "value", "_cache", "Name2"])
SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<`~\r"),
    max_size=12,
)
LITERALS = st.one_of(
    st.integers(-1000, 1000).map(str),
    SAFE_TEXT.map(repr),
    st.sampled_from(["None", "True", "[]", "{}", "{'a': 1}", '{"k": "v"}', "1.5"]),
)
SIMPLE = st.one_of(
    st.builds("{} = {}".format, NAMES, LITERALS),
    st.builds("print({})".format, LITERALS),
    st.builds("{} += {}".format, NAMES, st.integers(0, 9)),
    st.sampled_from(
        [
            "import os",
            "from pathlib import Path",
            "pass",
            "# a comment",
            "x = 'it\\'s'",
            'pattern = r"\\d+\\n"',
            "data = {\n    'a': 1,\n}",
        ]
    ),
)
HEADERS = st.one_of(
    st.builds("if {}:".format, NAMES),
    st.builds("for {} in range(3):".format, NAMES),
    st.builds("def {}():".format, NAMES),
    st.builds("class {}:".format, NAMES),
    st.just("while False:"),
    st.just("with open(__file__) as handle:"),
)


@st.composite
def statements(draw, depth: int = 0) -> list[str]:
    """Draws lines of statements at the left margin, nesting blocks."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 3 and draw(st.booleans()):
            indent = draw(st.sampled_from(["    ", "  ", "\t"]))
            lines.append(draw(HEADERS))
            body = draw(statements(depth + 1))
            if all(not line.strip() or line.startswith("#") for line in body):
                body.append("pass")
            lines += [indent + line if line else line for line in body]
        else:
            lines += draw(SIMPLE).split("\n")
        if draw(st.integers(0, 4)) == 0:
            lines.append("")
    return lines


PROGRAMS = statements().map(lambda lines: "\n".join(lines).strip("\n"))
PROSE_BEFORE = st.sampled_from(
    [
        "Here is the code:",
        "Sure! Here is the updated file.",
        "Certainly.",
        "**calc.py**",
        "The file below implements the task:",
    ]
)
PROSE_AFTER = st.sampled_from(
    [
        "This code does what was asked.",
        "Let me know if you need anything else!",
        "Note: run it with Python 3.11.",
        "- It has no dependencies.",
    ]
)


@st.composite
def wrapped(draw, program: str) -> str:
    """Wraps a program in any mix of fences, prose and reasoning."""
    fenced = draw(st.booleans())
    body = program
    if fenced:
        marker = draw(st.sampled_from(["```", "~~~", "````"]))
        tag = draw(st.sampled_from(["python", "py", ""]))
        body = f"{marker}{tag}\n{program}\n{marker}"
    parts = []
    if draw(st.booleans()):
        parts.append(f"<think>\nI should write {draw(NAMES)}.\n</think>")
    if draw(st.booleans()):
        parts.append(draw(PROSE_BEFORE))
    parts.append(body)
    if draw(st.booleans()):
        parts.append(draw(PROSE_AFTER))
    separator = draw(st.sampled_from(["\n", "\n\n"]))
    text = separator.join(parts) + draw(st.sampled_from(["", "\n", "\n\n", "  \n"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


@PROPERTY_SETTINGS
@given(st.data())
def test_wrapped_python_comes_back_byte_exact(data) -> None:
    program = data.draw(PROGRAMS)
    reply = data.draw(wrapped(program))

    result = coerce_file(reply, "pkg/calc.py")

    assert result.failure is None, (result.failure, result.message)
    assert result.value == program.rstrip() + "\n"


@PROPERTY_SETTINGS
@given(PROGRAMS, st.sampled_from(["content", "code"]))
def test_python_in_json_envelope_comes_back_byte_exact(program, key) -> None:
    reply = json.dumps({"path": "pkg/calc.py", key: program})

    result = coerce_file(reply, "pkg/calc.py")

    assert result.value == program.rstrip() + "\n"


@PROPERTY_SETTINGS
@given(PROGRAMS)
def test_python_in_tool_call_comes_back_byte_exact(program) -> None:
    call = {"name": "write_file", "args": {"path": "calc.py", "content": program}}
    reply = AIMessage(content="", tool_calls=[{**call, "id": "1"}])

    result = coerce_file(reply, "calc.py")

    assert result.value == program.rstrip() + "\n"


PATHS = st.sampled_from(
    [
        "a.py",
        "pkg/mod.py",
        "data.json",
        "pyproject.toml",
        "c.yaml",
        "README.md",
        "notes.txt",
        "setup.cfg",
        "run.sh",
        "Makefile",
    ]
)
REPLY_PIECES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "```",
            "```python\n",
            "~~~",
            "<think>",
            "</think>",
            "<tool_call>",
            '{"path": "a.py", "content": "',
            '{"name": "w", "arguments": {',
            "\n",
            "<function=write_file>",
            "<parameter=content>",
            "}",
            "]",
            '"',
            "\\",
            "{'files': [",
            "//",
            "/*",
            "#",
        ]
    ),
)
MESSY_TEXT = st.one_of(st.text(), st.lists(REPLY_PIECES, max_size=12).map("".join))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
CONTENT_BLOCKS = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.fixed_dictionaries({"type": st.just("text"), "text": st.text(max_size=40)}),
        st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=3),
    ),
    max_size=4,
)
TOOL_CALLS = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.text(max_size=10),
            "args": st.dictionaries(
                st.sampled_from(["path", "content", "code", "arguments", "files", "x"]),
                JSON_VALUES | MESSY_TEXT,
                max_size=3,
            ),
            "id": st.just("1"),
        }
    ),
    max_size=2,
)
INVALID_TOOL_CALLS = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.text(max_size=10),
            "args": MESSY_TEXT,
            "id": st.just("1"),
            "error": st.none(),
        }
    ),
    max_size=2,
)
MESSAGES = st.builds(
    AIMessage,
    content=st.one_of(MESSY_TEXT, CONTENT_BLOCKS),
    tool_calls=TOOL_CALLS,
    invalid_tool_calls=INVALID_TOOL_CALLS,
    response_metadata=st.dictionaries(
        st.sampled_from(["finish_reason", "done_reason", "stop_reason"]),
        st.sampled_from(["length", "stop", "max_tokens"]) | JSON_VALUES,
        max_size=2,
    ),
)
CONSTRUCTED_MESSAGES = st.builds(
    AIMessage.model_construct,
    content=JSON_VALUES,
    tool_calls=JSON_VALUES,
    invalid_tool_calls=JSON_VALUES,
    response_metadata=JSON_VALUES,
)
REPLIES = st.one_of(MESSY_TEXT, MESSAGES, CONSTRUCTED_MESSAGES)


class FileSpec(BaseModel):
    path: str
    purpose: str


class Blueprint(BaseModel):
    files: list[FileSpec]
    summary: str = ""


def assert_well_formed(result) -> None:
    assert result.failure is not Failure.INTERNAL, result.message
    assert result.ok == (result.value is not None)
    assert bool(result.message) != result.ok
    assert all(isinstance(repair, str) for repair in result.repairs)


@PROPERTY_SETTINGS
@given(REPLIES, PATHS)
def test_coerce_file_never_raises(reply, path) -> None:
    result = coerce_file(reply, path)

    assert_well_formed(result)
    if result.ok:
        assert result.value.endswith("\n") and not result.value.endswith("\n\n")
        assert "\r" not in result.value


@PROPERTY_SETTINGS
@given(REPLIES)
def test_coerce_json_never_raises(reply) -> None:
    result = coerce_json(reply, Blueprint)

    assert_well_formed(result)
    assert isinstance(result.constraint_honoured, bool)
    if result.ok:
        assert isinstance(result.value, Blueprint)


@PROPERTY_SETTINGS
@given(JSON_VALUES, st.integers(0, 200), st.sampled_from(["", "```json\n", "Plan: "]))
def test_coerce_json_never_raises_on_cut_json(value, cut, prefix) -> None:
    text = prefix + json.dumps({"files": [{"path": "a.py", "purpose": value}]})

    assert_well_formed(coerce_json(text[: len(prefix) + cut], Blueprint))


def test_deeply_nested_replies_do_not_raise() -> None:
    for text in ("[" * 5000, '{"a":' * 3000, "(" * 5000):
        assert_well_formed(coerce_json(text, Blueprint))
        assert_well_formed(coerce_file(text, "a.py"))
        assert_well_formed(coerce_file(text, "data.json"))


def test_printable_soup_does_not_raise() -> None:
    soup = string.printable * 20
    assert_well_formed(coerce_file(soup, "a.py"))
    assert_well_formed(coerce_json(soup, Blueprint))
