"""Broken payment connectors, and the payment scenarios that catch each one (issue 8).

Each variant plants one payment bug through an injection point of the reference connector
(its app client, its store, or one registered work-item kind) and must make at least one
shipped scenario fail; the reference connector passes the same scenarios.
"""

from __future__ import annotations

from typing import Any

import pytest

from connector import AppClient, make_wsgi_app
from connector.store import Store
from connector.sync import payments
from connector.sync.handlers import HANDLERS, Handler
from tests.variants.mutation import Variant, failure_text, run_with, with_app_client

MODE_SCENARIOS = ["payments/pay-04-mode-both-ways.yaml", "payments/pay-01-unknown-mode-held.yaml"]
EDIT_SCENARIO = "payments/pay-05-edited-app-payment.yaml"
BLIND_RETRY_SCENARIOS = [
    "payments/exactly-once/pay-17-add-drop-after-apply.yaml",
    "payments/exactly-once/pay-17-add-restart.yaml",
]
#: A payment whose Add answer was lost, voided in QuickBooks before the probe or the pull
#: adopts it (issue 19).
ADOPTED_AFTER_VOID = [
    "regressions/payment-add-lost-then-voided-in-qbd-probed.yaml",
    "regressions/payment-add-lost-then-voided-in-qbd-pulled.yaml",
]
#: The same when the app refuses the void at adoption: it must reach the app a sync later.
ADOPTED_THEN_REFUSED = [
    "regressions/payment-add-lost-then-voided-in-qbd-app-refused.yaml",
    "regressions/payment-add-lost-then-voided-in-qbd-app-refused-pulled.yaml",
]


