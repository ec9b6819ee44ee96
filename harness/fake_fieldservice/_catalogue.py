"""Products, parts and services, their categories, and the stock locations.

Modeled on Zuper's inventory (seed 001): only tracked products and parts carry quantities,
services never do (INV-11); location names are matched case-sensitively (INV-13);
consumption and unplaced adjustments land at the designated location (INV-07).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import _sync_status
from ._errors import Conflict, InvalidRequest, NotFound, RuleViolation
from ._models import PRODUCT_KINDS, Category, Location, Product
from ._money import ZERO, parse_decimal, parse_money
from ._state import AppState


def _named(db: AppState, table: dict[str, Any], name: object, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidRequest("name must be a non-empty string")
    clean = name.strip()
    # Exact, case-sensitive match: Zuper says the location master is case-sensitive.
    if any(item.name == clean for item in table.values()):
        raise Conflict(f"a {what} named {clean!r} already exists", code="duplicate_name")
    return clean


def create_category(db: AppState, name: object) -> Category:
    clean = _named(db, db.categories, name, "category")
    now = db.clock.now()
    category = Category(id=db.new_id("cat"), created_at=now, updated_at=now, name=clean)
    db.categories[category.id] = category
    db.record_change("category", category.id, "create")
    return category


def create_location(db: AppState, name: object) -> Location:
    clean = _named(db, db.locations, name, "location")
    now = db.clock.now()
    location = Location(id=db.new_id("loc"), created_at=now, updated_at=now, name=clean)
    db.locations[location.id] = location
    db.record_change("location", location.id, "create")
    return location


def get_category(db: AppState, category_id: str) -> Category:
    if category_id not in db.categories:
        raise NotFound(f"no category with id {category_id!r}")
    return db.categories[category_id]


def get_location(db: AppState, location_id: str) -> Location:
    if location_id not in db.locations:
        raise NotFound(f"no location with id {location_id!r}")
    return db.locations[location_id]


def location_by_name(db: AppState, name: str) -> Location:
    for location in db.locations.values():
        if location.name == name:
            return location
    raise NotFound(f"no location named {name!r} (location names are case-sensitive)")


def designated_location(db: AppState) -> Location:
    """Where consumption and unplaced adjustments land (INV-07): the configured default
    location, or the only location when there is just one."""
    if db.settings.default_location_id is not None:
        return get_location(db, db.settings.default_location_id)
    if len(db.locations) == 1:
        return next(iter(db.locations.values()))
    raise RuleViolation(
        "no designated location: set default_location_id or name a location",
        code="no_location",
    )


def get_product(db: AppState, product_id: str) -> Product:
    if product_id not in db.products:
        raise NotFound(f"no product with id {product_id!r}")
    return db.products[product_id]


def product_by_name(db: AppState, name: str) -> Product:
    for product in db.products.values():
        if product.name == name:
            return product
    raise NotFound(f"no product named {name!r}")


def _check_product_fields(db: AppState, fields_: dict[str, Any], current: Product | None) -> dict:
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
            clean[key] = _named(
                db,
                {k: v for k, v in db.products.items() if current is None or k != current.id},
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
            clean[key] = None if value is None else get_category(db, str(value)).id
        elif key == "description":
            if value is not None and not isinstance(value, str):
                raise InvalidRequest("description must be a string or null")
            clean[key] = value
    kind = clean.get("kind", current.kind if current else "product")
    track = clean.get("track_inventory", current.track_inventory if current else kind != "service")
    if kind == "service" and track:
        # Services never carry a quantity (seed 001, INV-11).
        raise InvalidRequest("services cannot track inventory")
    if current is not None and not track and current.quantity != 0:
        raise RuleViolation("stop tracking only when the stock is zero", code="stock_not_zero")
    clean["track_inventory"] = track
    return clean


def create_product(
    db: AppState, fields_: dict[str, Any], sync: dict[str, Any] | None = None
) -> Product:
    if "name" not in fields_:
        raise InvalidRequest("name is required")
    clean = _check_product_fields(db, fields_, None)
    state = _sync_status.initial_sync(db, sync)
    if clean.get("category_id") is None and db.settings.default_category_id:
        clean["category_id"] = db.settings.default_category_id
    now = db.clock.now()
    product = Product(
        id=db.new_id("prd"),
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
    db.products[product.id] = product
    db.record_change("product", product.id, "create")
    return product


def update_product(db: AppState, product_id: str, changes: dict[str, Any]) -> Product:
    product = get_product(db, product_id)
    clean = _check_product_fields(db, changes, product)
    for key, value in clean.items():
        setattr(product, key, value)
    product.updated_at = db.clock.now()
    db.record_change("product", product.id, "update")
    return product
