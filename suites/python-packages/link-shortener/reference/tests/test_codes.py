import pytest
from shortener.codes import decode, encode


@pytest.mark.parametrize("number, code", [(0, "0"), (61, "Z"), (62, "10")])
def test_table(number, code):
    assert encode(number) == code
    assert decode(code) == number
