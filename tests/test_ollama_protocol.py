"""Tests that ChatOllama works against the Ollama-protocol server in tests/support.

The translation functions are checked offline with input → output tables; the
tests marked ``embedded`` run ChatOllama and the ``ollama`` client end to end
against the real embedded model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import ollama
import pytest
from langchain_ollama import ChatOllama
from pydantic import BaseModel, Field

from archedit.embedded import MODEL_NAME
from tests.support.fixtures import fixture_embedded_server  # noqa: F401
from tests.support.ollama_server import (
    ollama_server,
    ollama_tool_calls,
    openai_request,
)


class Pet(BaseModel):
    """A small schema the model can fill within a few dozen tokens."""

    name: str = Field(max_length=20)
    legs: int = Field(ge=0, le=8)


@pytest.fixture(scope="module", name="ollama_url")
def fixture_ollama_url(embedded_server) -> Iterator[str]:
    with ollama_server(embedded_server.base_url) as base_url:
        yield base_url


def _chat(base_url: str, **kwargs) -> ChatOllama:
    settings = {"num_predict": 24, "temperature": 0, **kwargs}
    return ChatOllama(model=MODEL_NAME, base_url=base_url, **settings)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"options": {"temperature": 0.1, "num_predict": 7, "num_ctx": 9}},
            {"temperature": 0.1, "max_tokens": 7},
        ),
        ({"options": {"num_predict": -1, "stop": ["\n"]}}, {"stop": ["\n"]}),
        ({"format": "json"}, {"response_format": {"type": "json_object"}}),
        (
            {"format": {"type": "object"}},
            {
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "response", "schema": {"type": "object"}},
                }
            },
        ),
        ({"format": ""}, {}),
    ],
)
def test_request_options_and_format(body, expected):
    request = openai_request({"model": "m", "messages": [], **body})
    assert request == {"model": "m", "messages": [], **expected}


def test_request_carries_tools_and_tool_turns():
    tool = {"type": "function", "function": {"name": "add", "parameters": {}}}
    call = {"id": "c1", "function": {"name": "add", "arguments": {"a": 1}}}
    body = {
        "model": "m",
        "tools": [tool],
        "messages": [
            {"role": "assistant", "content": "", "tool_calls": [call]},
            {"role": "tool", "content": "2", "tool_call_id": "c1"},
        ],
    }
    request = openai_request(body)
    assert request["tools"] == [tool]
    assert request["messages"] == [
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "add", "arguments": json.dumps({"a": 1})},
                }
            ],
        },
        {"role": "tool", "content": "2", "tool_call_id": "c1"},
    ]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [('{"a": 1}', {"a": 1}), ("not json", {}), ("[1]", {}), ("", {})],
)
def test_tool_call_arguments_become_objects(arguments, expected):
    calls = [{"id": "x", "function": {"name": "add", "arguments": arguments}}]
    assert ollama_tool_calls(calls) == [
        {"function": {"name": "add", "arguments": expected}}
    ]


@pytest.mark.embedded
def test_invoke_reports_content_and_usage(ollama_url):
    reply = _chat(ollama_url, validate_model_on_init=True).invoke("Say hello.")
    assert reply.content.strip()
    assert reply.usage_metadata["input_tokens"] > 0
    assert reply.usage_metadata["output_tokens"] > 0
    assert reply.response_metadata["done_reason"] in {"stop", "length"}


@pytest.mark.embedded
def test_stream_yields_pieces_and_usage(ollama_url):
    chunks = list(_chat(ollama_url, num_predict=16).stream("Count to 3."))
    total = chunks[0]
    for chunk in chunks[1:]:
        total += chunk
    assert sum(1 for chunk in chunks if chunk.content) > 2
    assert total.content.strip()
    assert total.usage_metadata["output_tokens"] > 0


@pytest.mark.embedded
def test_json_schema_output_is_valid(ollama_url):
    model = _chat(ollama_url, num_predict=96)
    structured = model.with_structured_output(Pet, method="json_schema")
    assert isinstance(structured.invoke("Describe a dog called Rex as JSON."), Pet)


@pytest.mark.embedded
def test_client_without_streaming_gets_one_answer(ollama_url):
    client = ollama.Client(host=ollama_url)
    assert client.list().models[0].model == f"{MODEL_NAME}:latest"
    answer = client.chat(
        model=MODEL_NAME,
        messages=[{"role": "user", "content": "Say hi."}],
        options={"num_predict": 8},
        stream=False,
    )
    assert answer.done
    assert answer.message.content
    assert answer.eval_count > 0
    assert answer.eval_duration > 0
