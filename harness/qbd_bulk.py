"""The seeded bulk data (``harness.bulk_data``) in the shape the fake company's operator
enters it (``harness.fake_qbd.bulk``): the world hands this source to the company it builds,
so the fake QuickBooks company imports nothing of the harness above it."""

from __future__ import annotations

from harness import bulk_data
from harness.fake_qbd.bulk import BulkCompany, BulkInvoice


def quickbooks_company(customers: int, items: int, invoices: int, seed: int) -> BulkCompany:
    """Customers, service items, and invoices of 1-3 lines, customers in turn."""
    data = bulk_data.company(seed, customers, items, invoices)
    return BulkCompany(
        data.customers, data.items, tuple(BulkInvoice(*invoice) for invoice in data.invoices)
    )
