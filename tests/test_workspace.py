"""Output directory checks and atomic, contained writes."""

from __future__ import annotations

import os

import pytest

from archedit.workspace import WorkspaceError, prepare, write_file


def test_writes_nested_file(tmp_path):
    target = write_file(tmp_path, "pkg/sub/mod.py", "x = 1\n")
    assert target.read_text() == "x = 1\n"
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("path", ["../x.py", "/tmp/x.py", "a/../../x.py"])
def test_refuses_paths_outside(tmp_path, path):
    root = tmp_path / "out"
    root.mkdir()
    with pytest.raises(WorkspaceError):
        write_file(root, path, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_refuses_symlinked_directory(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "out"
    root.mkdir()
    os.symlink(outside, root / "pkg")
    with pytest.raises(WorkspaceError, match="symlink"):
        write_file(root, "pkg/mod.py", "x")
    assert list(outside.iterdir()) == []


def test_refuses_symlinked_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("keep")
    root = tmp_path / "out"
    root.mkdir()
    os.symlink(secret, root / "mod.py")
    with pytest.raises(WorkspaceError, match="symlink"):
        write_file(root, "mod.py", "x")
    assert secret.read_text() == "keep"


def test_prepare_refuses_a_file(tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(WorkspaceError, match="is a file"):
        prepare(path)


def test_prepare_refuses_unwritable_directory():
    # /proc/self is a directory nobody can create files in, root included.
    with pytest.raises(WorkspaceError, match="not writable"):
        prepare("/proc/self")
