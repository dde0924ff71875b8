"""Opening the inventory database."""

import sqlite3


def connect(path: str = ":memory:") -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS products (sku TEXT PRIMARY KEY, "
        "name TEXT NOT NULL, quantity INTEGER NOT NULL)"
    )
    conn.commit()
    return conn
