"""Stock rules."""


class OutOfStock(Exception):
    pass


class StockService:
    def __init__(self, products, notifier=None, low_level=5):
        self.products = products
        self.notifier = notifier
        self.low_level = low_level

    def _quantity(self, sku: str, count: int) -> int:
        if not isinstance(count, int) or count <= 0:
            raise ValueError("count must be a positive integer")
        product = self.products.get(sku)
        if product is None:
            raise KeyError(sku)
        return product["quantity"]

    def receive(self, sku: str, count: int) -> int:
        quantity = self._quantity(sku, count) + count
        self.products.set_quantity(sku, quantity)
        return quantity

    def ship(self, sku: str, count: int) -> int:
        quantity = self._quantity(sku, count)
        if quantity < count:
            raise OutOfStock(sku)
        quantity -= count
        self.products.set_quantity(sku, quantity)
        if quantity < self.low_level and self.notifier is not None:
            self.notifier.low_stock(sku, quantity)
        return quantity

    def low_stock(self) -> list[str]:
        return [p["sku"] for p in self.products.all() if p["quantity"] < self.low_level]
