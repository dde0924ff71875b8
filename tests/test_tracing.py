"""Tracing: off and silent without a key; when on, a trace reads like the pipeline."""

from __future__ import annotations

import logging
import socket

import langsmith
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langgraph.checkpoint.memory import InMemorySaver
from langsmith import utils as ls_utils

from archedit import runner, tracing
from graph.builder import build_graph
from graph.context import Context
from tests.support.pipeline import GOOD, plan_reply
from tests.support.scripted import PLAN, ScriptedChatModel, fenced


def models() -> tuple[ScriptedChatModel, ScriptedChatModel]:
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = ScriptedChatModel(
        scripts={path: [fenced(code)] for path, code in GOOD.items()}
    )
    return architect, editor


@pytest.fixture
def tracing_asked_without_key(monkeypatch):
    monkeypatch.setenv("LANGSMITH_TRACING", "true")
    monkeypatch.setenv("LANGCHAIN_TRACING_V2", "true")
    monkeypatch.delenv("LANGSMITH_API_KEY", raising=False)
    monkeypatch.delenv("LANGCHAIN_API_KEY", raising=False)
    monkeypatch.setattr(tracing, "_warned", False)
    # langsmith caches what it read from the environment.
    ls_utils.get_env_var.cache_clear()
    yield
    langsmith.configure(enabled=None)
    ls_utils.get_env_var.cache_clear()


def test_tracing_without_key_is_off_with_one_warning(
    tmp_path, monkeypatch, caplog, tracing_asked_without_key
):
    outbound: list[object] = []
    connect = socket.socket.connect

    def watch(sock, address):
        if not (isinstance(address, tuple) and address[0] in ("127.0.0.1", "::1")):
            outbound.append(address)
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", watch)
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *a, **k: outbound.append(host) or [],
    )
    architect, editor = models()
    with caplog.at_level(logging.WARNING):
        for thread in ("t1", "t2"):
            state = runner.execute(
                "calc",
                Context(
                    architect=architect if thread == "t1" else models()[0],
                    editor=editor if thread == "t1" else models()[1],
                    out_dir=str(tmp_path / thread),
                ),
                thread_id=thread,
            )
            assert len(state["results"]) == 3
    assert outbound == []
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in lines] == ["archedit.tracing"]
    assert "LANGSMITH_API_KEY" in lines[0].getMessage()


def test_tracing_stays_off_when_not_asked(monkeypatch, caplog):
    monkeypatch.delenv("LANGSMITH_TRACING", raising=False)
    monkeypatch.setenv("LANGCHAIN_TRACING_V2", "false")
    with caplog.at_level(logging.WARNING):
        assert tracing.settle_tracing() is False
    assert caplog.records == []


class Recorder(BaseCallbackHandler):
    """What a tracer would see: run names, tags and metadata."""

    def __init__(self) -> None:
        self.chains: list[str] = []
        self.models: list[tuple[str, list[str], dict]] = []

    def on_chain_start(self, serialized, inputs, *, name=None, **kwargs):
        self.chains.append(name or "")

    def on_chat_model_start(self, serialized, messages, *, name=None, **kwargs):
        self.models.append(
            (name or "", kwargs.get("tags") or [], kwargs.get("metadata") or {})
        )


def test_trace_reads_like_the_pipeline(tmp_path):
    architect, editor = models()
    recorder = Recorder()
    graph = build_graph(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "trace"}, "callbacks": [recorder]}
    context = Context(architect=architect, editor=editor, out_dir=str(tmp_path))
    graph.invoke({"task": "calc"}, config, context=context)

    assert recorder.chains[0] == "archedit"
    for node in ("plan", "dispatch", "file", "edit", "coerce", "check", "report"):
        assert node in recorder.chains
    names = {name for name, _, _ in recorder.models}
    assert names == {
        "architect",
        "editor:calc.py",
        "editor:fmt.py",
        "editor:test_calc.py",
    }
    fmt = next(m for m in recorder.models if m[0] == "editor:fmt.py")
    assert {"role:editor", "file:fmt.py"} <= set(fmt[1])
    assert fmt[2]["role"] == "editor" and fmt[2]["file"] == "fmt.py"
    assert fmt[2]["attempt"] == 1
