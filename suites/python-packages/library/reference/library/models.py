"""The library's records."""

import datetime
from dataclasses import dataclass


@dataclass
class Book:
    id: int | None
    title: str
    author: str
    copies: int = 1


@dataclass
class Member:
    id: int | None
    name: str
    email: str


@dataclass
class Loan:
    id: int | None
    book_id: int
    member_id: int
    borrowed: datetime.date
    due: datetime.date
    returned: datetime.date | None = None
