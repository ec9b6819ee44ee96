"""Stock per product and location, changed only by movements in a ledger, so stock always
equals the sum of movements.

Consumption through invoices lowers stock at the designated location (INV-07, seed 001);
going below zero is refused unless "Allow Negative Stock Balance" is on (INV-14).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from . import _catalogue
from ._errors import InsufficientStock, InvalidRequest, RuleViolation
from ._models import InvoiceLine, Movement, Product, StockMovement
from ._money import parse_decimal, quantity_str
from ._state import AppState


def _check_stock(db: AppState, planned: list[Movement]) -> None:
    """Refuse the whole batch if any product would end below zero somewhere (INV-14)."""
    if db.settings.allow_negative_stock:
        return
    result: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for product_id, location_id, delta in planned:
        result[(product_id, location_id)] += delta
    for (product_id, location_id), delta in result.items():
        product = db.products[product_id]
        after = product.stock.get(location_id, Decimal(0)) + delta
        if delta < 0 and after < 0:
            raise InsufficientStock(
                f"{product.name} would go to {quantity_str(after)} at "
                f"{db.locations[location_id].name}; negative stock is not allowed"
            )


def plan_consumption(
    db: AppState, lines: list[InvoiceLine], pending: list[Movement] | None = None
) -> list[Movement]:
    """Consumption through invoices, only when the module tracking it is Invoice (INV-15)."""
    if db.settings.consumption_module != "Invoice":
        return []
    planned: list[Movement] = []
    for line in lines:
        if line.product_id is None:
            continue
        product = db.products[line.product_id]
        if not product.track_inventory or line.quantity == 0:
            continue
        location_id = line.location_id or _catalogue.designated_location(db).id
        planned.append((product.id, location_id, -line.quantity))
    _check_stock(db, [*(pending or []), *planned])
    return planned


def plan_reversal(db: AppState, invoice_id: str) -> list[Movement]:
    """Give back exactly what this invoice consumed, per the ledger."""
    net: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for movement in db.movements.values():
        if movement.invoice_id == invoice_id:
            net[(movement.product_id, movement.location_id)] += movement.quantity
    return [(p, loc, -qty) for (p, loc), qty in net.items() if qty != 0]


def net_movements(planned: list[Movement]) -> list[Movement]:
    net: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for product_id, location_id, delta in planned:
        net[(product_id, location_id)] += delta
    return [(p, loc, qty) for (p, loc), qty in net.items() if qty != 0]


def apply_movements(
    db: AppState,
    planned: list[Movement],
    reason: str | None,
    invoice_id: str | None = None,
    kind: str | None = None,
) -> None:
    touched: list[str] = []
    for product_id, location_id, delta in planned:
        movement_kind = kind or ("consumption" if delta < 0 else "return")
        _move(db, product_id, location_id, delta, movement_kind, reason, invoice_id)
        if product_id not in touched:
            touched.append(product_id)
    for product_id in touched:
        db.products[product_id].updated_at = db.clock.now()
        db.record_change("product", product_id, "update")


def _move(
    db: AppState,
    product_id: str,
    location_id: str,
    delta: Decimal,
    kind: str,
    reason: str | None,
    invoice_id: str | None,
) -> StockMovement:
    now = db.clock.now()
    movement = StockMovement(
        id=db.new_id("mov"),
        created_at=now,
        updated_at=now,
        product_id=product_id,
        location_id=location_id,
        quantity=delta,
        kind=kind,
        reason=reason,
        invoice_id=invoice_id,
    )
    db.movements[movement.id] = movement
    product = db.products[product_id]
    product.stock[location_id] = product.stock.get(location_id, Decimal(0)) + delta
    return movement


def _tracked(db: AppState, product_id: str) -> Product:
    product = _catalogue.get_product(db, product_id)
    if not product.track_inventory:
        raise RuleViolation(
            f"{product.name} does not track inventory", code="not_inventory_tracked"
        )
    return product


def adjust_stock(
    db: AppState,
    product_id: str,
    location_id: str | None,
    *,
    quantity_difference: object = None,
    new_quantity: object = None,
    reason: str | None = None,
) -> Product:
    """Set (new quantity) or change (difference) stock at one location, as QuickBooks'
    Adjust Quantity on Hand does (seed 001, INV-06)."""
    product = _tracked(db, product_id)
    location = (
        _catalogue.get_location(db, location_id)
        if location_id
        else _catalogue.designated_location(db)
    )
    if (quantity_difference is None) == (new_quantity is None):
        raise InvalidRequest("give exactly one of quantity_difference or new_quantity")
    current = product.stock.get(location.id, Decimal(0))
    if new_quantity is not None:
        delta = parse_decimal(new_quantity, "new_quantity") - current
    else:
        delta = parse_decimal(quantity_difference, "quantity_difference")
    _check_stock(db, [(product.id, location.id, delta)])
    if delta != 0 or location.id not in product.stock:
        _move(db, product.id, location.id, delta, "adjustment", reason, None)
        product.updated_at = db.clock.now()
        db.record_change("product", product.id, "update")
    return product


def transfer_stock(
    db: AppState,
    product_id: str,
    from_location_id: str,
    to_location_id: str,
    quantity: object,
    reason: str | None = None,
) -> Product:
    """Moves stock between locations; the total does not change (INV-12)."""
    product = _tracked(db, product_id)
    source = _catalogue.get_location(db, from_location_id)
    target = _catalogue.get_location(db, to_location_id)
    if source.id == target.id:
        raise InvalidRequest("a transfer needs two different locations")
    amount = parse_decimal(quantity, "quantity")
    if amount <= 0:
        raise InvalidRequest("quantity must be more than zero")
    _check_stock(db, [(product.id, source.id, -amount)])
    _move(db, product.id, source.id, -amount, "transfer_out", reason, None)
    _move(db, product.id, target.id, amount, "transfer_in", reason, None)
    product.updated_at = db.clock.now()
    db.record_change("product", product.id, "update", transfer=True)
    return product
