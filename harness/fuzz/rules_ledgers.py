"""The rules of the ledger areas (``stock``, ``credits``, ``deposits``): what a person does
to the inventory product's stock on either side, store credits given in the app, and a
customer's payments that the connector deposits. Each turns two small numbers into one raw
scenario step, or None (see ``rules``); the table lines are in ``rules.RULES``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from harness.fuzz.model import CUSTOMERS, METHOD, Model, money
from harness.fuzz.worlds import LOCATIONS, PRODUCT, SITES

#: Stock differences a person enters (always a difference, never a new quantity: see
#: ``model_stock``).
DIFFERENCES = (5, -2, 3, -1)
CREDITS = (Decimal("15.00"), Decimal("40.00"), Decimal("7.50"))
CUSTOMER_PAYMENTS = (Decimal("30.00"), Decimal("55.00"))

RawStep = dict[str, Any]


def has_stock(model: Model) -> bool:
    return model.stock is not None


def has_sites(model: Model) -> bool:
    return model.stock is not None and model.stock.sites


def deposits_made(model: Model) -> bool:
    return model.deposits is not None


def unapplied_payments(model: Model) -> list[str]:
    """Live app payments applied to no invoice (a customer's payment on account)."""
    return [p.reference for p in model.live("app") if not p.invoice]


def has_unapplied_payments(model: Model) -> bool:
    return bool(unapplied_payments(model))


# -- stock ----------------------------------------------------------------------------------


def adjust_stock(model: Model, a: int, b: int) -> RawStep:
    """An app stock adjustment at a location, by a difference."""
    return {
        "app.adjust_stock": {
            "product": PRODUCT,
            "location": LOCATIONS[a % len(LOCATIONS)],
            "quantity_difference": DIFFERENCES[b % len(DIFFERENCES)],
        }
    }


def transfer_stock(model: Model, a: int, b: int) -> RawStep:
    """An app transfer between the two locations."""
    source = LOCATIONS[a % len(LOCATIONS)]
    target = LOCATIONS[(a + 1) % len(LOCATIONS)]
    return {
        "app.transfer_stock": {
            "product": PRODUCT,
            "from_location": source,
            "to_location": target,
            "quantity": 1 + b % 3,
        }
    }


def adjust_quantity(model: Model, a: int, b: int) -> RawStep:
    """A QuickBooks adjustment by a Quantity Difference, at a site with Advanced Inventory
    (the unmatched site among them)."""
    adjust: dict[str, Any] = {
        "item": PRODUCT,
        "quantity_difference": DIFFERENCES[b % len(DIFFERENCES)],
    }
    if has_sites(model):
        adjust["site"] = SITES[a % len(SITES)]
    return {"qbd.adjust_quantity": adjust}


def transfer_inventory(model: Model, a: int, b: int) -> RawStep:
    """A QuickBooks transfer between two sites (the unmatched site among them)."""
    source = SITES[a % len(SITES)]
    target = SITES[(a + 1 + b % 2) % len(SITES)]
    return {
        "qbd.transfer_inventory": {
            "from_site": source,
            "to_site": target,
            "lines": [{"item": PRODUCT, "quantity": 1 + b % 3}],
        }
    }


# -- credits and deposits ----------------------------------------------------------------------


def give_store_credit(model: Model, a: int, b: int) -> RawStep:
    """An unapplied store credit for a customer (a credit memo in QuickBooks, IVC-10)."""
    return {
        "app.give_store_credit": {
            "customer": CUSTOMERS[a % len(CUSTOMERS)],
            "amount": money(CREDITS[b % len(CREDITS)]),
            "reason": "Goodwill",
        }
    }


def customer_payment(model: Model, a: int, b: int) -> RawStep:
    """A customer's payment on account, applied to no invoice: synced, then deposited to
    the bank (PAY-08, PAY-15)."""
    return {
        "app.record_payment": {
            "amount": money(CUSTOMER_PAYMENTS[b % len(CUSTOMER_PAYMENTS)]),
            "mode": METHOD,
            "customer": CUSTOMERS[a % len(CUSTOMERS)],
            "reference": model.next_reference("app"),
        }
    }


def void_customer_payment(model: Model, a: int, b: int) -> RawStep | None:
    """Void a payment on account in the app: gone from QuickBooks with its deposit
    (PAY-16)."""
    references = unapplied_payments(model)
    if not references:
        return None
    return {"app.void_payment": {"payment": references[a % len(references)]}}
