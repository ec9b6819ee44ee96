"""The app's state: every table, in plain dicts keyed by ID in creation order, and the
bookkeeping all operations share (IDs, the change feed, who is acting).

The per-domain operation modules (``_customers``, ``_invoices``, ``_payments``, ...) are
plain functions over this state; ``FieldServiceBackend`` (``_backend``) joins them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from harness.clock import SimClock

from ._errors import InvalidRequest
from ._models import (
    Category,
    Customer,
    Invoice,
    Location,
    Payment,
    PaymentMode,
    Product,
    StockMovement,
    StoreCredit,
    stamp,
)
from ._settings import Settings
from ._sync_issues import SyncIssues

#: Who made a change, as the change feed reports it.
ACTORS = ("app", "connector")
#: The first number an invoice gets when none is given.
FIRST_INVOICE_NUMBER = 1001


class AppState:
    """All the state of one app. Every create, update and delete appends to the change
    feed (``record_change``), flagged with who is acting (``acting_as``)."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self.settings = Settings()
        self.customers: dict[str, Customer] = {}
        self.payment_modes: dict[str, PaymentMode] = {}
        self.invoices: dict[str, Invoice] = {}
        self.deleted_invoices: dict[str, Invoice] = {}
        self.payments: dict[str, Payment] = {}
        self.categories: dict[str, Category] = {}
        self.locations: dict[str, Location] = {}
        self.products: dict[str, Product] = {}
        self.movements: dict[str, StockMovement] = {}
        self.store_credits: dict[str, StoreCredit] = {}
        self.changes: list[dict[str, Any]] = []
        self.sync_issues = SyncIssues(clock)
        self.next_invoice_number = FIRST_INVOICE_NUMBER
        self._counters: dict[str, int] = {}
        self._actor = "app"

    def new_id(self, prefix: str) -> str:
        self._counters[prefix] = self._counters.get(prefix, 0) + 1
        return f"{prefix}_{self._counters[prefix]:04d}"

    @contextmanager
    def acting_as(self, actor: str) -> Iterator[None]:
        """Changes made inside are flagged with this origin in the change feed."""
        if actor not in ACTORS:
            raise InvalidRequest(f"unknown change origin {actor!r}")
        previous, self._actor = self._actor, actor
        try:
            yield
        finally:
            self._actor = previous

    def record_change(self, entity: str, record_id: str, op: str, **extra: Any) -> None:
        entry = {
            "seq": len(self.changes) + 1,
            "entity": entity,
            "id": record_id,
            "op": op,
            "origin": self._actor,
            "at": stamp(self.clock.now()),
            "external_id": extra.pop("external_id", None),
            **extra,
        }
        self.changes.append(entry)
