"""The seeded bulk data (``harness.bulk_data``) in the shape the fake company's operator
enters it (``harness.fake_qbd.bulk``): the world hands this source to the company it builds,
so the fake QuickBooks company imports nothing of the harness above it."""

from __future__ import annotations

from harness import bulk_data
from harness.fake_qbd.bulk import BulkCompany, BulkInvoice


def quickbooks_company(customers: int, items: int, invoices: int, seed: int) -> BulkCompany:
    """Customers, service items, and invoices of 1-3 lines, customers in turn."""
    names = bulk_data.customer_names(seed, customers)
    catalogue = bulk_data.items(seed, items)
    if invoices and not (names and catalogue):
        raise ValueError("generating invoices needs customers and items")
    return BulkCompany(
        customers=tuple(names),
        items=tuple((item.name, item.price) for item in catalogue),
        invoices=tuple(
            BulkInvoice(
                names[number % len(names)],
                tuple(
                    (item.name, quantity, item.price)
                    for item, quantity in bulk_data.invoice_lines(seed, number, catalogue)
                ),
            )
            for number in range(invoices)
        ),
    )
