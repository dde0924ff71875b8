"""A key-value store kept in one SQLite table."""

import sqlite3

_SCHEMA = "CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


class Store:
    """Keys and values in a SQLite file, committed on every write."""

    def __init__(self, path: str = ":memory:"):
        self._conn = sqlite3.connect(path)
        self._conn.execute(_SCHEMA)
        self._conn.commit()

    def set(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO items (key, value) VALUES (?, ?)", (key, value)
        )
        self._conn.commit()

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self._conn.execute(
            "SELECT value FROM items WHERE key = ?", (key,)
        ).fetchone()
        return row[0] if row else default

    def delete(self, key: str) -> bool:
        cursor = self._conn.execute("DELETE FROM items WHERE key = ?", (key,))
        self._conn.commit()
        return cursor.rowcount > 0

    def keys(self) -> list[str]:
        rows = self._conn.execute("SELECT key FROM items ORDER BY key")
        return [row[0] for row in rows]

    def close(self) -> None:
        self._conn.close()
