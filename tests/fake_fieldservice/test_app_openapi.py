"""The committed OpenAPI description matches the code, and the public API is pinned."""

from __future__ import annotations

from pathlib import Path

import httpx

import harness.fake_fieldservice as fs
from harness.fake_fieldservice import ROUTES, FieldServiceApp, openapi_document, openapi_json

COMMITTED = Path(__file__).parents[2] / "docs" / "fake_fieldservice-openapi.json"


def test_committed_openapi_is_current() -> None:
    # Regenerate with: python -c "from harness.fake_fieldservice import openapi_json;
    # open('docs/fake_fieldservice-openapi.json', 'w').write(openapi_json(ROUTES))"
    assert COMMITTED.read_text(encoding="utf-8") == openapi_json(ROUTES)


def test_served_openapi_equals_generated() -> None:
    client = httpx.Client(
        transport=httpx.WSGITransport(app=FieldServiceApp().wsgi), base_url="http://app"
    )
    assert client.get("/api/v1/openapi.json").json() == openapi_document(ROUTES)


def test_every_route_is_described_with_its_schemas() -> None:
    document = openapi_document(ROUTES)
    schemas = document["components"]["schemas"]
    for route in ROUTES:
        path = route.rule.replace("<", "{").replace(">", "}")
        operation = document["paths"][path][route.method.lower()]
        assert operation["operationId"] == route.name
        if route.body is not None:
            assert route.body.__name__ in schemas
    assert set(schemas["PaymentCreate"]["required"]) == {"amount", "mode"}
    assert schemas["ErrorBody"]["required"] == ["error"]


def test_public_api_is_pinned() -> None:
    assert sorted(fs.__all__) == sorted(
        [
            "DEFAULT_PAYMENT_MODES",
            "IDEMPOTENCY_HEADER",
            "ROUTES",
            "SYNC_ORIGIN_HEADER",
            "BulkDataSource",
            "BulkInvoice",
            "BulkRecords",
            "Conflict",
            "FaultPlan",
            "FieldServiceApp",
            "FieldServiceBackend",
            "FieldServiceError",
            "InsufficientStock",
            "InvalidRequest",
            "NotFound",
            "RuleViolation",
            "SimulatedAnswerLost",
            "SimulatedTimeout",
            "UnknownPaymentMode",
            "openapi_document",
            "openapi_json",
        ]
    )
    for name in fs.__all__:
        assert hasattr(fs, name)
