"""Command line of the expense tracker."""

import argparse
import datetime
import sys

from expenses.db import connect
from expenses.importer import import_csv
from expenses.money import format_cents, parse_amount
from expenses.reports import monthly_totals
from expenses.store import ExpenseStore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="expenses")
    parser.add_argument("--db", default="expenses.db")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add")
    add.add_argument("date")
    add.add_argument("amount")
    add.add_argument("category")
    add.add_argument("--note", default="")
    commands.add_parser("month").add_argument("month")
    commands.add_parser("import").add_argument("file")
    args = parser.parse_args(argv)
    store = ExpenseStore(connect(args.db))
    try:
        if args.command == "add":
            day = datetime.date.fromisoformat(args.date)
            print(store.add(day, parse_amount(args.amount), args.category, args.note))
        elif args.command == "month":
            year, month = (int(part) for part in args.month.split("-"))
            totals = monthly_totals(store, year, month)
            for category in sorted(totals):
                print(f"{category} {format_cents(totals[category])}")
            print(f"total {format_cents(sum(totals.values()))}")
        else:
            with open(args.file, encoding="utf-8", newline="") as handle:
                print(f"imported {import_csv(store, handle)}")
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    return 0
