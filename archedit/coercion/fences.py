"""Finding Markdown code fences in a reply, including malformed ones."""

import re
from dataclasses import dataclass, replace

_OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>`{3,}|~{3,})(?P<info>[^`\n]*)$")
_LANGUAGE = re.compile(r"[\w+#.-]*")


@dataclass(frozen=True)
class Fence:
    """A fenced block.

    Attributes:
        lang: The first word of the info string, lower-cased; "" if none.
        info: The whole info string after the opening marker.
        body: The lines between the markers, with the fence's own
            indentation removed.
        closed: Whether a closing marker was found.
        before: The prose between the previous fence and this one.
        after: The prose between this fence and the next one.
    """

    lang: str
    info: str
    body: str
    closed: bool
    before: str
    after: str = ""


def find_fences(text: str) -> list[Fence]:
    """Lists the fenced blocks in a reply, in order.

    A final block with no closing marker runs to the end of the text, and a
    closing marker glued to the end of the last code line is accepted.

    Args:
        text: Reply text with LF line endings.

    Returns:
        The fences found.
    """
    lines = text.split("\n")
    fences = []
    index, prose_start = 0, 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        if opening is None:
            index += 1
            continue
        marker = opening["marker"]
        end = _closing_line(lines, index + 1, marker)
        body_lines = [
            _dedent(line, len(opening["indent"])) for line in lines[index + 1 : end]
        ]
        closed = end < len(lines)
        if not closed:
            closed = _strip_glued_marker(body_lines, marker)
        info = opening["info"].strip()
        fences.append(
            Fence(
                lang=_LANGUAGE.match(info)[0].lower(),
                info=info,
                body=_joined(body_lines),
                closed=closed,
                before="\n".join(lines[prose_start:index]),
            )
        )
        index = end + 1
        prose_start = index
    if not fences:
        return []
    followers = fences[1:] + [_tail(lines, prose_start)]
    return [
        replace(fence, after=following.before)
        for fence, following in zip(fences, followers, strict=True)
    ]


def outer_fence(text: str, tags: frozenset[str]) -> Fence | None:
    """Finds a fence wrapping a whole document that has fences of its own.

    A Markdown file sent as a ```markdown block contains inner fences that
    would close the outer one early, so the outer block runs to the last
    bare closing marker instead.

    Args:
        text: Reply text with LF line endings.
        tags: Fence tags naming the document's language.

    Returns:
        The wrapping fence, or None when the first fence is not tagged so.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines):
        opening = _OPENING.match(line)
        if opening is None:
            continue
        info = opening["info"].strip()
        lang = _LANGUAGE.match(info)[0].lower()
        if lang not in tags:
            return None
        marker = opening["marker"]
        ends = [
            end
            for end in range(len(lines) - 1, index, -1)
            if _is_closing(lines[end], marker)
        ]
        end = ends[0] if ends else len(lines)
        return Fence(
            lang=lang,
            info=info,
            body=_joined(lines[index + 1 : end]),
            closed=bool(ends),
            before="\n".join(lines[:index]),
            after="\n".join(lines[end + 1 :]),
        )
    return None


def _joined(lines: list[str]) -> str:
    # Each line inside a fence ended with a newline in the reply.
    return "".join(line + "\n" for line in lines)


def _tail(lines: list[str], start: int) -> Fence:
    return Fence("", "", "", True, "\n".join(lines[start:]))


def _closing_line(lines: list[str], start: int, marker: str) -> int:
    for index in range(start, len(lines)):
        if _is_closing(lines[index], marker):
            return index
    return len(lines)


def _is_closing(line: str, marker: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(marker) and stripped == marker[0] * len(stripped)


def _strip_glued_marker(body_lines: list[str], marker: str) -> bool:
    for index in range(len(body_lines) - 1, -1, -1):
        line = body_lines[index].rstrip()
        if not line:
            continue
        if line.endswith(marker) and line != marker:
            body_lines[index] = line[: -len(marker)].rstrip()
            del body_lines[index + 1 :]
            return True
        return False
    return False


def _dedent(line: str, indent: int) -> str:
    removable = len(line) - len(line.lstrip(" \t"))
    return line[min(indent, removable) :]
