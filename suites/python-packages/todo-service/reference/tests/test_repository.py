from todo.db import connect
from todo.repository import TaskRepository


def test_add_and_complete():
    repo = TaskRepository(connect())
    task_id = repo.add("write", "2024-01-01")
    assert repo.set_done(task_id)
    assert repo.get(task_id)["done"] is True
