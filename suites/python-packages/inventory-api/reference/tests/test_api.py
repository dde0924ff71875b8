from unittest import mock

from inventory.api import handle
from inventory.service import OutOfStock


def test_out_of_stock_is_reported():
    service = mock.Mock()
    service.ship.side_effect = OutOfStock("a")
    assert handle(service, {"action": "ship", "sku": "a", "count": 1}) == {
        "ok": False,
        "error": "out_of_stock",
    }
