from unittest import mock

from library import cli


def test_return_prints_the_fee(capsys):
    with mock.patch("library.cli.open_service") as open_service:
        open_service.return_value.give_back.return_value = 0.5
        assert cli.main(["return", "3"]) == 0
    assert capsys.readouterr().out.strip() == "0.50"
