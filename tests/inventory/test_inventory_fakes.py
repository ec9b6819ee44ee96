"""The UI actions the inventory scenarios use, on the fake QuickBooks company and the fake
app: quantity adjustments, purchase orders, receipts, transfers, sites, product edits."""

from __future__ import annotations

import pytest

from harness.clock import SimClock
from harness.fake_fieldservice import FieldServiceApp
from harness.fake_qbd import CompanySettings, QBDCompany


def company(**settings: object) -> QBDCompany:
    qbd = QBDCompany(settings=CompanySettings(**settings), clock=SimClock())  # type: ignore[arg-type]
    qbd.operator.add_vendor("Filter Supply Co")
    qbd.operator.add_item("inventory", "Filter", quantity_on_hand=10)
    return qbd


def on_hand(qbd: QBDCompany) -> str:
    return str(qbd.snapshot()["ItemInventory"][0]["QuantityOnHand"])


def test_new_quantity_sets_and_quantity_difference_adds() -> None:
    qbd = company()
    qbd.operator.adjust_quantity("Filter", new_quantity=4)
    assert on_hand(qbd) == "4"
    shown = qbd.operator.adjust_quantity("Filter", quantity_difference=3)
    assert on_hand(qbd) == "7"
    assert shown["InventoryAdjustmentLine"][0]["QuantityDifference"] == "3"
    with pytest.raises(ValueError, match="exactly one"):
        qbd.operator.adjust_quantity("Filter", new_quantity=1, quantity_difference=1)


def test_a_purchase_order_changes_nothing_on_hand_until_received() -> None:
    qbd = company()
    qbd.operator.create_purchase_order("Filter Supply Co", [{"item": "Filter", "quantity": 5}],
                                       ref_number="PO-1")  # fmt: skip
    item = qbd.snapshot()["ItemInventory"][0]
    assert (item["QuantityOnHand"], item["QuantityOnOrder"]) == ("10", "5")
    qbd.operator.receive_items(
        "Filter Supply Co",
        [{"item": "Filter", "quantity": 5, "cost": "2.00"}],
        purchase_order="PO-1",
    )
    item = qbd.snapshot()["ItemInventory"][0]
    assert (item["QuantityOnHand"], item["QuantityOnOrder"]) == ("15", "0")


def test_sites_adjustments_and_transfers_per_site() -> None:
    qbd = company(multi_location_inventory=True, class_tracking=True)
    qbd.operator.add_site("Van 1")
    qbd.operator.adjust_quantity("Filter", new_quantity=3, site="Van 1")
    qbd.operator.transfer_inventory("Main Warehouse", "Van 1", [{"item": "Filter", "quantity": 2}])
    sites = {row["Name"]: row["QuantityOnHand"] for row in qbd.snapshot()["ItemSites"]}
    assert sites == {"Filter @ Main Warehouse": "8", "Filter @ Van 1": "5"}
    assert on_hand(qbd) == "13"
    assert "<IsUsingClassTracking>true</IsUsingClassTracking>" in qbd.hcp_response()


def test_without_advanced_inventory_there_is_no_site_view() -> None:
    assert "ItemSites" not in company().snapshot()
    assert "<IsUsingClassTracking>false</IsUsingClassTracking>" in company().hcp_response()


def test_an_app_product_can_be_edited_by_name() -> None:
    app = FieldServiceApp(clock=SimClock())
    app.create_product("Filter", price="1.00")
    assert app.edit_product("Filter", price="2.50", name="Filter XL")["price"] == "2.50"
    assert app.product("Filter XL")["price"] == "2.50"
