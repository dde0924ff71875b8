from kv.store import Store


def test_set_get_delete():
    store = Store()
    store.set("a", "1")
    assert store.get("a") == "1"
    assert store.delete("a") is True
    assert store.get("a", "none") == "none"
