"""The outcome of coercing a model reply: a value, or a classified failure."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Failure(StrEnum):
    """Why a reply could not be turned into the value that was asked for."""

    EMPTY = "empty"
    TRUNCATED = "truncated"
    NO_CODE = "no_code"
    UNREPAIRABLE_JSON = "unrepairable_json"
    SCHEMA_VIOLATION = "schema_violation"
    WRONG_PATH = "wrong_path"
    SYNTAX = "syntax"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Coerced:
    """A coerced reply.

    Attributes:
        value: File content (str) for code, a pydantic instance for JSON; None
            on failure.
        failure: The failure class, or None on success.
        message: On failure, one or two sentences a retry prompt can quote to
            the model: what was wrong and what to send instead. Empty on
            success.
        repairs: Names of the repairs applied, in the order they were applied.
        constraint_honoured: For JSON, whether the reply was already valid for
            the schema with no repair; None for code.
    """

    value: Any | None
    failure: Failure | None
    message: str
    repairs: tuple[str, ...] = ()
    constraint_honoured: bool | None = None

    @property
    def ok(self) -> bool:
        """Whether coercion produced a value."""
        return self.failure is None


def succeeded(
    value: Any, repairs: list[str], constraint_honoured: bool | None = None
) -> Coerced:
    """Builds a successful result, listing each repair once.

    Args:
        value: The coerced value.
        repairs: Repairs applied, possibly with repeats.
        constraint_honoured: See `Coerced.constraint_honoured`.

    Returns:
        The result.
    """
    return Coerced(value, None, "", tuple(dict.fromkeys(repairs)), constraint_honoured)


def failed(
    failure: Failure,
    message: str,
    repairs: list[str],
    constraint_honoured: bool | None = None,
) -> Coerced:
    """Builds a failed result, listing each repair once.

    Args:
        failure: The failure class.
        message: What was wrong and what to send instead.
        repairs: Repairs tried before giving up.
        constraint_honoured: See `Coerced.constraint_honoured`.

    Returns:
        The result.
    """
    return Coerced(
        None, failure, message, tuple(dict.fromkeys(repairs)), constraint_honoured
    )
