"""The app's state and its operations, addressed by record ID (like a moto backend).

Every operation validates everything first and only then changes state, so a refusal
never leaves a half-applied change. Every create, update and delete appends to the
change feed; sync-status writes do not (a connector would otherwise see its own
bookkeeping as news and loop).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from harness.clock import SimClock

from ._errors import Conflict, InvalidRequest, NotFound, RuleViolation, UnknownPaymentMode
from ._inventory import InventoryMixin
from ._models import (
    SYNC_STATUSES,
    Application,
    Customer,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentMode,
    SyncState,
    stamp,
)
from ._money import ZERO, money_str, parse_decimal, parse_money, round_money
from ._settings import Settings
from ._sync_issues import SyncIssues

DEFAULT_PAYMENT_MODES = ("Cash", "Online", "Check", "Credit Card")
#: Net 30 when an invoice names no due date; the seeds do not say, so this is a choice.
DEFAULT_TERMS_DAYS = 30
#: Who made a change, as the change feed reports it.
ACTORS = ("app", "connector")


def parse_date(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidRequest(f"{field} must be a date like 2026-01-05")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{field} must be a date like 2026-01-05, not {value!r}") from None


def clean_text(value: object, field: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{field} must be a non-empty string")
    return value.strip()


class FieldServiceBackend(InventoryMixin):
    """All the state of one app, in plain dicts keyed by ID, in creation order."""

    def __init__(
        self, clock: SimClock, payment_modes: tuple[str, ...] | list[str] = DEFAULT_PAYMENT_MODES
    ) -> None:
        self.clock = clock
        self.settings = Settings()
        self.customers: dict[str, Customer] = {}
        self.payment_modes: dict[str, PaymentMode] = {}
        self.invoices: dict[str, Invoice] = {}
        self.deleted_invoices: dict[str, Invoice] = {}
        self.payments: dict[str, Payment] = {}
        self.changes: list[dict[str, Any]] = []
        self.sync_issues = SyncIssues(clock)
        self._counters: dict[str, int] = {}
        self._actor = "app"
        self._next_invoice_number = 1001
        self.init_inventory()
        for name in payment_modes:
            self.create_payment_mode(name)

    # --- bookkeeping -------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        self._counters[prefix] = self._counters.get(prefix, 0) + 1
        return f"{prefix}_{self._counters[prefix]:04d}"

    @contextmanager
    def acting_as(self, actor: str) -> Iterator[None]:
        """Changes made inside are flagged with this origin in the change feed."""
        if actor not in ACTORS:
            raise InvalidRequest(f"unknown change origin {actor!r}")
        previous, self._actor = self._actor, actor
        try:
            yield
        finally:
            self._actor = previous

    def record_change(self, entity: str, record_id: str, op: str, **extra: Any) -> None:
        entry = {
            "seq": len(self.changes) + 1,
            "entity": entity,
            "id": record_id,
            "op": op,
            "origin": self._actor,
            "at": stamp(self.clock.now()),
            "external_id": extra.pop("external_id", None),
            **extra,
        }
        self.changes.append(entry)

    def changes_since(self, since: object, limit: object) -> dict[str, Any]:
        cursor = self._parse_int(since if since not in (None, "") else "0", "since", minimum=0)
        count = self._parse_int(limit if limit not in (None, "") else "100", "limit", minimum=1)
        count = min(count, 1000)
        page = [dict(entry) for entry in self.changes[cursor : cursor + count]]
        last = page[-1]["seq"] if page else cursor
        return {
            "changes": page,
            "cursor": str(last),
            "has_more": last < len(self.changes),
        }

    @staticmethod
    def _parse_int(value: object, field: str, *, minimum: int) -> int:
        try:
            number = int(str(value))
        except ValueError:
            raise InvalidRequest(f"{field} must be a whole number, not {value!r}") from None
        if number < minimum:
            raise InvalidRequest(f"{field} must be at least {minimum}")
        return number

    def initial_sync(self, sync: dict[str, Any] | None) -> SyncState:
        """Records start "not_synced"; the connector may create them already synced."""
        state = SyncState()
        if sync:
            self._apply_sync(state, sync)
        return state

    # --- sync objects --------------------------------------------------------------------

    def record_for(self, collection: str, record_id: str) -> Any:
        table = self.syncable_tables().get(collection)
        if table is None:
            raise NotFound(f"no syncable collection named {collection!r}")
        record = table.get(record_id)
        if record is None:
            raise NotFound(f"no {collection[:-1]} with id {record_id!r}")
        return record

    def syncable_tables(self) -> dict[str, dict[str, Any]]:
        return {
            "customers": self.customers,
            "invoices": self.invoices,
            "payments": self.payments,
            **self.inventory_syncable_tables(),
        }

    def put_sync(self, collection: str, record_id: str, body: dict[str, Any]) -> dict[str, Any]:
        record = self.record_for(collection, record_id)
        self._apply_sync(record.sync, body)
        return record.sync.to_dict()

    def _apply_sync(self, state: SyncState, body: dict[str, Any]) -> None:
        status = body.get("status")
        if status not in SYNC_STATUSES:
            raise InvalidRequest(f"sync status must be one of {', '.join(SYNC_STATUSES)}")
        error = body.get("error")
        if error is not None and not isinstance(error, str):
            raise InvalidRequest("sync error must be a string or null")
        # Omitted or null keeps the external_id (a connector marking a record failed should
        # not lose its link); an empty string clears it, as after an unsync.
        external_id = body.get("external_id")
        if external_id is None:
            external_id = state.external_id
        elif not isinstance(external_id, str):
            raise InvalidRequest("external_id must be a string or null")
        elif not external_id.strip():
            external_id = None
        if status == "failed" and not error:
            raise InvalidRequest("a failed sync status needs the error that caused it")
        state.status = status
        # A failed or skipped record keeps its reason ("why was my $0 invoice not synced?",
        # issue 19); synced and not synced have none.
        state.error = error if status in ("failed", "skipped") else None
        state.external_id = external_id
        state.requested = None
        state.history.append(
            {
                "at": stamp(self.clock.now()),
                "status": status,
                "error": state.error,
                "external_id": external_id,
                "by": self._actor,
            }
        )

    def request_force_update(self, collection: str, record_id: str) -> dict[str, Any]:
        """Syncro's "Force Update" button (seed 002): a synced record is sent again with its
        creation and payment dates; it stays Synced, with ``requested: "sync"``."""
        record = self.record_for(collection, record_id)
        state: SyncState = record.sync
        if state.status != "synced":
            raise RuleViolation("only a synced record can be force-updated", code="not_synced")
        state.requested = "sync"
        state.history.append(
            {
                "at": stamp(self.clock.now()),
                "status": "synced",
                "error": None,
                "external_id": state.external_id,
                "by": self._actor,
                "requested": "sync",
            }
        )
        return record.sync.to_dict()

    def request_sync(self, collection: str, record_id: str) -> dict[str, Any]:
        """A person's "sync now": allowed from Not synced, Failed and Skipped (seed 003)."""
        record = self.record_for(collection, record_id)
        state: SyncState = record.sync
        if state.status == "synced":
            raise RuleViolation("this record is already synced", code="already_synced")
        if collection == "invoices":
            # TaxDome greys out "sync invoice" until the client is synced (seed 003, IVC-09).
            customer = self.customers[record.customer_id]
            if customer.sync.status != "synced":
                raise RuleViolation(
                    f"sync customer {customer.name!r} first: its sync status is "
                    f"{customer.sync.status}",
                    code="customer_not_synced",
                )
        if collection == "payments":
            record.sync_to_qbd = True
        state.status, state.error, state.requested = "not_synced", None, "sync"
        state.history.append(
            {
                "at": stamp(self.clock.now()),
                "status": "not_synced",
                "error": None,
                "external_id": state.external_id,
                "by": self._actor,
                "requested": "sync",
            }
        )
        return record.sync.to_dict()

    def request_unsync(self, collection: str, record_id: str) -> dict[str, Any]:
        """A person's "unsync" of a synced record: the connector deletes it in QuickBooks
        (with a payment's refunds, seed 003) and then marks it not synced."""
        record = self.record_for(collection, record_id)
        state: SyncState = record.sync
        if state.status != "synced":
            raise RuleViolation(
                f"only synced records can be unsynced; this one is {state.status}",
                code="not_synced",
            )
        state.requested = "unsync"
        state.history.append(
            {
                "at": stamp(self.clock.now()),
                "status": state.status,
                "error": None,
                "external_id": state.external_id,
                "by": self._actor,
                "requested": "unsync",
            }
        )
        return record.sync.to_dict()

    # --- customers -----------------------------------------------------------------------

    def customer(self, customer_id: str) -> Customer:
        found = self.customers.get(customer_id)
        if found is None:
            raise NotFound(f"no customer with id {customer_id!r}")
        return found

    def customer_by_name(self, name: str) -> Customer:
        for customer in self.customers.values():
            if customer.name == name:
                return customer
        raise NotFound(f"no customer named {name!r}")

    def _check_customer_name(self, name: str, exclude: str | None = None) -> None:
        # Matched without regard to case, as QuickBooks will (QBD-02): two app customers that
        # differ only in case could never both sync.
        for customer in self.customers.values():
            if customer.id != exclude and customer.name.casefold() == name.casefold():
                raise Conflict(
                    f"a customer named {customer.name!r} already exists", code="duplicate_name"
                )

    def create_customer(
        self,
        name: object,
        email: object = None,
        phone: object = None,
        archived: object = False,
        sync: dict[str, Any] | None = None,
    ) -> Customer:
        clean_name = clean_text(name, "name")
        assert clean_name is not None
        self._check_customer_name(clean_name)
        if not isinstance(archived, bool):
            raise InvalidRequest("archived must be true or false")
        state = self.initial_sync(sync)
        now = self.clock.now()
        customer = Customer(
            id=self.new_id("cus"),
            created_at=now,
            updated_at=now,
            name=clean_name,
            email=clean_text(email, "email", required=False),
            phone=clean_text(phone, "phone", required=False),
            archived=archived,
            sync=state,
        )
        self.customers[customer.id] = customer
        self.record_change("customer", customer.id, "create")
        return customer

    def update_customer(self, customer_id: str, changes: dict[str, Any]) -> Customer:
        customer = self.customer(customer_id)
        clean: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "name":
                clean["name"] = clean_text(value, "name")
                self._check_customer_name(clean["name"], exclude=customer.id)
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
        customer.updated_at = self.clock.now()
        self.record_change("customer", customer.id, "update")
        return customer

    def delete_customer(self, customer_id: str) -> Customer:
        customer = self.customer(customer_id)
        in_use = (
            any(i.customer_id == customer.id for i in self.invoices.values())
            or any(p.customer_id == customer.id for p in self.payments.values())
            or any(c.customer_id == customer.id for c in self.store_credits.values())
        )
        if in_use:
            raise RuleViolation(
                f"customer {customer.name!r} has invoices, payments or credits; archive it",
                code="customer_in_use",
            )
        del self.customers[customer.id]
        self.record_change("customer", customer.id, "delete", external_id=customer.sync.external_id)
        return customer

    # --- payment modes -------------------------------------------------------------------

    def create_payment_mode(self, name: object) -> PaymentMode:
        clean_name = clean_text(name, "name")
        assert clean_name is not None
        if self.find_payment_mode(clean_name) is not None:
            raise Conflict(f"payment mode {clean_name!r} already exists", code="duplicate_name")
        now = self.clock.now()
        mode = PaymentMode(id=self.new_id("pm"), created_at=now, updated_at=now, name=clean_name)
        self.payment_modes[mode.id] = mode
        self.record_change("payment_mode", mode.id, "create")
        return mode

    def find_payment_mode(self, name: str) -> PaymentMode | None:
        # Exact match: the seed only says the mode must exist in Zuper (seed 000); a mode
        # spelled differently is a different mode.
        for mode in self.payment_modes.values():
            if mode.name == name:
                return mode
        return None

    # --- invoices ------------------------------------------------------------------------

    def invoice(self, invoice_id: str) -> Invoice:
        found = self.invoices.get(invoice_id)
        if found is None:
            if invoice_id in self.deleted_invoices:
                raise NotFound(f"invoice {invoice_id!r} was deleted", code="deleted")
            raise NotFound(f"no invoice with id {invoice_id!r}")
        return found

    def invoice_by_number(self, number: str) -> Invoice:
        for invoice in self.invoices.values():
            if invoice.number == number:
                return invoice
        raise NotFound(f"no invoice numbered {number!r}")

    def applied_to(self, invoice_id: str, *, exclude_payment: str | None = None) -> Decimal:
        total = ZERO
        for payment in self.payments.values():
            if payment.status != "active" or payment.id == exclude_payment:
                continue
            total += sum(
                (a.amount for a in payment.applications if a.invoice_id == invoice_id), ZERO
            )
        return total + self.credit_applied_to(invoice_id)

    def balance(self, invoice: Invoice) -> Decimal:
        return invoice.total - self.applied_to(invoice.id)

    def invoice_status(self, invoice: Invoice) -> str:
        if invoice.voided:
            return "void"
        if invoice.draft:
            return "draft"
        balance = self.balance(invoice)
        if balance <= 0:
            return "paid"
        if balance < invoice.total:
            return "partially_paid"
        return "open"

    def invoice_dict(self, invoice: Invoice) -> dict[str, Any]:
        history = []
        for payment in self.payments.values():
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
        history.extend(self.credit_history_for(invoice.id))
        return {
            **invoice.base_dict(),
            "number": invoice.number,
            "customer_id": invoice.customer_id,
            "date": invoice.date.isoformat(),
            "due_date": invoice.due_date.isoformat(),
            "lines": [line.to_dict() for line in invoice.lines],
            "total": money_str(invoice.total),
            "balance": money_str(self.balance(invoice)),
            "status": self.invoice_status(invoice),
            "payments": history,
            "sync": invoice.sync.to_dict(),
        }

    def _check_number(self, number: str, exclude: str | None = None) -> None:
        for invoice in self.invoices.values():
            if invoice.id != exclude and invoice.number == number:
                raise Conflict(
                    f"invoice number {number!r} is already used", code="duplicate_number"
                )

    def _auto_number(self) -> str:
        used = {invoice.number for invoice in self.invoices.values()}
        while str(self._next_invoice_number) in used:
            self._next_invoice_number += 1
        number = str(self._next_invoice_number)
        self._next_invoice_number += 1
        return number

    def _build_lines(self, raw_lines: object) -> list[InvoiceLine]:
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
                product = self.product(str(product_id))
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
                self.location(str(location_id))
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
        self,
        customer_id: object,
        lines: object = None,
        number: object = None,
        date_: object = None,
        due_date: object = None,
        draft: object = False,
        sync: dict[str, Any] | None = None,
    ) -> Invoice:
        customer = self.customer(str(customer_id))
        built = self._build_lines([] if lines is None else lines)
        clean_number = clean_text(number, "number", required=False) or self._auto_number()
        self._check_number(clean_number)
        on = parse_date(date_, "date") if date_ is not None else self.clock.now().date()
        due = (
            parse_date(due_date, "due_date")
            if due_date is not None
            else on + timedelta(days=DEFAULT_TERMS_DAYS)
        )
        if not isinstance(draft, bool):
            raise InvalidRequest("draft must be true or false")
        state = self.initial_sync(sync)
        movements = self.plan_consumption(built) if not draft else []
        now = self.clock.now()
        invoice = Invoice(
            id=self.new_id("inv"),
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
        self.invoices[invoice.id] = invoice
        self.record_change("invoice", invoice.id, "create")
        self.apply_movements(movements, reason=f"invoice {invoice.number}", invoice_id=invoice.id)
        return invoice

    def update_invoice(self, invoice_id: str, changes: dict[str, Any]) -> Invoice:
        invoice = self.invoice(invoice_id)
        if invoice.voided:
            raise RuleViolation(f"invoice {invoice.number} is void", code="invoice_void")
        clean: dict[str, Any] = {}
        movements: list[Any] = []
        for key, value in changes.items():
            if key == "number":
                clean["number"] = clean_text(value, "number")
                self._check_number(clean["number"], exclude=invoice.id)
            elif key == "customer_id":
                clean["customer_id"] = self.customer(str(value)).id
            elif key == "lines":
                clean["lines"] = self._build_lines(value)
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
                    raise InvalidRequest(
                        'status is computed from the balance; only "void" can be set'
                    )
                clean["voided"] = True
            else:
                raise InvalidRequest(f"invoices have no editable field {key!r}")
        if clean.get("customer_id", invoice.customer_id) != invoice.customer_id and (
            self.applied_to(invoice.id) > 0
        ):
            raise RuleViolation(
                "an invoice with payments cannot change customer", code="invoice_has_payments"
            )
        if clean.get("draft") and not invoice.draft and self.applied_to(invoice.id) > 0:
            raise RuleViolation(
                "an invoice with payments cannot go back to draft", code="invoice_has_payments"
            )
        new_lines = clean.get("lines", invoice.lines)
        new_total = sum((line.amount for line in new_lines), ZERO)
        if not clean.get("voided") and new_total < self.applied_to(invoice.id):
            raise RuleViolation(
                f"the new total {money_str(new_total)} is less than the "
                f"{money_str(self.applied_to(invoice.id))} already paid",
                code="total_below_payments",
            )
        if any(key in clean for key in ("lines", "draft", "voided")):
            # Give back what the invoice consumed and consume its new lines, netted, so an
            # unchanged line moves no stock.
            movements = self.plan_reversal(invoice.id)
            if not clean.get("draft", invoice.draft) and not clean.get("voided", False):
                movements += self.plan_consumption(new_lines, pending=movements)
            movements = self.net_movements(movements)
        released = self._plan_release(invoice) if clean.get("voided") else []
        for key, value in clean.items():
            setattr(invoice, key, value)
        invoice.updated_at = self.clock.now()
        self.record_change("invoice", invoice.id, "update")
        self._apply_release(invoice, released, why="voided")
        self.apply_movements(movements, reason=f"invoice {invoice.number}", invoice_id=invoice.id)
        return invoice

    def void_invoice(self, invoice_id: str) -> Invoice:
        return self.update_invoice(invoice_id, {"status": "void"})

    def delete_invoice(self, invoice_id: str) -> Invoice:
        invoice = self.invoice(invoice_id)
        movements = self.plan_reversal(invoice.id)
        released = self._plan_release(invoice)
        del self.invoices[invoice.id]
        self.deleted_invoices[invoice.id] = invoice
        invoice.updated_at = self.clock.now()
        self.record_change("invoice", invoice.id, "delete", external_id=invoice.sync.external_id)
        self._apply_release(invoice, released, why="deleted")
        self.apply_movements(
            movements, reason=f"invoice {invoice.number} deleted", invoice_id=invoice.id
        )
        return invoice

    def _plan_release(self, invoice: Invoice) -> list[Payment]:
        return [
            p
            for p in self.payments.values()
            if any(a.invoice_id == invoice.id for a in p.applications) and p.status == "active"
        ]

    def _apply_release(self, invoice: Invoice, payments: list[Payment], why: str) -> None:
        """A voided or deleted invoice frees what was applied to it: the money stays on
        the payment as unused credit, as QuickBooks does, so nothing is lost."""
        for payment in payments:
            before = [a.to_dict() for a in payment.applications]
            payment.applications = [a for a in payment.applications if a.invoice_id != invoice.id]
            payment.updated_at = self.clock.now()
            payment.history.append(
                {
                    "at": stamp(self.clock.now()),
                    "event": f"invoice {invoice.number} {why}",
                    "changes": {
                        "applications": {
                            "from": before,
                            "to": [a.to_dict() for a in payment.applications],
                        }
                    },
                }
            )
            self.record_change("payment", payment.id, "update")
        self.release_credits(invoice, why)

    # --- payments ------------------------------------------------------------------------

    def payment(self, payment_id: str) -> Payment:
        found = self.payments.get(payment_id)
        if found is None:
            raise NotFound(f"no payment with id {payment_id!r}")
        return found

    def _check_mode(self, mode: object) -> str:
        name = clean_text(mode, "mode")
        assert name is not None
        if self.find_payment_mode(name) is None:
            known = ", ".join(m.name for m in self.payment_modes.values())
            raise UnknownPaymentMode(
                f"payment mode {name!r} does not exist in the app (known: {known})"
            )
        return name

    def _build_applications(
        self, raw: object, amount: Decimal, customer_id: str | None, exclude_payment: str | None
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
            invoice = self.invoice(str(item.get("invoice_id")))
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
            open_balance = invoice.total - self.applied_to(
                invoice.id, exclude_payment=exclude_payment
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
        self,
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
        mode_name = self._check_mode(mode)
        customer = self.customer(str(customer_id)).id if customer_id is not None else None
        apps, customer = self._build_applications(applications, clean_amount, customer, None)
        on = parse_date(date_, "date") if date_ is not None else self.clock.now().date()
        if origin not in ("app", "qbd"):
            raise InvalidRequest('origin must be "app" or "qbd"')
        if sync_to_qbd is not None and not isinstance(sync_to_qbd, bool):
            raise InvalidRequest("sync_to_qbd must be true, false or null")
        if sync_to_qbd is None:
            # The per-payment checkbox follows the setting unless set (seed 003); a payment
            # that came from QuickBooks is already there.
            sync_to_qbd = True if origin == "qbd" else self.settings.sync_manual_payments
        state = self.initial_sync(sync)
        if not sync and not sync_to_qbd:
            state.status = "skipped"
            state.error = "sync to QuickBooks is off for this payment"
        now = self.clock.now()
        payment = Payment(
            id=self.new_id("pay"),
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
        self.payments[payment.id] = payment
        self.record_change("payment", payment.id, "create")
        return payment

    def _require_active(self, payment: Payment, action: str) -> None:
        if payment.status != "active":
            raise RuleViolation(
                f"payment {payment.id} is {payment.status}; it cannot be {action}",
                code="payment_not_active",
            )

    def update_payment(self, payment_id: str, changes: dict[str, Any]) -> Payment:
        payment = self.payment(payment_id)
        self._require_active(payment, "edited")
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
            clean["mode"] = self._check_mode(changes["mode"])
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
        apps, _ = self._build_applications(raw_apps, amount, payment.customer_id, payment.id)
        if "applications" in changes:
            clean["applications"] = apps
        diff: dict[str, Any] = {}
        for key, value in clean.items():
            old = getattr(payment, key)
            if key == "applications":
                before, after = [a.to_dict() for a in old], [a.to_dict() for a in value]
            else:
                before, after = self._wire(old), self._wire(value)
            if before != after:
                diff[key] = {"from": before, "to": after}
        if not diff:
            return payment
        for key, value in clean.items():
            setattr(payment, key, value)
        payment.updated_at = self.clock.now()
        payment.history.append({"at": stamp(self.clock.now()), "event": "edited", "changes": diff})
        self.record_change("payment", payment.id, "update")
        return payment

    @staticmethod
    def _wire(value: Any) -> Any:
        if isinstance(value, Decimal):
            return money_str(value)
        if isinstance(value, date):
            return value.isoformat()
        return value

    def _set_payment_status(
        self, payment_id: str, status: str, action: str, reason: str | None = None
    ) -> Payment:
        payment = self.payment(payment_id)
        self._require_active(payment, action)
        payment.status = status
        payment.status_reason = reason
        payment.updated_at = self.clock.now()
        payment.history.append(
            {
                "at": stamp(self.clock.now()),
                "event": status,
                "reason": reason,
                "changes": {"status": {"from": "active", "to": status}},
            }
        )
        self.record_change("payment", payment.id, "delete" if status == "deleted" else "update")
        return payment

    def void_payment(self, payment_id: str, reason: str | None = None) -> Payment:
        return self._set_payment_status(payment_id, "voided", "voided", reason)

    def fail_payment(self, payment_id: str, reason: str = "card declined") -> Payment:
        """A payment that failed after the fact (a bounced card, seed 004): the invoice
        reopens and the connector reverts it in QuickBooks (PAY-16)."""
        return self._set_payment_status(payment_id, "failed", "failed", reason)

    def delete_payment(self, payment_id: str) -> Payment:
        """Marked deleted, not removed, so the invoice history still shows it (PAY-11)."""
        return self._set_payment_status(payment_id, "deleted", "deleted")

    # --- settings ------------------------------------------------------------------------

    def update_settings(self, changes: dict[str, Any]) -> Settings:
        clean = self.settings.validated_update(changes)
        if clean.get("default_location_id") is not None:
            self.location(clean["default_location_id"])
        if clean.get("default_category_id") is not None:
            self.category(clean["default_category_id"])
        for key, value in clean.items():
            setattr(self.settings, key, value)
        self.record_change("settings", "settings", "update")
        return self.settings
