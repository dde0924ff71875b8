"""Base-62 short codes."""

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def encode(number: int) -> str:
    if number < 0:
        raise ValueError("number must not be negative")
    digits = []
    while True:
        number, digit = divmod(number, 62)
        digits.append(ALPHABET[digit])
        if number == 0:
            return "".join(reversed(digits))


def decode(code: str) -> int:
    if not code:
        raise ValueError("empty code")
    number = 0
    for char in code:
        index = ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"{char!r} is not a base-62 digit")
        number = number * 62 + index
    return number
