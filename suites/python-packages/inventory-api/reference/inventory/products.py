"""Products in SQLite, as dicts."""

import sqlite3


class ProductRepository:
    def __init__(self, conn):
        self.conn = conn

    def add(self, sku: str, name: str, quantity: int = 0) -> None:
        try:
            self.conn.execute(
                "INSERT INTO products (sku, name, quantity) VALUES (?, ?, ?)",
                (sku, name, quantity),
            )
        except sqlite3.IntegrityError as err:
            raise ValueError(f"sku {sku} exists") from err
        self.conn.commit()

    def get(self, sku: str) -> dict | None:
        row = self.conn.execute(
            "SELECT sku, name, quantity FROM products WHERE sku = ?", (sku,)
        ).fetchone()
        return dict(zip(("sku", "name", "quantity"), row, strict=True)) if row else None

    def set_quantity(self, sku: str, quantity: int) -> None:
        self.conn.execute(
            "UPDATE products SET quantity = ? WHERE sku = ?", (quantity, sku)
        )
        self.conn.commit()

    def all(self) -> list[dict]:
        rows = self.conn.execute(
            "SELECT sku, name, quantity FROM products ORDER BY sku"
        )
        return [
            dict(zip(("sku", "name", "quantity"), row, strict=True)) for row in rows
        ]
