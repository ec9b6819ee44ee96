"""The JSON API through the three doors a connector uses: Werkzeug's test client, httpx
in-process (httpx.WSGITransport) and real HTTP on 127.0.0.1 (waitress)."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from waitress.server import create_server
from werkzeug.test import Client

from harness.fake_fieldservice import FieldServiceApp


def api(app: FieldServiceApp) -> httpx.Client:
    return httpx.Client(transport=httpx.WSGITransport(app=app.wsgi), base_url="http://app/api/v1")


def seeded() -> tuple[FieldServiceApp, dict[str, Any], dict[str, Any]]:
    app = FieldServiceApp()
    customer = app.create_customer("Acme Plumbing")
    invoice = app.create_invoice(
        "Acme Plumbing",
        [{"description": "Repair", "quantity": "1", "rate": "125.00"}],
        number="1001",
    )
    return app, customer, invoice


def test_werkzeug_client_crud_customer() -> None:
    app = FieldServiceApp()
    client = Client(app.wsgi)
    created = client.post("/api/v1/customers", json={"name": "Bob's Garage", "phone": "555"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["id"] == "cus_0001"
    assert body["sync"] == {
        "status": "not_synced",
        "error": None,
        "external_id": None,
        "requested": None,
        "history": [],
    }
    patched = client.patch(f"/api/v1/customers/{body['id']}", json={"archived": True})
    assert patched.get_json()["archived"] is True
    assert client.get("/api/v1/customers").get_json()[0]["archived"] is True
    missing = client.get("/api/v1/customers/cus_9999")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"


def test_payment_over_httpx_in_process() -> None:
    app, _, invoice = seeded()
    with api(app) as client:
        answer = client.post(
            "/payments",
            json={
                "amount": "50.00",
                "mode": "Cash",
                "date": "2026-01-06",
                "reference": "r1",
                "applications": [{"invoice_id": invoice["id"], "amount": "50.00"}],
            },
        )
        assert answer.status_code == 201, answer.text
        payment = answer.json()
        assert (payment["amount"], payment["origin"], payment["status"]) == (
            "50.00",
            "app",
            "active",
        )
        fetched = client.get(f"/invoices/{invoice['id']}").json()
        assert (fetched["balance"], fetched["status"]) == ("75.00", "partially_paid")
        assert fetched["payments"][0]["payment_id"] == payment["id"]
        by_invoice = client.get("/payments", params={"invoice_id": invoice["id"]}).json()
        assert [p["id"] for p in by_invoice] == [payment["id"]]
        voided = client.post(f"/payments/{payment['id']}/void")
        assert voided.json()["status"] == "voided"
        assert client.get(f"/invoices/{invoice['id']}").json()["balance"] == "125.00"


def test_unknown_mode_is_422_with_error_shape() -> None:
    app, _, invoice = seeded()
    with api(app) as client:
        answer = client.post(
            "/payments",
            json={
                "amount": "5.00",
                "mode": "Venmo",
                "applications": [{"invoice_id": invoice["id"], "amount": "5.00"}],
            },
        )
        assert answer.status_code == 422
        assert answer.json()["error"]["code"] == "unknown_payment_mode"
        assert client.get("/payments").json() == []
        assert client.post("/payment-modes", json={"name": "Venmo"}).status_code == 201
        names = [m["name"] for m in client.get("/payment-modes").json()]
        assert names[-1] == "Venmo"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("not json", "invalid_json"),
        ("[1, 2]", "invalid_request"),
        ('{"amount": 5, "mode": "Cash"}', "invalid_request"),
        ('{"amount": "5.00", "mode": "Cash", "bogus": 1}', "invalid_request"),
    ],
)
def test_malformed_bodies_get_400(body: str, code: str) -> None:
    app, _, _ = seeded()
    with api(app) as client:
        answer = client.post(
            "/payments", content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 400
        assert answer.json()["error"]["code"] == code


def test_unknown_route_and_method() -> None:
    with api(FieldServiceApp()) as client:
        assert client.get("/nothing").json()["error"]["code"] == "not_found"
        answer = client.delete("/customers")
        assert answer.status_code == 405
        assert answer.json()["error"]["code"] == "method_not_allowed"


def test_patch_payment_over_http_edits_and_records_history() -> None:
    app, _, invoice = seeded()
    payment = app.record_payment("50.00", "Cash", invoice="1001")
    with api(app) as client:
        answer = client.patch(
            f"/payments/{payment['id']}",
            json={
                "amount": "70.00",
                "mode": "Check",
                "applications": [{"invoice_id": invoice["id"], "amount": "70.00"}],
            },
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["history"][-1]["changes"]["mode"] == {"from": "Cash", "to": "Check"}
        assert client.get(f"/invoices/{invoice['id']}").json()["balance"] == "55.00"


def test_invoice_over_http_with_void_and_delete() -> None:
    app, customer, _ = seeded()
    with api(app) as client:
        created = client.post(
            "/invoices",
            json={
                "customer_id": customer["id"],
                "number": "2001",
                "due_date": "2026-03-01",
                "lines": [
                    {"description": "Parts", "quantity": "3", "rate": "10.00", "taxable": True}
                ],
            },
        )
        assert created.status_code == 201, created.text
        invoice = created.json()
        assert (invoice["total"], invoice["due_date"]) == ("30.00", "2026-03-01")
        duplicate = client.post("/invoices", json={"customer_id": customer["id"], "number": "2001"})
        assert duplicate.status_code == 409
        voided = client.patch(f"/invoices/{invoice['id']}", json={"status": "void"})
        assert voided.json()["status"] == "void"
        assert client.delete(f"/invoices/{invoice['id']}").status_code == 200
        gone = client.get(f"/invoices/{invoice['id']}")
        assert (gone.status_code, gone.json()["error"]["code"]) == (404, "deleted")


def test_settings_roundtrip_and_refusal() -> None:
    with api(FieldServiceApp()) as client:
        assert client.get("/settings").json()["consumption_module"] == "Invoice"
        changed = client.patch(
            "/settings", json={"allow_negative_stock": True, "deposit_account": "Checking"}
        )
        assert changed.json()["allow_negative_stock"] is True
        refused = client.patch("/settings", json={"consumption_module": "Spreadsheet"})
        assert refused.status_code == 400
        assert client.get("/settings").json()["deposit_account"] == "Checking"


def test_real_http_on_loopback() -> None:
    app, _, invoice = seeded()
    server = create_server(app.wsgi, host="127.0.0.1", port=0, threads=2)
    port = server.effective_port  # type: ignore[union-attr]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1", timeout=5) as client:
            answer = client.post(
                "/payments",
                json={
                    "amount": "125.00",
                    "mode": "Online",
                    "applications": [{"invoice_id": invoice["id"], "amount": "125.00"}],
                },
                headers={"Idempotency-Key": "once"},
            )
            assert answer.status_code == 201
            assert client.get(f"/invoices/{invoice['id']}").json()["status"] == "paid"
    finally:
        server.close()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_patch_null_on_a_required_field_is_refused() -> None:
    app, customer, invoice = seeded()
    payment = app.record_payment("5.00", "Cash", invoice="1001", reference="r")
    with api(app) as client:
        refused = client.patch(f"/invoices/{invoice['id']}", json={"lines": None})
        assert (refused.status_code, refused.json()["error"]["message"]) == (
            400,
            "lines cannot be null",
        )
        cleared = client.patch(f"/payments/{payment['id']}", json={"reference": None})
        assert cleared.json()["reference"] is None
        cleared = client.patch(f"/customers/{customer['id']}", json={"email": None})
        assert cleared.status_code == 200
        assert (
            client.patch(f"/payments/{payment['id']}", json={"applications": None}).status_code
            == 400
        )
