"""Invoices: numbered, with lines that may consume stock; a voided or deleted invoice gives
its stock back and frees what was applied to it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import _catalogue, _customers, _ledger, _stock, _sync_status
from ._errors import Conflict, InvalidRequest, NotFound, RuleViolation
from ._fields import clean_text, parse_date
from ._models import Invoice, InvoiceLine, Payment, stamp
from ._money import ZERO, money_str, parse_decimal, parse_money, round_money
from ._state import AppState

#: Net 30 when an invoice names no due date; the seeds do not say, so this is a choice.
DEFAULT_TERMS_DAYS = 30


def get_invoice(db: AppState, invoice_id: str) -> Invoice:
    found = db.invoices.get(invoice_id)
    if found is None:
        if invoice_id in db.deleted_invoices:
            raise NotFound(f"invoice {invoice_id!r} was deleted", code="deleted")
        raise NotFound(f"no invoice with id {invoice_id!r}")
    return found


def invoice_by_number(db: AppState, number: str) -> Invoice:
    for invoice in db.invoices.values():
        if invoice.number == number:
            return invoice
    raise NotFound(f"no invoice numbered {number!r}")


def invoice_dict(db: AppState, invoice: Invoice) -> dict[str, Any]:
    history = []
    for payment in db.payments.values():
        for app in payment.applications:
            if app.invoice_id == invoice.id:
                history.append(
                    {
                        "payment_id": payment.id,
                        "amount": money_str(app.amount),
                        "mode": payment.mode,
                        "date": payment.date.isoformat(),
                        "reference": payment.reference,
                        "status": payment.status,
                        "origin": payment.origin,
                    }
                )
    history.extend(_ledger.credit_history_for(db, invoice.id))
    return {
        **invoice.base_dict(),
        "number": invoice.number,
        "customer_id": invoice.customer_id,
        "date": invoice.date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "lines": [line.to_dict() for line in invoice.lines],
        "total": money_str(invoice.total),
        "balance": money_str(_ledger.balance(db, invoice)),
        "status": _ledger.invoice_status(db, invoice),
        "payments": history,
        "sync": invoice.sync.to_dict(),
    }


def _check_number(db: AppState, number: str, exclude: str | None = None) -> None:
    for invoice in db.invoices.values():
        if invoice.id != exclude and invoice.number == number:
            raise Conflict(f"invoice number {number!r} is already used", code="duplicate_number")


def _auto_number(db: AppState) -> str:
    used = {invoice.number for invoice in db.invoices.values()}
    while str(db.next_invoice_number) in used:
        db.next_invoice_number += 1
    number = str(db.next_invoice_number)
    db.next_invoice_number += 1
    return number


def _build_lines(db: AppState, raw_lines: object) -> list[InvoiceLine]:
    if not isinstance(raw_lines, list):
        raise InvalidRequest("lines must be a list")
    lines = []
    for index, raw in enumerate(raw_lines):
        where = f"lines[{index}]"
        if not isinstance(raw, dict):
            raise InvalidRequest(f"{where} must be an object")
        product = None
        product_id = raw.get("product_id")
        if product_id is not None:
            product = _catalogue.get_product(db, str(product_id))
        description = raw.get("description")
        if description is None and product is not None:
            description = product.name
        description = clean_text(description, f"{where}.description")
        quantity = parse_decimal(raw.get("quantity", "1"), f"{where}.quantity")
        rate_raw = raw.get("rate")
        if rate_raw is None and product is not None:
            rate = product.price
        else:
            rate = parse_money(rate_raw, f"{where}.rate", allow_negative=True)
        amount = round_money(quantity * rate)
        if raw.get("amount") is not None:
            given = parse_money(raw["amount"], f"{where}.amount", allow_negative=True)
            if given != amount:
                raise InvalidRequest(
                    f"{where}.amount {money_str(given)} is not quantity x rate "
                    f"({money_str(amount)})"
                )
        taxable = raw.get("taxable")
        if taxable is None:
            taxable = product.taxable if product is not None else False
        if not isinstance(taxable, bool):
            raise InvalidRequest(f"{where}.taxable must be true or false")
        location_id = raw.get("location_id")
        if location_id is not None:
            _catalogue.get_location(db, str(location_id))
        lines.append(
            InvoiceLine(
                description=description or "",
                quantity=quantity,
                rate=rate,
                amount=amount,
                taxable=taxable,
                product_id=product.id if product else None,
                location_id=location_id,
            )
        )
    return lines


def create_invoice(
    db: AppState,
    customer_id: object,
    lines: object = None,
    number: object = None,
    date_: object = None,
    due_date: object = None,
    draft: object = False,
    sync: dict[str, Any] | None = None,
) -> Invoice:
    customer = _customers.get_customer(db, str(customer_id))
    built = _build_lines(db, [] if lines is None else lines)
    clean_number = clean_text(number, "number", required=False) or _auto_number(db)
    _check_number(db, clean_number)
    on = parse_date(date_, "date") if date_ is not None else db.clock.now().date()
    due = (
        parse_date(due_date, "due_date")
        if due_date is not None
        else on + timedelta(days=DEFAULT_TERMS_DAYS)
    )
    if not isinstance(draft, bool):
        raise InvalidRequest("draft must be true or false")
    state = _sync_status.initial_sync(db, sync)
    movements = _stock.plan_consumption(db, built) if not draft else []
    now = db.clock.now()
    invoice = Invoice(
        id=db.new_id("inv"),
        created_at=now,
        updated_at=now,
        number=clean_number,
        customer_id=customer.id,
        date=on,
        due_date=due,
        lines=built,
        draft=draft,
        sync=state,
    )
    db.invoices[invoice.id] = invoice
    db.record_change("invoice", invoice.id, "create")
    _stock.apply_movements(db, movements, reason=f"invoice {invoice.number}", invoice_id=invoice.id)
    return invoice


def update_invoice(db: AppState, invoice_id: str, changes: dict[str, Any]) -> Invoice:
    invoice = get_invoice(db, invoice_id)
    if invoice.voided:
        raise RuleViolation(f"invoice {invoice.number} is void", code="invoice_void")
    clean: dict[str, Any] = {}
    movements: list[Any] = []
    for key, value in changes.items():
        if key == "number":
            clean["number"] = clean_text(value, "number")
            _check_number(db, clean["number"], exclude=invoice.id)
        elif key == "customer_id":
            clean["customer_id"] = _customers.get_customer(db, str(value)).id
        elif key == "lines":
            clean["lines"] = _build_lines(db, value)
        elif key == "date":
            clean["date"] = parse_date(value, "date")
        elif key == "due_date":
            clean["due_date"] = parse_date(value, "due_date")
        elif key == "draft":
            if not isinstance(value, bool):
                raise InvalidRequest("draft must be true or false")
            clean["draft"] = value
        elif key == "status":
            if value != "void":
                raise InvalidRequest('status is computed from the balance; only "void" can be set')
            clean["voided"] = True
        else:
            raise InvalidRequest(f"invoices have no editable field {key!r}")
    if clean.get("customer_id", invoice.customer_id) != invoice.customer_id and (
        _ledger.applied_to(db, invoice.id) > 0
    ):
        raise RuleViolation(
            "an invoice with payments cannot change customer", code="invoice_has_payments"
        )
    if clean.get("draft") and not invoice.draft and _ledger.applied_to(db, invoice.id) > 0:
        raise RuleViolation(
            "an invoice with payments cannot go back to draft", code="invoice_has_payments"
        )
    new_lines = clean.get("lines", invoice.lines)
    new_total = sum((line.amount for line in new_lines), ZERO)
    if not clean.get("voided") and new_total < _ledger.applied_to(db, invoice.id):
        raise RuleViolation(
            f"the new total {money_str(new_total)} is less than the "
            f"{money_str(_ledger.applied_to(db, invoice.id))} already paid",
            code="total_below_payments",
        )
    if any(key in clean for key in ("lines", "draft", "voided")):
        # Give back what the invoice consumed and consume its new lines, netted, so an
        # unchanged line moves no stock.
        movements = _stock.plan_reversal(db, invoice.id)
        if not clean.get("draft", invoice.draft) and not clean.get("voided", False):
            movements += _stock.plan_consumption(db, new_lines, pending=movements)
        movements = _stock.net_movements(movements)
    released = _plan_release(db, invoice) if clean.get("voided") else []
    for key, value in clean.items():
        setattr(invoice, key, value)
    invoice.updated_at = db.clock.now()
    db.record_change("invoice", invoice.id, "update")
    _apply_release(db, invoice, released, why="voided")
    _stock.apply_movements(db, movements, reason=f"invoice {invoice.number}", invoice_id=invoice.id)
    return invoice


def void_invoice(db: AppState, invoice_id: str) -> Invoice:
    return update_invoice(db, invoice_id, {"status": "void"})


def delete_invoice(db: AppState, invoice_id: str) -> Invoice:
    invoice = get_invoice(db, invoice_id)
    movements = _stock.plan_reversal(db, invoice.id)
    released = _plan_release(db, invoice)
    del db.invoices[invoice.id]
    db.deleted_invoices[invoice.id] = invoice
    invoice.updated_at = db.clock.now()
    db.record_change("invoice", invoice.id, "delete", external_id=invoice.sync.external_id)
    _apply_release(db, invoice, released, why="deleted")
    _stock.apply_movements(
        db, movements, reason=f"invoice {invoice.number} deleted", invoice_id=invoice.id
    )
    return invoice


def _plan_release(db: AppState, invoice: Invoice) -> list[Payment]:
    return [
        p
        for p in db.payments.values()
        if any(a.invoice_id == invoice.id for a in p.applications) and p.status == "active"
    ]


def _apply_release(db: AppState, invoice: Invoice, payments: list[Payment], why: str) -> None:
    """A voided or deleted invoice frees what was applied to it: the money stays on
    the payment as unused credit, as QuickBooks does, so nothing is lost."""
    for payment in payments:
        before = [a.to_dict() for a in payment.applications]
        payment.applications = [a for a in payment.applications if a.invoice_id != invoice.id]
        payment.updated_at = db.clock.now()
        payment.history.append(
            {
                "at": stamp(db.clock.now()),
                "event": f"invoice {invoice.number} {why}",
                "changes": {
                    "applications": {
                        "from": before,
                        "to": [a.to_dict() for a in payment.applications],
                    }
                },
            }
        )
        db.record_change("payment", payment.id, "update")
    release_credits(db, invoice, why)


def release_credits(db: AppState, invoice: Invoice, why: str) -> None:
    for credit in db.store_credits.values():
        if any(a.invoice_id == invoice.id for a in credit.applications):
            credit.applications = [a for a in credit.applications if a.invoice_id != invoice.id]
            credit.updated_at = db.clock.now()
            db.record_change("store_credit", credit.id, "update", because=why)
