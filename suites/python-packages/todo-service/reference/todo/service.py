"""Rules of the to-do list on top of a repository."""

import datetime


class TodoService:
    def __init__(self, repository, today=datetime.date.today):
        self.repository = repository
        self.today = today

    def create(self, title: str, due: str | None = None) -> int:
        title = title.strip()
        if not title:
            raise ValueError("title must not be empty")
        if due is not None:
            try:
                datetime.date.fromisoformat(due)
            except ValueError as err:
                raise ValueError(f"due date {due!r} is not YYYY-MM-DD") from err
        return self.repository.add(title, due)

    def complete(self, task_id: int) -> None:
        if not self.repository.set_done(task_id):
            raise KeyError(task_id)

    def pending(self) -> list[dict]:
        return [t for t in self.repository.list() if not t["done"]]

    def overdue(self) -> list[dict]:
        today = self.today()
        late = [
            t
            for t in self.pending()
            if t["due"] and datetime.date.fromisoformat(t["due"]) < today
        ]
        return sorted(late, key=lambda t: (t["due"], t["id"]))
