"""The inventory sync records what it resolved: the loser of a conflict (SYNC-02), a merge
of both sides' quantity changes, a held change (INV-14), in the store's attempt history."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connector.store import Attempt, Store
from harness.world import World

SETTINGS = {
    "product_master": "qbd",
    "min_quantity": 1,
    "non_inventory_quantity": 0,
    "default_category": "Parts",
    "default_location": "Main Warehouse",
}


@pytest.fixture
def world() -> Iterator[World]:
    world = World.build(
        qbd_settings={"class_tracking": True},
        connector_config={"inventory": SETTINGS},
    )
    world.qbd.operator.add_customer("Acme Plumbing")
    world.qbd.operator.add_item("inventory", "Air Filter", price="12.50", quantity_on_hand=10)
    world.app.create_category("Parts")
    world.app.create_location("Main Warehouse")
    yield world
    world.close()


def history(world: World, product: str = "Air Filter") -> list[Attempt]:
    """The product's attempts in the connector's store (keyed by company file)."""
    store = Store(world.connector.settings.db_path)  # type: ignore[attr-defined]
    company = world.qbd.settings.company_file.strip().lower()
    try:
        return store.attempts(company, "item", world.app.product(product)["id"])
    finally:
        store.close()


def sync(world: World) -> None:
    world.clock.advance(300)
    assert world.sync().outcome.status == "completed"


def test_the_app_edit_that_loses_to_the_master_is_recorded(world: World) -> None:
    sync(world)
    world.app.edit_product("Air Filter", price="99.00")
    world.qbd.operator.rename("inventory", "Air Filter", "Air Filter HEPA")
    sync(world)
    product = world.app.product("Air Filter HEPA")
    assert product["price"] == "12.50"
    conflicts = [a for a in history(world, "Air Filter HEPA") if a.outcome == "conflict"]
    assert len(conflicts) == 1
    assert "overwritten: QuickBooks is the product master" in conflicts[0].status_message


def test_quantity_changes_on_both_sides_are_merged_and_recorded(world: World) -> None:
    sync(world)
    world.app.adjust_stock("Air Filter", location="Main Warehouse", quantity_difference=-2)
    world.qbd.operator.adjust_quantity("Air Filter", quantity_difference=5)
    sync(world)
    assert world.app.product("Air Filter")["quantity"] == "13"
    merged = [a for a in history(world) if a.outcome == "merged"]
    assert len(merged) == 1
    assert "QuickBooks loc_0001 +5" in merged[0].status_message
    assert "app loc_0001 -2" in merged[0].status_message


def test_a_refused_change_is_recorded_as_held_each_time(world: World) -> None:
    sync(world)
    world.qbd.operator.create_invoice(
        "Acme Plumbing", [{"item": "Air Filter", "quantity": 12, "rate": "12.50"}]
    )
    sync(world)
    sync(world)
    held = [a for a in history(world) if a.outcome == "held"]
    assert len(held) == 2
    assert "negative_stock_not_allowed" in held[0].status_message
    assert world.app.product("Air Filter")["quantity"] == "10"
