"""Amounts as integer cents."""

import re

_AMOUNT = re.compile(r"(\d+)(?:\.(\d{1,2}))?")


def parse_amount(text: str) -> int:
    match = _AMOUNT.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not an amount like 12.50")
    cents = (match[2] or "0").ljust(2, "0")
    return int(match[1]) * 100 + int(cents)


def format_cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"
