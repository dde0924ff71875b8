"""Coercion of raw model replies into validated values or classified failures.

`coerce_file` turns an editor reply into one file's content; `coerce_json`
turns an architect reply into an instance of a pydantic schema. Neither
raises: a reply that cannot be used yields a `Coerced` whose `failure` says
why and whose `message` tells the model what to send instead.
"""

from archedit.coercion.result import Coerced, Failure
from archedit.coercion.source_file import coerce_file
from archedit.coercion.structured import coerce_json

__all__ = ["Coerced", "Failure", "coerce_file", "coerce_json"]
