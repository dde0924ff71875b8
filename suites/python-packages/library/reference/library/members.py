"""Members in SQLite."""

import sqlite3
from dataclasses import replace

from library.models import Member


class MemberRepository:
    def __init__(self, conn):
        self.conn = conn

    def add(self, member: Member) -> Member:
        try:
            cursor = self.conn.execute(
                "INSERT INTO members (name, email) VALUES (?, ?)",
                (member.name, member.email),
            )
        except sqlite3.IntegrityError as err:
            raise ValueError(f"email {member.email} is already registered") from err
        self.conn.commit()
        return replace(member, id=cursor.lastrowid)

    def get(self, member_id: int) -> Member | None:
        return self._one("id", member_id)

    def by_email(self, email: str) -> Member | None:
        return self._one("email", email)

    def _one(self, column: str, value) -> Member | None:
        row = self.conn.execute(
            f"SELECT id, name, email FROM members WHERE {column} = ?", (value,)
        ).fetchone()
        return Member(*row) if row else None
