"""Opening the expenses database."""

import sqlite3


def connect(path: str = ":memory:") -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS expenses (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "day TEXT NOT NULL, amount_cents INTEGER NOT NULL, category TEXT NOT NULL, "
        "note TEXT NOT NULL DEFAULT '')"
    )
    conn.commit()
    return conn
