"""A PostgreSQL server for tests: ``ARCHEDIT_TEST_POSTGRES_URL`` or a throwaway one.

Import ``fixture_postgres_url`` into a test module and ask for
``postgres_url``. Without the variable, ``scripts/postgres.sh`` starts a
cluster in a temporary directory (installing Debian's postgresql if it is
missing) and it is stopped after the session.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "postgres.sh"


@pytest.fixture(scope="session", name="postgres_url")
def fixture_postgres_url() -> Iterator[str]:
    """The URL of a running PostgreSQL server."""
    configured = os.environ.get("ARCHEDIT_TEST_POSTGRES_URL")
    if configured:
        yield configured
        return
    # Not under pytest's temp dir: the server runs as the postgres user, who
    # cannot enter root's private directories.
    directory = tempfile.mkdtemp(prefix="archedit-pg-")
    started = subprocess.run(
        ["bash", str(SCRIPT), directory],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if started.returncode != 0:
        pytest.fail(f"{SCRIPT.name} could not start PostgreSQL:\n{started.stderr}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(
            ["bash", str(SCRIPT), "stop", directory], capture_output=True, timeout=60
        )
