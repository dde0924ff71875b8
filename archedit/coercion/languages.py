"""What each target file's language looks like: fence tags and a syntax check."""

import ast
import json
import tomllib
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

import yaml

Validator = Callable[[str], str | None]


@dataclass(frozen=True)
class Language:
    """How to recognise and check a file's language.

    Attributes:
        name: Human name used in messages, e.g. "Python".
        fence_tag: The tag a correct reply would put on its fence.
        tags: Fence tags that may label this language.
        validate: Returns a one-line syntax error, or None when the text
            parses; None when the language has no checker here.
        prose_is_content: Whether prose is itself the file's content, as in
            Markdown and plain text.
    """

    name: str
    fence_tag: str
    tags: frozenset[str]
    validate: Validator | None = None
    prose_is_content: bool = False


def python_error(text: str) -> str | None:
    """Checks Python source.

    Args:
        text: Source code.

    Returns:
        "line N: message" for the first syntax error, or None.
    """
    try:
        with warnings.catch_warnings():
            # Invalid escapes warn at parse time; only errors matter here.
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as error:
        return f"line {error.lineno}: {error.msg}" if error.lineno else error.msg
    except (ValueError, RecursionError, MemoryError) as error:
        return str(error) or type(error).__name__
    return None


def _json_error(text: str) -> str | None:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return f"line {error.lineno}: {error.msg}"
    except (ValueError, RecursionError) as error:
        return str(error) or type(error).__name__
    return None


def _toml_error(text: str) -> str | None:
    try:
        tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        return str(error) or type(error).__name__
    return None


def _yaml_error(text: str) -> str | None:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return " ".join(str(error).split())
    except (ValueError, RecursionError) as error:
        return str(error) or type(error).__name__
    if isinstance(document, str):
        # Any sentence is a valid YAML string; a config file never is one.
        return "the document is a bare string, not a mapping or a list"
    return None


def _language(name: str, *tags: str, **kwargs) -> Language:
    return Language(name, tags[0], frozenset(tags), **kwargs)


_BY_SUFFIX = {
    ".py": _language("Python", "python", "py", "python3", validate=python_error),
    ".pyi": _language("Python", "python", "py", "pyi", validate=python_error),
    ".json": _language("JSON", "json", "jsonc", validate=_json_error),
    ".toml": _language("TOML", "toml", validate=_toml_error),
    ".yaml": _language("YAML", "yaml", "yml", validate=_yaml_error),
    ".yml": _language("YAML", "yaml", "yml", validate=_yaml_error),
    ".md": _language("Markdown", "markdown", "md", prose_is_content=True),
    ".txt": _language("text", "text", "txt", "plaintext", prose_is_content=True),
    ".cfg": _language("INI", "ini", "cfg", "conf", "toml"),
    ".ini": _language("INI", "ini", "cfg", "conf", "toml"),
    ".sh": _language("shell", "bash", "sh", "shell", "zsh", "console"),
}

#: Fence tags that say nothing about the language.
GENERIC_TAGS = frozenset({"", "text", "txt", "plaintext", "plain", "code", "file"})

#: Extensions that mark a word in prose as a file path.
PATH_EXTENSIONS = frozenset(
    {"py", "pyi", "json", "toml", "yaml", "yml", "md", "txt", "cfg", "ini", "sh"}
    | {"js", "ts", "tsx", "jsx", "html", "css", "rs", "go", "java", "c", "h"}
    | {"cpp", "sql", "xml", "csv", "lock", "env", "rst", "ipynb"}
)


def language_for(path: str) -> Language:
    """Infers the language a file path calls for.

    Args:
        path: The file's path in the workspace.

    Returns:
        The language; an unchecked one named after the suffix when unknown.
    """
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    known = _BY_SUFFIX.get(suffix)
    if known is not None:
        return known
    tag = suffix.lstrip(".")
    return Language(tag or "text", tag, frozenset({tag}) if tag else frozenset())


def same_file(mentioned: str, expected: str) -> bool:
    """Whether a path the model wrote names the expected file.

    A bare name or a shorter suffix of the path counts, so that "models.py"
    names "src/app/models.py"; a different directory does not.

    Args:
        mentioned: Path as the model wrote it.
        expected: Path that was asked for.

    Returns:
        True when both name the same file.
    """
    a, b = _normalise_path(mentioned), _normalise_path(expected)
    if not a or not b:
        return False
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


def _normalise_path(path: str) -> str:
    path = path.strip().strip("`'\"").replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")
