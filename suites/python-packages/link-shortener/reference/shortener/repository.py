"""Links in SQLite, as dicts."""

_FIELDS = ("id", "url", "code", "hits")


class LinkRepository:
    def __init__(self, conn):
        self.conn = conn

    def add(self, url: str) -> int:
        cursor = self.conn.execute("INSERT INTO links (url) VALUES (?)", (url,))
        self.conn.commit()
        return cursor.lastrowid

    def set_code(self, link_id: int, code: str) -> None:
        self.conn.execute("UPDATE links SET code = ? WHERE id = ?", (code, link_id))
        self.conn.commit()

    def by_code(self, code: str) -> dict | None:
        return self._one("code", code)

    def by_url(self, url: str) -> dict | None:
        return self._one("url", url)

    def hit(self, code: str) -> None:
        self.conn.execute("UPDATE links SET hits = hits + 1 WHERE code = ?", (code,))
        self.conn.commit()

    def _one(self, column: str, value: str) -> dict | None:
        row = self.conn.execute(
            f"SELECT id, url, code, hits FROM links WHERE {column} = ?", (value,)
        ).fetchone()
        return dict(zip(_FIELDS, row, strict=True)) if row else None
