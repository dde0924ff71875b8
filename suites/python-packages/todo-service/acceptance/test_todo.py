"""Acceptance tests of the todo package; imports happen inside each test."""

import datetime
from unittest import mock

import pytest


def _repo():
    from todo.db import connect
    from todo.repository import TaskRepository

    return TaskRepository(connect())


def test_connect_creates_the_tasks_table():
    from todo.db import connect

    conn = connect()
    conn.execute("INSERT INTO tasks (title) VALUES ('x')")
    row = conn.execute("SELECT id, title, due, done FROM tasks").fetchone()
    assert row["title"] == "x" and row["done"] == 0 and row["due"] is None


def test_repository_add_get_returns_plain_dicts():
    repo = _repo()
    first = repo.add("buy milk")
    second = repo.add("pay rent", "2024-05-01")
    assert second != first
    assert repo.get(second) == {
        "id": second,
        "title": "pay rent",
        "due": "2024-05-01",
        "done": False,
    }
    assert repo.get(999) is None


def test_repository_list_set_done_and_delete():
    repo = _repo()
    a = repo.add("a")
    b = repo.add("b")
    assert repo.set_done(a) is True
    assert repo.set_done(999) is False
    assert [t["id"] for t in repo.list()] == [a, b]
    assert [t["id"] for t in repo.list(include_done=False)] == [b]
    assert repo.delete(b) is True
    assert repo.delete(b) is False


def test_service_create_strips_and_validates():
    from todo.service import TodoService

    repo = mock.Mock()
    repo.add.return_value = 7
    service = TodoService(repo)
    assert service.create("  walk  ", "2024-02-03") == 7
    repo.add.assert_called_once_with("walk", "2024-02-03")
    with pytest.raises(ValueError):
        service.create("   ")
    with pytest.raises(ValueError):
        service.create("x", "03/02/2024")
    assert repo.add.call_count == 1


def test_service_complete_of_a_missing_task_raises_key_error():
    from todo.service import TodoService

    repo = mock.Mock()
    repo.set_done.return_value = False
    with pytest.raises(KeyError):
        TodoService(repo).complete(3)
    repo.set_done.assert_called_once_with(3)


def test_service_overdue_is_sorted_by_due_date():
    from todo.service import TodoService

    repo = _repo()
    late = repo.add("late", "2024-01-10")
    later = repo.add("later", "2024-01-05")
    repo.add("future", "2024-12-31")
    repo.add("no date")
    done = repo.add("done", "2024-01-01")
    repo.set_done(done)
    service = TodoService(repo, today=lambda: datetime.date(2024, 6, 1))
    assert [t["id"] for t in service.overdue()] == [later, late]
    assert done not in [t["id"] for t in service.pending()]


def test_cli_add_then_list(tmp_path, capsys):
    from todo.cli import main

    db = str(tmp_path / "todo.db")
    assert main(["--db", db, "add", "write report", "--due", "2024-03-01"]) == 0
    new_id = capsys.readouterr().out.strip()
    assert main(["--db", db, "add", "relax"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "done", new_id]) == 0
    assert main(["--db", db, "list"]) == 0
    assert capsys.readouterr().out.splitlines() == ["2 [ ] relax"]
    assert main(["--db", db, "list", "--all"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "1 [x] write report (due 2024-03-01)",
        "2 [ ] relax",
    ]


def test_cli_errors_have_exit_codes(tmp_path, capsys):
    from todo.cli import main

    db = str(tmp_path / "todo.db")
    assert main(["--db", db, "done", "42"]) == 1
    assert "no task 42" in capsys.readouterr().err
    assert main(["--db", db, "add", "x", "--due", "tomorrow"]) == 2
    assert capsys.readouterr().err.strip()


def test_cli_overdue_lists_late_tasks(tmp_path, capsys):
    from todo.cli import main

    db = str(tmp_path / "todo.db")
    main(["--db", db, "add", "ancient", "--due", "2000-01-01"])
    main(["--db", db, "add", "far", "--due", "2999-01-01"])
    capsys.readouterr()
    assert main(["--db", db, "overdue"]) == 0
    assert capsys.readouterr().out.splitlines() == ["1 [ ] ancient (due 2000-01-01)"]
