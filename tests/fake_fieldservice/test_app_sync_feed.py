"""Sync objects, the change feed, the external_id filter and Idempotency-Key."""

from __future__ import annotations

from typing import Any

import httpx

from harness.fake_fieldservice import FieldServiceApp

CONNECTOR = {"X-Sync-Origin": "connector"}


def api(app: FieldServiceApp) -> httpx.Client:
    return httpx.Client(transport=httpx.WSGITransport(app=app.wsgi), base_url="http://app/api/v1")


def seeded() -> tuple[FieldServiceApp, dict[str, Any]]:
    app = FieldServiceApp()
    app.create_customer("Acme Plumbing")
    invoice = app.create_invoice(
        "Acme Plumbing", [{"description": "Job", "rate": "100.00"}], number="1001"
    )
    return app, invoice


def test_put_sync_sets_status_and_appends_history_without_change_entry() -> None:
    app, invoice = seeded()
    feed_length = len(app.snapshot()["changes"])
    with api(app) as client:
        put = client.put(
            f"/invoices/{invoice['id']}/sync",
            headers=CONNECTOR,
            json={"status": "synced", "external_id": "1A2B-1700000000"},
        )
        assert put.status_code == 200, put.text
        assert put.json()["external_id"] == "1A2B-1700000000"
        failed = client.put(
            f"/invoices/{invoice['id']}/sync",
            headers=CONNECTOR,
            json={
                "status": "failed",
                "error": "3140: There is an invalid reference to QuickBooks "
                'Customer "Acme Plumbing"',
                "external_id": None,
            },
        )
        state = failed.json()
        # null keeps the link; the error is kept verbatim
        assert state["external_id"] == "1A2B-1700000000"
        assert state["error"].startswith("3140")
        assert [h["status"] for h in state["history"]] == ["synced", "failed"]
        assert state["history"][0]["by"] == "connector"
        assert client.get(f"/invoices/{invoice['id']}/sync").json() == state
        cleared = client.put(
            f"/invoices/{invoice['id']}/sync", json={"status": "not_synced", "external_id": ""}
        )
        assert cleared.json()["external_id"] is None
    assert len(app.snapshot()["changes"]) == feed_length


def test_put_sync_refusals() -> None:
    app, invoice = seeded()
    with api(app) as client:
        no_error = client.put(f"/invoices/{invoice['id']}/sync", json={"status": "failed"})
        assert no_error.status_code == 400
        bad_status = client.put(f"/invoices/{invoice['id']}/sync", json={"status": "done"})
        assert bad_status.status_code == 400
        bad_collection = client.put("/widgets/x/sync", json={"status": "synced"})
        assert bad_collection.status_code == 404
    assert app.invoice("1001")["sync"]["history"] == []


def test_connector_creates_synced_record_and_finds_it_by_external_id() -> None:
    app, invoice = seeded()
    body = {
        "amount": "40.00",
        "mode": "Cash",
        "origin": "qbd",
        "applications": [{"invoice_id": invoice["id"], "amount": "40.00"}],
        "sync": {"status": "synced", "external_id": "TXN-9"},
    }
    with api(app) as client:
        created = client.post("/payments", json=body, headers=CONNECTOR).json()
        assert created["origin"] == "qbd"
        assert created["sync"]["status"] == "synced"
        assert created["sync"]["history"][0]["external_id"] == "TXN-9"
        found = client.get("/payments", params={"external_id": "TXN-9"}).json()
        assert [p["id"] for p in found] == [created["id"]]
        assert client.get("/payments", params={"external_id": "nope"}).json() == []
        assert client.get("/invoices", params={"external_id": "nope"}).json() == []
        assert client.get("/customers", params={"external_id": "nope"}).json() == []


