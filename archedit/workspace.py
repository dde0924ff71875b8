"""The output directory: checked before a run, written atomically after it.

Paths were validated when the blueprint was planned; they are validated again
here, and no symlink on the way is followed, so nothing lands outside the
directory and a crash never leaves half a file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from archedit.blueprint import normalise_path


class WorkspaceError(RuntimeError):
    """An output directory that cannot take the run's files."""


def prepare(out_dir: str | os.PathLike[str]) -> Path:
    """Create ``out_dir`` if needed and prove it is a writable directory."""
    root = Path(out_dir).expanduser().absolute()
    if root.exists() and not root.is_dir():
        raise WorkspaceError(
            f"output path {root} is a file; choose a directory with --out"
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".write-test-"):
            pass
    except OSError as err:
        raise WorkspaceError(
            f"output directory {root} is not writable ({err.strerror}); "
            "choose another with --out or fix its permissions"
        ) from err
    return root


def write_file(root: Path, relative: str, text: str) -> Path:
    """Write ``text`` to ``root/relative`` atomically, refusing to leave root.

    Raises:
        WorkspaceError: if the path is unsafe or a symlink lies on the way.
    """
    try:
        clean = normalise_path(relative)
    except ValueError as err:
        raise WorkspaceError(str(err)) from err
    target = root / clean
    current = root
    for part in Path(clean).parts[:-1]:
        current = current / part
        _refuse_symlink(current, relative)
        current.mkdir(exist_ok=True)
    _refuse_symlink(target, relative)
    atomic_write(target, text)
    return target


def atomic_write(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` so no reader ever sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _refuse_symlink(path: Path, relative: str) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise WorkspaceError(
            f"refusing to write {relative!r}: {path} is a symlink; remove it "
            "or choose a clean output directory"
        )
