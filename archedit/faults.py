"""Provider faults: which are worth retrying, and how long to wait between tries.

Rate limits, server errors, timeouts, dropped connections and garbled bodies
are transient: the same request is retried with exponential backoff and
jitter, waiting at least as long as the provider's ``Retry-After`` asks.
Anything else (a bad key, an unknown model) is not retried. Either way a
provider that keeps failing surfaces as an exception that stops the run at a
checkpoint; it is never counted against a file's attempts.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time

import httpx
import ollama
import openai
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

logger = logging.getLogger(__name__)

# What a provider raises when the model could not answer (as opposed to a
# bug in archedit): connection trouble, HTTP errors, API errors, a body that
# is not the JSON it should be.
PROVIDER_ERRORS: tuple[type[BaseException], ...] = (
    openai.APIError,
    httpx.HTTPError,
    ConnectionError,
    TimeoutError,
    ollama.ResponseError,
    json.JSONDecodeError,
)
RETRY_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})
MAX_WAIT_S = 60.0


def is_transient(err: BaseException) -> bool:
    """Whether retrying the same request may succeed."""
    if isinstance(err, openai.APIStatusError):
        return err.status_code in RETRY_STATUSES or err.status_code >= 500
    if isinstance(err, ollama.ResponseError):
        return err.status_code in RETRY_STATUSES or err.status_code >= 500
    if isinstance(err, httpx.HTTPStatusError):
        return err.response.status_code in RETRY_STATUSES
    return isinstance(
        err,
        openai.APIConnectionError
        | openai.APIResponseValidationError
        | httpx.TransportError
        | ConnectionError
        | TimeoutError
        | json.JSONDecodeError,
    )


def is_timeout(err: BaseException) -> bool:
    """Whether the request ran out of time (as opposed to being refused)."""
    return isinstance(
        err, openai.APITimeoutError | httpx.TimeoutException | TimeoutError
    )


def retry_after(err: BaseException | None) -> float | None:
    """Seconds the provider asked to wait (``retry-after-ms`` or ``Retry-After``)."""
    response = getattr(err, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


class wait_retry_after(wait_exponential_jitter):  # noqa: N801 - tenacity's style
    """Exponential backoff with jitter, never shorter than ``Retry-After``."""

    def __call__(self, retry_state: RetryCallState) -> float:
        backoff = super().__call__(retry_state)
        outcome = retry_state.outcome
        asked = retry_after(outcome.exception() if outcome else None)
        return min(max(backoff, asked or 0.0), MAX_WAIT_S)


def retrying(
    retries: int, backoff_s: float, where: str, *, retry_timeouts: bool = True
) -> Retrying:
    """A tenacity policy for one model call.

    Args:
        retries: Retries after the first try.
        backoff_s: First wait; it doubles with each retry, plus jitter.
        where: Names the call in the one log line written per retry.
        retry_timeouts: Whether a request that timed out is sent again. Not
            for a server on this machine: it is slow, not away, and a second
            request would queue behind the first.
    """

    def worth_retrying(err: BaseException) -> bool:
        return is_transient(err) and (retry_timeouts or not is_timeout(err))

    def note(state: RetryCallState) -> None:
        err = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        logger.warning(
            "%s: %s; retry %d of %d in %.2fs",
            where,
            describe(err),
            state.attempt_number,
            retries,
            wait,
        )

    return Retrying(
        retry=retry_if_exception(worth_retrying),
        stop=stop_after_attempt(retries + 1),
        wait=wait_retry_after(multiplier=backoff_s, max=MAX_WAIT_S, jitter=backoff_s),
        before_sleep=note,
        reraise=True,
    )


def describe(err: BaseException | None) -> str:
    """One line naming a provider fault."""
    if err is None:
        return "no error"
    status = getattr(err, "status_code", None)
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    name = type(err).__name__
    if status:
        return f"{name} (HTTP {status}): {text}"[:200]
    return f"{name}: {text}"[:200] if text else name
