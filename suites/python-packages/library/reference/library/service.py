"""Lending rules of the library."""

import datetime

from library.models import Loan, Member


class LibraryError(Exception):
    pass


class LibraryService:
    def __init__(
        self,
        books,
        members,
        loans,
        clock=datetime.date.today,
        loan_days=14,
        max_loans=3,
        daily_fee=0.25,
    ):
        self.books = books
        self.members = members
        self.loans = loans
        self.clock = clock
        self.loan_days = loan_days
        self.max_loans = max_loans
        self.daily_fee = daily_fee

    def register(self, name: str, email: str) -> Member:
        try:
            return self.members.add(Member(None, name, email))
        except ValueError as err:
            raise LibraryError(str(err)) from err

    def available(self, book_id: int) -> int:
        book = self.books.get(book_id)
        if book is None:
            raise LibraryError(f"no book {book_id}")
        return book.copies - len(self.loans.open_for_book(book_id))

    def lend(self, book_id: int, member_id: int) -> Loan:
        if self.members.get(member_id) is None:
            raise LibraryError(f"no member {member_id}")
        if self.available(book_id) <= 0:
            raise LibraryError(f"no copy of book {book_id} is available")
        if len(self.loans.open_for_member(member_id)) >= self.max_loans:
            raise LibraryError(f"member {member_id} has too many loans")
        today = self.clock()
        due = today + datetime.timedelta(days=self.loan_days)
        return self.loans.add(Loan(None, book_id, member_id, today, due))

    def give_back(self, loan_id: int) -> float:
        loan = self.loans.get(loan_id)
        if loan is None:
            raise LibraryError(f"no loan {loan_id}")
        if loan.returned is not None:
            raise LibraryError(f"loan {loan_id} was already returned")
        today = self.clock()
        self.loans.mark_returned(loan_id, today)
        late = (today - loan.due).days
        return late * self.daily_fee if late > 0 else 0.0

    def overdue(self) -> list[Loan]:
        return self.loans.overdue(self.clock())
