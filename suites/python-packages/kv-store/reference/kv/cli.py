"""Command line of the key-value store."""

import argparse

from kv.store import Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kv")
    parser.add_argument("--db", default="kv.db")
    commands = parser.add_subparsers(dest="command", required=True)
    setter = commands.add_parser("set")
    setter.add_argument("key")
    setter.add_argument("value")
    commands.add_parser("get").add_argument("key")
    commands.add_parser("delete").add_argument("key")
    commands.add_parser("keys")
    args = parser.parse_args(argv)
    store = Store(args.db)
    try:
        if args.command == "set":
            store.set(args.key, args.value)
            return 0
        if args.command == "get":
            value = store.get(args.key)
            if value is None:
                return 1
            print(value)
            return 0
        if args.command == "delete":
            return 0 if store.delete(args.key) else 1
        for key in store.keys():
            print(key)
        return 0
    finally:
        store.close()
