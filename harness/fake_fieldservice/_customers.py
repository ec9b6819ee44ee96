"""Customers: created, edited, archived, and deleted only while nothing refers to them."""

from __future__ import annotations

from typing import Any

from . import _sync_status
from ._errors import Conflict, InvalidRequest, NotFound, RuleViolation
from ._fields import clean_text
from ._models import Customer
from ._state import AppState


def get_customer(db: AppState, customer_id: str) -> Customer:
    found = db.customers.get(customer_id)
    if found is None:
        raise NotFound(f"no customer with id {customer_id!r}")
    return found


def customer_by_name(db: AppState, name: str) -> Customer:
    for customer in db.customers.values():
        if customer.name == name:
            return customer
    raise NotFound(f"no customer named {name!r}")


def _check_customer_name(db: AppState, name: str, exclude: str | None = None) -> None:
    # Matched without regard to case, as QuickBooks will (QBD-02): two app customers that
    # differ only in case could never both sync.
    for customer in db.customers.values():
        if customer.id != exclude and customer.name.casefold() == name.casefold():
            raise Conflict(
                f"a customer named {customer.name!r} already exists", code="duplicate_name"
            )


def create_customer(
    db: AppState,
    name: object,
    email: object = None,
    phone: object = None,
    archived: object = False,
    sync: dict[str, Any] | None = None,
) -> Customer:
    clean_name = clean_text(name, "name")
    assert clean_name is not None
    _check_customer_name(db, clean_name)
    if not isinstance(archived, bool):
        raise InvalidRequest("archived must be true or false")
    state = _sync_status.initial_sync(db, sync)
    now = db.clock.now()
    customer = Customer(
        id=db.new_id("cus"),
        created_at=now,
        updated_at=now,
        name=clean_name,
        email=clean_text(email, "email", required=False),
        phone=clean_text(phone, "phone", required=False),
        archived=archived,
        sync=state,
    )
    db.customers[customer.id] = customer
    db.record_change("customer", customer.id, "create")
    return customer


def update_customer(db: AppState, customer_id: str, changes: dict[str, Any]) -> Customer:
    customer = get_customer(db, customer_id)
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "name":
            clean["name"] = clean_text(value, "name")
            _check_customer_name(db, clean["name"], exclude=customer.id)
        elif key in ("email", "phone"):
            clean[key] = clean_text(value, key, required=False)
        elif key == "archived":
            if not isinstance(value, bool):
                raise InvalidRequest("archived must be true or false")
            clean[key] = value
        else:
            raise InvalidRequest(f"customers have no editable field {key!r}")
    for key, value in clean.items():
        setattr(customer, key, value)
    customer.updated_at = db.clock.now()
    db.record_change("customer", customer.id, "update")
    return customer


def delete_customer(db: AppState, customer_id: str) -> Customer:
    customer = get_customer(db, customer_id)
    in_use = (
        any(i.customer_id == customer.id for i in db.invoices.values())
        or any(p.customer_id == customer.id for p in db.payments.values())
        or any(c.customer_id == customer.id for c in db.store_credits.values())
    )
    if in_use:
        raise RuleViolation(
            f"customer {customer.name!r} has invoices, payments or credits; archive it",
            code="customer_in_use",
        )
    del db.customers[customer.id]
    db.record_change("customer", customer.id, "delete", external_id=customer.sync.external_id)
    return customer
