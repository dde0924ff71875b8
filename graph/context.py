"""The run context: which models play which role, and the pipeline's limits.

Explicit values beat environment variables; environment variables beat the
defaults. Studio shows these fields as the run's configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name) or default


@dataclass(kw_only=True)
class Context:
    """Settings for one run of the pipeline."""

    architect: str = field(
        default_factory=lambda: _env("ARCHEDIT_ARCHITECT", "local"),
        metadata={
            "description": "Model spec of the architect: 'local' (embedded), "
            "'openai:<model>' or 'ollama:<model>'. From Python, a chat model "
            "instance is accepted too."
        },
    )
    editor: str = field(
        default_factory=lambda: _env("ARCHEDIT_EDITOR", "local"),
        metadata={"description": "Model spec of the editor, as for architect."},
    )
    architect_base_url: str | None = field(
        default_factory=lambda: _env("ARCHEDIT_ARCHITECT_BASE_URL"),
        metadata={"description": "Base URL of the architect's API, if not default."},
    )
    editor_base_url: str | None = field(
        default_factory=lambda: _env("ARCHEDIT_EDITOR_BASE_URL"),
        metadata={"description": "Base URL of the editor's API, if not default."},
    )
    out_dir: str = field(
        default_factory=lambda: _env("ARCHEDIT_OUT", "archedit-out"),
        metadata={"description": "Directory the files and reports are written to."},
    )
    max_retries: int = field(
        default=2,
        metadata={"description": "Editor retries of a failing file before escalation."},
    )
    max_escalations: int = field(
        default=1,
        metadata={"description": "Architect attempts at a file the editor failed."},
    )
    max_files: int = field(
        default=40, metadata={"description": "Most files a blueprint may plan."}
    )
    plan_attempts: int = field(
        default=3,
        metadata={"description": "Architect calls allowed to produce a valid plan."},
    )
    temperature: float = field(
        default=0.2, metadata={"description": "Sampling temperature of both roles."}
    )
    concurrency: int = field(
        default_factory=lambda: int(_env("ARCHEDIT_CONCURRENCY", "0") or 0),
        metadata={
            "description": "Files worked on at once, and the embedded server's "
            "slots. 0 sizes it to the editor: 2 for the embedded model, "
            "OLLAMA_NUM_PARALLEL (at least 2) for Ollama, 8 for other APIs."
        },
    )
    approve_plan: bool = field(
        default=False,
        metadata={
            "description": "Pause after planning until the blueprint is accepted, "
            "edited or rejected (resume with a command)."
        },
    )
    unsandboxed: bool = field(
        default=False,
        metadata={
            "description": "Run generated tests without the bubblewrap sandbox "
            "(unsafe; warned on every run)."
        },
    )
    max_usd: float | None = field(
        default=None,
        metadata={
            "description": "Most the run may spend in USD; it stops at a checkpoint "
            "before a call that could exceed it (resume with a larger one)."
        },
    )
    max_tokens: int | None = field(
        default=None,
        metadata={"description": "Most input plus output tokens the run may use."},
    )
    max_minutes: float | None = field(
        default=None,
        metadata={
            "description": "Most minutes the run may work, counted over every "
            "start and resume."
        },
    )
    call_timeout_s: float = field(
        default_factory=lambda: float(_env("ARCHEDIT_CALL_TIMEOUT", "300") or 300),
        metadata={"description": "Seconds one request to a model may take."},
    )
    call_retries: int = field(
        default_factory=lambda: int(_env("ARCHEDIT_CALL_RETRIES", "5") or 5),
        metadata={
            "description": "Retries of a request that hit a rate limit, a server "
            "error, a timeout or a dropped connection, before the run pauses."
        },
    )
    retry_backoff_s: float = field(
        default_factory=lambda: float(_env("ARCHEDIT_RETRY_BACKOFF", "1") or 1),
        metadata={
            "description": "First wait before a retry; it doubles, with jitter, up "
            "to 60 s. A Retry-After from the provider is honoured."
        },
    )

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            self.concurrency = default_concurrency(self.editor)


def default_concurrency(editor: object) -> int:
    """Files worked on at once when the run does not say, sized to the editor.

    The embedded server gets one slot per file worked on; two suit the small
    machines it is meant for. Ollama serves ``OLLAMA_NUM_PARALLEL`` requests
    of a model at once (1 unless set). Hosted APIs take many. Never below two,
    so that one file's checks overlap another file's generation.
    """
    provider = editor.partition(":")[0].strip() if isinstance(editor, str) else ""
    if provider == "ollama":
        return max(2, int(_env("OLLAMA_NUM_PARALLEL", "1") or 1))
    if provider == "openai":
        return 8
    return 2
