"""Command line of the shortener."""

import argparse
import sys

from shortener.db import connect
from shortener.repository import LinkRepository
from shortener.service import ShortenerService


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="shortener")
    parser.add_argument("--db", default="links.db")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("shorten").add_argument("url")
    commands.add_parser("open").add_argument("code")
    commands.add_parser("stats").add_argument("code")
    args = parser.parse_args(argv)
    service = ShortenerService(LinkRepository(connect(args.db)))
    if args.command == "shorten":
        try:
            print(service.shorten(args.url))
        except ValueError as err:
            print(err, file=sys.stderr)
            return 2
        return 0
    try:
        if args.command == "open":
            print(service.resolve(args.code))
        else:
            print(service.stats(args.code))
    except KeyError:
        print(f"unknown code {args.code}", file=sys.stderr)
        return 1
    return 0
