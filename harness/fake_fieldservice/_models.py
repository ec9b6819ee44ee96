"""Plain domain records of the field-service app. The backend holds and changes them.

Every record renders itself with ``to_dict()`` in the exact shape the HTTP API and
``snapshot()`` use, so in-process callers and the connector see the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from ._money import ZERO, money_str, quantity_str

SYNC_STATUSES = ("not_synced", "synced", "failed", "skipped")
PAYMENT_STATUSES = ("active", "voided", "failed", "deleted")
INVOICE_STATUSES = ("draft", "open", "partially_paid", "paid", "void")


def stamp(moment: datetime) -> str:
    return moment.isoformat()


@dataclass
class SyncState:
    """Per-record sync status, as TaxDome shows it (seed 003): Not synced, Synced, Failed,
    Skipped, with the exact error and a history of attempts (SYNC-01)."""

    status: str = "not_synced"
    error: str | None = None
    external_id: str | None = None
    # What a person asked for with "sync now" / "unsync" (seed 003), for the connector to act on.
    requested: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "error": self.error,
            "external_id": self.external_id,
            "requested": self.requested,
            "history": [dict(entry) for entry in self.history],
        }


@dataclass
class Record:
    id: str
    created_at: datetime
    updated_at: datetime

    def base_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": stamp(self.created_at),
            "updated_at": stamp(self.updated_at),
        }


@dataclass
class Customer(Record):
    name: str
    email: str | None = None
    phone: str | None = None
    archived: bool = False
    sync: SyncState = field(default_factory=SyncState)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.base_dict(),
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "archived": self.archived,
            "sync": self.sync.to_dict(),
        }


@dataclass
class PaymentMode(Record):
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.base_dict(), "name": self.name}


@dataclass
class InvoiceLine:
    description: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    taxable: bool = False
    product_id: str | None = None
    location_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "description": self.description,
            "quantity": quantity_str(self.quantity),
            "rate": money_str(self.rate),
            "amount": money_str(self.amount),
            "taxable": self.taxable,
            "location_id": self.location_id,
        }


@dataclass
class Application:
    invoice_id: str
    amount: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"invoice_id": self.invoice_id, "amount": money_str(self.amount)}


@dataclass
class Invoice(Record):
    number: str
    customer_id: str
    date: dt.date
    due_date: dt.date
    lines: list[InvoiceLine]
    draft: bool = False
    voided: bool = False
    sync: SyncState = field(default_factory=SyncState)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass
class Payment(Record):
    amount: Decimal
    mode: str
    date: dt.date
    customer_id: str | None
    applications: list[Application]
    reference: str | None = None
    status: str = "active"
    status_reason: str | None = None
    origin: str = "app"
    sync_to_qbd: bool = True
    history: list[dict[str, Any]] = field(default_factory=list)
    sync: SyncState = field(default_factory=SyncState)

    @property
    def applied(self) -> Decimal:
        return sum((app.amount for app in self.applications), ZERO)

    @property
    def unapplied(self) -> Decimal:
        """The excess of an overpayment: an unused credit (SYN, QBD-12)."""
        return self.amount - self.applied

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.base_dict(),
            "amount": money_str(self.amount),
            "mode": self.mode,
            "date": self.date.isoformat(),
            "reference": self.reference,
            "customer_id": self.customer_id,
            "applications": [app.to_dict() for app in self.applications],
            "unapplied": money_str(self.unapplied),
            "status": self.status,
            "status_reason": self.status_reason,
            "origin": self.origin,
            "sync_to_qbd": self.sync_to_qbd,
            "history": [dict(entry) for entry in self.history],
            "sync": self.sync.to_dict(),
        }


PRODUCT_KINDS = ("product", "part", "service")

#: A planned stock change: (product_id, location_id, quantity delta).
Movement = tuple[str, str, Decimal]


@dataclass
class Category(Record):
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.base_dict(), "name": self.name}


@dataclass
class Location(Record):
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.base_dict(), "name": self.name}


@dataclass
class Product(Record):
    name: str
    kind: str
    track_inventory: bool
    taxable: bool
    price: Decimal
    min_quantity: Decimal
    category_id: str | None
    description: str | None = None
    archived: bool = False
    stock: dict[str, Decimal] = field(default_factory=dict)
    sync: SyncState = field(default_factory=SyncState)

    @property
    def quantity(self) -> Decimal:
        return sum(self.stock.values(), Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.base_dict(),
            "name": self.name,
            "kind": self.kind,
            "track_inventory": self.track_inventory,
            "taxable": self.taxable,
            "price": money_str(self.price),
            "min_quantity": quantity_str(self.min_quantity),
            "category_id": self.category_id,
            "description": self.description,
            "archived": self.archived,
            "quantity": quantity_str(self.quantity),
            "stock": [
                {"location_id": loc, "quantity": quantity_str(qty)}
                for loc, qty in sorted(self.stock.items())
            ],
            "sync": self.sync.to_dict(),
        }


@dataclass
class StockMovement(Record):
    product_id: str
    location_id: str
    quantity: Decimal
    kind: str
    reason: str | None
    invoice_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.base_dict(),
            "product_id": self.product_id,
            "location_id": self.location_id,
            "quantity": quantity_str(self.quantity),
            "kind": self.kind,
            "reason": self.reason,
            "invoice_id": self.invoice_id,
        }


@dataclass
class StoreCredit(Record):
    """Credit given to a customer, applied to invoices; syncs as a QBD credit memo (PAY-18)."""

    customer_id: str
    amount: Decimal
    reason: str | None
    applications: list[Application] = field(default_factory=list)
    status: str = "active"
    sync: SyncState = field(default_factory=SyncState)

    def to_dict(self) -> dict[str, Any]:
        applied = sum((a.amount for a in self.applications), ZERO)
        return {
            **self.base_dict(),
            "customer_id": self.customer_id,
            "amount": money_str(self.amount),
            "reason": self.reason,
            "applications": [a.to_dict() for a in self.applications],
            "remaining": money_str(self.amount - applied),
            "status": self.status,
            "sync": self.sync.to_dict(),
        }
