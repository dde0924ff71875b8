"""``langgraph dev`` serves the graph the way Studio needs it."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.support.devserver import langgraph_dev

pytestmark = pytest.mark.server

NODES = {
    "plan",
    "approve",
    "dispatch",
    "edit",
    "coerce",
    "check",
    "retry",
    "escalate",
    "report",
}


def get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=30) as reply:
        return json.load(reply)


def post(url: str, body: dict) -> object:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.load(reply)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with langgraph_dev(tmp_path_factory.mktemp("server")) as url:
        yield url


def test_graph_json_has_every_node_and_typed_branch(server):
    assistants = post(f"{server}/assistants/search", {"graph_id": "archedit"})
    assistant = assistants[0]["assistant_id"]
    drawn = get(f"{server}/assistants/{assistant}/graph?xray=true")

    ids = {node["id"] for node in drawn["nodes"]}
    assert NODES <= {node.split(":")[-1] for node in ids}
    edges = {
        (e["source"], e["target"], e.get("conditional", False)) for e in drawn["edges"]
    }
    # Every branch of every router is drawn, and drawn as conditional.
    assert {
        ("plan", "approve", True),
        ("plan", "dispatch", True),
        ("plan", "report", True),
        ("approve", "dispatch", True),
        ("approve", "report", True),
        ("dispatch", "file:__start__", True),
        ("dispatch", "report", True),
        ("file:check", "file:retry", True),
        ("file:check", "file:escalate", True),
        ("file:check", "file:__end__", True),
        ("file:retry", "file:edit", False),
        ("file:escalate", "file:coerce", False),
        ("file:__end__", "dispatch", False),
    } <= edges


def test_context_schema_is_served(server):
    assistants = post(f"{server}/assistants/search", {"graph_id": "archedit"})
    assistant = assistants[0]["assistant_id"]
    schemas = get(f"{server}/assistants/{assistant}/schemas")
    fields = schemas["context_schema"]["properties"]
    assert {"architect", "editor", "max_retries", "max_escalations"} <= set(fields)
