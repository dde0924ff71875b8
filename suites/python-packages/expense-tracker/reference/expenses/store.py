"""Expenses in SQLite."""

import datetime


class ExpenseStore:
    def __init__(self, conn):
        self.conn = conn

    def add(
        self, day: datetime.date, amount_cents: int, category: str, note: str = ""
    ) -> int:
        if amount_cents <= 0:
            raise ValueError("amount must be positive")
        if not category:
            raise ValueError("category must not be empty")
        cursor = self.conn.execute(
            "INSERT INTO expenses (day, amount_cents, category, note) "
            "VALUES (?, ?, ?, ?)",
            (day.isoformat(), amount_cents, category, note),
        )
        self.conn.commit()
        return cursor.lastrowid

    def between(self, start: datetime.date, end: datetime.date) -> list[dict]:
        rows = self.conn.execute(
            "SELECT id, day, amount_cents, category, note FROM expenses "
            "WHERE day >= ? AND day <= ? ORDER BY day, id",
            (start.isoformat(), end.isoformat()),
        )
        return [
            {
                "id": row[0],
                "day": datetime.date.fromisoformat(row[1]),
                "amount_cents": row[2],
                "category": row[3],
                "note": row[4],
            }
            for row in rows
        ]
