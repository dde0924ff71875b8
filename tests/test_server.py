"""``langgraph dev`` serves the graph the way Studio and the SDK need it.

Real runs on the server's default, embedded model, kept short (few files, one
editor attempt each) and judged by the shape of the outcome, not by the
quality of the code. Where a test needs a plan for certain, a stub OpenAI
server plays the architect and the embedded model still writes the files.
"""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest
from langgraph_sdk import get_sync_client

from archedit.blueprint import Blueprint
from tests.support.devserver import langgraph_dev
from tests.support.openai_stub import openai_stub

pytestmark = pytest.mark.server

NODES = {
    "archedit": {"plan", "approve", "dispatch", "report"},
    "file": {"edit", "coerce", "check", "retry", "escalate"},
}
EDGES = {
    "archedit": {
        ("plan", "approve", True),
        ("plan", "dispatch", True),
        ("plan", "report", True),
        ("approve", "dispatch", True),
        ("approve", "report", True),
        ("dispatch", "report", False),
    },
    "file": {
        ("__start__", "edit", True),
        ("__start__", "check", True),
        ("__start__", "retry", True),
        ("__start__", "escalate", True),
        ("check", "retry", True),
        ("check", "escalate", True),
        ("check", "__end__", True),
        ("retry", "edit", False),
        ("escalate", "coerce", False),
    },
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


GRAPH = "archedit"
TASK = "a hello.py module whose hello() returns 'hi'"
HELLO = {
    "path": "hello.py",
    "kind": "module",
    "purpose": "def hello() -> str returns the string 'hi'.",
    "interface": "def hello() -> str",
    "depends_on": [],
}
PLANNED = {
    "summary": "A module and its test.",
    "files": [
        HELLO,
        {
            "path": "test_hello.py",
            "kind": "test",
            "purpose": "pytest test that hello() returns 'hi'.",
            "depends_on": ["hello.py"],
        },
    ],
}
ONLY_HELLO = {"summary": "One module.", "files": [HELLO]}
STATUSES = {"passed", "passed_after_retry", "escalated", "failed"}
# Generous: the embedded model shares the machine with everything else.
RUN_TIMEOUT = 900.0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # Two jobs, so two threads can run at once.
    with langgraph_dev(tmp_path_factory.mktemp("server"), jobs=2) as url:
        yield url


@pytest.fixture(scope="module")
def client(server):
    return get_sync_client(url=server, timeout=RUN_TIMEOUT)


@pytest.fixture(scope="module")
def architect():
    """Base URL of a stub architect that always plans ``PLANNED``."""
    with openai_stub(json.dumps(PLANNED)) as (url, _):
        yield url


def run_context(out: Path, architect_url: str | None = None, **extra) -> dict:
    """A short run: one editor attempt per file, no escalation."""
    context = {"out_dir": str(out), "max_retries": 0, "max_escalations": 0}
    if architect_url:
        context |= {"architect": "openai:stub", "architect_base_url": architect_url}
    return context | extra


def pause_of(client, thread_id: str) -> dict:
    """The value the thread is paused with at plan approval."""
    state = client.threads.get_state(thread_id)
    assert state["next"] == ["approve"], state["values"].get("error")
    (pending,) = state["interrupts"]
    return pending["value"]


def answer(client, thread_id: str, reply, context: dict) -> dict:
    """Resume a paused thread with ``reply``; wait for it; return its values."""
    run = client.runs.create(
        thread_id, GRAPH, command={"resume": reply}, context=context
    )
    client.runs.join(thread_id, run["run_id"])
    assert client.runs.get(thread_id, run["run_id"])["status"] == "success"
    return client.threads.get_state(thread_id)["values"]


def assert_reported(values: dict, out: Path) -> None:
    """Every planned file has a result and a line in the report; none else."""
    report = json.loads(Path(values["report_path"]).read_text())
    assert Path(values["report_path"]) == out / "report.json"
    planned = [
        spec["path"] for spec in (values.get("blueprint") or {}).get("files", [])
    ]
    if not planned:
        assert values["error"] and report["error"] == values["error"]
    assert sorted(values.get("results") or {}) == sorted(planned)
    assert [f["path"] for f in report["files"]] == planned
    for path, result in (values.get("results") or {}).items():
        assert result["status"] in STATUSES
        assert len(result["attempts"]) == 1
        assert (out / path).exists() == (result["content"] is not None)


@pytest.mark.parametrize("graph_id", sorted(NODES))
def test_graph_json_has_every_node_and_typed_branch(server, graph_id):
    assistants = post(f"{server}/assistants/search", {"graph_id": graph_id})
    assistant = assistants[0]["assistant_id"]
    drawn = get(f"{server}/assistants/{assistant}/graph?xray=true")

    assert NODES[graph_id] <= {node["id"] for node in drawn["nodes"]}
    edges = {
        (e["source"], e["target"], e.get("conditional", False)) for e in drawn["edges"]
    }
    # Every branch of every router is drawn, and drawn as conditional.
    assert EDGES[graph_id] <= edges


def test_context_schema_is_served(server):
    assistants = post(f"{server}/assistants/search", {"graph_id": "archedit"})
    assistant = assistants[0]["assistant_id"]
    schemas = get(f"{server}/assistants/{assistant}/schemas")
    fields = schemas["context_schema"]["properties"]
    assert {"architect", "editor", "max_retries", "max_escalations"} <= set(fields)


def test_stream_a_run_through_plan_approval_to_its_report(client, architect, tmp_path):
    thread_id = client.threads.create()["thread_id"]
    context = run_context(tmp_path, architect, approve_plan=True)
    first = list(
        client.runs.stream(
            thread_id,
            GRAPH,
            input={"task": TASK},
            context=context,
            stream_mode="updates",
        )
    )
    updates = [part.data for part in first if part.event == "updates"]
    assert [next(iter(update)) for update in updates] == [
        "architect",
        "plan",
        "__interrupt__",
    ]
    pause = pause_of(client, thread_id)
    assert pause["error"] is None
    assert pause["blueprint"] == Blueprint.model_validate(PLANNED).model_dump()

    # The edit drops the test file: only hello.py is written.
    second = list(
        client.runs.stream(
            thread_id,
            GRAPH,
            command={"resume": {"action": "edit", "blueprint": ONLY_HELLO}},
            context=context,
            stream_mode="updates",
        )
    )
    nodes = [node for part in second if part.event == "updates" for node in part.data]
    assert nodes == ["approve", "file", "dispatch", "report"]
    values = client.threads.get_state(thread_id)["values"]
    assert values["approval"] == "edited"
    assert list(values["results"]) == ["hello.py"]
    assert_reported(values, tmp_path)


def test_unusable_edit_keeps_the_pause_and_reject_ends_the_run(
    client, architect, tmp_path
):
    thread_id = client.threads.create()["thread_id"]
    context = run_context(tmp_path, architect, approve_plan=True)
    run = client.runs.create(thread_id, GRAPH, input={"task": TASK}, context=context)
    client.runs.join(thread_id, run["run_id"])
    pause_of(client, thread_id)

    bad = {"files": [{"path": "../hello.py", "purpose": "outside"}]}
    answer(client, thread_id, {"action": "edit", "blueprint": bad}, context)
    assert "leaves the workspace" in pause_of(client, thread_id)["error"]

    reply = {"action": "reject", "reason": "not now"}
    values = answer(client, thread_id, reply, context)
    assert values["approval"] == "rejected"
    report = json.loads((tmp_path / "report.json").read_text())
    assert "rejected at plan approval: not now" in report["error"]
    assert {f["status"] for f in report["files"]} == {"not_run"}
    assert not list(tmp_path.glob("*.py"))


def test_two_threads_run_at_once_on_the_embedded_model(client, tmp_path):
    threads = [client.threads.create()["thread_id"] for _ in range(2)]
    runs = [
        client.runs.create(
            thread_id,
            GRAPH,
            input={"task": TASK},
            context=run_context(tmp_path / str(index), max_files=3),
        )
        for index, thread_id in enumerate(threads)
    ]
    statuses: list[tuple[str, ...]] = []
    while not statuses or {"pending", "running"} & set(statuses[-1]):
        statuses.append(
            tuple(
                client.runs.get(thread_id, run["run_id"])["status"]
                for thread_id, run in zip(threads, runs, strict=True)
            )
        )
        time.sleep(0.5)
    assert ("running", "running") in statuses
    assert statuses[-1] == ("success", "success")
    for index, thread_id in enumerate(threads):
        values = client.threads.get_state(thread_id)["values"]
        assert_reported(values, tmp_path / str(index))


def test_paused_thread_survives_a_server_restart(architect, tmp_path):
    workdir = tmp_path / "server"
    workdir.mkdir()
    context = run_context(tmp_path / "out", architect, approve_plan=True)
    with langgraph_dev(workdir) as url:
        client = get_sync_client(url=url, timeout=RUN_TIMEOUT)
        thread_id = client.threads.create()["thread_id"]
        run = client.runs.create(
            thread_id, GRAPH, input={"task": TASK}, context=context
        )
        client.runs.join(thread_id, run["run_id"])
        before = pause_of(client, thread_id)
    assert (workdir / ".langgraph_api").is_dir()

    with langgraph_dev(workdir) as url:
        client = get_sync_client(url=url, timeout=RUN_TIMEOUT)
        assert pause_of(client, thread_id) == before
        reply = {"action": "edit", "blueprint": ONLY_HELLO}
        values = answer(client, thread_id, reply, context)
    assert list(values["results"]) == ["hello.py"]
    assert_reported(values, tmp_path / "out")
