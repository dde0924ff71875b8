"""Acceptance tests of the kv package; imports happen inside each test."""

from unittest import mock


def test_get_returns_what_was_set():
    from kv.store import Store

    store = Store()
    store.set("colour", "blue")
    assert store.get("colour") == "blue"


def test_set_replaces_a_value():
    from kv.store import Store

    store = Store(":memory:")
    store.set("k", "1")
    store.set("k", "2")
    assert store.get("k") == "2"
    assert store.keys() == ["k"]


def test_get_of_a_missing_key_gives_the_default():
    from kv.store import Store

    store = Store()
    assert store.get("nope") is None
    assert store.get("nope", "fallback") == "fallback"


def test_delete_says_whether_the_key_existed():
    from kv.store import Store

    store = Store()
    store.set("k", "v")
    assert store.delete("k") is True
    assert store.delete("k") is False
    assert store.get("k") is None


def test_keys_are_sorted():
    from kv.store import Store

    store = Store()
    for key in ("pear", "apple", "fig"):
        store.set(key, "x")
    assert store.keys() == ["apple", "fig", "pear"]


def test_writes_persist_across_stores(tmp_path):
    from kv.store import Store

    path = str(tmp_path / "data.db")
    first = Store(path)
    first.set("a", "1")
    first.close()
    assert Store(path).get("a") == "1"


def test_cli_set_then_get_prints_the_value(tmp_path, capsys):
    from kv.cli import main

    db = str(tmp_path / "kv.db")
    assert main(["--db", db, "set", "name", "ada"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "get", "name"]) == 0
    assert capsys.readouterr().out.strip() == "ada"


def test_cli_get_of_a_missing_key_returns_1(tmp_path, capsys):
    from kv.cli import main

    assert main(["--db", str(tmp_path / "kv.db"), "get", "missing"]) == 1
    assert capsys.readouterr().out == ""


def test_cli_keys_prints_one_per_line(tmp_path, capsys):
    from kv.cli import main

    db = str(tmp_path / "kv.db")
    main(["--db", db, "set", "b", "2"])
    main(["--db", db, "set", "a", "1"])
    capsys.readouterr()
    assert main(["--db", db, "keys"]) == 0
    assert capsys.readouterr().out.split() == ["a", "b"]


def test_cli_uses_the_store_class_of_its_module():
    from kv import cli

    with mock.patch("kv.cli.Store") as store_class:
        store_class.return_value.delete.return_value = False
        assert cli.main(["--db", "x.db", "delete", "k"]) == 1
    store_class.assert_called_once_with("x.db")
    store_class.return_value.delete.assert_called_once_with("k")
    store_class.return_value.close.assert_called_once_with()
