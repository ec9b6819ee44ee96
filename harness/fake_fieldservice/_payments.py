"""Payments: applied to one or more invoices of one customer, never beyond an open balance;
edited, voided, failed or deleted with a history entry for each change.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from . import _customers, _invoices, _ledger, _payment_modes, _sync_status
from ._errors import InvalidRequest, NotFound, RuleViolation, UnknownPaymentMode
from ._fields import clean_text, parse_date
from ._models import Application, Payment, stamp
from ._money import ZERO, money_str, parse_money
from ._state import AppState


def get_payment(db: AppState, payment_id: str) -> Payment:
    found = db.payments.get(payment_id)
    if found is None:
        raise NotFound(f"no payment with id {payment_id!r}")
    return found


def _check_mode(db: AppState, mode: object) -> str:
    name = clean_text(mode, "mode")
    assert name is not None
    if _payment_modes.find_payment_mode(db, name) is None:
        known = ", ".join(m.name for m in db.payment_modes.values())
        raise UnknownPaymentMode(
            f"payment mode {name!r} does not exist in the app (known: {known})"
        )
    return name


def _build_applications(
    db: AppState, raw: object, amount: Decimal, customer_id: str | None, exclude_payment: str | None
) -> tuple[list[Application], str | None]:
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise InvalidRequest("applications must be a list")
    apps: list[Application] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"applications[{index}]"
        if not isinstance(item, dict):
            raise InvalidRequest(f"{where} must be an object")
        invoice = _invoices.get_invoice(db, str(item.get("invoice_id")))
        if invoice.id in seen:
            raise InvalidRequest(f"{where}: invoice {invoice.number} is listed twice")
        seen.add(invoice.id)
        if invoice.voided:
            raise RuleViolation(
                f"invoice {invoice.number} is void; it cannot be paid", code="invoice_void"
            )
        if invoice.draft:
            raise RuleViolation(
                f"invoice {invoice.number} is a draft; it cannot be paid", code="invoice_draft"
            )
        applied = parse_money(item.get("amount"), f"{where}.amount")
        if applied <= 0:
            raise InvalidRequest(f"{where}.amount must be more than zero")
        open_balance = invoice.total - _ledger.applied_to(
            db, invoice.id, exclude_payment=exclude_payment
        )
        if applied > open_balance:
            raise RuleViolation(
                f"{money_str(applied)} is more than invoice {invoice.number}'s open balance "
                f"of {money_str(open_balance)}",
                code="exceeds_balance",
            )
        if customer_id is None:
            customer_id = invoice.customer_id
        elif invoice.customer_id != customer_id:
            raise RuleViolation(
                f"invoice {invoice.number} belongs to another customer",
                code="customer_mismatch",
            )
        apps.append(Application(invoice_id=invoice.id, amount=applied))
    applied_total = sum((a.amount for a in apps), ZERO)
    if applied_total > amount:
        raise RuleViolation(
            f"the applications add up to {money_str(applied_total)}, more than the "
            f"payment's {money_str(amount)}",
            code="over_applied",
        )
    if customer_id is None:
        raise InvalidRequest("a payment applied to no invoice needs a customer_id")
    return apps, customer_id


def create_payment(
    db: AppState,
    amount: object,
    mode: object,
    applications: object = None,
    date_: object = None,
    reference: object = None,
    customer_id: object = None,
    origin: object = "app",
    sync_to_qbd: object = None,
    sync: dict[str, Any] | None = None,
) -> Payment:
    clean_amount = parse_money(amount, "amount")
    # QuickBooks records $0 received payments (a credit applied to an invoice), so one
    # coming from there is accepted; a person cannot record a $0 payment in the app.
    if clean_amount < 0 or (clean_amount == 0 and origin != "qbd"):
        raise InvalidRequest("amount must be more than zero")
    mode_name = _check_mode(db, mode)
    customer = _customers.get_customer(db, str(customer_id)).id if customer_id is not None else None
    apps, customer = _build_applications(db, applications, clean_amount, customer, None)
    on = parse_date(date_, "date") if date_ is not None else db.clock.now().date()
    if origin not in ("app", "qbd"):
        raise InvalidRequest('origin must be "app" or "qbd"')
    if sync_to_qbd is not None and not isinstance(sync_to_qbd, bool):
        raise InvalidRequest("sync_to_qbd must be true, false or null")
    if sync_to_qbd is None:
        # The per-payment checkbox follows the setting unless set (seed 003); a payment
        # that came from QuickBooks is already there.
        sync_to_qbd = True if origin == "qbd" else db.settings.sync_manual_payments
    state = _sync_status.initial_sync(db, sync)
    if not sync and not sync_to_qbd:
        state.status = "skipped"
        state.error = "sync to QuickBooks is off for this payment"
    now = db.clock.now()
    payment = Payment(
        id=db.new_id("pay"),
        created_at=now,
        updated_at=now,
        amount=clean_amount,
        mode=mode_name,
        date=on,
        customer_id=customer,
        applications=apps,
        reference=clean_text(reference, "reference", required=False),
        origin=str(origin),
        sync_to_qbd=sync_to_qbd,
        sync=state,
    )
    payment.history.append({"at": stamp(now), "event": "created", "changes": {}})
    db.payments[payment.id] = payment
    db.record_change("payment", payment.id, "create")
    return payment


def _require_active(db: AppState, payment: Payment, action: str) -> None:
    if payment.status != "active":
        raise RuleViolation(
            f"payment {payment.id} is {payment.status}; it cannot be {action}",
            code="payment_not_active",
        )


def update_payment(db: AppState, payment_id: str, changes: dict[str, Any]) -> Payment:
    payment = get_payment(db, payment_id)
    _require_active(db, payment, "edited")
    clean: dict[str, Any] = {}
    for key in changes:
        if key not in ("amount", "mode", "date", "reference", "applications", "sync_to_qbd"):
            raise InvalidRequest(f"payments have no editable field {key!r}")
    amount = payment.amount
    if "amount" in changes:
        amount = parse_money(changes["amount"], "amount")
        if amount <= 0:
            raise InvalidRequest("amount must be more than zero")
        clean["amount"] = amount
    if "mode" in changes:
        clean["mode"] = _check_mode(db, changes["mode"])
    if "date" in changes:
        clean["date"] = parse_date(changes["date"], "date")
    if "reference" in changes:
        clean["reference"] = clean_text(changes["reference"], "reference", required=False)
    if "sync_to_qbd" in changes:
        if not isinstance(changes["sync_to_qbd"], bool):
            raise InvalidRequest("sync_to_qbd must be true or false")
        clean["sync_to_qbd"] = changes["sync_to_qbd"]
    raw_apps = changes.get("applications")
    if raw_apps is None:
        raw_apps = [a.to_dict() for a in payment.applications]
    apps, _ = _build_applications(db, raw_apps, amount, payment.customer_id, payment.id)
    if "applications" in changes:
        clean["applications"] = apps
    diff: dict[str, Any] = {}
    for key, value in clean.items():
        old = getattr(payment, key)
        if key == "applications":
            before, after = [a.to_dict() for a in old], [a.to_dict() for a in value]
        else:
            before, after = _wire(old), _wire(value)
        if before != after:
            diff[key] = {"from": before, "to": after}
    if not diff:
        return payment
    for key, value in clean.items():
        setattr(payment, key, value)
    payment.updated_at = db.clock.now()
    payment.history.append({"at": stamp(db.clock.now()), "event": "edited", "changes": diff})
    db.record_change("payment", payment.id, "update")
    return payment


def _wire(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money_str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _set_payment_status(
    db: AppState, payment_id: str, status: str, action: str, reason: str | None = None
) -> Payment:
    payment = get_payment(db, payment_id)
    _require_active(db, payment, action)
    payment.status = status
    payment.status_reason = reason
    payment.updated_at = db.clock.now()
    payment.history.append(
        {
            "at": stamp(db.clock.now()),
            "event": status,
            "reason": reason,
            "changes": {"status": {"from": "active", "to": status}},
        }
    )
    db.record_change("payment", payment.id, "delete" if status == "deleted" else "update")
    return payment


def void_payment(db: AppState, payment_id: str, reason: str | None = None) -> Payment:
    return _set_payment_status(db, payment_id, "voided", "voided", reason)


def fail_payment(db: AppState, payment_id: str, reason: str = "card declined") -> Payment:
    """A payment that failed after the fact (a bounced card, seed 004): the invoice
    reopens and the connector reverts it in QuickBooks (PAY-16)."""
    return _set_payment_status(db, payment_id, "failed", "failed", reason)


def delete_payment(db: AppState, payment_id: str) -> Payment:
    """Marked deleted, not removed, so the invoice history still shows it (PAY-11)."""
    return _set_payment_status(db, payment_id, "deleted", "deleted")
