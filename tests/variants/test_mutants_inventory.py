"""The inventory scenarios catch broken inventory connectors (issue 9).

Each variant is the reference connector with one inventory rule broken, planted by
patching the one function that implements the rule (for the length of the test), or
through the app client. Every scenario named here passes against the reference connector
(``test_reference_passes``) and must fail against its variant.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from connector import AppClient
from connector.app_client import AppApiError
from connector.inventory_settings import InventoryConfig
from connector.sync import inventory, items
from connector.sync.handlers import HANDLERS
from connector.sync.inventory_buckets import SiteMap
from connector.sync.inventory_state import InventoryMemory
from tests.variants.mutation import failure_text, run_with, with_app_client

SCENARIOS = [
    "inventory/inv-01-missing-setting-stops.yaml",
    "inventory/inv-03-bookkeeping-item-not-a-product.yaml",
    "inventory/inv-04-lost-answer-applied-once.yaml",
    "inventory/inv-05-same-name-links-app-master.yaml",
    "inventory/inv-06-app-answer-lost-applied-once.yaml",
    "inventory/inv-06-new-line-at-site.yaml",
    "inventory/inv-12-qbd-transfer-not-a-change.yaml",
    "inventory/inv-12-app-transfer.yaml",
    "inventory/inv-13-advanced-inventory-sites.yaml",
    "inventory/inv-14-negative-refused-then-allowed.yaml",
    "regressions/held-site-stock-gone-clears-error.yaml",
]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_reference_passes(scenario: str) -> None:
    result = run_with(None, scenario)
    assert result.status == "passed", failure_text(result)


def test_importing_the_bookkeeping_item_fails_inv_03(monkeypatch: pytest.MonkeyPatch) -> None:
    """The item pull does not know the connector's own service item (issue 19 bug 4): the
    item every app invoice line is booked to comes back into the app as a product."""
    real = items.pull_items

    def imports_every_item(sync: Any, rets: list[Any], config: dict[str, Any]) -> None:
        settings = sync.settings
        sync.settings = settings.model_copy(update={"default_service_item": "no such item"})
        try:
            real(sync, rets, config)
        finally:
            sync.settings = settings

    monkeypatch.setattr(items, "pull_items", imports_every_item)
    result = run_with(None, "inventory/inv-03-bookkeeping-item-not-a-product.yaml")
    assert result.status == "failed"
    assert "app count of products: expected 1, got 2" in failure_text(result)


def forget_transfers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variant: the app side of a QuickBooks transfer is applied, but not remembered as
    applied (the baseline of a two-location move is left where it was)."""
    real = InventoryMemory.move_baseline

    def forgets_transfers(self: InventoryMemory, list_id: str, deltas: dict[str, Any]) -> int:
        if len(deltas) == 2:
            current = self.baseline(list_id)
            return current[1] if current else 0
        return real(self, list_id, deltas)

    monkeypatch.setattr(InventoryMemory, "move_baseline", forgets_transfers)


