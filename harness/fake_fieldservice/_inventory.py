"""Products, parts and services, their categories, locations and per-location stock.

Modeled on Zuper's inventory (seed 001): only tracked products and parts carry quantities,
services never do (INV-11); stock is held per location with names matched case-sensitively
(INV-13); consumption through invoices lowers stock at the designated location (INV-07);
going below zero is refused unless "Allow Negative Stock Balance" is on (INV-14). Every
quantity change is a movement in a ledger, so stock always equals the sum of movements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._errors import Conflict, InsufficientStock, InvalidRequest, NotFound, RuleViolation
from ._models import Application, InvoiceLine, Record, SyncState
from ._money import ZERO, money_str, parse_decimal, parse_money, quantity_str

if TYPE_CHECKING:
    from ._models import Invoice

PRODUCT_KINDS = ("product", "part", "service")

#: A planned stock change: (product_id, location_id, quantity delta).
Movement = tuple[str, str, Decimal]


@dataclass
class Category(Record):
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.base_dict(), "name": self.name}


@dataclass
class Location(Record):
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.base_dict(), "name": self.name}


@dataclass
class Product(Record):
    name: str
    kind: str
    track_inventory: bool
    taxable: bool
    price: Decimal
    min_quantity: Decimal
    category_id: str | None
    description: str | None = None
    archived: bool = False
    stock: dict[str, Decimal] = field(default_factory=dict)
    sync: SyncState = field(default_factory=SyncState)

    @property
    def quantity(self) -> Decimal:
        return sum(self.stock.values(), Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.base_dict(),
            "name": self.name,
            "kind": self.kind,
            "track_inventory": self.track_inventory,
            "taxable": self.taxable,
            "price": money_str(self.price),
            "min_quantity": quantity_str(self.min_quantity),
            "category_id": self.category_id,
            "description": self.description,
            "archived": self.archived,
            "quantity": quantity_str(self.quantity),
            "stock": [
                {"location_id": loc, "quantity": quantity_str(qty)}
                for loc, qty in sorted(self.stock.items())
            ],
            "sync": self.sync.to_dict(),
        }


@dataclass
class StockMovement(Record):
    product_id: str
    location_id: str
    quantity: Decimal
    kind: str
    reason: str | None
    invoice_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.base_dict(),
            "product_id": self.product_id,
            "location_id": self.location_id,
            "quantity": quantity_str(self.quantity),
            "kind": self.kind,
            "reason": self.reason,
            "invoice_id": self.invoice_id,
        }


@dataclass
class StoreCredit(Record):
    """Credit given to a customer, applied to invoices; syncs as a QBD credit memo (PAY-18)."""

    customer_id: str
    amount: Decimal
    reason: str | None
    applications: list[Application] = field(default_factory=list)
    status: str = "active"
    sync: SyncState = field(default_factory=SyncState)

    def to_dict(self) -> dict[str, Any]:
        applied = sum((a.amount for a in self.applications), ZERO)
        return {
            **self.base_dict(),
            "customer_id": self.customer_id,
            "amount": money_str(self.amount),
            "reason": self.reason,
            "applications": [a.to_dict() for a in self.applications],
            "remaining": money_str(self.amount - applied),
            "status": self.status,
            "sync": self.sync.to_dict(),
        }


class InventoryMixin:
    """The inventory half of the backend. Relies on the backend's clock, ids and feed."""

    # Provided by FieldServiceBackend.
    clock: Any
    settings: Any
    invoices: dict[str, Invoice]

    def new_id(self, prefix: str) -> str:
        raise NotImplementedError

    def record_change(self, entity: str, record_id: str, op: str, **extra: Any) -> None:
        raise NotImplementedError

    def initial_sync(self, sync: dict[str, Any] | None) -> SyncState:
        raise NotImplementedError

    def invoice(self, invoice_id: str) -> Invoice:
        raise NotImplementedError

    def customer(self, customer_id: str) -> Any:
        raise NotImplementedError

    def applied_to(self, invoice_id: str, *, exclude_payment: str | None = None) -> Decimal:
        raise NotImplementedError

    def init_inventory(self) -> None:
        self.categories: dict[str, Category] = {}
        self.locations: dict[str, Location] = {}
        self.products: dict[str, Product] = {}
        self.movements: dict[str, StockMovement] = {}
        self.store_credits: dict[str, StoreCredit] = {}

    def inventory_syncable_tables(self) -> dict[str, dict[str, Any]]:
        return {"products": self.products, "store-credits": self.store_credits}

    # --- categories and locations --------------------------------------------------------

    def _named(self, table: dict[str, Any], name: object, what: str) -> str:
        if not isinstance(name, str) or not name.strip():
            raise InvalidRequest("name must be a non-empty string")
        clean = name.strip()
        # Exact, case-sensitive match: Zuper says the location master is case-sensitive.
        if any(item.name == clean for item in table.values()):
            raise Conflict(f"a {what} named {clean!r} already exists", code="duplicate_name")
        return clean

    def create_category(self, name: object) -> Category:
        clean = self._named(self.categories, name, "category")
        now = self.clock.now()
        category = Category(id=self.new_id("cat"), created_at=now, updated_at=now, name=clean)
        self.categories[category.id] = category
        self.record_change("category", category.id, "create")
        return category

    def create_location(self, name: object) -> Location:
        clean = self._named(self.locations, name, "location")
        now = self.clock.now()
        location = Location(id=self.new_id("loc"), created_at=now, updated_at=now, name=clean)
        self.locations[location.id] = location
        self.record_change("location", location.id, "create")
        return location

    def category(self, category_id: str) -> Category:
        if category_id not in self.categories:
            raise NotFound(f"no category with id {category_id!r}")
        return self.categories[category_id]

    def location(self, location_id: str) -> Location:
        if location_id not in self.locations:
            raise NotFound(f"no location with id {location_id!r}")
        return self.locations[location_id]

    def location_by_name(self, name: str) -> Location:
        for location in self.locations.values():
            if location.name == name:
                return location
        raise NotFound(f"no location named {name!r} (location names are case-sensitive)")

    def designated_location(self) -> Location:
        """Where consumption and unplaced adjustments land (INV-07): the configured default
        location, or the only location when there is just one."""
        if self.settings.default_location_id is not None:
            return self.location(self.settings.default_location_id)
        if len(self.locations) == 1:
            return next(iter(self.locations.values()))
        raise RuleViolation(
            "no designated location: set default_location_id or name a location",
            code="no_location",
        )

    # --- products ------------------------------------------------------------------------

    def product(self, product_id: str) -> Product:
        if product_id not in self.products:
            raise NotFound(f"no product with id {product_id!r}")
        return self.products[product_id]

    def product_by_name(self, name: str) -> Product:
        for product in self.products.values():
            if product.name == name:
                return product
        raise NotFound(f"no product named {name!r}")

    def _check_product_fields(self, fields_: dict[str, Any], current: Product | None) -> dict:
        clean: dict[str, Any] = {}
        allowed = (
            "name",
            "kind",
            "track_inventory",
            "taxable",
            "price",
            "min_quantity",
            "category_id",
            "description",
            "archived",
        )
        for key, value in fields_.items():
            if key not in allowed:
                raise InvalidRequest(f"products have no editable field {key!r}")
            if key == "name":
                clean[key] = self._named(
                    {k: v for k, v in self.products.items() if current is None or k != current.id},
                    value,
                    "product",
                )
            elif key == "kind":
                if value not in PRODUCT_KINDS:
                    raise InvalidRequest(f"kind must be one of {', '.join(PRODUCT_KINDS)}")
                clean[key] = value
            elif key in ("track_inventory", "taxable", "archived"):
                if not isinstance(value, bool):
                    raise InvalidRequest(f"{key} must be true or false")
                clean[key] = value
            elif key == "price":
                clean[key] = parse_money(value, "price")
            elif key == "min_quantity":
                clean[key] = parse_decimal(value, "min_quantity")
                if clean[key] < 0:
                    raise InvalidRequest("min_quantity may not be negative")
            elif key == "category_id":
                clean[key] = None if value is None else self.category(str(value)).id
            elif key == "description":
                if value is not None and not isinstance(value, str):
                    raise InvalidRequest("description must be a string or null")
                clean[key] = value
        kind = clean.get("kind", current.kind if current else "product")
        track = clean.get(
            "track_inventory", current.track_inventory if current else kind != "service"
        )
        if kind == "service" and track:
            # Services never carry a quantity (seed 001, INV-11).
            raise InvalidRequest("services cannot track inventory")
        if current is not None and not track and current.quantity != 0:
            raise RuleViolation("stop tracking only when the stock is zero", code="stock_not_zero")
        clean["track_inventory"] = track
        return clean

    def create_product(
        self, fields_: dict[str, Any], sync: dict[str, Any] | None = None
    ) -> Product:
        if "name" not in fields_:
            raise InvalidRequest("name is required")
        clean = self._check_product_fields(fields_, None)
        state = self.initial_sync(sync)
        if clean.get("category_id") is None and self.settings.default_category_id:
            clean["category_id"] = self.settings.default_category_id
        now = self.clock.now()
        product = Product(
            id=self.new_id("prd"),
            created_at=now,
            updated_at=now,
            name=clean["name"],
            kind=clean.get("kind", "product"),
            track_inventory=clean["track_inventory"],
            taxable=clean.get("taxable", False),
            price=clean.get("price", ZERO),
            min_quantity=clean.get("min_quantity", Decimal(0)),
            category_id=clean.get("category_id"),
            description=clean.get("description"),
            archived=clean.get("archived", False),
            sync=state,
        )
        self.products[product.id] = product
        self.record_change("product", product.id, "create")
        return product

    def update_product(self, product_id: str, changes: dict[str, Any]) -> Product:
        product = self.product(product_id)
        clean = self._check_product_fields(changes, product)
        for key, value in clean.items():
            setattr(product, key, value)
        product.updated_at = self.clock.now()
        self.record_change("product", product.id, "update")
        return product

    # --- stock ---------------------------------------------------------------------------

    def _check_stock(self, planned: list[Movement]) -> None:
        """Refuse the whole batch if any product would end below zero somewhere (INV-14)."""
        if self.settings.allow_negative_stock:
            return
        result: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for product_id, location_id, delta in planned:
            result[(product_id, location_id)] += delta
        for (product_id, location_id), delta in result.items():
            product = self.products[product_id]
            after = product.stock.get(location_id, Decimal(0)) + delta
            if delta < 0 and after < 0:
                raise InsufficientStock(
                    f"{product.name} would go to {quantity_str(after)} at "
                    f"{self.locations[location_id].name}; negative stock is not allowed"
                )

    def plan_consumption(
        self, lines: list[InvoiceLine], pending: list[Movement] | None = None
    ) -> list[Movement]:
        """Consumption through invoices, only when the module tracking it is Invoice (INV-15)."""
        if self.settings.consumption_module != "Invoice":
            return []
        planned: list[Movement] = []
        for line in lines:
            if line.product_id is None:
                continue
            product = self.products[line.product_id]
            if not product.track_inventory or line.quantity == 0:
                continue
            location_id = line.location_id or self.designated_location().id
            planned.append((product.id, location_id, -line.quantity))
        self._check_stock([*(pending or []), *planned])
        return planned

    def plan_reversal(self, invoice_id: str) -> list[Movement]:
        """Give back exactly what this invoice consumed, per the ledger."""
        net: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for movement in self.movements.values():
            if movement.invoice_id == invoice_id:
                net[(movement.product_id, movement.location_id)] += movement.quantity
        return [(p, loc, -qty) for (p, loc), qty in net.items() if qty != 0]

    @staticmethod
    def net_movements(planned: list[Movement]) -> list[Movement]:
        net: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for product_id, location_id, delta in planned:
            net[(product_id, location_id)] += delta
        return [(p, loc, qty) for (p, loc), qty in net.items() if qty != 0]

    def apply_movements(
        self,
        planned: list[Movement],
        reason: str | None,
        invoice_id: str | None = None,
        kind: str | None = None,
    ) -> None:
        touched: list[str] = []
        for product_id, location_id, delta in planned:
            movement_kind = kind or ("consumption" if delta < 0 else "return")
            self._move(product_id, location_id, delta, movement_kind, reason, invoice_id)
            if product_id not in touched:
                touched.append(product_id)
        for product_id in touched:
            self.products[product_id].updated_at = self.clock.now()
            self.record_change("product", product_id, "update")

    def _move(
        self,
        product_id: str,
        location_id: str,
        delta: Decimal,
        kind: str,
        reason: str | None,
        invoice_id: str | None,
    ) -> StockMovement:
        now = self.clock.now()
        movement = StockMovement(
            id=self.new_id("mov"),
            created_at=now,
            updated_at=now,
            product_id=product_id,
            location_id=location_id,
            quantity=delta,
            kind=kind,
            reason=reason,
            invoice_id=invoice_id,
        )
        self.movements[movement.id] = movement
        product = self.products[product_id]
        product.stock[location_id] = product.stock.get(location_id, Decimal(0)) + delta
        return movement

    def _tracked(self, product_id: str) -> Product:
        product = self.product(product_id)
        if not product.track_inventory:
            raise RuleViolation(
                f"{product.name} does not track inventory", code="not_inventory_tracked"
            )
        return product

    def adjust_stock(
        self,
        product_id: str,
        location_id: str | None,
        *,
        quantity_difference: object = None,
        new_quantity: object = None,
        reason: str | None = None,
    ) -> Product:
        """Set (new quantity) or change (difference) stock at one location, as QuickBooks'
        Adjust Quantity on Hand does (seed 001, INV-06)."""
        product = self._tracked(product_id)
        location = self.location(location_id) if location_id else self.designated_location()
        if (quantity_difference is None) == (new_quantity is None):
            raise InvalidRequest("give exactly one of quantity_difference or new_quantity")
        current = product.stock.get(location.id, Decimal(0))
        if new_quantity is not None:
            delta = parse_decimal(new_quantity, "new_quantity") - current
        else:
            delta = parse_decimal(quantity_difference, "quantity_difference")
        self._check_stock([(product.id, location.id, delta)])
        if delta != 0 or location.id not in product.stock:
            self._move(product.id, location.id, delta, "adjustment", reason, None)
            product.updated_at = self.clock.now()
            self.record_change("product", product.id, "update")
        return product

    def transfer_stock(
        self,
        product_id: str,
        from_location_id: str,
        to_location_id: str,
        quantity: object,
        reason: str | None = None,
    ) -> Product:
        """Moves stock between locations; the total does not change (INV-12)."""
        product = self._tracked(product_id)
        source = self.location(from_location_id)
        target = self.location(to_location_id)
        if source.id == target.id:
            raise InvalidRequest("a transfer needs two different locations")
        amount = parse_decimal(quantity, "quantity")
        if amount <= 0:
            raise InvalidRequest("quantity must be more than zero")
        self._check_stock([(product.id, source.id, -amount)])
        self._move(product.id, source.id, -amount, "transfer_out", reason, None)
        self._move(product.id, target.id, amount, "transfer_in", reason, None)
        product.updated_at = self.clock.now()
        self.record_change("product", product.id, "update", transfer=True)
        return product

    # --- store credits -------------------------------------------------------------------

    def create_store_credit(
        self,
        customer_id: str,
        amount: object,
        reason: object = None,
        applications: object = None,
        sync: dict[str, Any] | None = None,
    ) -> StoreCredit:
        customer = self.customer(customer_id)
        clean = parse_money(amount, "amount")
        if clean <= 0:
            raise InvalidRequest("amount must be more than zero")
        if reason is not None and not isinstance(reason, str):
            raise InvalidRequest("reason must be a string")
        apps = self._credit_applications(applications, clean, customer.id)
        state = self.initial_sync(sync)
        now = self.clock.now()
        credit = StoreCredit(
            id=self.new_id("sc"),
            created_at=now,
            updated_at=now,
            customer_id=customer.id,
            amount=clean,
            reason=reason,
            applications=apps,
            sync=state,
        )
        self.store_credits[credit.id] = credit
        self.record_change("store_credit", credit.id, "create")
        return credit

    def _credit_applications(
        self, raw: object, amount: Decimal, customer_id: str
    ) -> list[Application]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise InvalidRequest("applications must be a list")
        apps: list[Application] = []
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                raise InvalidRequest(f"applications[{index}] must be an object")
            invoice = self.invoice(str(item.get("invoice_id")))
            if invoice.voided or invoice.customer_id != customer_id:
                raise RuleViolation(
                    f"credit cannot be applied to invoice {invoice.number}",
                    code="invoice_not_creditable",
                )
            applied = parse_money(item.get("amount"), f"applications[{index}].amount")
            already = sum((a.amount for a in apps if a.invoice_id == invoice.id), ZERO)
            if applied <= 0 or applied + already > invoice.total - self.applied_to(invoice.id):
                raise RuleViolation(
                    f"{money_str(applied)} does not fit invoice {invoice.number}'s open balance",
                    code="exceeds_balance",
                )
            apps.append(Application(invoice_id=invoice.id, amount=applied))
        if sum((a.amount for a in apps), ZERO) > amount:
            raise RuleViolation("the applications exceed the credit", code="over_applied")
        return apps

    def credit_applied_to(self, invoice_id: str) -> Decimal:
        return sum(
            (
                a.amount
                for c in self.store_credits.values()
                if c.status == "active"
                for a in c.applications
                if a.invoice_id == invoice_id
            ),
            ZERO,
        )

    def credit_history_for(self, invoice_id: str) -> list[dict[str, Any]]:
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
            for c in self.store_credits.values()
            for a in c.applications
            if a.invoice_id == invoice_id
        ]

    def release_credits(self, invoice: Invoice, why: str) -> None:
        for credit in self.store_credits.values():
            if any(a.invoice_id == invoice.id for a in credit.applications):
                credit.applications = [a for a in credit.applications if a.invoice_id != invoice.id]
                credit.updated_at = self.clock.now()
                self.record_change("store_credit", credit.id, "update", because=why)
