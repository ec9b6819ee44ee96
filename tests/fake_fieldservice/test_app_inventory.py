"""Products, locations and stock: consumption through invoices, adjustments, transfers."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from harness.fake_fieldservice import FieldServiceApp, InsufficientStock, RuleViolation


def stocked() -> FieldServiceApp:
    app = FieldServiceApp()
    app.create_category("Parts")
    app.create_location("Main Warehouse")
    app.create_location("Van 1")
    app.set_setting("default_location", "Main Warehouse")
    app.create_product("Copper Pipe", "part", category="Parts", price="4.50", taxable=True)
    app.create_product("Labor", "service", price="90.00")
    app.adjust_stock("Copper Pipe", location="Main Warehouse", new_quantity="10")
    app.create_customer("Acme Plumbing")
    return app


def stock_of(app: FieldServiceApp, product: str) -> dict[str, str]:
    names = {loc["id"]: loc["name"] for loc in app.snapshot()["locations"]}
    return {names[s["location_id"]]: s["quantity"] for s in app.product(product)["stock"]}


def assert_ledger_matches(app: FieldServiceApp) -> None:
    snap = app.snapshot()
    for product in snap["products"]:
        total = sum(
            (Decimal(m["quantity"]) for m in snap["movements"] if m["product_id"] == product["id"]),
            Decimal(0),
        )
        assert Decimal(product["quantity"]) == total


def test_invoice_consumes_at_designated_location_and_defaults_from_product() -> None:
    app = stocked()
    invoice = app.create_invoice(
        "Acme Plumbing",
        [{"product": "Copper Pipe", "quantity": "3"}, {"product": "Labor", "quantity": "2"}],
    )
    assert invoice["total"] == "193.50"  # 3 x 4.50 + 2 x 90.00 from product prices
    assert [line["taxable"] for line in invoice["lines"]] == [True, False]
    assert stock_of(app, "Copper Pipe") == {"Main Warehouse": "7"}
    assert app.product("Labor")["stock"] == []  # services never carry quantity
    assert_ledger_matches(app)


def test_negative_stock_refused_unless_allowed() -> None:
    app = stocked()
    before = app.snapshot()
    with pytest.raises(InsufficientStock) as caught:
        app.create_invoice("Acme Plumbing", [{"product": "Copper Pipe", "quantity": "11"}])
    assert caught.value.code == "negative_stock_not_allowed"
    assert app.snapshot() == before  # no invoice, no movement, no feed entry
    app.set_setting("allow_negative_stock", True)
    app.create_invoice("Acme Plumbing", [{"product": "Copper Pipe", "quantity": "11"}])
    assert stock_of(app, "Copper Pipe") == {"Main Warehouse": "-1"}


def test_consumption_module_other_than_invoice_does_not_consume() -> None:
    app = stocked()
    app.set_setting("consumption_module", "Job")
    app.create_invoice("Acme Plumbing", [{"product": "Copper Pipe", "quantity": "3"}])
    assert stock_of(app, "Copper Pipe") == {"Main Warehouse": "10"}


def test_edit_refused_when_target_location_is_empty() -> None:
    app = stocked()
    invoice = app.create_invoice("Acme Plumbing", [{"product": "Copper Pipe", "quantity": "3"}])
    with pytest.raises(InsufficientStock):
        app.edit_invoice(
            invoice["number"],
            lines=[{"product": "Copper Pipe", "quantity": "5", "location": "Van 1"}],
        )
    assert stock_of(app, "Copper Pipe") == {"Main Warehouse": "7"}
    app.transfer_stock("Copper Pipe", "Main Warehouse", "Van 1", "5")
    app.edit_invoice(
        invoice["number"], lines=[{"product": "Copper Pipe", "quantity": "5", "location": "Van 1"}]
    )
    assert stock_of(app, "Copper Pipe") == {"Main Warehouse": "5", "Van 1": "0"}
    app.delete_invoice(invoice["number"])
    assert stock_of(app, "Copper Pipe") == {"Main Warehouse": "5", "Van 1": "5"}
    assert app.product("Copper Pipe")["quantity"] == "10"
    assert_ledger_matches(app)


def test_transfer_keeps_total_and_is_flagged_in_feed() -> None:
    app = stocked()
    app.transfer_stock("Copper Pipe", "Main Warehouse", "Van 1", "4")
    assert stock_of(app, "Copper Pipe") == {"Main Warehouse": "6", "Van 1": "4"}
    assert app.product("Copper Pipe")["quantity"] == "10"
    assert app.changes()[-1]["transfer"] is True


def test_adjustments_new_quantity_and_difference() -> None:
    app = stocked()
    app.adjust_stock("Copper Pipe", quantity_difference="2.5")
    assert stock_of(app, "Copper Pipe") == {"Main Warehouse": "12.5"}
    app.adjust_stock("Copper Pipe", location="Van 1", new_quantity="3")
    assert stock_of(app, "Copper Pipe") == {"Main Warehouse": "12.5", "Van 1": "3"}
    with pytest.raises(RuleViolation) as caught:
        app.adjust_stock("Labor", new_quantity="1")
    assert caught.value.code == "not_inventory_tracked"
    assert_ledger_matches(app)


def test_location_names_are_case_sensitive() -> None:
    app = stocked()
    with pytest.raises(Exception, match="case-sensitive"):
        app.adjust_stock("Copper Pipe", location="main warehouse", new_quantity="1")
    app.create_location("main warehouse")  # a different location, by Zuper's rule
    assert len(app.snapshot()["locations"]) == 3


def test_no_designated_location_is_a_clear_error() -> None:
    app = FieldServiceApp()
    app.create_location("A")
    app.create_location("B")
    app.create_product("Valve", "product")
    with pytest.raises(RuleViolation) as caught:
        app.adjust_stock("Valve", quantity_difference="1")
    assert caught.value.code == "no_location"


def test_inventory_over_http() -> None:
    app = stocked()
    client = httpx.Client(transport=httpx.WSGITransport(app=app.wsgi), base_url="http://app/api/v1")
    pipe = client.get("/products", params={"name": "Copper Pipe"}).json()[0]
    loc = client.get("/locations").json()[1]["id"]
    moved = client.post(
        f"/products/{pipe['id']}/transfer",
        json={
            "from_location_id": pipe["stock"][0]["location_id"],
            "to_location_id": loc,
            "quantity": "2",
        },
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["quantity"] == "10"
    refused = client.post(
        f"/products/{pipe['id']}/adjust", json={"new_quantity": "1", "quantity_difference": "1"}
    )
    assert refused.status_code == 400
    created = client.post(
        "/products", json={"name": "Fee", "kind": "service", "track_inventory": True}
    )
    assert created.status_code == 400
    movements = client.get("/movements", params={"product_id": pipe["id"]}).json()
    assert [m["kind"] for m in movements] == ["adjustment", "transfer_out", "transfer_in"]


def test_store_credit_lowers_balance() -> None:
    app = stocked()
    app.create_invoice("Acme Plumbing", [{"product": "Labor", "quantity": "1"}], number="77")
    credit = app.give_store_credit(
        "Acme Plumbing", "30.00", reason="goodwill", applications={"77": "20.00"}
    )
    assert credit["remaining"] == "10.00"
    invoice = app.invoice("77")
    assert (invoice["balance"], invoice["status"]) == ("70.00", "partially_paid")
    assert invoice["payments"][0]["store_credit_id"] == credit["id"]


def test_editing_an_invoice_without_touching_lines_moves_no_stock() -> None:
    app = stocked()
    invoice = app.create_invoice("Acme Plumbing", [{"product": "Copper Pipe", "quantity": "3"}])
    movements = len(app.snapshot()["movements"])
    feed = len(app.changes())
    app.edit_invoice(invoice["number"], due_date="2026-04-01")
    app.edit_invoice(invoice["number"], lines=[{"product": "Copper Pipe", "quantity": "3"}])
    assert len(app.snapshot()["movements"]) == movements
    assert [c["entity"] for c in app.changes(feed)] == ["invoice", "invoice"]
    app.void_invoice(invoice["number"])
    assert stock_of(app, "Copper Pipe") == {"Main Warehouse": "10"}
