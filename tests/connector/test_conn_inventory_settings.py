"""The inventory sync's mandatory settings: each problem is one message naming the setting
(BEHAVIORS.md INV-01, INV-15)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from connector import AppClient
from connector.inventory_settings import InventorySettings, InventorySetupError, validate
from connector.settings import load_settings
from harness.clock import SimClock
from harness.fake_fieldservice import FieldServiceApp

GOOD: dict[str, Any] = {
    "product_master": "qbd",
    "min_quantity": "2",
    "non_inventory_quantity": 10,
    "default_category": "Parts",
    "default_location": "Main Warehouse",
}


@pytest.fixture
def app() -> FieldServiceApp:
    app = FieldServiceApp(clock=SimClock())
    app.create_category("Parts")
    app.create_location("Main Warehouse")
    return app


def client(app: FieldServiceApp) -> AppClient:
    return AppClient(transport=httpx.WSGITransport(app=app.wsgi))


def test_good_settings_resolve_names_to_ids(app: FieldServiceApp) -> None:
    config = validate(InventorySettings(**GOOD), client(app))
    assert config.master == "qbd"
    assert config.min_quantity == Decimal(2)
    assert config.non_inventory_quantity == Decimal(10)
    assert (config.category_id, config.location_id) == ("cat_0001", "loc_0001")


def test_ids_are_accepted_too(app: FieldServiceApp) -> None:
    settings = InventorySettings(**{**GOOD, "default_category": "cat_0001"})
    assert validate(settings, client(app)).category_id == "cat_0001"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"product_master": None}, "'product_master' (Choose Product Master) is missing"),
        ({"product_master": "Zuper"}, "'product_master' (Choose Product Master) is 'Zuper'"),
        ({"min_quantity": None}, "'min_quantity' (Product Minimum Quantity) is missing"),
        ({"min_quantity": "-1"}, "'min_quantity' (Product Minimum Quantity) must be a number"),
        ({"min_quantity": "lots"}, "'min_quantity' (Product Minimum Quantity) must be a number"),
        ({"non_inventory_quantity": ""}, "'non_inventory_quantity' (Non-Inventory Product"),
        ({"default_category": None}, "'default_category' (Default Category) is missing"),
        ({"default_category": "parts"}, "'default_category' (Default Category) is 'parts'"),
        ({"default_location": "Nowhere"}, "'default_location' (Default Location) is 'Nowhere'"),
    ],
)
def test_each_problem_names_its_setting(
    app: FieldServiceApp, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(InventorySetupError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate(InventorySettings(**{**GOOD, **change}), client(app))


def test_the_consumption_module_must_be_invoice(app: FieldServiceApp) -> None:
    app.set_setting("consumption_module", "Quotation")
    with pytest.raises(InventorySetupError, match="consumption_module\\) is 'Quotation'"):
        validate(InventorySettings(**GOOD), client(app))


def test_negative_stock_is_a_prerequisite_only_when_asked(app: FieldServiceApp) -> None:
    validate(InventorySettings(**GOOD), client(app))  # the reference default holds instead
    with pytest.raises(InventorySetupError, match="allow_negative_stock"):
        validate(InventorySettings(**GOOD, require_negative_stock=True), client(app))


def test_the_zuper_profile_makes_negative_stock_a_prerequisite(app: FieldServiceApp) -> None:
    from connector import ConnectorSettings

    settings = ConnectorSettings(app_base_url="http://x", profile="zuper", inventory=GOOD)
    assert settings.inventory_require_negative_stock is True
    with pytest.raises(InventorySetupError, match="allow_negative_stock"):
        validate(settings.inventory, client(app), require_negative_stock=True)  # type: ignore[arg-type]
    explicit = InventorySettings(**GOOD, require_negative_stock=False)
    validate(explicit, client(app), require_negative_stock=True)  # the file's own word wins
    app.set_setting("allow_negative_stock", True)
    validate(InventorySettings(**GOOD, require_negative_stock=True), client(app))


def test_a_settings_file_with_a_gap_still_loads(tmp_path: Path) -> None:
    """The gap is reported by the session (the user sees it in the Web Connector)."""
    path = tmp_path / "connector.yaml"
    path.write_text("app_base_url: http://x\ninventory: {product_master: app}\n")
    assert load_settings(path).inventory == InventorySettings(product_master="app")
