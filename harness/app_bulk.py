"""The seeded bulk data (``harness.bulk_data``) in the shape the fake app's ``generate``
enters it (``harness.fake_fieldservice.BulkRecords``): the scenario adapter
(``harness.fieldservice_adapter``) hands this source to the app it builds, so the fake app
imports nothing of the harness above it. The same seed draws the same records as
``harness.qbd_bulk`` does for the fake company."""

from __future__ import annotations

from harness import bulk_data
from harness.fake_fieldservice import BulkInvoice, BulkRecords


def field_service_app(customers: int, products: int, invoices: int, seed: int) -> BulkRecords:
    """Customers, service products, and invoices of 1-3 lines, customers in turn."""
    data = bulk_data.company(seed, customers, products, invoices)
    return BulkRecords(
        data.customers, data.items, tuple(BulkInvoice(*invoice) for invoice in data.invoices)
    )
