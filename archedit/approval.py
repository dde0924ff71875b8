"""Plan approval: reading a reviewer's answer to the paused blueprint.

The run pauses after plan with the blueprint as the interrupt value. A client
(Studio, the SDK or the CLI) resumes it with one of these answers:

- ``"accept"`` or ``{"action": "accept"}``: write the blueprint as planned;
- ``{"action": "edit", "blueprint": {...}}``: write a changed blueprint
  instead, validated like the architect's;
- ``"reject"`` or ``{"action": "reject", "reason": "..."}``: write nothing;
  the report says the plan was rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from archedit.blueprint import Blueprint, BlueprintError, validate_blueprint

Action = Literal["accept", "edit", "reject"]
ACTIONS: tuple[Action, ...] = ("accept", "edit", "reject")
HOW_TO_ANSWER = (
    "resume with 'accept', 'reject' (or {'action': 'reject', 'reason': ...}) "
    "or {'action': 'edit', 'blueprint': {...}}"
)


class ApprovalError(ValueError):
    """An answer that cannot be used; the run stays paused."""


@dataclass(frozen=True)
class Decision:
    """What the reviewer decided, with the edited blueprint if any."""

    action: Action
    blueprint: Blueprint | None = None
    reason: str = ""


def read_decision(answer: Any, max_files: int) -> Decision:
    """Turn a resume value into a decision.

    Args:
        answer: The value the client resumed the run with.
        max_files: The most files an edited blueprint may list.

    Raises:
        ApprovalError: if the answer is not one of the accepted forms or the
            edited blueprint does not validate.
    """
    given = answer
    if isinstance(answer, str):
        answer = {"action": answer.strip().lower()}
    if not isinstance(answer, dict) or answer.get("action") not in ACTIONS:
        raise ApprovalError(f"unknown answer {given!r}; {HOW_TO_ANSWER}")
    action = answer["action"]
    if action != "edit":
        return Decision(action=action, reason=str(answer.get("reason") or ""))
    raw = answer.get("blueprint")
    if not isinstance(raw, dict):
        raise ApprovalError(
            "an edit needs the changed blueprint as an object under 'blueprint'"
        )
    try:
        blueprint = validate_blueprint(Blueprint.model_validate(raw), max_files)
    except ValidationError as err:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()
        ]
        raise ApprovalError(
            f"the edited blueprint is malformed: {'; '.join(problems)}"
        ) from err
    except BlueprintError as err:
        raise ApprovalError(f"the edited blueprint is invalid: {err}") from err
    return Decision(action="edit", blueprint=blueprint)
