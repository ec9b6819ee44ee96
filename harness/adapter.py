"""The app adapter: the app side of a scenario, as a small Python interface.

A scenario's ``app.<action>`` steps and ``given.app`` entries call the methods of an
``AppAdapter``, and its ``expect.app`` checks read ``snapshot()``. Nothing else of the app
is visible to a scenario, so the actions listed here are the whole app vocabulary (the
scenario registry builds it from this class, ``docs/scenario-actions.md`` lists it).

The fake field-service app, adapted by ``harness.fieldservice_adapter.FieldServiceAdapter``,
is the reference implementation. A vendor certifying its own connector subclasses ``AppAdapter`` for its own
app (calling its staging API, say) and overrides what its app can do. A method left as it
is raises ``NotImplementedError``: a scenario that needs it is *inconclusive* (it proved
nothing), never a pass or a failure.

Conventions every implementation follows (the scenarios are written against them):

- Records are named as a person sees them: a customer by name, an invoice by number, a
  product or location by name, a payment by its ID or a unique ``reference``.
- Money is passed and returned as decimal strings ("250.00"); quantities likewise.
- A refusal a person would see (a payment for an unknown invoice) raises an exception with
  a readable message (any ``Exception`` but ``NotImplementedError``, ``TypeError``,
  ``KeyError``, ``AttributeError``): the scenario fails at that step's line.
- ``snapshot()`` returns the app's collections, each a list of records (dicts) in creation
  order, in the shape of ``docs/fake_fieldservice.md``; an adapter may return only the
  collections it can read: a check on a missing collection is inconclusive.
"""

from __future__ import annotations

import importlib
import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from harness.scenario.actions import not_an_action

Record = dict[str, Any]

#: The collections ``snapshot()`` may return, and what their records hold.
SNAPSHOT_COLLECTIONS: dict[str, str] = {
    "settings": "a mapping of the app's settings (not a list)",
    "payment_modes": "{name}",
    "customers": "{id, name, email, phone, archived, deleted, sync: {status, ...}}",
    "categories": "{id, name}",
    "locations": "{id, name}",
    "products": "{id, name, kind, price, taxable, track_inventory, stock: [{location, quantity}]}",
    "invoices": "{id, number, customer_id, lines, total, balance, status, payments: [history]}",
    "deleted_invoices": "invoices deleted in the app (same shape)",
    "payments": "{id, amount, mode, reference, status, origin, applications, sync}",
    "store_credits": "{id, customer_id, amount, ...}",
    "movements": "stock movements {product_id, location_id, quantity, reason}",
    "changes": "the app's change feed",
    "sync_issues": "records held back or in doubt, on either side "
    "{key, entity, side, reference, error, first_seen, last_seen}",
}


