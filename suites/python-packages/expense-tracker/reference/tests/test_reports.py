import datetime
from unittest import mock

from expenses.reports import monthly_totals


def test_totals_by_category():
    store = mock.Mock()
    day = datetime.date(2024, 2, 3)
    store.between.return_value = [
        {"id": 1, "day": day, "amount_cents": 100, "category": "food", "note": ""},
        {"id": 2, "day": day, "amount_cents": 50, "category": "food", "note": ""},
    ]
    assert monthly_totals(store, 2024, 2) == {"food": 150}
    store.between.assert_called_once_with(day.replace(day=1), day.replace(day=29))
