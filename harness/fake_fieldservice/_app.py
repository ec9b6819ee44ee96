"""FieldServiceApp: the app as a person using it sees it.

In-process operations take what a person sees on screen (a customer's name, an invoice
number, a payment's ID or reference) and return the record as ``snapshot()`` shows it.
They call the same backend operations as the HTTP API. The scenario language adapts this
class (``harness.fieldservice_adapter``); the app itself imports nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from faker import Faker

from harness.clock import SimClock

from ._backend import DEFAULT_PAYMENT_MODES, FieldServiceBackend
from ._bulk import BulkDataSource
from ._errors import InvalidRequest, NotFound
from ._faults import FaultPlan
from ._http import FieldServiceAPI
from ._models import Payment
from ._money import parse_money

#: The collections whose records carry a sync object, by the name a scenario uses.
SYNC_KINDS = {
    "customer": "customers",
    "invoice": "invoices",
    "payment": "payments",
    "product": "products",
    "store_credit": "store-credits",
}


def _inspection(func: Any) -> Any:
    """Lookups for assertions are not operations a person performs: marked so (by the
    attribute name ``harness.scenario.actions.not_an_action`` also sets, without importing
    it), an adapter built on this class does not offer them as scenario actions."""
    func.not_an_action = True
    return func


class FieldServiceApp:
    """An in-memory field-service app: ``.wsgi`` for connectors, methods for people
    (``harness.fieldservice_adapter.FieldServiceAdapter`` offers them to scenarios)."""

    def __init__(
        self,
        clock: SimClock | None = None,
        seed: int = 0,
        payment_modes: Iterable[str] = DEFAULT_PAYMENT_MODES,
        bulk_data: BulkDataSource | None = None,
    ) -> None:
        self.clock = clock if clock is not None else SimClock()
        self.seed = seed
        self._bulk_data = bulk_data
        self.faker = Faker("en_US")
        self.faker.seed_instance(seed)
        self.backend = FieldServiceBackend(self.clock, tuple(payment_modes))
        self.faults = FaultPlan()
        self.wsgi = FieldServiceAPI(self.backend, self.faults)

    # --- customers -----------------------------------------------------------------------

    def create_customer(
        self, name: str | None = None, email: str | None = None, phone: str | None = None
    ) -> dict[str, Any]:
        """Without a name, a seeded fake company name is used."""
        if name is None:
            name = self.faker.unique.company()
        return self.backend.create_customer(name, email=email, phone=phone).to_dict()

    def edit_customer(self, name: str, **changes: Any) -> dict[str, Any]:
        """``name`` finds the customer; ``new_name`` renames it (``name`` cannot say both)."""
        customer = self.backend.customer_by_name(name)
        if "new_name" in changes:
            changes["name"] = changes.pop("new_name")
        return self.backend.update_customer(customer.id, changes).to_dict()

    def archive_customer(self, name: str) -> dict[str, Any]:
        return self.edit_customer(name, archived=True)

    def delete_customer(self, name: str) -> dict[str, Any]:
        """Only a customer with no invoices, payments or credits can be deleted."""
        backend = self.backend
        return backend.delete_customer(backend.customer_by_name(name).id).to_dict()

    def create_payment_mode(self, name: str) -> dict[str, Any]:
        return self.backend.create_payment_mode(name).to_dict()

    # --- invoices ------------------------------------------------------------------------

    def _lines(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Lines as a person writes them: ``product`` and ``location`` by name."""
        out = []
        for line in lines:
            item = dict(line)
            if "product" in item:
                item["product_id"] = self.backend.product_by_name(item.pop("product")).id
            if "location" in item:
                item["location_id"] = self.backend.location_by_name(item.pop("location")).id
            out.append(item)
        return out

    def create_invoice(
        self,
        customer: str,
        lines: list[dict[str, Any]],
        number: str | None = None,
        due_date: str | None = None,
        date: str | None = None,
        draft: bool = False,
    ) -> dict[str, Any]:
        backend = self.backend
        invoice = backend.create_invoice(
            backend.customer_by_name(customer).id,
            self._lines(lines),
            number=number,
            date_=date,
            due_date=due_date,
            draft=draft,
        )
        return backend.invoice_dict(invoice)

    def edit_invoice(self, number: str, **changes: Any) -> dict[str, Any]:
        backend = self.backend
        invoice = backend.invoice_by_number(number)
        if "lines" in changes:
            changes["lines"] = self._lines(changes["lines"])
        if "customer" in changes:
            changes["customer_id"] = backend.customer_by_name(changes.pop("customer")).id
        return backend.invoice_dict(backend.update_invoice(invoice.id, changes))

    def void_invoice(self, number: str) -> dict[str, Any]:
        backend = self.backend
        invoice = backend.void_invoice(backend.invoice_by_number(number).id)
        return backend.invoice_dict(invoice)

    def delete_invoice(self, number: str) -> dict[str, Any]:
        backend = self.backend
        invoice = backend.delete_invoice(backend.invoice_by_number(number).id)
        return backend.invoice_dict(invoice)

    # --- payments ------------------------------------------------------------------------

    def _applications(
        self,
        invoice: str | None,
        applications: Any,
        amount: Any,
        editing: str | None = None,
    ) -> list[dict[str, Any]]:
        backend = self.backend
        if invoice is not None and applications is not None:
            raise InvalidRequest("give either invoice or applications, not both")
        if invoice is not None:
            # Paying "invoice 1001" applies up to its open balance (not counting the payment
            # being edited); any excess stays on the payment as unused credit.
            target = backend.invoice_by_number(invoice)
            open_balance = target.total - backend.applied_to(target.id, exclude_payment=editing)
            applied = min(parse_money(amount, "amount"), open_balance)
            return [{"invoice_id": target.id, "amount": str(applied)}] if applied > 0 else []
        if applications is None:
            return []
        pairs = applications.items() if isinstance(applications, Mapping) else applications
        out = []
        for item in pairs:
            if isinstance(item, Mapping) and "invoice" in item and "amount" in item:
                number, applied = item["invoice"], item["amount"]
            elif isinstance(item, list | tuple) and len(item) == 2:
                number, applied = item
            else:
                raise InvalidRequest(
                    'applications map invoice numbers to amounts, e.g. {"1001": "50.00"}'
                )
            out.append({"invoice_id": backend.invoice_by_number(str(number)).id, "amount": applied})
        return out

    def record_payment(
        self,
        amount: Any,
        mode: str,
        invoice: str | None = None,
        applications: Any = None,
        customer: str | None = None,
        date: str | None = None,
        reference: str | None = None,
        sync_to_qbd: bool | None = None,
    ) -> dict[str, Any]:
        """``invoice`` is a number; ``applications`` maps invoice numbers to amounts."""
        backend = self.backend
        customer_id = backend.customer_by_name(customer).id if customer else None
        if customer_id is None and invoice is not None:
            # Paying an already paid invoice leaves the whole amount as the customer's credit.
            customer_id = backend.invoice_by_number(invoice).customer_id
        payment = backend.create_payment(
            amount,
            mode,
            applications=self._applications(invoice, applications, amount),
            date_=date,
            reference=reference,
            customer_id=customer_id,
            sync_to_qbd=sync_to_qbd,
        )
        return payment.to_dict()

    def _find_payment(self, payment: str) -> Payment:
        """By ID, or by reference when exactly one payment carries it."""
        backend = self.backend
        if payment in backend.payments:
            return backend.payments[payment]
        matches = [p for p in backend.payments.values() if p.reference == payment]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise InvalidRequest(f"{len(matches)} payments have reference {payment!r}; use the ID")
        raise NotFound(f"no payment with id or reference {payment!r}")

    def edit_payment(
        self,
        payment: str,
        *,
        amount: Any = None,
        mode: str | None = None,
        date: str | None = None,
        reference: str | None = None,
        invoice: str | None = None,
        applications: Any = None,
    ) -> dict[str, Any]:
        record = self._find_payment(payment)
        changes: dict[str, Any] = {}
        if amount is not None:
            changes["amount"] = amount
        if mode is not None:
            changes["mode"] = mode
        if date is not None:
            changes["date"] = date
        if reference is not None:
            changes["reference"] = reference
        if invoice is not None or applications is not None:
            changes["applications"] = self._applications(
                invoice,
                applications,
                amount if amount is not None else record.amount,
                editing=record.id,
            )
        return self.backend.update_payment(record.id, changes).to_dict()

    def void_payment(self, payment: str, reason: str | None = None) -> dict[str, Any]:
        return self.backend.void_payment(self._find_payment(payment).id, reason).to_dict()

    def fail_payment(self, payment: str, reason: str = "card declined") -> dict[str, Any]:
        return self.backend.fail_payment(self._find_payment(payment).id, reason).to_dict()

    def delete_payment(self, payment: str) -> dict[str, Any]:
        return self.backend.delete_payment(self._find_payment(payment).id).to_dict()

    # --- inventory -----------------------------------------------------------------------

    def create_category(self, name: str) -> dict[str, Any]:
        return self.backend.create_category(name).to_dict()

    def create_location(self, name: str) -> dict[str, Any]:
        return self.backend.create_location(name).to_dict()

    def create_product(
        self,
        name: str,
        kind: str = "product",
        category: str | None = None,
        price: str = "0.00",
        taxable: bool = False,
        track_inventory: bool | None = None,
        min_quantity: str = "0",
        description: str | None = None,
    ) -> dict[str, Any]:
        """``kind`` is product, part or service; services never track inventory."""
        fields: dict[str, Any] = {
            "price": price,
            "taxable": taxable,
            "min_quantity": min_quantity,
            "description": description,
        }
        if track_inventory is not None:
            fields["track_inventory"] = track_inventory
        if category is not None:
            found = [c for c in self.backend.categories.values() if c.name == category]
            if not found:
                raise NotFound(f"no category named {category!r}")
            fields["category_id"] = found[0].id
        return self.backend.create_product({"name": name, "kind": kind, **fields}).to_dict()

    def edit_product(self, product: str, **changes: Any) -> dict[str, Any]:
        """Change a product's fields (name, price, description, taxable, ...)."""
        found = self.backend.product_by_name(product)
        return self.backend.update_product(found.id, changes).to_dict()

    def adjust_stock(
        self,
        product: str,
        *,
        location: str | None = None,
        new_quantity: Any = None,
        quantity_difference: Any = None,
        reason: str | None = None,
    ) -> dict[str, Any]:
        backend = self.backend
        location_id = backend.location_by_name(location).id if location else None
        return backend.adjust_stock(
            backend.product_by_name(product).id,
            location_id,
            new_quantity=new_quantity,
            quantity_difference=quantity_difference,
            reason=reason,
        ).to_dict()

    def transfer_stock(
        self, product: str, from_location: str, to_location: str, quantity: Any
    ) -> dict[str, Any]:
        backend = self.backend
        return backend.transfer_stock(
            backend.product_by_name(product).id,
            backend.location_by_name(from_location).id,
            backend.location_by_name(to_location).id,
            quantity,
        ).to_dict()

    def give_store_credit(
        self, customer: str, amount: Any, reason: str | None = None, applications: Any = None
    ) -> dict[str, Any]:
        backend = self.backend
        apps = self._applications(None, applications, amount) if applications else None
        return backend.create_store_credit(
            backend.customer_by_name(customer).id, amount, reason=reason, applications=apps
        ).to_dict()

    # --- faults --------------------------------------------------------------------------

    def inject_fault(
        self,
        path: str,
        kind: str = "error",
        times: int = 1,
        method: str | None = None,
        status: int = 503,
        seconds: float = 30.0,
    ) -> dict[str, Any]:
        """The next ``times`` API requests matching the ``path`` glob misbehave: ``error``
        (a 5xx, nothing applied), ``timeout``, ``slow`` (the clock moves ``seconds``) or
        ``lost`` (applied, answer lost)."""
        fault = self.faults.inject(
            path, kind, times=times, method=method, status=status, seconds=seconds
        )
        return fault.to_dict()

    def generate(
        self, customers: int = 0, products: int = 0, invoices: int = 0, seed: int = 0
    ) -> dict[str, int]:
        """Bulk data a company already had: the customers, service products and invoices
        that the bulk data source the app was built with gives for these counts and seed."""
        if self._bulk_data is None:
            raise InvalidRequest("this app was built without a bulk data source")
        if invoices and (customers <= 0 or products <= 0):
            raise InvalidRequest("generating invoices needs customers and products")
        data = self._bulk_data(customers, products, invoices, seed)
        for name in data.customers:
            self.create_customer(name)
        for name, price in data.products:
            self.create_product(name, kind="service", price=str(price))
        for invoice in data.invoices:
            self.create_invoice(
                invoice.customer,
                [
                    {"product": name, "description": name, "quantity": q, "rate": str(rate)}
                    for name, q, rate in invoice.lines
                ],
            )
        return {"customers": customers, "products": products, "invoices": invoices}

    # --- settings and sync actions -------------------------------------------------------

    def set_setting(self, name: str, value: Any) -> dict[str, Any]:
        if name == "default_location" and value is not None:
            name, value = "default_location_id", self.backend.location_by_name(value).id
        if name == "default_category" and value is not None:
            found = [c for c in self.backend.categories.values() if c.name == value]
            if not found:
                raise NotFound(f"no category named {value!r}")
            name, value = "default_category_id", found[0].id
        return self.backend.update_settings({name: value}).to_dict()

    def _sync_target(self, kind: str, key: str) -> tuple[str, str]:
        if kind not in SYNC_KINDS:
            raise InvalidRequest(f"kind must be one of {', '.join(SYNC_KINDS)}")
        backend = self.backend
        record_id = {
            "customer": lambda: backend.customer_by_name(key).id,
            "invoice": lambda: backend.invoice_by_number(key).id,
            "payment": lambda: self._find_payment(key).id,
            "product": lambda: backend.product_by_name(key).id,
            "store_credit": lambda: backend.record_for("store-credits", key).id,
        }[kind]()
        return SYNC_KINDS[kind], record_id

    def force_update(self, kind: str, key: str) -> dict[str, Any]:
        """Syncro's "Force Update" (seed 002): send a synced record again."""
        return self.backend.request_force_update(*self._sync_target(kind, key))

    def sync_now(self, kind: str, key: str) -> dict[str, Any]:
        """A person's "sync now" (seed 003): allowed from Not synced, Failed, Skipped."""
        return self.backend.request_sync(*self._sync_target(kind, key))

    def unsync(self, kind: str, key: str) -> dict[str, Any]:
        """A person's "unsync" of a synced record (seed 003)."""
        return self.backend.request_unsync(*self._sync_target(kind, key))

    @_inspection
    def sync_status(self, kind: str, key: str) -> dict[str, Any]:
        collection, record_id = self._sync_target(kind, key)
        return self.backend.record_for(collection, record_id).sync.to_dict()

    # --- lookups for assertions ----------------------------------------------------------

    @_inspection
    def customer(self, name: str) -> dict[str, Any]:
        return self.backend.customer_by_name(name).to_dict()

    @_inspection
    def invoice(self, number: str) -> dict[str, Any]:
        return self.backend.invoice_dict(self.backend.invoice_by_number(number))

    @_inspection
    def payment(self, payment: str) -> dict[str, Any]:
        return self._find_payment(payment).to_dict()

    @_inspection
    def payments_for(self, number: str) -> list[dict[str, Any]]:
        """Every payment ever applied to the invoice, any status, in creation order."""
        invoice = self.backend.invoice_by_number(number)
        return [
            p.to_dict()
            for p in self.backend.payments.values()
            if any(a.invoice_id == invoice.id for a in p.applications)
        ]

    @_inspection
    def product(self, name: str) -> dict[str, Any]:
        return self.backend.product_by_name(name).to_dict()

    @_inspection
    def settings(self) -> dict[str, Any]:
        return self.backend.settings.to_dict()

    @_inspection
    def changes(self, since: int = 0) -> list[dict[str, Any]]:
        return [dict(c) for c in self.backend.changes[since:]]

    @_inspection
    def snapshot(self) -> dict[str, Any]:
        """Everything, JSON-able, in creation order: the same input gives the same output."""
        b = self.backend
        return {
            "settings": b.settings.to_dict(),
            "payment_modes": [r.to_dict() for r in b.payment_modes.values()],
            "customers": [r.to_dict() for r in b.customers.values()],
            "categories": [r.to_dict() for r in b.categories.values()],
            "locations": [r.to_dict() for r in b.locations.values()],
            "products": [r.to_dict() for r in b.products.values()],
            "invoices": [b.invoice_dict(r) for r in b.invoices.values()],
            "deleted_invoices": [b.invoice_dict(r) for r in b.deleted_invoices.values()],
            "payments": [r.to_dict() for r in b.payments.values()],
            "store_credits": [r.to_dict() for r in b.store_credits.values()],
            "movements": [r.to_dict() for r in b.movements.values()],
            "changes": [dict(c) for c in b.changes],
            "sync_issues": [i.to_dict() for i in b.sync_issues.by_key.values()],
        }
