"""The inventory sync's settings, and their validation before a session writes anything.

Zuper's bi-directional inventory sync (seeds/001) has five mandatory settings (product
master, product minimum quantity, non-inventory product quantity, default product category,
default product location) and app prerequisites ("Choose Module to Track Consumption" must
be Invoice; "Allow Negative Stock Balance" on). "The integration will not work as expected if
any Mandatory fields are not given properly": here a missing or wrong one stops the session
with one message naming the setting, before any request is sent (BEHAVIORS.md INV-01,
INV-15). The model accepts what a person typed (even nothing), so a settings file with a gap
still loads and the user learns what is wrong from the Web Connector, as with Zuper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict

from connector.app_client import AppClient

#: product_master values: the app (Zuper) or QuickBooks Desktop.
MASTERS = ("app", "qbd")
#: The only consumption module under which app invoices consume stock (seeds/001).
CONSUMPTION_MODULE = "Invoice"


class InventorySettings(BaseModel):
    """``inventory:`` in the connector settings; present = the inventory sync is on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: "app" or "qbd": where items are created and edited (seeds/001 "Choose Product Master").
    product_master: str | None = None
    #: The minimum quantity given to every product or part that comes from QuickBooks.
    min_quantity: str | int | float | None = None
    #: The quantity a non-inventory part from QuickBooks gets in the app.
    non_inventory_quantity: str | int | float | None = None
    #: The app category (ID or exact name) of everything that comes from QuickBooks.
    default_category: str | None = None
    #: The app location (ID or exact name) of stock without a matching site.
    default_location: str | None = None
    #: Stop when the app refuses negative stock (Zuper lists "Allow Negative Stock Balance"
    #: as a prerequisite). Off (the reference default), a refused change is held Failed on
    #: its product and applied once the app allows it (BEHAVIORS.md INV-14). None: the
    #: profile's ``inventory_require_negative_stock``.
    require_negative_stock: bool | None = None
    #: Stop unless QuickBooks has categories enabled (seeds/001 prerequisite). Which
    #: QuickBooks preference that means is unconfirmed: read as class tracking
    #: (PreferencesRet/AccountingPreferences/IsUsingClassTracking).
    require_qbd_categories: bool = True


class InventorySetupError(Exception):
    """A mandatory setting or prerequisite is missing or wrong; the message names it."""


@dataclass(frozen=True)
class InventoryConfig:
    """Validated inventory settings, resolved against the app."""

    master: str
    min_quantity: Decimal
    non_inventory_quantity: Decimal
    category_id: str
    location_id: str
    require_qbd_categories: bool


def _quantity(value: Any, name: str, label: str) -> Decimal:
    if value is None or str(value).strip() == "":
        raise InventorySetupError(f"Inventory setting '{name}' ({label}) is missing.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        raise InventorySetupError(
            f"Inventory setting '{name}' ({label}) must be a number of 0 or more, not {value!r}."
        )
    return number


def _named(records: list[dict[str, Any]], value: str | None, name: str, label: str) -> str:
    """The ID of the app record whose ID or exact (case-sensitive) name is ``value``."""
    if value is None or not str(value).strip():
        raise InventorySetupError(f"Inventory setting '{name}' ({label}) is missing.")
    for record in records:
        if value in (record.get("id"), record.get("name")):
            return str(record["id"])
    raise InventorySetupError(
        f"Inventory setting '{name}' ({label}) is {value!r}, which is not one in the app."
    )


def validate(
    settings: InventorySettings,
    app: AppClient,
    *,
    require_negative_stock: bool = False,
    read_app_settings: Callable[[], dict[str, Any]] | None = None,
) -> InventoryConfig:
    """Check every mandatory setting and the app's prerequisites, in the order Zuper's
    configuration page lists them; the first problem raises InventorySetupError.
    ``require_negative_stock`` applies when the settings do not say; ``read_app_settings``
    reads the app's settings (default ``app.settings``; the plan's reads them once)."""
    master = (settings.product_master or "").strip()
    if not master:
        raise InventorySetupError(
            "Inventory setting 'product_master' (Choose Product Master) is missing: "
            "choose 'app' or 'qbd'."
        )
    if master not in MASTERS:
        raise InventorySetupError(
            f"Inventory setting 'product_master' (Choose Product Master) is {master!r}: "
            "choose 'app' or 'qbd'."
        )
    min_quantity = _quantity(settings.min_quantity, "min_quantity", "Product Minimum Quantity")
    non_inventory = _quantity(
        settings.non_inventory_quantity, "non_inventory_quantity", "Non-Inventory Product Quantity"
    )
    category_id = _named(
        app.list("categories"), settings.default_category, "default_category", "Default Category"
    )
    location_id = _named(
        app.list("locations"), settings.default_location, "default_location", "Default Location"
    )
    app_settings = (read_app_settings or app.settings)()
    module = app_settings.get("consumption_module")
    if module != CONSUMPTION_MODULE:
        raise InventorySetupError(
            f"The app's 'Choose Module to Track Consumption' setting (consumption_module) is "
            f"{module!r}; the inventory sync needs 'Invoice'."
        )
    if settings.require_negative_stock is not None:
        require_negative_stock = settings.require_negative_stock
    if require_negative_stock and not app_settings.get("allow_negative_stock"):
        raise InventorySetupError(
            "The app's 'Allow Negative Stock Balance' setting (allow_negative_stock) is off; "
            "QuickBooks allows negative quantities, so the inventory sync needs it on."
        )
    return InventoryConfig(
        master=master,
        min_quantity=min_quantity,
        non_inventory_quantity=non_inventory,
        category_id=category_id,
        location_id=location_id,
        require_qbd_categories=settings.require_qbd_categories,
    )
