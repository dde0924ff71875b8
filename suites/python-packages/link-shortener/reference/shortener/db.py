"""Opening the links database."""

import sqlite3


def connect(path: str = ":memory:") -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS links (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "url TEXT NOT NULL UNIQUE, code TEXT UNIQUE, hits INTEGER NOT NULL DEFAULT 0)"
    )
    conn.commit()
    return conn
