"""A loopback model server that answers from scripts and injects faults.

``FaultServer`` speaks OpenAI's ``POST /v1/chat/completions`` and Ollama's
``POST /api/chat`` (NDJSON stream or one object) on 127.0.0.1 (port 0), so
the real ``ChatOpenAI`` and ``ChatOllama`` clients can be driven through the
pipeline. Each
request either gets a fault (429 with Retry-After, 500, 503, a stall longer
than the client's timeout, a reset connection, a truncated body, a malformed
JSON body, or any HTTP status named by its digits) or a good answer from a
``responder``. Faults come from a seeded
random draw at ``rate``, from a fixed ``sequence`` used up first, or always
for requests about one file (``down_for``). Every request is logged with what
it got, so tests can match the ledger against the calls actually answered.
"""

from __future__ import annotations

import json
import random
import re
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULTS = ("429", "500", "503", "stall", "reset", "truncated", "malformed")
_FILE = re.compile(r"^File: (\S+)", re.MULTILINE)
PLAN_KEY = "<plan>"


@dataclass
class Served:
    """One request and what the server did with it."""

    key: str
    fault: str | None
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass
class FaultPlan:
    """Which requests fail, and how."""

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULTS
    seed: int = 0
    sequence: list[str] = field(default_factory=list)
    down_for: str | None = None
    down_kind: str = "503"
    retry_after_s: float = 0.01
    stall_s: float = 1.0
    max_requests: int = 500


class FaultServer(ThreadingHTTPServer):
    """The server; start it with ``serve()``."""

    daemon_threads = True
    # A refused backlog would look like a fault the test did not ask for.
    request_queue_size = 64

    def __init__(self, responder: Callable[[str], str], plan: FaultPlan) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.responder = responder
        self.plan = plan
        self.log: list[Served] = []
        self.lock = threading.Lock()
        self.random = random.Random(plan.seed)
        self.stop_stalls = threading.Event()

    @property
    def base_url(self) -> str:
        """The ``/v1`` URL to give an OpenAI client."""
        return f"{self.root_url}/v1"

    @property
    def root_url(self) -> str:
        """The URL to give an Ollama client."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def answered(self) -> list[Served]:
        """Requests that got a good answer."""
        return [s for s in self.log if s.fault is None]

    def choose(self, key: str) -> str | None:
        """The fault for the next request about ``key``, None for an answer."""
        plan = self.plan
        with self.lock:
            if len(self.log) >= plan.max_requests:
                return "500"
            if plan.down_for is not None and key == plan.down_for:
                return plan.down_kind
            if plan.sequence:
                fault = plan.sequence.pop(0)
                return None if fault == "ok" else fault
            if plan.rate and self.random.random() < plan.rate:
                return self.random.choice(plan.kinds)
            return None


@contextmanager
def serve(
    responder: Callable[[str], str], plan: FaultPlan | None = None
) -> Iterator[FaultServer]:
    """Run a ``FaultServer`` in a thread for the duration of the block."""
    server = FaultServer(responder, plan or FaultPlan())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop_stalls.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def key_of(body: dict[str, Any]) -> str:
    """The file a chat request is about (``File: <path>``), or the plan."""
    messages = body.get("messages") or []
    if len(messages) > 1:
        found = _FILE.search(str(messages[1].get("content") or ""))
        if found:
            return found.group(1)
    return PLAN_KEY


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep the test output free of one line per request."""

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        ollama = self.path == "/api/chat"
        if not (ollama or self.path.endswith("/chat/completions")):
            self._send(404, {"error": {"message": "not found"}})
            return
        key = key_of(body)
        fault = self.server.choose(key)
        served = Served(key=key, fault=fault)
        with self.server.lock:
            self.server.log.append(served)
        if fault is not None:
            self._fault(fault, ollama)
            return
        prompt = "\n".join(str(m.get("content") or "") for m in body["messages"])
        text = self.server.responder(key)
        served.input_tokens = len(prompt) // 4
        served.output_tokens = len(text) // 4
        if not ollama:
            self._send(200, _completion(body, text, served))
        elif body.get("stream", True):
            self._send_bytes(200, _ollama_lines(body, text, served), "x-ndjson")
        else:
            final = _ollama_final(body, served)
            self._send(
                200, {**final, "message": {"role": "assistant", "content": text}}
            )

    def _fault(self, fault: str, ollama: bool) -> None:
        plan = self.server.plan
        if fault.isdigit():
            headers = {"Retry-After": f"{plan.retry_after_s:g}"}
            message = f"injected {fault}"
            error = message if ollama else {"message": message}
            self._send(int(fault), {"error": error}, headers)
        elif fault == "stall":
            self.server.stop_stalls.wait(plan.stall_s)
            self._drop(reset=False)
        elif fault == "reset":
            self._drop(reset=True)
        elif fault == "truncated":
            data = json.dumps(_completion({}, "x" * 200, Served("", None))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self._drop(reset=False)
        elif fault == "malformed":
            data = b'{"id": "x", "choices": [{"message": {"content": "trunc'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            raise ValueError(f"unknown fault {fault!r}")

    def _drop(self, *, reset: bool) -> None:
        if reset:
            # Linger 0: close sends RST instead of FIN.
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
        self.close_connection = True
        self.connection.close()

    def _send(
        self,
        status: int,
        payload: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        self._send_bytes(status, json.dumps(payload).encode(), "json", headers)

    def _send_bytes(
        self,
        status: int,
        data: bytes,
        kind: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"application/{kind}")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _ollama_final(body: dict[str, Any], served: Served) -> dict[str, Any]:
    return {
        "model": body.get("model") or "canned",
        "created_at": "2026-01-01T00:00:00Z",
        "done": True,
        "done_reason": "stop",
        "prompt_eval_count": served.input_tokens,
        "eval_count": served.output_tokens,
    }


def _ollama_lines(body: dict[str, Any], text: str, served: Served) -> bytes:
    """The NDJSON stream of an Ollama chat answer: text in two parts, then done."""
    model = body.get("model") or "canned"
    half = len(text) // 2
    lines = [
        {
            "model": model,
            "created_at": "2026-01-01T00:00:00Z",
            "message": {"role": "assistant", "content": part},
            "done": False,
        }
        for part in (text[:half], text[half:])
    ]
    final = _ollama_final(body, served)
    lines.append({**final, "message": {"role": "assistant", "content": ""}})
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def _completion(body: dict[str, Any], text: str, served: Served) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fault-server",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model") or "canned",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": served.input_tokens,
            "completion_tokens": served.output_tokens,
            "total_tokens": served.input_tokens + served.output_tokens,
        },
    }