def test_change_feed_pages_with_cursor_and_flags_connector_writes() -> None:
    app, invoice = seeded()
    with api(app) as client:
        first = client.get("/changes", params={"limit": 2}).json()
        assert [c["seq"] for c in first["changes"]] == [1, 2]
        assert (first["cursor"], first["has_more"]) == ("2", True)
        rest = client.get("/changes", params={"since": first["cursor"]}).json()
        assert rest["has_more"] is False
        tail = rest["changes"][-2:]
        assert [(c["entity"], c["op"], c["origin"]) for c in tail] == [
            ("customer", "create", "app"),
            ("invoice", "create", "app"),
        ]
        cursor = rest["cursor"]
        client.post(
            "/payments",
            headers=CONNECTOR,
            json={
                "amount": "10.00",
                "mode": "Cash",
                "applications": [{"invoice_id": invoice["id"], "amount": "10.00"}],
            },
        )
        app.record_payment("5.00", "Cash", invoice="1001")
        news = client.get("/changes", params={"since": cursor}).json()
        assert [(c["entity"], c["op"], c["origin"]) for c in news["changes"]] == [
            ("payment", "create", "connector"),
            ("payment", "create", "app"),
        ]
        empty = client.get("/changes", params={"since": news["cursor"]}).json()
        assert (empty["changes"], empty["cursor"]) == ([], news["cursor"])
        assert client.get("/changes", params={"since": "x"}).status_code == 400


def test_update_and_delete_entries() -> None:
    app, invoice = seeded()
    start = len(app.snapshot()["changes"])
    app.edit_invoice("1001", due_date="2026-03-01")
    app.put_external = app.backend.put_sync(
        "invoices", invoice["id"], {"status": "synced", "external_id": "T-1"}
    )
    app.delete_invoice("1001")
    entries = app.changes(start)
    assert [(c["op"], c["external_id"]) for c in entries] == [("update", None), ("delete", "T-1")]


def test_idempotency_key_returns_first_answer_once() -> None:
    app, invoice = seeded()
    body = {
        "amount": "10.00",
        "mode": "Cash",
        "applications": [{"invoice_id": invoice["id"], "amount": "10.00"}],
    }
    with api(app) as client:
        first = client.post("/payments", json=body, headers={"Idempotency-Key": "k-1"})
        again = client.post("/payments", json=body, headers={"Idempotency-Key": "k-1"})
        assert (first.status_code, again.status_code) == (201, 201)
        assert first.json() == again.json()
        assert len(client.get("/payments").json()) == 1
        other = client.post(
            "/payments", json={**body, "amount": "11.00"}, headers={"Idempotency-Key": "k-1"}
        )
        assert (other.status_code, other.json()["error"]["code"]) == (409, "idempotency_conflict")
        fresh = client.post("/payments", json=body, headers={"Idempotency-Key": "k-2"})
        assert fresh.json()["id"] != first.json()["id"]
    assert app.invoice("1001")["balance"] == "80.00"


def test_refusal_is_not_remembered_under_its_key() -> None:
    # PAY-01: a payment held for a missing mode must go through once the mode exists, even
    # when the connector retries with the same key (e.g. one derived from the QBD TxnID).
    app, _ = seeded()
    body = {"amount": "10.00", "mode": "Zelle", "customer_id": "cus_0001"}
    with api(app) as client:
        first = client.post("/payments", json=body, headers={"Idempotency-Key": "z"})
        client.post("/payment-modes", json={"name": "Zelle"})
        again = client.post("/payments", json=body, headers={"Idempotency-Key": "z"})
        replay = client.post("/payments", json=body, headers={"Idempotency-Key": "z"})
        assert (first.status_code, again.status_code, replay.status_code) == (422, 201, 201)
        assert replay.json() == again.json()
        assert len(client.get("/payments").json()) == 1


def test_sync_now_and_unsync_rules() -> None:
    app, invoice = seeded()
    refused = api(app).post(f"/invoices/{invoice['id']}/sync-now")
    # TaxDome: an invoice syncs manually only once its client is synced (IVC-09)
    assert refused.json()["error"]["code"] == "customer_not_synced"
    customer = app.customer("Acme Plumbing")
    app.backend.put_sync("customers", customer["id"], {"status": "synced", "external_id": "C1"})
    assert app.sync_now("invoice", "1001")["requested"] == "sync"
    unsync_refused = api(app).post(f"/invoices/{invoice['id']}/unsync")
    assert unsync_refused.status_code == 422
    assert app.unsync("customer", "Acme Plumbing")["requested"] == "unsync"


def test_snapshot_is_stable_and_json_able() -> None:
    import json

    def build() -> str:
        app, _ = seeded()
        app.record_payment("30.00", "Check", invoice="1001", reference="c-1")
        return json.dumps(app.snapshot(), sort_keys=True)

    assert build() == build()
