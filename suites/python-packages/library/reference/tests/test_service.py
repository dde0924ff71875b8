import datetime
from unittest import mock

import pytest
from library.models import Book, Loan
from library.service import LibraryError, LibraryService

TODAY = datetime.date(2024, 3, 1)


def test_late_return_costs_a_fee():
    loans = mock.Mock()
    loans.get.return_value = Loan(1, 1, 1, TODAY, TODAY - datetime.timedelta(days=2))
    service = LibraryService(mock.Mock(), mock.Mock(), loans, clock=lambda: TODAY)
    assert service.give_back(1) == 0.5
    loans.mark_returned.assert_called_once_with(1, TODAY)


def test_no_copy_left():
    books, loans = mock.Mock(), mock.Mock()
    books.get.return_value = Book(1, "t", "a", 1)
    loans.open_for_book.return_value = [mock.Mock()]
    service = LibraryService(books, mock.Mock(), loans, clock=lambda: TODAY)
    with pytest.raises(LibraryError):
        service.lend(1, 1)
