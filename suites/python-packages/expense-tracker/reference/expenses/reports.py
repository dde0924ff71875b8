"""Monthly totals."""

import calendar
import datetime


def monthly_totals(store, year: int, month: int) -> dict[str, int]:
    last = calendar.monthrange(year, month)[1]
    totals: dict[str, int] = {}
    for row in store.between(
        datetime.date(year, month, 1), datetime.date(year, month, last)
    ):
        totals[row["category"]] = totals.get(row["category"], 0) + row["amount_cents"]
    return totals
