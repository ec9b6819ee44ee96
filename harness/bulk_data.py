"""Seeded fake data for bulk set-ups ("50 customers, 200 items"): the same seed gives the
same names and prices on every run and every machine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from faker import Faker

#: QuickBooks limits: Customer Name 41 characters, item Name 31 (qbxml130).
CUSTOMER_NAME_MAX = 41
ITEM_NAME_MAX = 31


@dataclass(frozen=True)
class FakeItem:
    name: str
    price: Decimal


@dataclass(frozen=True)
class FakeCompany:
    """What either side's bulk data source enters (``harness.qbd_bulk``,
    ``harness.app_bulk``), each in its own simulator's shape."""

    customers: tuple[str, ...]
    #: (name, price) of each service item.
    items: tuple[tuple[str, Decimal], ...]
    #: (customer, ((item name, quantity, rate), ...)) of each invoice.
    invoices: tuple[tuple[str, tuple[tuple[str, int, Decimal], ...]], ...]


def _faker(seed: int, stream: str) -> Faker:
    faker = Faker("en_US")
    # One stream per kind of record, so adding items does not change the customers.
    faker.seed_instance(f"{seed}:{stream}")
    return faker


def _unique(names: Iterator[str], limit: int) -> Iterator[str]:
    seen: set[str] = set()
    for name in names:
        base = name[:limit].strip()
        candidate, number = base, 2
        # QuickBooks names are unique regardless of case (QBD-02).
        while candidate.lower() in seen:
            suffix = f" {number}"
            candidate = base[: limit - len(suffix)].strip() + suffix
            number += 1
        seen.add(candidate.lower())
        yield candidate


def customer_names(seed: int, count: int) -> list[str]:
    faker = _faker(seed, "customers")
    names = _unique((faker.company() for _ in iter(int, 1)), CUSTOMER_NAME_MAX)
    return [next(names) for _ in range(count)]


def items(seed: int, count: int) -> list[FakeItem]:
    faker = _faker(seed, "items")
    names = _unique((f"{faker.word().title()} {faker.word()}" for _ in iter(int, 1)), ITEM_NAME_MAX)
    return [
        FakeItem(next(names), Decimal(faker.random_int(500, 50000)) / 100) for _ in range(count)
    ]


def invoice_lines(seed: int, number: int, catalogue: list[FakeItem]) -> list[tuple[FakeItem, int]]:
    """One to three lines for the ``number``-th generated invoice."""
    faker = _faker(seed, f"invoice-{number}")
    count = faker.random_int(1, min(3, len(catalogue)))
    return [
        (catalogue[faker.random_int(0, len(catalogue) - 1)], faker.random_int(1, 5))
        for _ in range(count)
    ]


def company(seed: int, customer_count: int, item_count: int, invoice_count: int) -> FakeCompany:
    """Customers, service items, and invoices of 1-3 lines, the customers in turn."""
    names = customer_names(seed, customer_count)
    catalogue = items(seed, item_count)
    if invoice_count and not (names and catalogue):
        raise ValueError("generating invoices needs customers and items")
    return FakeCompany(
        customers=tuple(names),
        items=tuple((item.name, item.price) for item in catalogue),
        invoices=tuple(
            (
                names[number % len(names)],
                tuple(
                    (item.name, quantity, item.price)
                    for item, quantity in invoice_lines(seed, number, catalogue)
                ),
            )
            for number in range(invoice_count)
        ),
    )
