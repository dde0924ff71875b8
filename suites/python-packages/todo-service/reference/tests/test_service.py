import datetime
from unittest import mock

import pytest
from todo.service import TodoService


def test_overdue_uses_today():
    repo = mock.Mock()
    repo.list.return_value = [
        {"id": 1, "title": "a", "due": "2024-01-01", "done": False},
        {"id": 2, "title": "b", "due": "2030-01-01", "done": False},
    ]
    service = TodoService(repo, today=lambda: datetime.date(2025, 1, 1))
    assert [t["id"] for t in service.overdue()] == [1]


def test_empty_title_is_refused():
    with pytest.raises(ValueError):
        TodoService(mock.Mock()).create("  ")
