"""A loopback server speaking Ollama's chat protocol, backed by an OpenAI server.

``ChatOllama`` and the ``ollama`` client talk to it as to Ollama itself: it
answers ``/api/chat`` (NDJSON stream or one JSON object), ``/api/tags``,
``/api/show``, ``/api/version`` and ``/``. Each chat request becomes a
``/chat/completions`` request to the upstream OpenAI-compatible server (the
embedded llama.cpp server in tests) and the answer is translated back.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from archedit.embedded import MODEL_NAME, MODEL_SHA256, MODEL_SIZE

# Sampling options that llama.cpp's server accepts under Ollama's names.
_SHARED_OPTIONS = (
    "temperature",
    "top_p",
    "top_k",
    "min_p",
    "seed",
    "stop",
    "presence_penalty",
    "frequency_penalty",
    "repeat_penalty",
    "repeat_last_n",
)


def openai_request(body: dict[str, Any]) -> dict[str, Any]:
    """Translate an Ollama ``/api/chat`` body into a chat-completions body."""
    request: dict[str, Any] = {
        "model": body.get("model") or MODEL_NAME,
        "messages": [_openai_message(m) for m in body.get("messages", [])],
    }
    options = body.get("options") or {}
    request |= {k: options[k] for k in _SHARED_OPTIONS if options.get(k) is not None}
    # Ollama spells "no limit" as -1 (or -2: fill the context).
    if (options.get("num_predict") or -1) >= 0:
        request["max_tokens"] = options["num_predict"]
    answer_format = body.get("format")
    if answer_format == "json":
        request["response_format"] = {"type": "json_object"}
    elif isinstance(answer_format, dict):
        request["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "response", "schema": answer_format},
        }
    if body.get("tools"):
        request["tools"] = body["tools"]
    return request


def _openai_message(message: dict[str, Any]) -> dict[str, Any]:
    converted = {"role": message["role"], "content": message.get("content") or ""}
    if message.get("tool_calls"):
        converted["tool_calls"] = [
            {
                "id": call.get("id") or f"call_{index}",
                "type": "function",
                "function": {
                    "name": call["function"]["name"],
                    "arguments": json.dumps(call["function"].get("arguments", {})),
                },
            }
            for index, call in enumerate(message["tool_calls"])
        ]
    if message.get("tool_call_id"):
        converted["tool_call_id"] = message["tool_call_id"]
    return converted


def ollama_tool_calls(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Translate OpenAI tool calls (arguments as a JSON string) to Ollama's."""
    translated = []
    for call in calls:
        function = call.get("function") or {}
        try:
            arguments = json.loads(function.get("arguments") or "{}")
        except json.JSONDecodeError:
            arguments = {}
        if not isinstance(arguments, dict):
            arguments = {}
        translated.append(
            {"function": {"name": function["name"], "arguments": arguments}}
        )
    return translated


def ollama_final(
    model: str, finish_reason: str | None, reply: dict[str, Any], started: float
) -> dict[str, Any]:
    """Build the fields Ollama sends with ``done: true`` from an OpenAI reply."""
    usage = reply.get("usage") or {}
    timings = reply.get("timings") or {}
    return {
        "model": model,
        "created_at": _now(),
        "done": True,
        "done_reason": "length" if finish_reason == "length" else "stop",
        "total_duration": int((time.monotonic() - started) * 1e9),
        "load_duration": 0,
        "prompt_eval_count": usage.get("prompt_tokens", 0),
        "prompt_eval_duration": int(timings.get("prompt_ms", 0) * 1e6),
        "eval_count": usage.get("completion_tokens", 0),
        "eval_duration": int(timings.get("predicted_ms", 0) * 1e6),
    }


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class _OllamaHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream_base_url: str, model_name: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.completions_url = f"{upstream_base_url.rstrip('/')}/chat/completions"
        self.model_name = model_name
        self.upstream = httpx.Client(timeout=300.0)


