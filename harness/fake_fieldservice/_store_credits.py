"""Store credit given to a customer, optionally applied to the customer's open invoices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import _customers, _invoices, _ledger, _sync_status
from ._errors import InvalidRequest, RuleViolation
from ._models import Application, StoreCredit
from ._money import ZERO, money_str, parse_money
from ._state import AppState


def create_store_credit(
    db: AppState,
    customer_id: str,
    amount: object,
    reason: object = None,
    applications: object = None,
    sync: dict[str, Any] | None = None,
) -> StoreCredit:
    customer = _customers.get_customer(db, customer_id)
    clean = parse_money(amount, "amount")
    if clean <= 0:
        raise InvalidRequest("amount must be more than zero")
    if reason is not None and not isinstance(reason, str):
        raise InvalidRequest("reason must be a string")
    apps = _credit_applications(db, applications, clean, customer.id)
    state = _sync_status.initial_sync(db, sync)
    now = db.clock.now()
    credit = StoreCredit(
        id=db.new_id("sc"),
        created_at=now,
        updated_at=now,
        customer_id=customer.id,
        amount=clean,
        reason=reason,
        applications=apps,
        sync=state,
    )
    db.store_credits[credit.id] = credit
    db.record_change("store_credit", credit.id, "create")
    return credit


def _credit_applications(
    db: AppState, raw: object, amount: Decimal, customer_id: str
) -> list[Application]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InvalidRequest("applications must be a list")
    apps: list[Application] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidRequest(f"applications[{index}] must be an object")
        invoice = _invoices.get_invoice(db, str(item.get("invoice_id")))
        if invoice.voided or invoice.customer_id != customer_id:
            raise RuleViolation(
                f"credit cannot be applied to invoice {invoice.number}",
                code="invoice_not_creditable",
            )
        applied = parse_money(item.get("amount"), f"applications[{index}].amount")
        already = sum((a.amount for a in apps if a.invoice_id == invoice.id), ZERO)
        if applied <= 0 or applied + already > invoice.total - _ledger.applied_to(db, invoice.id):
            raise RuleViolation(
                f"{money_str(applied)} does not fit invoice {invoice.number}'s open balance",
                code="exceeds_balance",
            )
        apps.append(Application(invoice_id=invoice.id, amount=applied))
    if sum((a.amount for a in apps), ZERO) > amount:
        raise RuleViolation("the applications exceed the credit", code="over_applied")
    return apps
