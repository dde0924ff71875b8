"""Command line of the library."""

import argparse
import sys

from library.books import BookRepository
from library.db import connect
from library.loans import LoanRepository
from library.members import MemberRepository
from library.models import Book
from library.service import LibraryError, LibraryService


def open_service(path: str) -> LibraryService:
    conn = connect(path)
    return LibraryService(
        BookRepository(conn), MemberRepository(conn), LoanRepository(conn)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="library")
    parser.add_argument("--db", default="library.db")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-book")
    add.add_argument("title")
    add.add_argument("author")
    add.add_argument("--copies", type=int, default=1)
    register = commands.add_parser("register")
    register.add_argument("name")
    register.add_argument("email")
    lend = commands.add_parser("lend")
    lend.add_argument("book_id", type=int)
    lend.add_argument("member_id", type=int)
    commands.add_parser("return").add_argument("loan_id", type=int)
    commands.add_parser("search").add_argument("text")
    args = parser.parse_args(argv)
    service = open_service(args.db)
    try:
        if args.command == "add-book":
            book = service.books.add(Book(None, args.title, args.author, args.copies))
            print(book.id)
        elif args.command == "register":
            print(service.register(args.name, args.email).id)
        elif args.command == "lend":
            loan = service.lend(args.book_id, args.member_id)
            print(f"{loan.id} {loan.due.isoformat()}")
        elif args.command == "return":
            print(f"{service.give_back(args.loan_id):.2f}")
        else:
            for book in service.books.search(args.text):
                print(f"{book.id}\t{book.title}\t{book.author}")
    except LibraryError as err:
        print(err, file=sys.stderr)
        return 1
    return 0
