"""The fieldcases scenarios (a support engineer's cases from the seeds, two behaviors at a
time) catch broken connectors: each is run against variants with the bug it names in its
"Would catch" line, reusing the variants of the other mutant tests where one has that bug.
Every scenario here passes against the reference connector (``test_reference_passes``)."""

from __future__ import annotations

from typing import Any

import pytest

from connector import AppClient
from connector.qbxml import requests as rq
from connector.sync import credit_memos, payments
from connector.sync.handlers import HANDLERS, Handler
from tests.variants.mutation import Variant, failure_text, run_with, with_app_client
from tests.variants.test_mutants_core import BLIND
from tests.variants.test_mutants_history import CodeLeftOut
from tests.variants.test_mutants_inventory import forget_transfers
from tests.variants.test_mutants_payments import (
    _apply_readd,
    _readd_without_removing,
    retries_blindly,
)
from tests.variants.test_mutants_skeleton import DropsPaymentsFromQuickBooks

PARTIALS = "payments/exactly-once/pay-17-partials-one-answer-lost.yaml"
PAID_TWICE = "payments/exactly-once/pay-17-paid-twice-both-sides-held.yaml"
CLOSING_DATE = "payments/pay-13-closing-date-then-sync-now.yaml"
EDIT_CLOSED = "payments/pay-05-edit-in-closed-period-no-duplicate.yaml"
READD_REFUSED = "payments/pay-05-readd-refused-then-sync-now.yaml"
VOIDED_IN_QBD = "payments/pay-06-app-payment-voided-in-qbd.yaml"
BOUNCED_DEPOSITED = "payments/pay-16-bounced-deposited-payment.yaml"
TRANSFER_THEN_SALE = "inventory/inv-12-transfer-then-sale-at-site.yaml"
RENAMED_IN_APP = "customers/cus-05-renamed-in-app-while-paid-in-qbd.yaml"
BOTH_SIDES_STOCK = "inventory/inv-04-stock-changed-both-sides.yaml"
ITEM_RENAMED = "inventory/inv-05-item-renamed-in-qbd.yaml"
CREDIT_APPLIED = "regressions/store-credit-applied-in-app-left-unapplied-in-qbd.yaml"
CREDIT_ANSWER_LOST = "invoices/ivc-10-credit-applied-answer-lost.yaml"
CREDIT_REFUSED = "invoices/ivc-10-credit-application-refused.yaml"
INVOICE_HELD = "regressions/two-computers-invoice-in-flight-payment-waits.yaml"


@pytest.mark.parametrize(
    "scenario",
    [
        PARTIALS,
        PAID_TWICE,
        CLOSING_DATE,
        EDIT_CLOSED,
        READD_REFUSED,
        VOIDED_IN_QBD,
        BOUNCED_DEPOSITED,
        TRANSFER_THEN_SALE,
        RENAMED_IN_APP,
        BOTH_SIDES_STOCK,
        ITEM_RENAMED,
        CREDIT_APPLIED,
        CREDIT_ANSWER_LOST,
        CREDIT_REFUSED,
        INVOICE_HELD,
    ],
    ids=lambda s: s.rsplit("/", 1)[-1],
)
def test_reference_passes(scenario: str) -> None:
    result = run_with(None, scenario)
    assert result.status == "passed", failure_text(result)


class FailedPaymentsResent(AppClient):
    """Sends a Failed payment again at every sync, as if Not synced (seed 003: a Failed
    payment is synced again by a person's "sync now")."""

    def list_app_payments(self) -> list[dict[str, Any]]:
        found = super().list_app_payments()
        for payment in found:
            if (payment.get("sync") or {}).get("status") == "failed":
                payment["sync"] = {**payment["sync"], "status": "not_synced"}
        return found


class NeverVoidsInApp(AppClient):
    """Reads a QuickBooks void of a payment but never voids it in the app."""

    def void_payment(self, payment_id: str, *, reason: str, idempotency_key: str) -> Any:
        return self.get("payments", payment_id)