def test_counting_a_transfer_twice_fails_inv_12(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app side of a QuickBooks transfer is applied, but not remembered as applied: the
    next sync moves the stock again."""
    forget_transfers(monkeypatch)
    result = run_with(None, "inventory/inv-12-qbd-transfer-not-a-change.yaml")
    assert result.status == "failed"
    # The stock ping-pongs: the transfer is sent back to QuickBooks as a new transfer.
    assert "transcript.requests.TransferInventoryAdd: expected 0, got 2" in failure_text(result)


def test_transfers_sent_as_quantity_changes_fail_inv_12(monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-location changes are never read as transfers: an app transfer reaches QuickBooks
    as two quantity adjustments, a QuickBooks transfer the app as two adjustments."""
    monkeypatch.setattr(inventory, "split_moves", lambda deltas: ([], dict(deltas)))
    app_side = run_with(None, "inventory/inv-12-app-transfer.yaml")
    assert app_side.status == "failed"
    assert "transcript.requests.TransferInventoryAdd: expected 1, got 0" in failure_text(app_side)
    qbd_side = run_with(None, "inventory/inv-12-qbd-transfer-not-a-change.yaml")
    assert qbd_side.status == "failed"
    assert "movements[kind=transfer_out]" in failure_text(qbd_side)


def test_creating_locations_from_sites_fails_inv_06_and_inv_13(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sites without an app location get one created (Zuper: locations are never created
    from QuickBooks)."""
    real = inventory._site_map

    def creates_locations(sync: Any, data: dict[str, Any]) -> SiteMap:
        names = {loc["name"] for loc in sync.app.list("locations")}
        for site in data.get("sites") or ():
            if site not in names:
                sync.app.create("locations", {"name": site})
        return real(sync, data)

    monkeypatch.setattr(inventory, "_site_map", creates_locations)
    for scenario, locations in (
        # The held site gets a location at once, so nothing is held before a person acts.
        (
            "inventory/inv-06-new-line-at-site.yaml",
            "app.products[Air Filter].sync.status: expected 'failed', got 'synced'",
        ),
        ("inventory/inv-13-advanced-inventory-sites.yaml", "locations: expected 3, got 5"),
    ):
        result = run_with(None, scenario)
        assert result.status == "failed"
        assert locations in failure_text(result)


def test_case_insensitive_sites_fail_inv_13(monkeypatch: pytest.MonkeyPatch) -> None:
    """Site "van 2" taken for location "Van 2" (the seed: the location master is
    case-sensitive)."""

    def bucket_of_site(self: SiteMap, site: str | None) -> str:
        for location_id, name in self.locations.items():
            if self.multi_location and site is not None and name.casefold() == site.casefold():
                return location_id
        return self.default_location

    monkeypatch.setattr(SiteMap, "bucket_of_site", bucket_of_site)
    result = run_with(None, "inventory/inv-13-advanced-inventory-sites.yaml")
    assert result.status == "failed"
    assert "app.products[Air Filter]" in failure_text(result)


class DropsRefusedStock(AppClient):
    """Treats the app's refusal of negative stock as done: the change is silently lost."""

    def adjust_stock(self, product_id: str, body: Any, *, idempotency_key: Any = None) -> Any:
        try:
            return super().adjust_stock(product_id, body, idempotency_key=idempotency_key)
        except AppApiError as exc:
            if exc.code != "negative_stock_not_allowed":
                raise
            return {}


def test_dropping_a_refused_negative_change_fails_inv_14() -> None:
    result = run_with(
        with_app_client(DropsRefusedStock), "inventory/inv-14-negative-refused-then-allowed.yaml"
    )
    assert result.status == "failed"
    assert "app.products[Air Filter].sync.status: expected 'failed'" in failure_text(result)


def test_skipping_the_settings_check_fails_inv_01(monkeypatch: pytest.MonkeyPatch) -> None:
    """Missing settings are taken as zero / the first category and location."""

    def lenient(settings: Any, app: Any, **_: Any) -> InventoryConfig:
        return InventoryConfig(
            master=settings.product_master or "app",
            min_quantity=Decimal(str(settings.min_quantity or 0)),
            non_inventory_quantity=Decimal(str(settings.non_inventory_quantity or 0)),
            category_id=str(app.list("categories")[0]["id"]),
            location_id=str(app.list("locations")[0]["id"]),
            require_qbd_categories=settings.require_qbd_categories,
        )

    monkeypatch.setattr(inventory, "validate", lenient)
    result = run_with(None, "inventory/inv-01-missing-setting-stops.yaml")
    assert result.status == "failed"
    assert "transcript.requests.ItemQuery: expected 0, got 2" in failure_text(result)


def test_adding_without_matching_the_name_fails_inv_05(monkeypatch: pytest.MonkeyPatch) -> None:
    """An app product is added to QuickBooks without looking for an item of its name."""

    def always_add(sync: Any, state: Any, item: Any, rs: Any) -> None:
        sync.prepend(state, {"kind": "item_add", "app_id": item["app_id"]})

    monkeypatch.setitem(
        HANDLERS, "item_push", dataclasses.replace(HANDLERS["item_push"], apply=always_add)
    )
    assert items.ENTITY == "item"
    result = run_with(None, "inventory/inv-05-same-name-links-app-master.yaml")
    assert result.status == "failed"
    assert "app.products[Air Filter].sync.status: expected 'synced', got 'failed'" in (
        failure_text(result)
    )


def test_resending_a_lost_adjustment_fails_inv_04(monkeypatch: pytest.MonkeyPatch) -> None:
    """A write whose answer was lost is forgotten instead of probed (guide p.53): the app's
    change reaches QuickBooks twice."""
    monkeypatch.setattr(InventoryMemory, "pending", lambda self: [])
    result = run_with(None, "inventory/inv-04-lost-answer-applied-once.yaml")
    assert result.status == "failed"
    # The next session writes the change again (a third adjustment) instead of holding it.
    assert "transcript.requests.InventoryAdjustmentAdd: expected 2, got 3" in (failure_text(result))


class FreshKeyEachTime(AppClient):
    """Sends every stock write with a new Idempotency-Key, so a replay is a new write."""

    def adjust_stock(self, product_id: str, body: Any, *, idempotency_key: Any = None) -> Any:
        return super().adjust_stock(product_id, body)


def test_replaying_with_a_fresh_key_fails_inv_06() -> None:
    result = run_with(
        with_app_client(FreshKeyEachTime), "inventory/inv-06-app-answer-lost-applied-once.yaml"
    )
    assert result.status == "failed"
    assert "app.products[Air Filter].quantity: expected 15, got '20'" in failure_text(result)


def test_a_held_site_error_left_behind_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The connector as it was before the fuzzer's stock model: once the stock at a site
    without an app location is gone, the product keeps its held-stock error."""
    monkeypatch.setattr(inventory, "_release_sites", lambda sync, product, list_id: None)
    result = run_with(None, "regressions/held-site-stock-gone-clears-error.yaml")
    assert result.status == "failed"
    assert "products[Air Filter].sync.status: expected 'synced', got 'failed'" in failure_text(
        result
    )
