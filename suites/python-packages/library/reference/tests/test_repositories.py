import datetime

from library.books import BookRepository
from library.loans import LoanRepository
from library.members import MemberRepository
from library.models import Book, Loan, Member


def test_round_trip(conn):
    book = BookRepository(conn).add(Book(None, "Dune", "Herbert"))
    member = MemberRepository(conn).add(Member(None, "Ann", "ann@x.org"))
    day = datetime.date(2024, 1, 1)
    loan = LoanRepository(conn).add(Loan(None, book.id, member.id, day, day))
    assert LoanRepository(conn).get(loan.id) == loan
