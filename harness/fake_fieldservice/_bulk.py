"""Bulk data a company already had in the app, in the shape ``generate`` enters it.

The fake app makes up no records itself: whoever builds it hands it a ``BulkDataSource``,
so the app stands on nothing of the harness above it (``harness.app_bulk.field_service_app``
is the seeded one, which ``harness.fieldservice_adapter`` hands in).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class BulkInvoice:
    customer: str
    #: (product name, quantity, rate) per line.
    lines: tuple[tuple[str, int, Decimal], ...]


@dataclass(frozen=True)
class BulkRecords:
    customers: tuple[str, ...]
    #: (name, price) of each service product.
    products: tuple[tuple[str, Decimal], ...]
    invoices: tuple[BulkInvoice, ...]


#: (customers, products, invoices, seed) -> the records to enter; the same seed, the same data.
BulkDataSource = Callable[[int, int, int, int], BulkRecords]
