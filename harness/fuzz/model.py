"""What both sides must show, kept by the fuzzer from the steps alone.

The model learns only from raw scenario steps (``observe``), so it can be rebuilt for any
subsequence of a finding while the finding is cut down. At a quiet point (a sync with no
fault armed or fired) it says what the app and QuickBooks must show as an ``expect`` block:
the scenario language's own check, so a finding is judged the same way when it is replayed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from harness.fuzz import model_credits, model_deposits
from harness.fuzz.model_credits import StoreCredit
from harness.fuzz.model_doubt import Doubt
from harness.fuzz.model_stock import Stock

#: Who syncs what in the fuzzed world: two app customers, the payment method both sides know.
CUSTOMERS = ("Acme Plumbing", "Bay Electric")
METHOD = "Cash"
FIRST_INVOICE = 1001


#: What a record held in a visible Failed state shows (its error is checked by the machine).
HELD = {"status": "failed"}

#: Records held as failed, by app collection: names, invoice numbers, payment references;
#: under ``IN_DOUBT``, those of them whose Add is in doubt, as "collection/key".
Failed = dict[str, set[str]]
#: A record held "in doubt: ..." may already be in QuickBooks (a Web Connector that a newer
#: session superseded may still pass its Add on: issue 19), so it is not required to be
#: absent there; the duplicate invariant still holds it to at most one copy.
IN_DOUBT = "in_doubt"
DOUBT_PREFIX = "in doubt"
#: A record held as failed that a sync before its failure had already written (its app
#: record names its QuickBooks ID: a Mod or delete was refused) is rightly in QuickBooks,
#: as it was; under ``SYNCED_BEFORE``, as "collection/key".
SYNCED_BEFORE = "synced_before"
#: Entities ("invoice") with a deletion made in the app that QuickBooks refused: listed
#: among the app's sync issues (side "qbd"), the record rightly still in QuickBooks.
DELETION_REFUSED = "deletion_refused"


def visibly_failed(app: dict[str, Any]) -> tuple[Failed, list[str]]:
    """The app records held as failed, and those failed without their error (a violation:
    SYNC-01); under ``DELETION_REFUSED``, the entities of the QuickBooks records listed
    among the app's sync issues."""
    held: Failed = {}
    silent: list[str] = []
    for collection, key in (
        ("customers", "name"),
        ("invoices", "number"),
        ("payments", "reference"),
        ("products", "name"),
        (model_credits.COLLECTION, "id"),
    ):
        for record in app.get(collection, []):
            sync = record.get("sync") or {}
            if sync.get("status") != "failed":
                continue
            held.setdefault(collection, set()).add(str(record.get(key)))
            if str(sync.get("error") or "").startswith(DOUBT_PREFIX):
                held.setdefault(IN_DOUBT, set()).add(f"{collection}/{record.get(key)}")
            if sync.get("external_id"):
                held.setdefault(SYNCED_BEFORE, set()).add(f"{collection}/{record.get(key)}")
            if not sync.get("error"):
                silent.append(f"{collection} {record.get(key)}")
    for issue in app.get("sync_issues", []):
        if issue.get("side") == "qbd" and issue.get("error"):
            held.setdefault(DELETION_REFUSED, set()).add(str(issue.get("entity")))
    return held, silent


def money(value: Decimal) -> str:
    return f"{value:.2f}"


@dataclass
class Invoice:
    number: str
    customer: str
    total: Decimal
    #: deleted in the app (never with a payment on it): gone from QuickBooks too (IVC-03)
    deleted: bool = False
    #: edited in the app at some point (its InvoiceMod carries the app's lines)
    edited_in_app: bool = False
    #: False once QuickBooks changed its lines after an app edit: whether that app edit had
    #: reached QuickBooks first (then QuickBooks' lines win) or both waited for one sync
    #: (then the app, the master, wins: SYNC-02) depends on which syncs the faults cut
    #: short, so the total is not known from the steps alone until the app edits it again
    total_known: bool = True


@dataclass
class Payment:
    reference: str
    origin: str  # app | qbd: where a person entered it
    amount: Decimal
    invoice: str
    #: active, voided, failed or deleted (for a QuickBooks payment: voided or deleted there)
    state: str = "active"


