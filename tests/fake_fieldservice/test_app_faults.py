"""Faults on demand: 5xx, timeout, slow, and applied-but-answer-lost."""

from __future__ import annotations

import httpx
import pytest

from harness.clock import SimClock
from harness.fake_fieldservice import (
    FieldServiceApp,
    InvalidRequest,
    SimulatedAnswerLost,
    SimulatedTimeout,
)


def setup() -> tuple[FieldServiceApp, httpx.Client, dict[str, str]]:
    app = FieldServiceApp(clock=SimClock())
    customer = app.create_customer("Acme")
    client = httpx.Client(transport=httpx.WSGITransport(app=app.wsgi), base_url="http://app")
    body = {"amount": "10.00", "mode": "Cash", "customer_id": customer["id"]}
    return app, client, body


def test_error_fault_answers_5xx_n_times_without_applying() -> None:
    app, client, body = setup()
    app.faults.inject("/api/v1/payments", "error", times=2, method="POST", status=502)
    statuses = [client.post("/api/v1/payments", json=body).status_code for _ in range(3)]
    assert statuses == [502, 502, 201]
    assert len(app.snapshot()["payments"]) == 1
    assert app.faults.pending() == []
    assert [entry["kind"] for entry in app.faults.log] == ["error", "error"]


def test_fault_only_matches_its_path_and_method() -> None:
    app, client, body = setup()
    app.faults.inject("/api/v1/invoices*", "error")
    assert client.post("/api/v1/payments", json=body).status_code == 201
    assert client.get("/api/v1/invoices").status_code == 503


def test_timeout_applies_nothing() -> None:
    app, client, body = setup()
    app.faults.inject("/api/v1/payments", "timeout")
    with pytest.raises(httpx.TimeoutException):
        client.post("/api/v1/payments", json=body)
    assert app.snapshot()["payments"] == []


def test_lost_answer_is_applied_and_idempotent_retry_returns_it() -> None:
    app, client, body = setup()
    app.faults.inject("/api/v1/payments", "lost")
    with pytest.raises(SimulatedAnswerLost):
        client.post("/api/v1/payments", json=body, headers={"Idempotency-Key": "k"})
    assert len(app.snapshot()["payments"]) == 1
    retry = client.post("/api/v1/payments", json=body, headers={"Idempotency-Key": "k"})
    assert retry.status_code == 201
    assert retry.json()["id"] == app.snapshot()["payments"][0]["id"]
    assert len(app.snapshot()["payments"]) == 1


def test_slow_moves_the_simulated_clock() -> None:
    app, client, body = setup()
    before = app.clock.now()
    app.faults.inject("/api/v1/payments", "slow", seconds=45)
    created = client.post("/api/v1/payments", json=body).json()
    assert (app.clock.now() - before).total_seconds() == 45
    assert created["created_at"] == app.clock.now().isoformat()


def test_fault_exceptions_are_httpx_errors() -> None:
    assert issubclass(SimulatedTimeout, httpx.TimeoutException)
    assert issubclass(SimulatedAnswerLost, httpx.TransportError)


def test_bad_fault_definitions_are_refused() -> None:
    app, _, _ = setup()
    with pytest.raises(InvalidRequest):
        app.faults.inject("/x", "explode")
    with pytest.raises(InvalidRequest):
        app.faults.inject("/x", "error", status=404)
    with pytest.raises(InvalidRequest):
        app.faults.inject("/x", "error", times=0)


def test_inject_fault_is_an_in_process_action() -> None:
    app, client, body = setup()
    fault = app.inject_fault("/api/v1/payments", kind="error", times=1, status=500)
    assert (fault["kind"], fault["fired"]) == ("error", 0)
    assert client.post("/api/v1/payments", json=body).status_code == 500
    assert client.post("/api/v1/payments", json=body).status_code == 201
