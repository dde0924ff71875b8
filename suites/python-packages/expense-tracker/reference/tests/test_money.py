from expenses.money import format_cents, parse_amount


def test_amounts():
    assert parse_amount("12.5") == 1250
    assert format_cents(-5) == "-0.05"