@dataclass
class Customer:
    """What people entered for a customer: its email in the app, its phone and bill-to
    address in QuickBooks (the rules edit each field on one side only)."""

    email: str | None = None
    phone: str | None = None
    address: str | None = None
    #: edited in the app at some point: its CustomerMod carries the app's phone, which may
    #: be one QuickBooks changed since (the app master wins a conflict, SYNC-02), so the
    #: phone is no longer known from the steps alone
    edited_in_app: bool = False
    #: edited in the app since the last Web Connector run and not met by a QuickBooks edit
    #: yet (only for picking a QuickBooks edit that meets it: never part of what must show)
    app_edit_waiting: bool = False
    #: the same the other way: edited in QuickBooks, no app edit met it yet
    qbd_edit_waiting: bool = False
    #: deleted in the app (docs/fake_fieldservice.md: only one nothing uses)
    deleted: bool = False


@dataclass
class Model:
    #: whether customers come from QuickBooks too (the two-way world) or only go there
    pulls_customers: bool = True
    customers: dict[str, Customer] = field(
        default_factory=lambda: {name: Customer() for name in CUSTOMERS}
    )
    invoices: dict[str, Invoice] = field(default_factory=dict)
    payments: dict[str, Payment] = field(default_factory=dict)
    #: invoice numbers QuickBooks has, as last seen (only for picking what a QuickBooks
    #: user can pay: never part of what must show)
    in_qbd: set[str] = field(default_factory=set)
    #: customer names QuickBooks has, as last seen (only for picking, like ``in_qbd``)
    customers_in_qbd: set[str] = field(default_factory=set)

    #: the ledger worlds' (``worlds``): the product's stock; store credits; whether a
    #: deposit may be in doubt (None: a world without deposits)
    stock: Stock | None = None
    credits: list[StoreCredit] = field(default_factory=list)
    deposits: Doubt | None = None

    @property
    def pulls_invoices(self) -> bool:
        """Whether invoices come from QuickBooks too: the fuzzed worlds pull customers and
        invoices both or neither (``machine.DIRECTIONS``)."""
        return self.pulls_customers

    # -- what a person can pick ----------------------------------------------------------

    def balance(self, number: str, besides: str | None = None) -> Decimal:
        """Open balance of an invoice once every live payment is applied on both sides."""
        paid = sum(
            (
                p.amount
                for p in self.payments.values()
                if p.invoice == number and p.state == "active" and p.reference != besides
            ),
            Decimal(0),
        )
        return self.invoices[number].total - paid

    def live_customers(self) -> list[str]:
        return [name for name, customer in self.customers.items() if not customer.deleted]

    def live_invoices(self) -> list[Invoice]:
        return [invoice for invoice in self.invoices.values() if not invoice.deleted]

    def live(self, origin: str) -> list[Payment]:
        return [p for p in self.payments.values() if p.origin == origin and p.state == "active"]

    def next_invoice_number(self) -> str:
        return str(FIRST_INVOICE + len(self.invoices))

    def next_reference(self, origin: str) -> str:
        prefix = "A" if origin == "app" else "Q"
        return f"{prefix}{1 + sum(1 for p in self.payments.values() if p.origin == origin)}"

    # -- learning from a step ------------------------------------------------------------

    def observe(self, raw: Any) -> None:
        """Update from one raw step that was carried out."""
        key, args = (raw, {}) if isinstance(raw, str) else next(iter(raw.items()))
        if self.stock is not None:
            self.stock.observe(key, args)
        if self.deposits is not None:
            model_deposits.observe(self.deposits, key, args)
        learn = _LEARN.get(key)
        if learn is not None and isinstance(args, dict):
            learn(self, args)

    # -- what must show at a quiet point -------------------------------------------------

    def expectation(self, failed: Failed | None = None) -> dict[str, Any]:
        """The ``expect`` block every quiet sync must satisfy: totals and balances equal on
        both sides, every live payment once on each side, every live record synced, or,
        for the records in ``failed``, held in a visible Failed state (ARCHITECTURE.md:
        nothing lost) and then left out of what QuickBooks must show."""
        failed = failed or {}
        held_customers = failed.get("customers", set())
        held_invoices = failed.get("invoices", set())
        held_payments = failed.get("payments", set())
        app_invoices: dict[str, Any] = {}
        qbd_invoices: dict[str, Any] = {}
        app_counts: dict[str, int] = {}
        qbd_counts: dict[str, int] = {}
        for number, invoice in self.invoices.items():
            if invoice.deleted:
                app_counts[f"invoices[number={number}]"] = 0
                if "invoice" not in failed.get(DELETION_REFUSED, set()):
                    qbd_counts[f"Invoice[RefNumber={number}]"] = 0
                continue
            if not invoice.total_known:
                # Both sides edited it (see ``Invoice.total_known``): once on each side, its
                # lines not judged; no payment is ever put on it while so.
                app_invoices[number] = {
                    "sync": HELD if number in held_invoices else {"status": "synced"}
                }
                if number not in held_invoices:
                    qbd_counts[f"Invoice[RefNumber={number}]"] = 1
                continue
            balance = money(self.balance(number))
            if number in held_invoices:
                app_invoices[number] = {"total": money(invoice.total), "sync": HELD}
                continue
            app_invoices[number] = {
                "total": money(invoice.total),
                "balance": balance,
                "sync": {"status": "synced"},
            }
            qbd_invoices[number] = {"Subtotal": money(invoice.total)}
            qbd_counts[f"Invoice[RefNumber={number}]"] = 1
            if not any(
                p.invoice == number for p in self.payments.values() if p.reference in held_payments
            ):
                qbd_invoices[number]["BalanceRemaining"] = balance
        app_payments: dict[str, Any] = {}
        qbd_payments: dict[str, Any] = {}
        live_in_qbd = 0
        for ref, payment in self.payments.items():
            if ref in held_payments:
                app_payments[ref] = {"status": payment.state, "sync": HELD}
                app_counts[f"payments[reference={ref}]"] = 1
            elif payment.state == "active":
                app_payments[ref] = {
                    "status": "active",
                    "amount": money(payment.amount),
                    "sync": {"status": "synced"},
                }
                qbd_payments[ref] = {"TotalAmount": money(payment.amount)}
                app_counts[f"payments[reference={ref}]"] = 1
                qbd_counts[f"ReceivePayment[RefNumber={ref}]"] = 1
                live_in_qbd += 1
            elif payment.origin == "qbd" and payment.state == "voided":
                # A payment voided in QuickBooks stays there with a zero amount (PAY-06).
                app_payments[ref] = {"status": "voided"}
                qbd_payments[ref] = {"TotalAmount": "0.00"}
                app_counts[f"payments[reference={ref}]"] = 1
                qbd_counts[f"ReceivePayment[RefNumber={ref}]"] = 1
                live_in_qbd += 1
            elif payment.origin == "app":
                # Voided, failed or deleted in the app: gone from QuickBooks (PAY-16).
                app_payments[ref] = {"status": payment.state}
                app_counts[f"payments[reference={ref}]"] = 1
                qbd_counts[f"ReceivePayment[RefNumber={ref}]"] = 0
            else:
                # Deleted in QuickBooks: never active in the app (PAY-11), whether or not a
                # sync saw it before (the active count says so).
                qbd_counts[f"ReceivePayment[RefNumber={ref}]"] = 0
        app_counts["payments[status=active]"] = sum(
            1 for p in self.payments.values() if p.state == "active"
        )
        # A record held as failed never half-reached QuickBooks (nothing applied twice or
        # lost: what a person retries must not be there already).
        # Neither is one whose Add is in doubt, nor one written before a later write failed.
        doubt = failed.get(IN_DOUBT, set()) | failed.get(SYNCED_BEFORE, set())
        for name in held_customers - _keys(doubt, "customers"):
            qbd_counts[f"Customer[Name={name}]"] = 0
        for number in held_invoices - _keys(doubt, "invoices"):
            qbd_counts[f"Invoice[RefNumber={number}]"] = 0
        for ref in held_payments - _keys(doubt, "payments"):
            if self.payments[ref].state == "active":
                qbd_counts[f"ReceivePayment[RefNumber={ref}]"] = 0
        for number in held_invoices & _keys(doubt, "invoices"):
            qbd_counts.pop(f"Invoice[RefNumber={number}]", None)
        if not any(failed.values()):
            # Totals only when nothing is held: a held record may or may not be there.
            qbd_counts["ReceivePayment"] = live_in_qbd
            qbd_counts["Invoice"] = len(self.live_invoices())
            if not any(customer.deleted for customer in self.customers.values()):
                # A customer deleted in the app stays in QuickBooks if a sync took it there
                # first (docs/connector.md, stage 4): which, depends on the faults.
                qbd_counts["Customer"] = len(CUSTOMERS)
        for name in CUSTOMERS:
            if self.customers[name].deleted:
                app_counts[f"customers[name={name}]"] = 0
        expect: dict[str, Any] = {"app_counts": app_counts, "qbd_counts": qbd_counts}
        customers = {
            name: {"sync": HELD} if name in held_customers else self._app_customer(name)
            for name in self.live_customers()
        }
        app = {"customers": customers, "invoices": app_invoices, "payments": app_payments}
        qbd = {
            "Customer": {
                name: self._qbd_customer(name)
                for name in self.live_customers()
                if name not in held_customers
            },
            "Invoice": qbd_invoices,
            "ReceivePayment": qbd_payments,
        }
        expect["app"] = {name: records for name, records in app.items() if records}
        expect["qbd"] = {name: records for name, records in qbd.items() if records}
        for ledger in self._ledgers(failed):
            _merge(expect, ledger)
        return {key: value for key, value in expect.items() if value}

    def _ledgers(self, failed: Failed) -> list[dict[str, Any]]:
        """The ledger worlds' parts of the ``expect`` block (stock, credits, deposits)."""
        doubt = _keys(failed.get(IN_DOUBT, set()), model_credits.COLLECTION)
        held = failed.get(model_credits.COLLECTION, set())
        parts = [model_credits.expectation(self.credits, held, doubt)]
        if self.stock is not None:
            parts.append(self.stock.expectation())
        if self.deposits is not None and self.deposits.certain and not any(failed.values()):
            # Totals only when nothing is held, as for the payments themselves.
            live = [p for p in self.payments.values() if p.state == "active"]
            deposited = [p.amount for p in live if p.origin == "app"]
            waiting = [p.amount for p in live if p.origin == "qbd"]
            parts.append(model_deposits.expectation(deposited, waiting))
        return parts

    def _app_customer(self, name: str) -> dict[str, Any]:
        """A synced app customer: the app's email; QuickBooks' phone when it is known
        (CUS-05); an address has no app field."""
        customer = self.customers[name]
        shown: dict[str, Any] = {"sync": {"status": "synced"}}
        if customer.email is not None:
            shown["email"] = customer.email
        if self.pulls_customers and customer.phone is not None and not customer.edited_in_app:
            shown["phone"] = customer.phone
        return shown

    def _qbd_customer(self, name: str) -> dict[str, Any]:
        """The QuickBooks customer: the app's email (its CustomerMod), the phone a person
        entered in QuickBooks while no app edit can have overwritten it, and the address
        entered there, which the connector never writes."""
        customer = self.customers[name]
        shown: dict[str, Any] = {"IsActive": True}
        if customer.email is not None:
            shown["Email"] = customer.email
        if customer.phone is not None and not customer.edited_in_app:
            shown["Phone"] = customer.phone
        if customer.address is not None:
            shown["BillAddress"] = {"Addr1": customer.address}
        return shown