class IgnoresPaymentMode(AppClient):
    """Reads app payments without their mode (so QuickBooks gets none) and files every
    QuickBooks payment under the app's first mode, whatever QuickBooks said."""

    def get(self, collection: str, record_id: str) -> dict[str, Any]:
        record = super().get(collection, record_id)
        if collection == "payments":
            record["mode"] = ""
        return record

    def create_payment(self, body: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        return super().create_payment({**body, "mode": "Cash"}, idempotency_key=idempotency_key)


class IgnoresAccountSettings(AppClient):
    """Never reads the payments and deposit accounts: everything to Undeposited Funds."""

    def settings(self) -> dict[str, Any]:
        return {**super().settings(), "payments_account": None, "deposit_account": None}


class PushesEveryPayment(AppClient):
    """Ignores "sync manually created payments" and each payment's own sync box."""

    def settings(self) -> dict[str, Any]:
        return {**super().settings(), "sync_manual_payments": True}

    def list_app_payments(self) -> list[dict[str, Any]]:
        payments = super().list_app_payments()
        for payment in payments:
            payment["sync_to_qbd"] = None
            if (payment.get("sync") or {}).get("status") == "skipped":
                payment["sync"] = {**payment["sync"], "status": "not_synced"}
        return payments


class IgnoresUnsync(AppClient):
    """Never sees a person's "unsync" request."""

    def list_app_payments(self) -> list[dict[str, Any]]:
        payments = super().list_app_payments()
        for payment in payments:
            payment["sync"] = {**(payment.get("sync") or {}), "requested": None}
        return payments


class KeepsPaymentsWhereTheyWere(AppClient):
    """Edits of QuickBooks payments (moved to another invoice) never reach the app."""

    def patch(self, collection: str, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        if collection == "payments" and "applications" in changes:
            return self.get(collection, record_id)
        return super().patch(collection, record_id, changes)


class FreshKeyEveryTime(AppClient):
    """Creates pulled payments with a new Idempotency-Key on every attempt, so a retry after
    a lost answer creates the payment again."""

    def create_payment(self, body: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        return self.create("payments", body)


#: variant -> the scenarios that must catch it.
APP_SIDE_BUGS: dict[type[AppClient], list[str]] = {
    IgnoresAccountSettings: [
        "payments/pay-14-configured-account.yaml",
        "payments/pay-14-wrong-account-type.yaml",
        "payments/pay-15-deposits-to-bank.yaml",
    ],
    PushesEveryPayment: [
        "payments/pay-12-manual-payments-off.yaml",
        "payments/pay-12-override-off.yaml",
    ],
    IgnoresUnsync: ["payments/pay-13-manual-sync-and-unsync.yaml"],
    KeepsPaymentsWhereTheyWere: ["payments/pay-10-moved-in-qbd.yaml"],
    FreshKeyEveryTime: ["payments/exactly-once/pay-17-pull-app-answer-lost.yaml"],
}


class ForgetsWritesInDoubt(Store):
    """Never remembers that an Add went unanswered: a lost answer is followed by the same
    Add again (the blind retry the guide warns about, p.53)."""

    def is_in_doubt(self, company: str, entity: str, app_id: str, *, besides_ticket: str) -> bool:
        return False

    def in_doubt_since(self, company: str, entity: str, app_id: str) -> tuple[str, str] | None:
        return None


def retries_blindly(settings: Any, **kwargs: Any) -> Any:
    return make_wsgi_app(settings, store=ForgetsWritesInDoubt(settings.db_path), **kwargs)


def _readd_without_removing(sync: Any, item: dict[str, Any], request_id: str) -> Any:
    """An edited payment is added again as new, and the old QuickBooks payment stays."""
    sync.store.delete_mapping(sync.company, "payment", item["app_id"])
    return payments.payment_add(sync, {**item, "probed": True}, request_id)


def _apply_readd(sync: Any, state: Any, item: dict[str, Any], rs: Any) -> None:
    sync.apply_add(state, item, rs, id_tag="TxnID")


@pytest.fixture
def readds_edited_payments(monkeypatch: pytest.MonkeyPatch) -> None:
    original = HANDLERS["payment_change"]
    monkeypatch.setitem(
        HANDLERS,
        "payment_change",
        Handler(
            "payment_change",
            _readd_without_removing,
            _apply_readd,
            original.collection,
            original.entity,
            "ReceivePaymentAddRq",
        ),
    )


CAUGHT_BY = sorted(
    {*MODE_SCENARIOS, EDIT_SCENARIO, *BLIND_RETRY_SCENARIOS, *ADOPTED_AFTER_VOID}
    | {*ADOPTED_THEN_REFUSED}
    | {scenario for scenarios in APP_SIDE_BUGS.values() for scenario in scenarios}
)


@pytest.mark.parametrize("scenario", CAUGHT_BY)
def test_the_reference_connector_passes(scenario: str) -> None:
    """So each failure below is the planted bug's doing."""
    result = run_with(None, scenario)
    assert result.status == "passed", failure_text(result)


@pytest.mark.parametrize("scenario", MODE_SCENARIOS)
def test_a_connector_that_ignores_the_payment_mode_is_caught(scenario: str) -> None:
    variant: Variant = with_app_client(IgnoresPaymentMode)
    result = run_with(variant, scenario)
    assert result.status == "failed"
    assert "mode" in failure_text(result) or "PaymentMethodRef" in failure_text(result)


@pytest.mark.usefixtures("readds_edited_payments")
def test_a_connector_that_readds_an_edited_payment_without_removing_it_is_caught() -> None:
    result = run_with(None, EDIT_SCENARIO)
    assert result.status == "failed"
    # The old payment stays, so QuickBooks refuses the new one as more than the amount due.
    shown = failure_text(result)
    assert "qbd.ReceivePayment[APP-1].TotalAmount: expected '175.00', got '100.00'" in shown
    assert "transcript.requests.TxnDel: expected 1, got 0" in shown


@pytest.mark.parametrize("scenario", BLIND_RETRY_SCENARIOS)
def test_a_connector_that_retries_a_payment_add_blindly_is_caught(scenario: str) -> None:
    result = run_with(retries_blindly, scenario)
    assert result.status == "failed"
    assert "qbd count of ReceivePayment: expected 1, got 2" in failure_text(result)


@pytest.mark.parametrize(
    ("client_class", "scenario"),
    [(cls, scenario) for cls, scenarios in APP_SIDE_BUGS.items() for scenario in scenarios],
    ids=lambda value: value.__name__ if isinstance(value, type) else value.split("/")[-1],
)
def test_other_payment_bugs_are_caught(client_class: type[AppClient], scenario: str) -> None:
    result = run_with(with_app_client(client_class), scenario)
    assert result.status == "failed", f"{client_class.__name__} passed {scenario}"


def test_a_connector_that_finds_a_lost_payment_by_its_memo_only_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 23: the link rests on a field people edit (no ExternalGUID on the Add), so
    after a person edits the Memo the lost payment is added again."""
    add = payments.rq.receive_payment_add_rq

    def without_guid(*args: Any, **kwargs: Any) -> Any:
        return add(*args, **{**kwargs, "external_guid": ""})

    monkeypatch.setattr(payments.rq, "receive_payment_add_rq", without_guid)
    result = run_with(None, "payments/exactly-once/pay-17-add-lost-then-memo-edited.yaml")
    assert result.status == "failed"
    assert "qbd count of ReceivePayment: expected 1, got 2" in failure_text(result)


@pytest.mark.parametrize("scenario", ADOPTED_AFTER_VOID)
def test_a_connector_that_adopts_a_lost_payment_without_its_quickbooks_state_is_caught(
    monkeypatch: pytest.MonkeyPatch, scenario: str
) -> None:
    """Issue 19, the bug as it was: the adoption records QuickBooks' current EditSequence
    and takes nothing of QuickBooks' state, so the void never reaches the app."""
    monkeypatch.setattr(payments, "_take_adopted", lambda sync, app_id, ret: True)
    result = run_with(None, scenario)
    assert result.status == "failed"
    assert "app.payments[A1].status: expected 'voided', got 'active'" in failure_text(result)


@pytest.mark.parametrize("scenario", ADOPTED_THEN_REFUSED)
def test_a_connector_that_keeps_the_adoption_when_the_app_refused_the_void_is_caught(
    monkeypatch: pytest.MonkeyPatch, scenario: str
) -> None:
    """The app refused the void at adoption, and the connector kept QuickBooks' current
    EditSequence all the same (and let the pull's cursor move on): every later pull saw the
    payment as unchanged, so the void never reached the app."""
    take = payments._take_adopted

    def keeps_the_adoption(sync: Any, app_id: str, ret: Any) -> bool:
        if not take(sync, app_id, ret):
            edit_sequence = ret.findtext("EditSequence")
            sync.store.put_mapping(
                sync.company, "payment", app_id, ret.findtext("TxnID"), edit_sequence
            )
        return True

    monkeypatch.setattr(payments, "_take_adopted", keeps_the_adoption)
    result = run_with(None, scenario)
    assert result.status == "failed"
    assert "app.payments[A1].status: expected 'voided', got 'active'" in failure_text(result)