#: (variant, scenario, a line the failure must show)
APP_SIDE_CASES: list[tuple[Variant, str, str]] = [
    (BLIND, PARTIALS, "qbd count of ReceivePayment: expected 2, got 3"),
    (retries_blindly, PARTIALS, "qbd.Invoice[1001].BalanceRemaining: expected '100.00', got '0.00'"),
    (with_app_client(CodeLeftOut), CLOSING_DATE, "sync.error: expected \"text containing '3171'\""),
    (with_app_client(FailedPaymentsResent), CLOSING_DATE, "qbd count of ReceivePayment: expected 1, got 2"),
    (with_app_client(FailedPaymentsResent), READD_REFUSED, "qbd count of ReceivePayment: expected 0, got 1"),
    (with_app_client(NeverVoidsInApp), VOIDED_IN_QBD, "app.payments[cash-250].status: expected 'voided', got 'active'"),
    (with_app_client(DropsPaymentsFromQuickBooks), PAID_TWICE, "app.sync_issues[ONL-200]: expected 'a record', got <missing>"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("variant", "scenario", "shows"),
    APP_SIDE_CASES,
    ids=[f"{c[0].__name__}-{c[1].rsplit('/', 1)[-1]}" for c in APP_SIDE_CASES],
)
def test_the_named_bug_fails_the_scenario(variant: Variant, scenario: str, shows: str) -> None:
    result = run_with(variant, scenario)
    assert result.status == "failed"
    assert shows in failure_text(result)


def test_readding_an_edited_payment_without_removing_it_fails_both_edit_cases(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The edit re-added as a new payment while the old one stays (test_mutants_payments'
    variant): beside a payment QuickBooks could not remove, and where it could."""
    original = HANDLERS["payment_change"]
    monkeypatch.setitem(
        HANDLERS,
        "payment_change",
        Handler(
            "payment_change", _readd_without_removing, _apply_readd,
            original.collection, original.entity, "ReceivePaymentAddRq",
        ),
    )  # fmt: skip
    closed = run_with(None, EDIT_CLOSED)
    assert closed.status == "failed"
    assert "qbd count of ReceivePayment: expected 1, got 2" in failure_text(closed)
    refused = run_with(None, READD_REFUSED)
    assert refused.status == "failed"
    assert "qbd count of ReceivePayment: expected 0, got 1" in failure_text(refused)


def test_deleting_a_deposited_payment_without_its_deposit_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bounced payment is deleted while still in its bank deposit: QuickBooks refuses
    (a deposited payment cannot be deleted), so it stays and the invoice stays paid."""

    def ignores_deposit(sync: Any, item: Any, request_id: str) -> Any:
        mapping = sync.mapped(item)
        return rq.txn_del_rq(request_id, txn_type="ReceivePayment", txn_id=mapping.qb_id)

    monkeypatch.setattr(payments, "_removal_request", ignores_deposit)
    result = run_with(None, BOUNCED_DEPOSITED)
    assert result.status == "failed"
    assert "qbd count of ReceivePayment: expected 0, got 1" in failure_text(result)


def test_a_transfer_counted_twice_fails_the_transfer_then_sale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """test_mutants_inventory's variant: the QuickBooks transfer applied in the app but not
    remembered as applied."""
    forget_transfers(monkeypatch)
    result = run_with(None, TRANSFER_THEN_SALE)
    assert result.status == "failed"
    # The next sync moves the 3 again, then sends it back as a transfer: it ping-pongs.
    assert "app.products[Air Filter].stock[0].quantity: expected '7', got '1'" in (
        failure_text(result)
    )


def test_a_store_credit_never_applied_in_quickbooks_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The connector before the fix: the credit memo is added, never applied to 1001."""
    monkeypatch.setattr(credit_memos, "_plan_applications", lambda ctx, every, adding: [])
    result = run_with(None, CREDIT_APPLIED)
    assert result.status == "failed"
    assert "qbd.Invoice[1001].BalanceRemaining: expected '0.00', got '50.00'" in (
        failure_text(result)
    )


def test_a_store_credit_application_resent_blindly_fails() -> None:
    """The application's answer lost and sent again without a probe: QuickBooks sees a
    second ReceivePaymentAdd (refused there, the credit being used up, so the scenario
    catches it by the requests sent)."""
    result = run_with(retries_blindly, CREDIT_ANSWER_LOST)
    assert result.status == "failed"
    assert "transcript.requests.ReceivePaymentAdd: expected 1, got 3" in failure_text(result)


def test_a_store_credit_application_pulled_as_a_payment_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The payment pull takes the 0.00 application for a QuickBooks payment: the app
    refuses it (it has no mode) and it is held, listed among the app's sync issues."""
    monkeypatch.setattr(payments, "_applies_a_store_credit", lambda sync, ret: False)
    result = run_with(None, CREDIT_APPLIED)
    assert result.status == "failed"
    assert "app count of sync_issues: expected 0, got 1" in failure_text(result)


def test_a_refused_store_credit_application_left_synced_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QuickBooks refuses the application and the app is never told: the store credit
    stays Synced although the invoice in QuickBooks never got the credit."""
    monkeypatch.setattr(credit_memos, "_show_refused", lambda sync, app_id, error: None)
    result = run_with(None, CREDIT_REFUSED)
    assert result.status == "failed"
    assert "store_credits[sync.status=failed]: expected 1, got 0" in failure_text(result)


def test_a_store_credit_left_failed_once_applied_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The application goes through at a later sync but the store credit stays Failed."""
    monkeypatch.setattr(credit_memos, "_show_applied", lambda sync, app_id: None)
    result = run_with(None, CREDIT_REFUSED)
    assert result.status == "failed"
    assert "store_credits[sync.status=synced]: expected 1, got 0" in failure_text(result)


def test_a_payment_failed_for_an_invoice_another_computer_holds_fails_its_regression(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bug before the payment waited: computer B fails the payment applied to the
    invoice whose Add computer A holds ("not synced to QuickBooks yet"), and a Failed
    payment waits for a person's "sync now" (the step holds the InvoiceAdd in A's hands by
    its request type, so this holds under any session plan)."""
    monkeypatch.setattr(payments, "wait_if_in_doubt", lambda *args: None)
    result = run_with(None, INVOICE_HELD)
    assert result.status == "failed"
    assert "app.payments[chk-881].sync.status: expected 'not_synced', got 'failed'" in (
        failure_text(result)
    )