def _merge(expect: dict[str, Any], part: dict[str, Any]) -> None:
    """Add a ledger's ``expect`` part: its collections beside the others."""
    for key, value in part.items():
        section = expect.setdefault(key, {})
        for name, entries in value.items():
            if isinstance(entries, dict):
                section.setdefault(name, {}).update(entries)
            else:
                section[name] = entries


def _keys(doubt: set[str], collection: str) -> set[str]:
    return {entry.partition("/")[2] for entry in doubt if entry.startswith(f"{collection}/")}


def _total_of(lines: list[dict[str, Any]]) -> Decimal:
    return sum(
        (Decimal(str(line.get("quantity", 1))) * Decimal(str(line["rate"])) for line in lines),
        Decimal(0),
    )


def _create_invoice(model: Model, args: dict[str, Any]) -> None:
    number = str(args["number"])
    model.invoices[number] = Invoice(number, str(args["customer"]), _total_of(args["lines"]))


def _edit_invoice(model: Model, args: dict[str, Any]) -> None:
    invoice = model.invoices.get(str(args["number"]))
    if invoice is not None and "lines" in args:
        invoice.total = _total_of(args["lines"])
        # The app is the master: its lines win whether or not a QuickBooks edit waits.
        invoice.edited_in_app, invoice.total_known = True, True


