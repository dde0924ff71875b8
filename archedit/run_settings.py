"""A run's settings kept in Postgres beside its checkpoints.

With SQLite the settings file under the output directory is enough; with
Postgres another machine may resume the run, and it finds the settings here.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

_CREATE = """
CREATE TABLE IF NOT EXISTS archedit_run_settings (
    thread_id TEXT PRIMARY KEY,
    settings JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
)"""


def save(url: str, thread_id: str, settings: dict[str, Any]) -> None:
    """Store (or replace) the settings of run ``thread_id``."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(_CREATE)
        conn.execute(
            "INSERT INTO archedit_run_settings (thread_id, settings) "
            "VALUES (%s, %s) ON CONFLICT (thread_id) "
            "DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()",
            (thread_id, Jsonb(settings)),
        )


def load(url: str, thread_id: str) -> dict[str, Any] | None:
    """The stored settings of run ``thread_id``, or None."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(_CREATE)
        row = conn.execute(
            "SELECT settings FROM archedit_run_settings WHERE thread_id = %s",
            (thread_id,),
        ).fetchone()
    return row[0] if row else None
