"""Choosing the code in a reply: which fence, or which lines of plain text."""

import ast
import re
import textwrap
import warnings
from dataclasses import dataclass, replace

from archedit.coercion.fences import Fence, find_fences, outer_fence
from archedit.coercion.languages import (
    GENERIC_TAGS,
    PATH_EXTENSIONS,
    Language,
    python_error,
    same_file,
)
from archedit.coercion.prose import (
    all_prose,
    is_prose_line,
    looks_like_code,
    strip_prose,
)

_PATH_WORD = re.compile(r"[\w./\\-]*\w\.(\w{1,5})\b")
_COMMENT_START = ("#", "//", "<!--", "--", ";", "/*")
_SHORT_PROSE_LINES = 2


@dataclass(frozen=True)
class Extraction:
    """Code taken from a reply, not yet judged.

    Attributes:
        code: The code, or None when the reply held none.
        error: The language checker's complaint about the code, if any.
        repairs: Repairs applied to reach the code.
        closed: False when the code came from a fence that never closed.
    """

    code: str | None
    error: str | None = None
    repairs: tuple[str, ...] = ()
    closed: bool = True


def extract_code(text: str, path: str, language: Language) -> Extraction:
    """Takes the most likely content of a file out of reply text.

    Args:
        text: Reply text with LF line endings and no reasoning blocks.
        path: The file that was asked for.
        language: The file's language.

    Returns:
        The code found, with the checker's verdict on it.
    """
    if not text.strip():
        return Extraction(None)
    if language.prose_is_content:
        return _from_document(text, language)
    fences = [fence for fence in find_fences(text) if fence.body.strip()]
    if not fences:
        return _from_plain(text, language)
    unopened = _before_lone_marker(fences, language)
    if unopened is not None:
        return unopened
    best = max(fences, key=lambda fence: _rank(fence, path, language))
    if not _tag_fits(best, language):
        plain = _from_plain(text, language)
        if plain.code is not None and plain.error is None:
            return plain
    repairs = ["fence"]
    if len(fences) > 1:
        repairs.append("multiple_fences")
    if any(fence.before.strip() or fence.after.strip() for fence in fences):
        repairs.append("prose")
    if not best.closed:
        repairs.append("unterminated_fence")
    return _checked(best.body, language, repairs, best.closed)


def _before_lone_marker(fences: list[Fence], language: Language) -> Extraction | None:
    # A model that forgets the opening marker writes code, a bare marker and
    # then prose, which reads as one fence left open around the prose.
    last = fences[-1]
    if len(fences) > 1 or last.closed or last.info or language.validate is None:
        return None
    before = _from_plain(last.before, language)
    if before.code is None or before.error is not None:
        return None
    # A sentence ending in a colon is valid YAML, so the checker alone
    # cannot tell an introduction from a file.
    if any(is_prose_line(line) for line in before.code.split("\n")):
        return None
    inside = _from_plain(last.body, language)
    if inside.code is not None and inside.error is None:
        return None
    return replace(before, repairs=(*before.repairs, "missing_opening_fence"))


def _from_document(text: str, language: Language) -> Extraction:
    fence = outer_fence(text, language.tags)
    if fence is None:
        fences = find_fences(text)
        if len(fences) == 1 and fences[0].lang in language.tags | GENERIC_TAGS:
            fence = fences[0]
    if fence is None or not _short(fence.before) or not _short(fence.after):
        return Extraction(text)
    repairs = ["fence"]
    if fence.before.strip() or fence.after.strip():
        repairs.append("prose")
    return Extraction(fence.body, None, tuple(repairs), fence.closed)


def _from_plain(text: str, language: Language) -> Extraction:
    validate = language.validate
    if all_prose(text, validate):
        return Extraction(None)
    if validate is None:
        stripped = strip_prose(text, None)
        if stripped is None:
            return Extraction(text)
        return Extraction(stripped, None, ("prose",))
    if validate(text) is None:
        if validate is python_error and not _has_python_code(text):
            return Extraction(None)
        return Extraction(text)
    stripped = strip_prose(text, validate)
    if stripped is not None:
        return Extraction(stripped, None, ("prose",))
    if not looks_like_code(text):
        return Extraction(None)
    return _checked(text, language, [], closed=True)


def _checked(
    code: str, language: Language, repairs: list[str], closed: bool
) -> Extraction:
    validate = language.validate
    error = validate(code) if validate is not None else None
    if error is not None:
        dedented = textwrap.dedent(code)
        if dedented != code and validate(dedented) is None:
            return Extraction(dedented, None, (*repairs, "dedent"), closed)
    return Extraction(code, error, tuple(repairs), closed)


def _rank(fence: Fence, path: str, language: Language) -> tuple:
    mentions = _mentions(fence)
    near_expected = any(same_file(mention, path) for mention in mentions)
    validate = language.validate
    return (
        _tag_fits(fence, language),
        near_expected or not mentions,
        near_expected,
        validate is None or validate(fence.body) is None,
        fence.closed,
        fence.lang in language.tags,
        len(fence.body),
    )


def _tag_fits(fence: Fence, language: Language) -> bool:
    return fence.lang in language.tags or fence.lang in GENERIC_TAGS


def _mentions(fence: Fence) -> list[str]:
    nearby = [line for line in fence.before.split("\n") if line.strip()][-2:]
    nearby.append(fence.info)
    first_line = fence.body.lstrip("\n").split("\n", 1)[0].strip()
    if first_line.startswith(_COMMENT_START):
        nearby.append(first_line)
    return [
        match[0]
        for line in nearby
        for match in _PATH_WORD.finditer(line)
        if match[1].lower() in PATH_EXTENSIONS
    ]


def _has_python_code(text: str) -> bool:
    # A lone word such as "Sure" parses as a name; it is not a file.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            body = ast.parse(text).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return not body or any(
        not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Name))
        for statement in body
    )


def _short(prose: str) -> bool:
    return sum(1 for line in prose.split("\n") if line.strip()) <= _SHORT_PROSE_LINES
