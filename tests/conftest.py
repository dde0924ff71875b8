"""Test-wide settings: no tracing, no analytics, nothing leaves the machine."""

import os

import pytest

from archedit.sandbox import Sandbox, SandboxUnavailable

os.environ["LANGSMITH_TRACING"] = "false"
os.environ["LANGCHAIN_TRACING_V2"] = "false"
os.environ["LANGGRAPH_CLI_NO_ANALYTICS"] = "1"
os.environ["LANGGRAPH_NO_VERSION_CHECK"] = "1"


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    """A bubblewrap sandbox; CI installs bubblewrap, so there it must exist."""
    try:
        return Sandbox()
    except SandboxUnavailable as err:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(err))
