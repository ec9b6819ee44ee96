"""Convergence of the inventory sync under random changes on both sides (issue 9).

A hypothesis state machine drives the whole loop (fake QuickBooks with Advanced Inventory,
the fake app, the simulated Web Connector, the reference connector): consumption on app
invoices and QuickBooks invoices, adjustments, item receipts and transfers on both sides,
with syncs in between. After every sync both sides must agree on every item's quantity at
every location (each app location has a site of the same name, so per location is exact),
and a second sync must change nothing (no change is ever applied twice).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from connector.sync.inventory_state import InventoryMemory
from harness.world import World

ITEMS = ("Air Filter", "Hose")
SITES = ("Main Warehouse", "Van 1")
QUANTITY = st.integers(min_value=1, max_value=6)


class InventoryLoop(RuleBasedStateMachine):
    world: World

    @initialize(master=st.sampled_from(["app", "qbd"]))
    def build(self, master: str) -> None:
        self.master = master
        self.world = World.build(
            qbd_settings={"class_tracking": True, "multi_location_inventory": True},
            app_settings={"allow_negative_stock": True},
            connector_config={
                "inventory": {
                    "product_master": master,
                    "min_quantity": 1,
                    "non_inventory_quantity": 0,
                    "default_category": "Parts",
                    "default_location": "Main Warehouse",
                }
            },
        )
        qbd, app = self.world.qbd.operator, self.world.app
        qbd.add_site("Van 1")
        qbd.add_customer("Acme Plumbing")
        qbd.add_vendor("Filter Supply Co")
        app.create_category("Parts")
        for site in SITES:
            app.create_location(site)
        app.create_customer("Bolt Electric")
        for name in ITEMS:
            if master == "qbd":
                qbd.add_item("inventory", name, price="5.00", quantity_on_hand=10)
            else:
                app.create_product(name, price="5.00")
                app.adjust_stock(name, location="Main Warehouse", new_quantity=10)
        self.invoices = 0
        self.sync()

    # -- the app side -------------------------------------------------------------------------

    @rule(item=st.sampled_from(ITEMS), site=st.sampled_from(SITES), quantity=QUANTITY)
    def app_invoice(self, item: str, site: str, quantity: int) -> None:
        self.synced = None
        self.invoices += 1
        self.world.app.create_invoice(
            "Bolt Electric",
            [{"description": item, "quantity": quantity, "rate": "5.00", "product": item,
              "location": site}],
            number=f"A{self.invoices}",
        )  # fmt: skip

    @rule(item=st.sampled_from(ITEMS), site=st.sampled_from(SITES), delta=st.integers(-5, 5))
    def app_adjust(self, item: str, site: str, delta: int) -> None:
        self.synced = None
        if delta:
            self.world.app.adjust_stock(item, location=site, quantity_difference=delta)

    @rule(item=st.sampled_from(ITEMS), forward=st.booleans(), quantity=QUANTITY)
    def app_transfer(self, item: str, forward: bool, quantity: int) -> None:
        self.synced = None
        source, target = SITES if forward else SITES[::-1]
        self.world.app.transfer_stock(item, source, target, quantity)

    # -- the QuickBooks side ------------------------------------------------------------------

    @rule(item=st.sampled_from(ITEMS), quantity=QUANTITY)
    def qbd_invoice(self, item: str, quantity: int) -> None:
        self.synced = None
        self.invoices += 1
        self.world.qbd.operator.create_invoice(
            "Acme Plumbing",
            [{"item": item, "quantity": quantity, "rate": "5.00"}],
            ref_number=f"Q{self.invoices}",
        )

    @rule(
        item=st.sampled_from(ITEMS),
        site=st.sampled_from(SITES),
        new=st.booleans(),
        amount=st.integers(-4, 8),
    )
    def qbd_adjust(self, item: str, site: str, new: bool, amount: int) -> None:
        self.synced = None
        operator = self.world.qbd.operator
        if new:
            operator.adjust_quantity(item, new_quantity=abs(amount), site=site)
        elif amount:
            operator.adjust_quantity(item, quantity_difference=amount, site=site)

    @rule(item=st.sampled_from(ITEMS), site=st.sampled_from(SITES), quantity=QUANTITY)
    def qbd_receive(self, item: str, site: str, quantity: int) -> None:
        self.synced = None
        self.world.qbd.operator.receive_items(
            "Filter Supply Co", [{"item": item, "quantity": quantity, "cost": "2.00", "site": site}]
        )

    @rule(item=st.sampled_from(ITEMS), forward=st.booleans(), quantity=QUANTITY)
    def qbd_transfer(self, item: str, forward: bool, quantity: int) -> None:
        self.synced = None
        source, target = SITES if forward else SITES[::-1]
        self.world.qbd.operator.transfer_inventory(
            source, target, [{"item": item, "quantity": quantity}]
        )

    # -- syncing ------------------------------------------------------------------------------

    @rule()
    def sync(self) -> None:
        self.world.clock.advance(300)
        transcript = self.world.sync()
        assert transcript.outcome.status == "completed", transcript.outcome
        app_after, qbd_after = self.app_stock(), self.qbd_stock()
        assert app_after == qbd_after, f"diverged: app {app_after} QuickBooks {qbd_after}"
        self.synced = (app_after, qbd_after)

    @precondition(lambda self: getattr(self, "synced", None) is not None)
    @rule()
    def sync_without_changes(self) -> None:
        """Right after a sync nothing is pending: another one changes nothing (no change
        is applied twice, a transfer included)."""
        before = self.synced
        self.world.clock.advance(300)
        self.world.sync()
        assert (self.app_stock(), self.qbd_stock()) == before, "a sync without changes moved stock"

    @invariant()
    def no_location_is_created(self) -> None:
        if hasattr(self, "world"):
            assert len(self.world.app.snapshot()["locations"]) == len(SITES)

    # -- reading both sides -------------------------------------------------------------------

    def app_stock(self) -> dict[tuple[str, str], Decimal]:
        snapshot = self.world.app.snapshot()
        names = {loc["id"]: loc["name"] for loc in snapshot["locations"]}
        out = {(item, site): Decimal(0) for item in ITEMS for site in SITES}
        for product in snapshot["products"]:
            for row in product["stock"]:
                out[(product["name"], names[row["location_id"]])] += Decimal(row["quantity"])
        return out

    def qbd_stock(self) -> dict[tuple[str, str], Decimal]:
        out: dict[tuple[str, str], Decimal] = {}
        for row in self.world.qbd.snapshot()["ItemSites"]:
            item, _, site = str(row["Name"]).partition(" @ ")
            out[(item, site)] = Decimal(str(row["QuantityOnHand"]))
        return out

    def teardown(self) -> None:
        if hasattr(self, "world"):
            self.world.close()


def _settings() -> Any:
    return settings(
        max_examples=8,
        stateful_step_count=8,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=True,
    )


TestInventoryConvergence = InventoryLoop.TestCase
TestInventoryConvergence.settings = _settings()


def test_the_checks_catch_a_transfer_applied_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """The convergence check is not vacuous: with a connector that does not remember the
    app side of a QuickBooks transfer, the stock is moved again and the sides diverge."""
    real = InventoryMemory.move_baseline

    def forgets_transfers(self: InventoryMemory, list_id: str, deltas: dict[str, Any]) -> int:
        if len(deltas) == 2:
            current = self.baseline(list_id)
            return current[1] if current else 0
        return real(self, list_id, deltas)

    monkeypatch.setattr(InventoryMemory, "move_baseline", forgets_transfers)
    machine = InventoryLoop()
    try:
        machine.build(master="qbd")
        machine.qbd_transfer(item="Air Filter", forward=True, quantity=4)
        with pytest.raises(AssertionError, match="diverged"):
            machine.sync()
    finally:
        machine.teardown()
