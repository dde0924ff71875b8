"""llama.cpp's OpenAI-compatible server, run inside this process on loopback."""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import xllamacpp

from archedit.embedded.model_file import MODEL_NAME, EmbeddedModelError, model_path

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

logger = logging.getLogger(__name__)

_HOST = "127.0.0.1"
_READY_TIMEOUT_S = 15.0


class EmbeddedServer:
    """llama.cpp's OpenAI-compatible server, on a loopback port in this process.

    Args:
        model: GGUF file to serve; ``model_path()`` when omitted.
        n_parallel: Requests served at once (llama.cpp slots).
        n_ctx: Context tokens per slot; the server allocates
            ``n_ctx * n_parallel`` in total.
        threads: CPU threads for generation; all CPUs when omitted.
        port: Port to listen on; 0 picks a free one.
        verbosity: llama.cpp log threshold: 1 errors only, 2 adds warnings,
            3 adds progress lines.
    """

    def __init__(
        self,
        model: Path | None = None,
        *,
        n_parallel: int = 1,
        n_ctx: int = 4096,
        threads: int | None = None,
        port: int = 0,
        verbosity: int = 1,
    ) -> None:
        if n_parallel < 1 or n_ctx < 1:
            raise ValueError(
                f"n_parallel={n_parallel} and n_ctx={n_ctx} must both be at least 1"
            )
        self.model = model
        self.n_parallel = n_parallel
        self.n_ctx = n_ctx
        self.threads = threads or os.cpu_count() or 1
        self.port = port
        self.verbosity = verbosity
        self._server: Any = None
        self._base_url: str | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._server is not None

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, ending in ``/v1``.

        Raises:
            EmbeddedModelError: The server has not been started.
        """
        if self._base_url is None:
            raise EmbeddedModelError("the embedded server is not running; call start()")
        return self._base_url

    def start(self) -> str:
        """Load the model and listen; does nothing if already running.

        Returns:
            The OpenAI base URL, ending in ``/v1``.

        Raises:
            EmbeddedModelError: The model could not be loaded or the server did
                not answer.
        """
        with self._lock:
            if self._base_url is None:
                self._start()
            return self._base_url

    def _start(self) -> None:
        path = Path(self.model) if self.model is not None else model_path()
        if not path.is_file():
            raise EmbeddedModelError(
                f"model file {path} does not exist; pass an existing GGUF file or "
                "omit the model to fetch the default one"
            )
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.model_alias = {MODEL_NAME}
        params.hostnames = [_HOST]
        params.port = self.port
        params.n_parallel = self.n_parallel
        params.n_ctx = self.n_ctx * self.n_parallel
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.verbosity = self.verbosity
        params.ui = False
        # The default prompt cache may grow to 8 GiB; a 135M model needs far less.
        params.cache_ram_mib = 512
        started = time.monotonic()
        try:
            server = xllamacpp.Server(params)
        except RuntimeError as exc:
            raise EmbeddedModelError(
                f"llama.cpp could not serve {path} on port {self.port} ({exc}); "
                "check that the file is a GGUF model (delete a cached copy to "
                "fetch it again) and that the port is free"
            ) from exc
        base_url = f"{server.listening_address.rstrip('/')}/v1"
        try:
            _wait_until_ready(base_url)
        except EmbeddedModelError:
            del server
            raise
        self._server = server
        self._base_url = base_url
        logger.debug(
            "embedded server on %s after %.2f s", base_url, time.monotonic() - started
        )

    def stop(self) -> None:
        """Stop listening and free the model; does nothing if not running."""
        with self._lock:
            # Dropping the last reference is what shuts llama.cpp's server down.
            self._server = None
            self._base_url = None

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _wait_until_ready(base_url: str) -> None:
    deadline = time.monotonic() + _READY_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as reply:
                if reply.status == 200:
                    return
                problem = f"HTTP {reply.status}"
        except (urllib.error.URLError, OSError) as exc:
            problem = str(exc)
        if time.monotonic() > deadline:
            raise EmbeddedModelError(
                f"the embedded server at {base_url} did not answer /models "
                f"({problem}); check that nothing blocks loopback connections"
            )
        time.sleep(0.1)


_shared: EmbeddedServer | None = None
_shared_lock = threading.Lock()


def shared_server(n_parallel: int = 1) -> EmbeddedServer:
    """Return the process-wide embedded server, started on first use.

    Asking for more slots than the running server has restarts it with that
    many, on the same port when it is still free, so chat models already bound
    to its URL keep working; requests in flight during the restart fail.

    Args:
        n_parallel: Slots the caller needs.

    Returns:
        The running shared server.
    """
    global _shared
    with _shared_lock:
        if _shared is not None and _shared.n_parallel >= n_parallel:
            return _shared
        port = 0
        if _shared is not None:
            logger.info(
                "restarting the embedded server with %d slots (had %d)",
                n_parallel,
                _shared.n_parallel,
            )
            port = urlsplit(_shared.base_url).port or 0
            _shared.stop()
            _shared = None
        server = EmbeddedServer(n_parallel=n_parallel, port=port)
        try:
            server.start()
        except EmbeddedModelError:
            if port == 0:
                raise
            logger.warning("port %d was taken on restart; using a new port", port)
            server = EmbeddedServer(n_parallel=n_parallel)
            server.start()
        _shared = server
        return server


def stop_shared_server() -> None:
    """Stop the process-wide embedded server if it is running."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.stop()
            _shared = None


atexit.register(stop_shared_server)


def chat_model(server: EmbeddedServer | None = None, **kwargs: Any) -> ChatOpenAI:
    """Return a chat model talking to an embedded server, starting it if needed.

    Args:
        server: The server to use; the shared one when omitted.
        **kwargs: ``ChatOpenAI`` settings overriding the defaults here.

    Returns:
        A ``ChatOpenAI`` reporting token usage, also when streaming.
    """
    # Imported here because it takes about two seconds and most commands that
    # touch this module only need the model file.
    from langchain_openai import ChatOpenAI

    base_url = (server or shared_server()).start()
    settings: dict[str, Any] = {
        "temperature": 0.2,
        "max_tokens": 1024,
        "timeout": 300.0,
        "max_retries": 1,
        "stream_usage": True,
        **kwargs,
    }
    return ChatOpenAI(base_url=base_url, api_key="none", model=MODEL_NAME, **settings)
