"""Messages that tell the model what was wrong and what to send instead."""

from archedit.coercion.languages import Language


def _block(language: Language) -> str:
    return f"one ```{language.fence_tag} code block"


def empty_file(path: str, language: Language) -> str:
    """Message for an empty reply to a file request."""
    return (
        f"The reply was empty. Send the complete contents of {path} in "
        f"{_block(language)}."
    )


def no_code(path: str, language: Language) -> str:
    """Message for a reply to a file request that held only prose."""
    return (
        f"The reply held no {language.name} code for {path}, only prose. Send the "
        f"complete contents of {path} in {_block(language)}."
    )


def truncated_file(path: str, language: Language, error: str | None) -> str:
    """Message for a reply cut off before the file was complete."""
    detail = f" ({error})" if error else ""
    return (
        f"The reply was cut off before {path} was complete{detail}. Send the whole "
        f"file again in {_block(language)}, with no explanation around it."
    )


def no_file_write(path: str, language: Language) -> str:
    """Message for a reply that called tools, none of which wrote a file."""
    return (
        f"The reply called a tool but wrote no file and held no {language.name} "
        f"code for {path}. Send the complete contents of {path} in "
        f"{_block(language)}."
    )


def wrong_path(written: str, path: str) -> str:
    """Message for a reply that wrote a different file."""
    return (
        f"The reply wrote '{written}', but the file asked for is '{path}'. Send "
        f"the contents of {path} only."
    )


def syntax(path: str, language: Language, error: str) -> str:
    """Message for code that does not parse."""
    return (
        f"The {language.name} code for {path} does not parse: {error}. Send the "
        f"corrected complete file in {_block(language)}."
    )


def internal(path: str) -> str:
    """Message for a reply that coercion itself failed on."""
    return (
        f"The reply for {path} could not be read. Send the complete file in one "
        "fenced code block and nothing else."
    )


def internal_json(schema_name: str) -> str:
    """Message for a JSON reply that coercion itself failed on."""
    return (
        f"The reply could not be read as {schema_name} JSON. Send only the "
        f"{schema_name} JSON object and nothing else."
    )


def empty_json(schema_name: str) -> str:
    """Message for an empty reply to a JSON request."""
    return f"The reply was empty. Send only the {schema_name} JSON object."


def unrepairable_json(schema_name: str) -> str:
    """Message for a reply with no recoverable JSON."""
    return (
        "The reply held no JSON that could be read. Send only the "
        f"{schema_name} JSON object, with no prose around it."
    )


def truncated_json(schema_name: str) -> str:
    """Message for JSON cut off before it was complete."""
    return (
        "The JSON was cut off before it was complete. Send the whole "
        f"{schema_name} JSON object again, more concisely."
    )


def schema_violation(schema_name: str, problems: list[str], more: int) -> str:
    """Message for JSON that does not validate against the schema."""
    listed = "; ".join(problems)
    extra = f" (and {more} more)" if more else ""
    return (
        f"The JSON does not match the {schema_name} schema: {listed}{extra}. "
        "Send the corrected JSON object only."
    )
