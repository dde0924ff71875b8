"""Tasks in SQLite, as plain dicts."""


def _task(row) -> dict:
    return {
        "id": row["id"],
        "title": row["title"],
        "due": row["due"],
        "done": bool(row["done"]),
    }


class TaskRepository:
    def __init__(self, conn):
        self.conn = conn

    def add(self, title: str, due: str | None = None) -> int:
        cursor = self.conn.execute(
            "INSERT INTO tasks (title, due) VALUES (?, ?)", (title, due)
        )
        self.conn.commit()
        return cursor.lastrowid

    def get(self, task_id: int) -> dict | None:
        row = self.conn.execute(
            "SELECT * FROM tasks WHERE id = ?", (task_id,)
        ).fetchone()
        return _task(row) if row else None

    def list(self, include_done: bool = True) -> list[dict]:
        query = "SELECT * FROM tasks"
        if not include_done:
            query += " WHERE done = 0"
        return [_task(row) for row in self.conn.execute(query + " ORDER BY id")]

    def set_done(self, task_id: int) -> bool:
        cursor = self.conn.execute("UPDATE tasks SET done = 1 WHERE id = ?", (task_id,))
        self.conn.commit()
        return cursor.rowcount > 0

    def delete(self, task_id: int) -> bool:
        cursor = self.conn.execute("DELETE FROM tasks WHERE id = ?", (task_id,))
        self.conn.commit()
        return cursor.rowcount > 0
