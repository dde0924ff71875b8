from unittest import mock

from kv import cli


def test_set_calls_store():
    with mock.patch("kv.cli.Store") as store_class:
        assert cli.main(["--db", "x.db", "set", "k", "v"]) == 0
    store_class.assert_called_once_with("x.db")
    store_class.return_value.set.assert_called_once_with("k", "v")
