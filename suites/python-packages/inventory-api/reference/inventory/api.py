"""An HTTP-free API: request dicts in, response dicts out."""

from inventory.service import OutOfStock


def _count(request: dict) -> int:
    count = request["count"]
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        raise ValueError("bad count")
    return count


def handle(service, request: dict) -> dict:
    try:
        action = request["action"]
        if action == "add":
            service.products.add(
                request["sku"], request["name"], request.get("quantity", 0)
            )
            return {"ok": True}
        if action == "receive":
            return {
                "ok": True,
                "quantity": service.receive(request["sku"], _count(request)),
            }
        if action == "ship":
            return {
                "ok": True,
                "quantity": service.ship(request["sku"], _count(request)),
            }
        if action == "stock":
            product = service.products.get(request["sku"])
            if product is None:
                return {"ok": False, "error": "unknown_sku"}
            return {"ok": True, "quantity": product["quantity"]}
        if action == "low":
            return {"ok": True, "skus": service.low_stock()}
        return {"ok": False, "error": "bad_request"}
    except OutOfStock:
        return {"ok": False, "error": "out_of_stock"}
    except KeyError as err:
        if err.args and err.args[0] == request.get("sku"):
            return {"ok": False, "error": "unknown_sku"}
        return {"ok": False, "error": "bad_request"}
    except ValueError:
        if request.get("action") == "add":
            return {"ok": False, "error": "duplicate_sku"}
        return {"ok": False, "error": "bad_request"}
