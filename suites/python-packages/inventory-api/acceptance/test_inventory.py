"""Acceptance tests of the inventory package; imports happen inside each test."""

from unittest import mock

import pytest


def _products():
    from inventory.db import connect
    from inventory.products import ProductRepository

    return ProductRepository(connect())


def _service(notifier=None, **stock):
    from inventory.service import StockService

    products = _products()
    for sku, quantity in stock.items():
        products.add(sku, sku.upper(), quantity)
    return StockService(products, notifier)


def test_repository_add_get_all():
    products = _products()
    products.add("b-2", "Bolt", 10)
    products.add("a-1", "Anchor")
    assert products.get("a-1") == {"sku": "a-1", "name": "Anchor", "quantity": 0}
    assert products.get("zzz") is None
    assert [p["sku"] for p in products.all()] == ["a-1", "b-2"]
    products.set_quantity("b-2", 3)
    assert products.get("b-2")["quantity"] == 3
    with pytest.raises(ValueError):
        products.add("a-1", "Again")


def test_receive_adds_stock():
    service = _service(nut=1)
    assert service.receive("nut", 4) == 5
    assert service.products.get("nut")["quantity"] == 5
    with pytest.raises(ValueError):
        service.receive("nut", 0)
    with pytest.raises(KeyError):
        service.receive("nope", 1)


def test_ship_removes_stock_or_refuses():
    from inventory.service import OutOfStock

    service = _service(nut=10)
    assert service.ship("nut", 3) == 7
    with pytest.raises(OutOfStock):
        service.ship("nut", 8)
    assert service.products.get("nut")["quantity"] == 7
    with pytest.raises(ValueError):
        service.ship("nut", -1)
    with pytest.raises(KeyError):
        service.ship("nope", 1)


def test_ship_below_the_low_level_notifies_once():
    notifier = mock.Mock()
    service = _service(notifier, nut=7, bolt=100)
    service.ship("nut", 1)
    notifier.low_stock.assert_not_called()
    service.ship("bolt", 1)
    service.ship("nut", 3)
    notifier.low_stock.assert_called_once_with("nut", 3)


def test_ship_without_a_notifier_works():
    assert _service(nut=2).ship("nut", 2) == 0


def test_low_stock_lists_skus_below_the_level():
    from inventory.service import StockService

    products = _products()
    for sku, quantity in (("c", 1), ("a", 4), ("b", 5), ("d", 0)):
        products.add(sku, sku, quantity)
    assert StockService(products).low_stock() == ["a", "c", "d"]
    assert StockService(products, low_level=1).low_stock() == ["d"]


def test_api_round_trip_on_a_real_database():
    from inventory.api import handle

    service = _service()
    assert handle(service, {"action": "add", "sku": "s", "name": "Screw"}) == {
        "ok": True
    }
    assert handle(service, {"action": "receive", "sku": "s", "count": 9}) == {
        "ok": True,
        "quantity": 9,
    }
    assert handle(service, {"action": "ship", "sku": "s", "count": 6}) == {
        "ok": True,
        "quantity": 3,
    }
    assert handle(service, {"action": "stock", "sku": "s"}) == {
        "ok": True,
        "quantity": 3,
    }
    assert handle(service, {"action": "low"}) == {"ok": True, "skus": ["s"]}


def test_api_error_codes():
    from inventory.api import handle

    service = _service(s=1)
    cases = [
        ({"action": "ship", "sku": "s", "count": 2}, "out_of_stock"),
        ({"action": "ship", "sku": "x", "count": 1}, "unknown_sku"),
        ({"action": "stock", "sku": "x"}, "unknown_sku"),
        ({"action": "add", "sku": "s", "name": "again"}, "duplicate_sku"),
        ({"action": "receive", "sku": "s", "count": 0}, "bad_request"),
        ({"action": "receive", "sku": "s"}, "bad_request"),
        ({"action": "dance"}, "bad_request"),
        ({}, "bad_request"),
    ]
    for request, code in cases:
        assert handle(service, request) == {"ok": False, "error": code}, request


def test_api_calls_the_service():
    from inventory.api import handle
    from inventory.service import OutOfStock

    service = mock.Mock()
    service.receive.return_value = 12
    assert handle(service, {"action": "receive", "sku": "q", "count": 2}) == {
        "ok": True,
        "quantity": 12,
    }
    service.receive.assert_called_once_with("q", 2)
    service.ship.side_effect = OutOfStock("q")
    assert handle(service, {"action": "ship", "sku": "q", "count": 1})["error"] == (
        "out_of_stock"
    )