class _Handler(BaseHTTPRequestHandler):
    server: _OllamaHTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep the test output free of one line per request."""

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(200, b"", "text/plain")

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/api/tags":
            self._send_json(200, {"models": [self._model_entry()]})
        elif self.path == "/api/version":
            self._send_json(200, {"version": "0.0.0"})
        elif self.path == "/":
            self._send(200, b"Ollama is running", "text/plain")
        else:
            self._send_json(404, {"error": f"no route {self.path}"})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/api/show":
            entry = self._model_entry()
            self._send_json(
                200,
                {
                    "details": entry["details"],
                    "model_info": {},
                    "capabilities": ["completion", "tools"],
                },
            )
        elif self.path == "/api/chat":
            self._chat(body)
        else:
            self._send_json(404, {"error": f"no route {self.path}"})

    def _model_entry(self) -> dict[str, Any]:
        name = f"{self.server.model_name}:latest"
        return {
            "name": name,
            "model": name,
            "modified_at": _now(),
            "size": MODEL_SIZE,
            "digest": MODEL_SHA256,
            "details": {"format": "gguf", "quantization_level": "Q4_1"},
        }

    def _chat(self, body: dict[str, Any]) -> None:
        started = time.monotonic()
        request = openai_request(body)
        model = body.get("model") or self.server.model_name
        if body.get("stream", True):
            self._chat_stream(request, model, started)
            return
        reply = self.server.upstream.post(self.server.completions_url, json=request)
        if reply.status_code != 200:
            self._send_json(reply.status_code, {"error": reply.text})
            return
        answer = reply.json()
        choice = answer["choices"][0]
        message = {"role": "assistant", "content": choice["message"].get("content")}
        if choice["message"].get("tool_calls"):
            message["tool_calls"] = ollama_tool_calls(choice["message"]["tool_calls"])
        final = ollama_final(model, choice.get("finish_reason"), answer, started)
        self._send_json(200, {**final, "message": message})

    def _chat_stream(self, request: dict[str, Any], model: str, started: float) -> None:
        request |= {"stream": True, "stream_options": {"include_usage": True}}
        url = self.server.completions_url
        with self.server.upstream.stream("POST", url, json=request) as reply:
            if reply.status_code != 200:
                self._send_json(reply.status_code, {"error": reply.read().decode()})
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.end_headers()
            calls: dict[int, dict[str, Any]] = {}
            summary: dict[str, Any] = {}
            finish_reason = None
            for chunk in _sse_chunks(reply):
                summary |= {k: v for k, v in chunk.items() if k in ("usage", "timings")}
                for choice in chunk.get("choices", []):
                    finish_reason = choice.get("finish_reason") or finish_reason
                    delta = choice.get("delta") or {}
                    if delta.get("content"):
                        self._send_line(model, {"content": delta["content"]})
                    for part in delta.get("tool_calls") or []:
                        _merge_call_delta(calls.setdefault(part["index"], {}), part)
        if calls:
            tool_calls = ollama_tool_calls([calls[i] for i in sorted(calls)])
            self._send_line(model, {"content": "", "tool_calls": tool_calls})
        final = ollama_final(model, finish_reason, summary, started)
        self._write_line({**final, "message": {"role": "assistant", "content": ""}})

    def _send_line(self, model: str, message: dict[str, Any]) -> None:
        message = {"role": "assistant", **message}
        self._write_line(
            {"model": model, "created_at": _now(), "message": message, "done": False}
        )

    def _write_line(self, payload: dict[str, Any]) -> None:
        self.wfile.write(json.dumps(payload).encode() + b"\n")
        self.wfile.flush()

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def _sse_chunks(reply: httpx.Response) -> Iterator[dict[str, Any]]:
    """Yield the JSON payloads of a chat-completions event stream."""
    for line in reply.iter_lines():
        if line.startswith("data: ") and line != "data: [DONE]":
            yield json.loads(line.removeprefix("data: "))


def _merge_call_delta(call: dict[str, Any], part: dict[str, Any]) -> None:
    """Fold one streamed tool-call fragment into the call being assembled."""
    function = call.setdefault("function", {"name": "", "arguments": ""})
    fragment = part.get("function") or {}
    function["name"] += fragment.get("name") or ""
    function["arguments"] += fragment.get("arguments") or ""


@contextlib.contextmanager
def ollama_server(
    upstream_base_url: str, model_name: str = MODEL_NAME
) -> Iterator[str]:
    """Serve the Ollama protocol on a loopback port while the block runs.

    Args:
        upstream_base_url: OpenAI base URL of the backing server, ending in
            ``/v1``.
        model_name: Name listed by ``/api/tags``.

    Yields:
        The base URL to give ``ChatOllama`` or the ``ollama`` client.
    """
    server = _OllamaHTTPServer(upstream_base_url, model_name)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        server.upstream.close()
        thread.join(timeout=5)
