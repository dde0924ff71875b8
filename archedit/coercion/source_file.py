"""Coercing an editor model's reply into the content of one file."""

import logging
import re

from langchain_core.messages import BaseMessage

from archedit.coercion import feedback
from archedit.coercion.code_choice import Extraction, extract_code
from archedit.coercion.fences import find_fences
from archedit.coercion.file_writes import FileWrite, write_from_args, write_from_json
from archedit.coercion.languages import Language, language_for, same_file
from archedit.coercion.reply import Reply, read_reply
from archedit.coercion.result import Coerced, Failure, failed, succeeded
from archedit.coercion.tool_text import (
    text_tool_calls,
    tool_call_bodies,
    without_tool_calls,
)

logger = logging.getLogger(__name__)

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def coerce_file(output: BaseMessage | str, path: str) -> Coerced:
    """Turns a model reply into the content of the file at `path`.

    Never raises: every reply yields either the file's content, LF-terminated
    with exactly one trailing newline, or a classified failure whose message
    can be quoted back to the model.

    Args:
        output: The model's reply, a message or its text.
        path: The file that was asked for; its suffix names the language.

    Returns:
        The content, or the reason there is none.
    """
    try:
        return _coerce_file(output, path)
    # The graph calls this in its retry loop, so an unforeseen reply must end
    # as a failure to retry on, with the cause kept in the log.
    except Exception:
        logger.exception("coercing the reply for %s raised", path)
        return failed(Failure.INTERNAL, feedback.internal(path), [])


def _coerce_file(output: BaseMessage | str, path: str) -> Coerced:
    language = language_for(path)
    reply = read_reply(output)
    text = _lf(reply.text)
    repairs = list(reply.repairs)
    if text != reply.text:
        repairs.append("crlf")
    writes = _file_writes(reply, text, language)
    if not writes and _only_other_tools(reply, text):
        message = feedback.no_file_write(path, language)
        return failed(Failure.NO_CODE, message, repairs)
    if not writes:
        extraction = extract_code(text, path, language)
        ends = _ends_reply(text, extraction)
        return _judge(extraction, path, language, reply, repairs, ends_reply=ends)
    own = [write for write in writes if _names(write, path)]
    if not own:
        logger.debug("reply for %s wrote %s instead", path, writes[0].path)
        return failed(
            Failure.WRONG_PATH, feedback.wrong_path(writes[0].path, path), repairs
        )
    attempts = []
    for write in own:
        for reading in write.contents:
            extraction = extract_code(_lf(reading), path, language)
            found = repairs + list(write.repairs)
            if "\r" in reading:
                found.append("crlf")
            result = _judge(
                extraction,
                path,
                language,
                reply,
                found,
                complete=write.complete,
                ends_reply=not write.complete,
            )
            if result.ok:
                return result
            attempts.append(result)
    fenced = _fallback_fence(text, path, language)
    if fenced is not None:
        ends = _ends_reply(text, fenced)
        return _judge(fenced, path, language, reply, repairs, ends_reply=ends)
    return attempts[0]


def _only_other_tools(reply: Reply, text: str) -> bool:
    # Tool calls that write nothing hold no code, though their JSON is
    # text a checker would reject as a syntax error. A call cut off by the
    # token limit is left to be judged as truncated.
    called = bool(reply.tool_calls or tool_call_bodies(text))
    alone = not without_tool_calls(text).strip()
    return called and alone and not reply.stopped_at_length


def _names(write: FileWrite, path: str) -> bool:
    return write.path is None or same_file(write.path, path)


def _file_writes(reply: Reply, text: str, language: Language) -> list[FileWrite]:
    writes = [write_from_args(call.args) for call in reply.tool_calls]
    found = [write for write in writes if write is not None]
    if found:
        return found
    found = text_tool_calls(text)
    if found:
        return found
    envelope = _envelope(text)
    if envelope is None or (language.fence_tag == "json" and envelope.path is None):
        # A JSON file may itself start with a "content" key; only a path
        # makes such an object an envelope.
        return []
    return [envelope]


def _envelope(text: str) -> FileWrite | None:
    candidates: list[tuple[str, tuple[str, ...]]] = [(text, ())]
    candidates += [
        (fence.body, ("fence",))
        for fence in find_fences(text)
        if fence.lang in ("json", "")
    ]
    brace = re.search(r"^\{", text, re.M)
    if brace is not None and brace.start() > 0:
        candidates.append((text[brace.start() :], ("prose",)))
    for candidate, repairs in candidates:
        if candidate.lstrip().startswith("{"):
            write = write_from_json(candidate, repairs)
            if write is not None:
                return write
    return None


def _fallback_fence(text: str, path: str, language: Language) -> Extraction | None:
    # A file write whose content is unusable may sit beside a proper block.
    if not any(fence.lang in language.tags for fence in find_fences(text)):
        return None
    extraction = extract_code(text, path, language)
    if extraction.code is None or extraction.error is not None:
        return None
    return extraction


def _ends_reply(text: str, extraction: Extraction) -> bool:
    # Only code that runs to the end of the reply can have been cut by a
    # length stop; a block closed before it was finished.
    if not extraction.closed:
        return True
    return extraction.code is not None and text.rstrip().endswith(
        extraction.code.rstrip()
    )


def _judge(
    extraction: Extraction,
    path: str,
    language: Language,
    reply: Reply,
    repairs: list[str],
    complete: bool = True,
    ends_reply: bool = True,
) -> Coerced:
    repairs = repairs + list(extraction.repairs)
    at_cut = reply.stopped_at_length and ends_reply
    cut_off = at_cut or not extraction.closed or not complete
    if extraction.code is None:
        if reply.stopped_at_length:
            message = feedback.truncated_file(path, language, None)
            return failed(Failure.TRUNCATED, message, repairs)
        if not reply.raw_text.strip() and not reply.tool_calls:
            return failed(Failure.EMPTY, feedback.empty_file(path, language), repairs)
        return failed(Failure.NO_CODE, feedback.no_code(path, language), repairs)
    code = _LEADING_BLANK_LINES.sub("", extraction.code)
    if not code.strip():
        return failed(Failure.EMPTY, feedback.empty_file(path, language), repairs)
    if extraction.error is not None:
        if cut_off:
            message = feedback.truncated_file(path, language, extraction.error)
            return failed(Failure.TRUNCATED, message, repairs)
        message = feedback.syntax(path, language, extraction.error)
        return failed(Failure.SYNTAX, message, repairs)
    if reply.stopped_at_length and (language.validate is None or at_cut):
        # Without a parser nothing shows whether the file was finished; with
        # one, code the cut fell in may parse only because it fell between
        # two statements.
        return failed(
            Failure.TRUNCATED, feedback.truncated_file(path, language, None), repairs
        )
    finished = code.rstrip() + "\n"
    if finished != code:
        repairs.append("trailing_newline")
    if repairs:
        logger.debug("reply for %s needed repairs: %s", path, ", ".join(repairs))
    return succeeded(finished, repairs)


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
