"""The walking skeleton's scenarios catch a connector that loses payments."""

from connector import AppClient
from tests.variants.mutation import run_with, with_app_client


class DropsPaymentsFromQuickBooks(AppClient):
    """Claims to create the app payment but never sends it: the payment is lost."""

    def create_payment(self, body, *, idempotency_key):  # type: ignore[no-untyped-def]
        return {"id": "pay_lost", **body}


def test_reference_connector_passes_pay_02():
    assert run_with(None, "payments/pay-02-full-payment.yaml").status == "passed"


def test_a_connector_that_drops_the_payment_fails_pay_02_with_a_readable_diff():
    result = run_with(
        with_app_client(DropsPaymentsFromQuickBooks), "payments/pay-02-full-payment.yaml"
    )
    assert result.status == "failed"
    assert result.failure is not None
    rendered = result.failure.render(result.path)
    assert "app.invoices[1001].status: expected 'paid', got 'open'" in rendered
    assert "pay-02-full-payment.yaml:" in rendered
