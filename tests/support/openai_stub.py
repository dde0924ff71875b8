"""A loopback OpenAI-compatible server that answers every chat with one reply.

Stands in for a frontier architect in server tests, so a plan is certain and
instant while the embedded model still writes the files.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, reply: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply = reply
        self.requests: list[dict[str, Any]] = []


class _Handler(BaseHTTPRequestHandler):
    server: _StubServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep the test output free of one line per request."""

    def do_GET(self) -> None:  # noqa: N802
        self._json({"object": "list", "data": [{"id": "stub", "object": "model"}]})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        model = body.get("model", "stub")
        usage = {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}
        if not body.get("stream"):
            message = {"role": "assistant", "content": self.server.reply}
            choice = {"index": 0, "message": message, "finish_reason": "stop"}
            self._json(
                {
                    "id": "stub",
                    "object": "chat.completion",
                    "created": 0,
                    "model": model,
                    "choices": [choice],
                    "usage": usage,
                }
            )
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        delta = {"role": "assistant", "content": self.server.reply}
        for choices, extra in (
            ([{"index": 0, "delta": delta, "finish_reason": None}], {}),
            ([{"index": 0, "delta": {}, "finish_reason": "stop"}], {}),
            ([], {"usage": usage}),
        ):
            chunk = {
                "id": "stub",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": model,
                "choices": choices,
                **extra,
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def _json(self, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def openai_stub(reply: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serve ``reply`` to every chat request.

    Yields the base URL (ending in ``/v1``) and the list the request bodies
    are appended to.
    """
    server = _StubServer(reply)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/v1", server.requests
    finally:
        server.shutdown()
        server.server_close()
