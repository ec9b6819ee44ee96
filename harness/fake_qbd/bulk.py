"""Bulk data a person entered over the years, in the shape the operator enters it.

The fake company makes up no names itself: whoever builds it (the harness world) hands it a
``BulkDataSource``, so the fake stands on nothing of the harness above it
(``harness.qbd_bulk.quickbooks_company`` is the seeded one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class BulkInvoice:
    customer: str
    #: (item name, quantity, rate) per line.
    lines: tuple[tuple[str, int, Decimal], ...]


@dataclass(frozen=True)
class BulkCompany:
    customers: tuple[str, ...]
    #: (name, price) of each service item.
    items: tuple[tuple[str, Decimal], ...]
    invoices: tuple[BulkInvoice, ...]


#: (customers, items, invoices, seed) -> the data to enter; the same seed, the same data.
BulkDataSource = Callable[[int, int, int, int], BulkCompany]
