from unittest import mock

from inventory.db import connect
from inventory.products import ProductRepository
from inventory.service import StockService


def test_shipping_below_the_level_notifies():
    products = ProductRepository(connect())
    products.add("a", "A", 6)
    notifier = mock.Mock()
    assert StockService(products, notifier).ship("a", 2) == 4
    notifier.low_stock.assert_called_once_with("a", 4)
