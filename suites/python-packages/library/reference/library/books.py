"""Books in SQLite."""

from dataclasses import replace

from library.models import Book


class BookRepository:
    def __init__(self, conn):
        self.conn = conn

    def add(self, book: Book) -> Book:
        cursor = self.conn.execute(
            "INSERT INTO books (title, author, copies) VALUES (?, ?, ?)",
            (book.title, book.author, book.copies),
        )
        self.conn.commit()
        return replace(book, id=cursor.lastrowid)

    def get(self, book_id: int) -> Book | None:
        row = self.conn.execute(
            "SELECT id, title, author, copies FROM books WHERE id = ?", (book_id,)
        ).fetchone()
        return Book(*row) if row else None

    def search(self, text: str) -> list[Book]:
        pattern = f"%{text.lower()}%"
        rows = self.conn.execute(
            "SELECT id, title, author, copies FROM books WHERE lower(title) LIKE ? "
            "OR lower(author) LIKE ? ORDER BY title",
            (pattern, pattern),
        )
        return [Book(*row) for row in rows]