class AppAdapter(ABC):
    """The app side of a scenario. Override what your app can do; the rest stays
    unsupported and makes the scenarios that need it inconclusive."""

    def _unsupported(self, action: str) -> NotImplementedError:
        return NotImplementedError(f"{type(self).__name__} does not implement app.{action}")

    # --- reads ---------------------------------------------------------------------------

    @not_an_action
    @abstractmethod
    def snapshot(self) -> dict[str, Any]:
        """The app's state for ``expect.app``: collections by name (SNAPSHOT_COLLECTIONS)."""

    @not_an_action
    def invoice(self, number: str) -> Record:
        """An invoice by number: its ``balance``, ``status`` and ``payments`` history."""
        return _find(self.snapshot(), "invoices", "number", number)

    @not_an_action
    def product(self, name: str) -> Record:
        """A product by name, with its quantity per location (``stock``)."""
        return _find(self.snapshot(), "products", "name", name)

    @not_an_action
    def give_service_work(self) -> None:
        """Certify: queue something your QBWC service will send QuickBooks in its next
        session (create a record through your app's API, say). Called before each app-free
        scenario that needs work (tagged ``needs-work``). The default does nothing; a
        service with nothing to do makes such a scenario inconclusive, not failed."""
        return None  # optional: most apps' services have work only when a person made some

    # --- customers -----------------------------------------------------------------------

    def create_customer(
        self, name: str | None = None, email: str | None = None, phone: str | None = None
    ) -> Record:
        """Create a customer (without a name: any unique name)."""
        raise self._unsupported("create_customer")

    def edit_customer(self, name: str, **changes: Any) -> Record:
        """Change a customer's fields (email, phone, archived; ``new_name`` renames it)."""
        raise self._unsupported("edit_customer")

    def archive_customer(self, name: str) -> Record:
        """Make a customer inactive."""
        raise self._unsupported("archive_customer")

    def delete_customer(self, name: str) -> Record:
        """Delete a customer that has no invoices, payments or credits."""
        raise self._unsupported("delete_customer")

    def create_payment_mode(self, name: str) -> Record:
        """Add a payment mode ("Cash", "Online", ...)."""
        raise self._unsupported("create_payment_mode")

    # --- invoices ------------------------------------------------------------------------

    def create_invoice(
        self,
        customer: str,
        lines: list[dict[str, Any]],
        number: str | None = None,
        due_date: str | None = None,
        date: str | None = None,
        draft: bool = False,
    ) -> Record:
        """Lines are ``{description, quantity, rate, taxable, product, location}``."""
        raise self._unsupported("create_invoice")

    def edit_invoice(self, number: str, **changes: Any) -> Record:
        """Change an invoice (lines, due_date, customer, ...)."""
        raise self._unsupported("edit_invoice")

    def void_invoice(self, number: str) -> Record:
        """Void an invoice."""
        raise self._unsupported("void_invoice")

    def delete_invoice(self, number: str) -> Record:
        """Delete an invoice."""
        raise self._unsupported("delete_invoice")

    # --- payments ------------------------------------------------------------------------

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
    ) -> Record:
        """``invoice`` is a number (the payment applies up to its balance); ``applications``
        maps invoice numbers to amounts (a split payment)."""
        raise self._unsupported("record_payment")

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
    ) -> Record:
        """Change a payment (by ID or unique reference)."""
        raise self._unsupported("edit_payment")

    def void_payment(self, payment: str, reason: str | None = None) -> Record:
        """Void a payment."""
        raise self._unsupported("void_payment")

    def fail_payment(self, payment: str, reason: str = "card declined") -> Record:
        """The payment failed after the fact (a bounced card)."""
        raise self._unsupported("fail_payment")

    def delete_payment(self, payment: str) -> Record:
        """Delete a payment."""
        raise self._unsupported("delete_payment")

    def give_store_credit(
        self, customer: str, amount: Any, reason: str | None = None, applications: Any = None
    ) -> Record:
        """Store credit for a customer, optionally applied to invoices."""
        raise self._unsupported("give_store_credit")

    # --- products and stock --------------------------------------------------------------

    def create_category(self, name: str) -> Record:
        """Add a product category."""
        raise self._unsupported("create_category")

    def create_location(self, name: str) -> Record:
        """Add a stock location."""
        raise self._unsupported("create_location")

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
    ) -> Record:
        """``kind`` is product, part or service; services never track inventory."""
        raise self._unsupported("create_product")

    def edit_product(self, product: str, **changes: Any) -> Record:
        """Change a product's fields (name, price, description, taxable, ...)."""
        raise self._unsupported("edit_product")

    def adjust_stock(
        self,
        product: str,
        *,
        location: str | None = None,
        new_quantity: Any = None,
        quantity_difference: Any = None,
        reason: str | None = None,
    ) -> Record:
        """Set (``new_quantity``) or change (``quantity_difference``) stock at a location."""
        raise self._unsupported("adjust_stock")

    def transfer_stock(
        self, product: str, from_location: str, to_location: str, quantity: Any
    ) -> Record:
        """Move stock between two locations."""
        raise self._unsupported("transfer_stock")

    # --- settings and sync actions -------------------------------------------------------

    def set_setting(self, name: str, value: Any) -> Record:
        """Change an app setting (``given.app_settings`` uses this too)."""
        raise self._unsupported("set_setting")

    def force_update(self, kind: str, key: str) -> Record:
        """Send a synced record again (Syncro's "Force Update")."""
        raise self._unsupported("force_update")

    def sync_now(self, kind: str, key: str) -> Record:
        """A person's "sync now" of a record (kind: customer, invoice, payment, ...)."""
        raise self._unsupported("sync_now")

    def unsync(self, kind: str, key: str) -> Record:
        """A person's "unsync" of a synced record."""
        raise self._unsupported("unsync")

    # --- test data and faults (rarely available outside the fake) -------------------------

    def generate(
        self, customers: int = 0, products: int = 0, invoices: int = 0, seed: int = 0
    ) -> dict[str, int]:
        """Bulk data the company already had, from a seed."""
        raise self._unsupported("generate")

    def inject_fault(
        self,
        path: str,
        kind: str = "error",
        times: int = 1,
        method: str | None = None,
        status: int = 503,
        seconds: float = 30.0,
    ) -> Record:
        """Make the app's API misbehave for the connector's next matching requests."""
        raise self._unsupported("inject_fault")


def _find(snapshot: dict[str, Any], collection: str, field: str, value: str) -> Record:
    for record in snapshot.get(collection) or []:
        if str(record.get(field)) == value:
            return record
    raise LookupError(f"no {collection[:-1]} with {field} {value!r}")


AdapterFactory = Callable[..., AppAdapter]


class AdapterLoadError(ValueError):
    """``MODULE:CLASS`` does not name an ``AppAdapter`` that can be built."""


def load_adapter(spec: str) -> AdapterFactory:
    """The adapter class named ``package.module:ClassName`` (importable from the current
    directory too). Each scenario builds a fresh instance with ``make_adapter``."""
    module_name, sep, class_name = spec.partition(":")
    if not sep or not module_name or not class_name:
        raise AdapterLoadError(f"--adapter {spec!r}: expected MODULE:CLASS, e.g. my_app:MyAdapter")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise AdapterLoadError(f"--adapter {spec!r}: cannot import {module_name}: {exc}") from None
    found = getattr(module, class_name, None)
    if not (inspect.isclass(found) and issubclass(found, AppAdapter)):
        raise AdapterLoadError(
            f"--adapter {spec!r}: {class_name} in {module_name} is not a subclass of "
            "harness.adapter.AppAdapter"
        )
    if inspect.isabstract(found):
        missing = ", ".join(sorted(found.__abstractmethods__))
        raise AdapterLoadError(f"--adapter {spec!r}: {class_name} must implement {missing}")
    return found


def make_adapter(factory: AdapterFactory, clock: Any) -> AppAdapter:
    """A new adapter for one scenario; given the world's simulated clock if it takes one."""
    try:
        takes_clock = "clock" in inspect.signature(factory).parameters
    except (TypeError, ValueError):
        takes_clock = False
    return factory(clock=clock) if takes_clock else factory()


def supported_actions(adapter: type[AppAdapter]) -> list[str]:
    """The app actions ``adapter`` overrides (the rest make scenarios inconclusive)."""
    return sorted(
        name
        for name, func in inspect.getmembers(AppAdapter, inspect.isfunction)
        if not name.startswith("_")
        and not getattr(func, "not_an_action", False)
        and getattr(adapter, name) is not func
    )
