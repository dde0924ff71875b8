"""Command line of the to-do list."""

import argparse
import sys

from todo.db import connect
from todo.repository import TaskRepository
from todo.service import TodoService


def _line(task: dict) -> str:
    mark = "x" if task["done"] else " "
    due = f" (due {task['due']})" if task["due"] else ""
    return f"{task['id']} [{mark}] {task['title']}{due}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="todo")
    parser.add_argument("--db", default="todo.db")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add")
    add.add_argument("title")
    add.add_argument("--due")
    commands.add_parser("done").add_argument("id", type=int)
    commands.add_parser("list").add_argument("--all", action="store_true")
    commands.add_parser("overdue")
    args = parser.parse_args(argv)
    service = TodoService(TaskRepository(connect(args.db)))
    if args.command == "add":
        try:
            print(service.create(args.title, args.due))
        except ValueError as err:
            print(err, file=sys.stderr)
            return 2
    elif args.command == "done":
        try:
            service.complete(args.id)
        except KeyError:
            print(f"no task {args.id}", file=sys.stderr)
            return 1
    elif args.command == "list":
        tasks = service.repository.list() if args.all else service.pending()
        for task in tasks:
            print(_line(task))
    else:
        for task in service.overdue():
            print(_line(task))
    return 0
