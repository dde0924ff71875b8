"""``langgraph dev`` serves the graph the way Studio needs it."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.support.devserver import langgraph_dev

pytestmark = pytest.mark.server

NODES = {"plan", "dispatch", "edit", "coerce", "check", "retry", "escalate", "report"}


def get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=30) as reply:
        return json.load(reply)


def post(url: str, body: dict) -> object:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST",
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

    names = {node["id"].split(":")[-1] for node in drawn["nodes"]}
    assert NODES <= names
    edges = {
        (e["source"].split(":")[-1], e["target"].split(":")[-1], e.get("conditional", False))
        for e in drawn["edges"]
    }
    # Every branch of every router is drawn, as a conditional edge.
    for source, target in [
        ("plan", "dispatch"), ("plan", "report"),
        ("dispatch", "file"), ("dispatch", "report"),
        ("check", "retry"), ("check", "escalate"), ("check", "__end__"),
    ]:
        assert any(
            s == source and t.startswith(target) and c for s, t, c in edges
        ) or (target == "file" and any(
            s == source and t == "edit" and c for s, t, c in edges
        )), f"missing conditional edge {source} -> {target}"
    assert ("retry", "edit", False) in edges
    assert ("escalate", "coerce", False) in edges


def test_context_schema_is_served(server):
    assistants = post(f"{server}/assistants/search", {"graph_id": "archedit"})
    assistant = assistants[0]["assistant_id"]
    schemas = get(f"{server}/assistants/{assistant}/schemas")
    fields = schemas["context_schema"]["properties"]
    assert {"architect", "editor", "max_retries", "max_escalations"} <= set(fields)
