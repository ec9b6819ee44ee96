"""What has been applied to each invoice, by payments and store credits, and the balance and
status that follow from it. Reads only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ._models import Invoice
from ._money import ZERO, money_str
from ._state import AppState


def applied_to(db: AppState, invoice_id: str, *, exclude_payment: str | None = None) -> Decimal:
    total = ZERO
    for payment in db.payments.values():
        if payment.status != "active" or payment.id == exclude_payment:
            continue
        total += sum((a.amount for a in payment.applications if a.invoice_id == invoice_id), ZERO)
    return total + credit_applied_to(db, invoice_id)


def credit_applied_to(db: AppState, invoice_id: str) -> Decimal:
    return sum(
        (
            a.amount
            for c in db.store_credits.values()
            if c.status == "active"
            for a in c.applications
            if a.invoice_id == invoice_id
        ),
        ZERO,
    )


def balance(db: AppState, invoice: Invoice) -> Decimal:
    return invoice.total - applied_to(db, invoice.id)


def invoice_status(db: AppState, invoice: Invoice) -> str:
    if invoice.voided:
        return "void"
    if invoice.draft:
        return "draft"
    remaining = balance(db, invoice)
    if remaining <= 0:
        return "paid"
    if remaining < invoice.total:
        return "partially_paid"
    return "open"


def credit_history_for(db: AppState, invoice_id: str) -> list[dict[str, Any]]:
    return [
        {
            "store_credit_id": c.id,
            "amount": money_str(a.amount),
            "mode": "Store Credit",
            "date": c.created_at.date().isoformat(),
            "reference": c.reason,
            "status": c.status,
            "origin": "app",
        }
        for c in db.store_credits.values()
        for a in c.applications
        if a.invoice_id == invoice_id
    ]