def _edit_qbd_invoice(model: Model, args: dict[str, Any]) -> None:
    """QuickBooks' lines, pulled into the app (IVC-05); after an app edit, not known."""
    invoice = model.invoices.get(str(args["ref_number"]))
    if invoice is not None and "lines" in args:
        invoice.total = _total_of(args["lines"])
        invoice.total_known = not invoice.edited_in_app


def _delete_invoice(model: Model, args: dict[str, Any]) -> None:
    invoice = model.invoices.get(str(args["number"]))
    if invoice is not None:
        invoice.deleted = True


def _record_payment(model: Model, args: dict[str, Any]) -> None:
    """An app payment, on an invoice or (``invoice`` "": a customer's unapplied payment)."""
    ref = str(args["reference"])
    amount, invoice = Decimal(str(args["amount"])), str(args.get("invoice") or "")
    model.payments[ref] = Payment(ref, "app", amount, invoice)


def _give_store_credit(model: Model, args: dict[str, Any]) -> None:
    model_credits.learn(model.credits, args)


def _receive_payment(model: Model, args: dict[str, Any]) -> None:
    ref = str(args["ref_number"])
    (applied,) = args["applied_to"]
    model.payments[ref] = Payment(ref, "qbd", Decimal(str(args["amount"])), str(applied["invoice"]))


