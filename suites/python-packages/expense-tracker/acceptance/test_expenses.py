"""Acceptance tests of the expenses package; imports happen inside each test."""

import datetime
from unittest import mock

import pytest

D = datetime.date


def _store():
    from expenses.db import connect
    from expenses.store import ExpenseStore

    return ExpenseStore(connect())


def test_parse_amount_table():
    from expenses.money import parse_amount

    table = {"12.50": 1250, "3": 300, "0.05": 5, " 7.1 ": 710, "100.00": 10000}
    for text, cents in table.items():
        assert parse_amount(text) == cents, text
    for bad in ("", "abc", "1.234", "-3", "1,50"):
        with pytest.raises(ValueError):
            parse_amount(bad)


def test_format_cents_table():
    from expenses.money import format_cents

    assert format_cents(1250) == "12.50"
    assert format_cents(5) == "0.05"
    assert format_cents(0) == "0.00"
    assert format_cents(-5) == "-0.05"
    assert format_cents(123456) == "1234.56"


def test_store_add_and_between():
    store = _store()
    late = store.add(D(2024, 3, 31), 500, "rent", "march")
    early = store.add(D(2024, 3, 1), 250, "food")
    store.add(D(2024, 4, 1), 100, "food")
    rows = store.between(D(2024, 3, 1), D(2024, 3, 31))
    assert [row["id"] for row in rows] == [early, late]
    assert rows[1] == {
        "id": late,
        "day": D(2024, 3, 31),
        "amount_cents": 500,
        "category": "rent",
        "note": "march",
    }
    with pytest.raises(ValueError):
        store.add(D(2024, 3, 1), 0, "food")
    with pytest.raises(ValueError):
        store.add(D(2024, 3, 1), 10, "")


def test_monthly_totals_on_a_real_store():
    from expenses.reports import monthly_totals

    store = _store()
    store.add(D(2024, 2, 1), 100, "food")
    store.add(D(2024, 2, 29), 250, "food")
    store.add(D(2024, 2, 10), 999, "rent")
    store.add(D(2024, 3, 1), 5000, "food")
    assert monthly_totals(store, 2024, 2) == {"food": 350, "rent": 999}
    assert monthly_totals(store, 2024, 5) == {}


def test_monthly_totals_asks_the_store_for_the_whole_month():
    from expenses.reports import monthly_totals

    store = mock.Mock()
    store.between.return_value = []
    monthly_totals(store, 2023, 12)
    store.between.assert_called_once_with(D(2023, 12, 1), D(2023, 12, 31))


def test_import_csv_adds_every_row():
    from expenses.importer import import_csv

    store = mock.Mock()
    lines = [
        "date,amount,category,note",
        "2024-01-02,3.50,coffee,",
        "2024-01-03,12,books,a novel",
    ]
    assert import_csv(store, lines) == 2
    assert store.add.call_args_list == [
        mock.call(D(2024, 1, 2), 350, "coffee", ""),
        mock.call(D(2024, 1, 3), 1200, "books", "a novel"),
    ]


def test_import_csv_rejects_a_bad_row_before_adding_anything():
    from expenses.importer import import_csv

    store = mock.Mock()
    lines = [
        "date,amount,category,note",
        "2024-01-02,3.50,coffee,",
        "2024-01-03,lots,books,",
    ]
    with pytest.raises(ValueError, match=r"^line 3:"):
        import_csv(store, lines)
    store.add.assert_not_called()


def test_cli_add_and_month(tmp_path, capsys):
    from expenses.cli import main

    db = str(tmp_path / "e.db")
    assert main(["--db", db, "add", "2024-05-01", "4.20", "food"]) == 0
    assert capsys.readouterr().out.strip() == "1"
    main(["--db", db, "add", "2024-05-03", "10", "books", "--note", "x"])
    main(["--db", db, "add", "2024-05-04", "0.80", "food"])
    capsys.readouterr()
    assert main(["--db", db, "month", "2024-05"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "books 10.00",
        "food 5.00",
        "total 15.00",
    ]


def test_cli_import_and_errors(tmp_path, capsys):
    from expenses.cli import main

    db = str(tmp_path / "e.db")
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("date,amount,category,note\n2024-06-01,1.00,misc,\n")
    assert main(["--db", db, "import", str(csv_file)]) == 0
    assert capsys.readouterr().out.strip() == "imported 1"
    assert main(["--db", db, "add", "2024-06-01", "free", "misc"]) == 2
    assert capsys.readouterr().err.strip()
