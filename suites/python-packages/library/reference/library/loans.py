"""Loans in SQLite."""

import datetime
from dataclasses import replace

from library.models import Loan

_COLUMNS = "id, book_id, member_id, borrowed, due, returned"


def _loan(row) -> Loan:
    day = datetime.date.fromisoformat
    return Loan(
        row[0], row[1], row[2], day(row[3]), day(row[4]), row[5] and day(row[5])
    )


class LoanRepository:
    def __init__(self, conn):
        self.conn = conn

    def add(self, loan: Loan) -> Loan:
        cursor = self.conn.execute(
            "INSERT INTO loans (book_id, member_id, borrowed, due, returned) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                loan.book_id,
                loan.member_id,
                loan.borrowed.isoformat(),
                loan.due.isoformat(),
                loan.returned.isoformat() if loan.returned else None,
            ),
        )
        self.conn.commit()
        return replace(loan, id=cursor.lastrowid)

    def get(self, loan_id: int) -> Loan | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM loans WHERE id = ?", (loan_id,)
        ).fetchone()
        return _loan(row) if row else None

    def open_for_book(self, book_id: int) -> list[Loan]:
        return self._open("book_id", book_id)

    def open_for_member(self, member_id: int) -> list[Loan]:
        return self._open("member_id", member_id)

    def mark_returned(self, loan_id: int, day: datetime.date) -> None:
        self.conn.execute(
            "UPDATE loans SET returned = ? WHERE id = ?", (day.isoformat(), loan_id)
        )
        self.conn.commit()

    def overdue(self, today: datetime.date) -> list[Loan]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM loans WHERE returned IS NULL AND due < ? "
            "ORDER BY due, id",
            (today.isoformat(),),
        )
        return [_loan(row) for row in rows]

    def _open(self, column: str, value: int) -> list[Loan]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM loans WHERE {column} = ? AND returned IS NULL "
            "ORDER BY id",
            (value,),
        )
        return [_loan(row) for row in rows]
