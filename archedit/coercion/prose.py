"""Telling a model's explanatory prose apart from the code around it."""

import re

from archedit.coercion.languages import Validator

_MAX_PROSE_LINES = 12
_KEYWORD_START = re.compile(
    r"(?:def|class|if|elif|else|for|while|try|except|finally|with|async|await"
    r"|return|import|from|lambda|match|case|raise|yield|assert|del|global)\b"
)
_MARKDOWN_START = re.compile(r"(?:[*>#-]|\d+\.)\s")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[,.:;!?)]?|\(?[A-Za-z]+")
_WORDY_SHARE = 0.6
_CODE_SIGN = re.compile(r"[=(){}\[\]:;<>]|^\s+\S")


def is_prose_line(line: str, validate: Validator | None = None) -> bool:
    """Whether a line reads as an English sentence or Markdown, not code.

    Args:
        line: One line of a reply.
        validate: The target language's checker; a line it accepts alone is
            never prose.

    Returns:
        True for lines like "Here is the updated file:".
    """
    if not line.strip() or line[0].isspace() or _KEYWORD_START.match(line):
        return False
    stripped = line.strip()
    if stripped.startswith("#") and validate is None:
        # Without a checker, a hash line is more likely a comment than a heading.
        return False
    if _MARKDOWN_START.match(stripped) or stripped[0] in "*`":
        looks_like_prose = True
    elif stripped[0].isupper():
        tokens = stripped.split()
        words = sum(1 for token in tokens if _WORD.fullmatch(token))
        looks_like_prose = (len(tokens) >= 2 or stripped[-1] in ":.!?") and (
            words >= _WORDY_SHARE * len(tokens) or stripped.endswith(":")
        )
    else:
        looks_like_prose = False
    return looks_like_prose and (validate is None or validate(stripped) is not None)


def strip_prose(text: str, validate: Validator | None) -> str | None:
    """Removes prose lines from both ends of otherwise valid code.

    With a checker, the fewest lines are removed that make the text parse;
    without one, every prose line at either end goes.

    Args:
        text: Code with possible explanations before and after it.
        validate: The target language's checker, if any.

    Returns:
        The code without the prose, or None when no removal helps.
    """
    lines = text.split("\n")
    lead = _removable(lines, validate)
    trail = _removable(lines[::-1], validate)
    if validate is None:
        kept = lines[lead : len(lines) - trail] if lead + trail < len(lines) else []
        removed = lines[:lead] + lines[len(lines) - trail :]
        if not any(line.strip() for line in removed) or not any(kept):
            return None
        return "\n".join(kept)
    for total in range(1, lead + trail + 1):
        for head in range(max(0, total - trail), min(lead, total) + 1):
            kept = lines[head : len(lines) - (total - head)]
            if not any(line.strip() for line in kept):
                continue
            candidate = "\n".join(kept)
            if validate(candidate) is None:
                return candidate
    return None


def looks_like_code(text: str) -> bool:
    """Whether any line of a reply looks like code rather than prose.

    Args:
        text: Reply text.

    Returns:
        True when at least one non-prose line has code punctuation, an
        indent or starts with a Python keyword.
    """
    for line in text.split("\n"):
        if not line.strip() or is_prose_line(line):
            continue
        if _CODE_SIGN.search(line) or _KEYWORD_START.match(line.strip()):
            return True
    return False


def all_prose(text: str, validate: Validator | None = None) -> bool:
    """Whether every non-blank line of a reply is prose.

    Args:
        text: Reply text.
        validate: The target language's checker, as for `is_prose_line`.

    Returns:
        True for a reply that only talks, such as a refusal.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and all(is_prose_line(line, validate) for line in lines)


def _removable(lines: list[str], validate: Validator | None) -> int:
    count = 0
    for line in lines[:_MAX_PROSE_LINES]:
        if line.strip() and not is_prose_line(line, validate):
            break
        count += 1
    return count