def _edit_payment(key: str) -> Any:
    def learn(model: Model, args: dict[str, Any]) -> None:
        payment = model.payments.get(str(args[key]))
        if payment is not None and args.get("amount") is not None:
            payment.amount = Decimal(str(args["amount"]))

    return learn


def _set_state(key: str, state: str) -> Any:
    def learn(model: Model, args: dict[str, Any]) -> None:
        payment = model.payments.get(str(args[key]))
        if payment is not None:
            payment.state = state

    return learn


def _edit_app_customer(model: Model, args: dict[str, Any]) -> None:
    customer = model.customers.get(str(args["name"]))
    if customer is not None:
        customer.edited_in_app = customer.app_edit_waiting = True
        customer.qbd_edit_waiting = False  # met: one app edit per QuickBooks edit is enough
        customer.email = args.get("email", customer.email)


def _synced(model: Model, args: dict[str, Any]) -> None:
    """A Web Connector run: the edits that waited for it are no longer waiting."""
    for customer in model.customers.values():
        customer.app_edit_waiting = customer.qbd_edit_waiting = False


def _delete_app_customer(model: Model, args: dict[str, Any]) -> None:
    customer = model.customers.get(str(args["name"]))
    if customer is not None:
        customer.deleted = True


def _edit_qbd_customer(model: Model, args: dict[str, Any]) -> None:
    customer = model.customers.get(str(args["name"]))
    if customer is None:
        return
    customer.app_edit_waiting = False  # met: one QuickBooks edit per app edit is enough
    customer.qbd_edit_waiting = True
    customer.phone = args.get("phone", customer.phone)
    address = args.get("bill_address")
    if address is not None:
        customer.address = address["lines"][0]


_LEARN: dict[str, Any] = {
    "app.edit_customer": _edit_app_customer,
    "qbd.edit_customer": _edit_qbd_customer,
    "sync": _synced,
    "concurrent_sync": _synced,
    "app.delete_customer": _delete_app_customer,
    "qbd.edit_invoice": _edit_qbd_invoice,
    "app.create_invoice": _create_invoice,
    "app.edit_invoice": _edit_invoice,
    "app.delete_invoice": _delete_invoice,
    "app.record_payment": _record_payment,
    "app.give_store_credit": _give_store_credit,
    "app.edit_payment": _edit_payment("payment"),
    "app.void_payment": _set_state("payment", "voided"),
    "app.fail_payment": _set_state("payment", "failed"),
    "app.delete_payment": _set_state("payment", "deleted"),
    "qbd.receive_payment": _receive_payment,
    "qbd.edit_payment": _edit_payment("ref_number"),
    "qbd.void_payment": _set_state("ref_number", "voided"),
    "qbd.delete_transaction": _set_state("ref_number", "deleted"),
}
