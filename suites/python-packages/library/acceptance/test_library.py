"""Acceptance tests of the library package; imports happen inside each test."""

import datetime
from unittest import mock

import pytest

TODAY = datetime.date(2024, 3, 1)


def _repos():
    from library.books import BookRepository
    from library.db import connect
    from library.loans import LoanRepository
    from library.members import MemberRepository

    conn = connect()
    return BookRepository(conn), MemberRepository(conn), LoanRepository(conn)


def _service(clock=lambda: TODAY, **options):
    from library.service import LibraryService

    return LibraryService(*_repos(), clock=clock, **options)


def test_models_are_dataclasses_with_defaults():
    from library.models import Book, Loan, Member

    assert Book(None, "t", "a").copies == 1
    assert Member(1, "n", "e").email == "e"
    loan = Loan(None, 1, 2, TODAY, TODAY)
    assert loan.returned is None
    assert loan == Loan(None, 1, 2, TODAY, TODAY)


def test_connect_enforces_foreign_keys():
    import sqlite3

    from library.db import connect

    conn = connect()
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO loans (book_id, member_id, borrowed, due) "
            "VALUES (1, 1, '2024-01-01', '2024-01-02')"
        )


def test_books_add_get_and_search():
    from library.models import Book

    books, _, _ = _repos()
    dune = books.add(Book(None, "Dune", "Frank Herbert", 2))
    emma = books.add(Book(99, "Emma", "Jane Austen"))
    assert dune.id is not None and emma.id != dune.id
    assert books.get(dune.id) == Book(dune.id, "Dune", "Frank Herbert", 2)
    assert books.get(12345) is None
    assert [b.title for b in books.search("AUSTEN")] == ["Emma"]
    assert [b.title for b in books.search("e")] == ["Dune", "Emma"]


def test_members_refuse_a_duplicate_email():
    from library.models import Member

    _, members, _ = _repos()
    ann = members.add(Member(None, "Ann", "ann@example.org"))
    assert members.by_email("ann@example.org") == ann
    assert members.get(ann.id).name == "Ann"
    assert members.by_email("nobody@example.org") is None
    with pytest.raises(ValueError):
        members.add(Member(None, "Other Ann", "ann@example.org"))


def test_loans_are_stored_with_dates():
    from library.models import Book, Loan, Member

    books, members, loans = _repos()
    book = books.add(Book(None, "B", "A"))
    member = members.add(Member(None, "M", "m@x"))
    due = TODAY + datetime.timedelta(days=3)
    loan = loans.add(Loan(None, book.id, member.id, TODAY, due))
    stored = loans.get(loan.id)
    assert stored.due == due and isinstance(stored.borrowed, datetime.date)
    assert loans.open_for_book(book.id) == [stored]
    assert loans.open_for_member(member.id) == [stored]
    assert loans.overdue(due + datetime.timedelta(days=1)) == [stored]
    loans.mark_returned(loan.id, due)
    assert loans.get(loan.id).returned == due
    assert loans.open_for_book(book.id) == []
    assert loans.overdue(due + datetime.timedelta(days=1)) == []


def test_lend_sets_the_due_date_and_uses_copies():
    from library.models import Book
    from library.service import LibraryError

    service = _service()
    book = service.books.add(Book(None, "B", "A", copies=1))
    ann = service.register("Ann", "ann@x")
    bob = service.register("Bob", "bob@x")
    loan = service.lend(book.id, ann.id)
    assert loan.id is not None
    assert (loan.borrowed, loan.due) == (TODAY, TODAY + datetime.timedelta(14))
    assert service.available(book.id) == 0
    with pytest.raises(LibraryError):
        service.lend(book.id, bob.id)


def test_lend_refuses_unknown_records_and_too_many_loans():
    from library.models import Book
    from library.service import LibraryError

    service = _service(max_loans=2)
    book = service.books.add(Book(None, "B", "A", copies=5))
    ann = service.register("Ann", "ann@x")
    with pytest.raises(LibraryError):
        service.lend(book.id, 999)
    with pytest.raises(LibraryError):
        service.lend(999, ann.id)
    service.lend(book.id, ann.id)
    service.lend(book.id, ann.id)
    with pytest.raises(LibraryError):
        service.lend(book.id, ann.id)
    with pytest.raises(LibraryError):
        service.register("Ann again", "ann@x")


def test_give_back_charges_whole_late_days():
    from library.models import Book
    from library.service import LibraryError

    days = iter([TODAY, TODAY + datetime.timedelta(days=17)])
    service = _service(clock=lambda: next(days))
    book = service.books.add(Book(None, "B", "A"))
    ann = service.register("Ann", "ann@x")
    loan = service.lend(book.id, ann.id)
    assert service.give_back(loan.id) == pytest.approx(0.75)
    assert service.available(book.id) == 1
    with pytest.raises(LibraryError):
        service.give_back(loan.id)
    with pytest.raises(LibraryError):
        service.give_back(424242)


def test_service_works_on_mocked_repositories():
    from library.models import Loan
    from library.service import LibraryService

    loans = mock.Mock()
    loans.get.return_value = Loan(4, 1, 2, TODAY, TODAY + datetime.timedelta(5))
    loans.overdue.return_value = []
    service = LibraryService(mock.Mock(), mock.Mock(), loans, clock=lambda: TODAY)
    assert service.give_back(4) == 0.0
    loans.mark_returned.assert_called_once_with(4, TODAY)
    assert service.overdue() == []
    loans.overdue.assert_called_once_with(TODAY)


def test_cli_runs_a_lending_round_trip(tmp_path, capsys):
    from library.cli import main

    db = str(tmp_path / "lib.db")
    assert main(["--db", db, "add-book", "Dune", "Herbert", "--copies", "2"]) == 0
    book_id = capsys.readouterr().out.strip()
    assert main(["--db", db, "register", "Ann", "ann@x"]) == 0
    member_id = capsys.readouterr().out.strip()
    assert main(["--db", db, "lend", book_id, member_id]) == 0
    loan_id, due = capsys.readouterr().out.split()
    datetime.date.fromisoformat(due)
    assert main(["--db", db, "return", loan_id]) == 0
    assert capsys.readouterr().out.strip() == "0.00"
    assert main(["--db", db, "search", "dune"]) == 0
    assert capsys.readouterr().out.strip() == f"{book_id}\tDune\tHerbert"


def test_cli_reports_library_errors(tmp_path, capsys):
    from library.cli import main

    assert main(["--db", str(tmp_path / "lib.db"), "lend", "1", "1"]) == 1
    assert capsys.readouterr().err.strip()


def test_cli_goes_through_open_service(capsys):
    from library import cli

    with mock.patch("library.cli.open_service") as open_service:
        service = open_service.return_value
        service.lend.return_value = mock.Mock(id=5, due=datetime.date(2024, 1, 2))
        assert cli.main(["--db", "x.db", "lend", "1", "2"]) == 0
    open_service.assert_called_once_with("x.db")
    service.lend.assert_called_once_with(1, 2)
    assert capsys.readouterr().out.strip() == "5 2024-01-02"
