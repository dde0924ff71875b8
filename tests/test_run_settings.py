"""A run's settings travel with its Postgres checkpoints to another machine."""

from __future__ import annotations

import uuid

import pytest

from archedit import runner
from graph.context import Context
from tests.support.postgres import fixture_postgres_url  # noqa: F401


def test_settings_found_in_the_database_from_another_out_dir(tmp_path, postgres_url):
    thread = f"set-{uuid.uuid4().hex[:8]}"
    first = tmp_path / "first-machine"
    context = Context(
        architect="openai:gpt-4.1", editor="local", out_dir=str(first), max_retries=1
    )
    runner.save_settings(first, thread, context, postgres_url)

    elsewhere = tmp_path / "second-machine"
    loaded = runner.load_settings(elsewhere, thread, postgres_url)
    assert loaded.architect == "openai:gpt-4.1"
    assert loaded.max_retries == 1
    assert loaded.out_dir == str(elsewhere)


def test_unknown_run_names_both_places(tmp_path, postgres_url):
    with pytest.raises(runner.RunNotFound, match="or the database"):
        runner.load_settings(tmp_path, "never-ran", postgres_url)
