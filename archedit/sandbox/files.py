"""The per-run workspace copy: written safely, handed over, removed."""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import tempfile
from collections.abc import Mapping

logger = logging.getLogger(__name__)


def check_relative(path: str) -> None:
    """Reject a path that is not a normalised relative path inside a directory.

    Raises:
        ValueError: if ``path`` is empty, absolute, not normalised, uses
            backslashes or NUL, or climbs out with ``..``.
    """
    if (
        not path
        or path.startswith("/")
        or posixpath.normpath(path) != path
        or ".." in path.split("/")
        or "\\" in path
        or "\0" in path
    ):
        raise ValueError(
            f"workspace path {path!r} is not a normalised relative path inside "
            "the workspace; use forward slashes and no '.', '..' or leading '/'"
        )


def make_workspace(files: Mapping[str, str], owner: int | None) -> str:
    """Write ``files`` into a fresh private directory and return its path.

    Files are created exclusively without following symlinks. When ``owner``
    is given, the directory and everything in it is handed to that uid/gid.

    Raises:
        ValueError: if a path fails :func:`check_relative`.
    """
    for path in files:
        check_relative(path)
    root = tempfile.mkdtemp(prefix="archedit-ws-")
    try:
        for path, text in files.items():
            target = os.path.join(root, path)
            os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
            with open(os.open(target, flags, 0o644), "w", encoding="utf-8") as out:
                out.write(text)
        if owner is not None:
            _chown_tree(root, owner)
    except BaseException:
        remove_workspace(root)
        raise
    return root


def remove_workspace(root: str) -> None:
    """Delete a workspace, even one whose directories the program locked."""
    try:
        _unlock(root)
        shutil.rmtree(root)
    except OSError as err:
        logger.warning("could not remove workspace %s: %s", root, err)


def _chown_tree(root: str, owner: int) -> None:
    os.chown(root, owner, owner)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in (*dirnames, *filenames):
            os.chown(os.path.join(dirpath, name), owner, owner, follow_symlinks=False)


def _unlock(root: str) -> None:
    """Make every directory searchable again, never through a symlink."""
    os.chmod(root, 0o700)
    for dirpath, dirnames, _ in os.walk(root):
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, 0o700)
