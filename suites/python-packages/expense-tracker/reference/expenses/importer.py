"""Importing expenses from CSV."""

import csv
import datetime

from expenses.money import parse_amount


def import_csv(store, lines) -> int:
    reader = csv.reader(lines)
    header = next(reader, None)
    if header != ["date", "amount", "category", "note"]:
        raise ValueError("line 1: header must be date,amount,category,note")
    rows = []
    for number, row in enumerate(reader, 2):
        try:
            day, amount, category, note = row
            parsed = (datetime.date.fromisoformat(day), parse_amount(amount))
            if not category:
                raise ValueError("empty category")
        except ValueError as err:
            raise ValueError(f"line {number}: {err}") from err
        rows.append((*parsed, category, note))
    for row in rows:
        store.add(*row)
    return len(rows)
