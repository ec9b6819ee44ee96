"""The customer, invoice and sync scenarios catch the three broken connectors of issue 7's
done-when: one that resends a write blindly after a lost answer (guide p.53), one that keys
session state by company file instead of by ticket, and one that ignores dependency order."""

from __future__ import annotations

from typing import Any

import pytest

from connector import make_wsgi_app
from connector.app_client import AppApiError
from connector.session import QbwcSessions
from connector.store import Mapping, Store
from connector.sync import customers_pull, engine, invoices_pull, payments, plan, pull
from connector.sync.engine import SessionSync
from connector.work_queue import WorkQueue
from tests.variants.mutation import failure_text, run_with, sessions_with, with_sessions


class BlindResend(SessionSync):
    """Never probes a write whose answer was lost: it just sends the Add again."""

    def in_doubt(self, item: dict[str, Any]) -> bool:
        return False


class CustomersLast(SessionSync):
    """Sends the session's work in whatever order, here invoices before customers."""

    def next_request(self, state: dict[str, Any], version: Any) -> str | None:
        if not state.get("reordered"):
            state["reordered"] = True
            items = list(iter(self.queue.take_next, None))
            for item in sorted(items, key=lambda item: item["kind"] == "customer"):
                self.queue.append(item)
        return super().next_request(state, version)


class CompanyKeyedStore(Store):
    """Keeps one session state per company file: every open session of the file shares it
    (its work queue too)."""

    def work_queue(self, ticket: str) -> WorkQueue:
        own = self.get_ticket(ticket)
        if own is None or not own.company_file:
            return super().work_queue(ticket)
        return super().work_queue(f"company:{own.company_file.lower()}")

    def save_state(self, ticket: str, state: dict[str, Any], touched_at: str = "") -> None:
        own = self.get_ticket(ticket)
        others = self.open_tickets(own.company_file) if own and own.company_file else []
        for other in others or [own]:
            if other is not None:
                super().save_state(other.ticket, state, touched_at)


class NoCompanyLock(QbwcSessions):
    """One company, one session: never answers busy to a second Web Connector."""

    def _company_busy(self, company_file: str, username: str, besides: str = "") -> bool:
        return False


def sessions_keyed_by_company(settings: Any, **kwargs: Any) -> Any:
    store = CompanyKeyedStore(settings.db_path)
    return make_wsgi_app(settings, store=store, sessions_class=NoCompanyLock, **kwargs)


BLIND = with_sessions(sessions_with(BlindResend))
UNORDERED = with_sessions(sessions_with(CustomersLast))

CASES = [
    (BLIND, "sync/sync-03-drop-after-customer-and-invoice-add.yaml", "CustomerAdd: expected 1"),
    (BLIND, "sync/sync-03-restart-mid-session.yaml", "CustomerAdd: expected 2"),
    (BLIND, "sync/sync-03-drop-after-credit-memo-add.yaml", "CreditMemoQuery: expected 1"),
    (
        sessions_keyed_by_company,
        "sync/sync-03-two-web-connectors-one-company.yaml",
        "InvoiceAdd: expected 1, got 0",
    ),
    (
        UNORDERED,
        "invoices/ivc-01-invoice-created-and-updated.yaml",
        "app.invoices[1001].sync.status: expected 'synced', got 'failed'",
    ),
    (
        UNORDERED,
        "customers/cus-04-customer-with-invoice.yaml",
        "qbd.Invoice[1001]: expected 'a record', got <missing>",
    ),
]


@pytest.mark.parametrize(
    "scenario", sorted({case[1] for case in CASES}), ids=lambda s: s.rsplit("/", 1)[-1]
)
def test_reference_connector_passes(scenario: str) -> None:
    assert run_with(None, scenario).status == "passed", failure_text(run_with(None, scenario))


@pytest.mark.parametrize(
    ("variant", "scenario", "shows"),
    CASES,
    ids=[f"{c[0].__name__}-{c[1].rsplit('/', 1)[-1]}" for c in CASES],
)
def test_broken_connector_fails_the_scenario(variant: Any, scenario: str, shows: str) -> None:
    result = run_with(variant, scenario)
    assert result.status == "failed"
    assert shows in failure_text(result)


class ProbesWhileInFlight(SessionSync):
    """Probes for (and then re-sends) a write another session was handed, without waiting
    for that session to answer or expire: its Web Connector may pass it on afterwards."""

    def hold_while_in_flight(self, sent_at: str) -> None:
        return None


@pytest.mark.parametrize(
    ("scenario", "shown"),
    [
        # B probes at once, finds nothing and sends the payment (A's copy lands later).
        (
            "regressions/two-computers-payment-add-in-flight.yaml",
            "app.payments[APP-1].sync.status: expected 'failed', got 'synced'",
        ),
        # B probes at once, finds nothing and writes the change again: nothing is held.
        (
            "regressions/two-computers-stock-adjustment-in-flight.yaml",
            "app count of sync_issues: expected 1, got 0",
        ),
    ],
)
def test_a_write_in_flight_in_another_session_is_not_probed_early(
    scenario: str, shown: str
) -> None:
    """Issue 19 bug 1: two computers on one .qwc."""
    result = run_with(with_sessions(sessions_with(ProbesWhileInFlight)), scenario)
    assert result.status == "failed"
    assert shown in failure_text(result)


@pytest.mark.parametrize(
    ("always", "scenario", "shown"),
    [
        # QuickBooks' edit applied over the app's waiting edit: the app's phone is lost.
        (
            True,
            "customers/cus-05-qbd-edits-of-a-customer.yaml",
            "app.customers[Acme Plumbing].phone: expected '555-0177', got '555-0150'",
        ),
        # The app's edit sent whatever the master: QuickBooks' email is overwritten.
        (
            False,
            "sync/sync-02-customer-fields-qbd-master.yaml",
            "qbd.Customer[Acme Plumbing].Email: expected 'accounts@acme.test', got 'office@acme.test'",
        ),
    ],
    ids=["qbd-always-wins", "app-always-wins"],
)
def test_a_customer_conflict_ignoring_the_master_fails(
    monkeypatch: pytest.MonkeyPatch, always: bool, scenario: str, shown: str
) -> None:
    """SYNC-02: a customer changed on both sides is resolved by a fixed side, not the
    configured master."""
    monkeypatch.setattr(pull, "resolve_conflict", lambda sync, **kwargs: always)
    result = run_with(None, scenario)
    assert result.status == "failed"
    assert shown in failure_text(result)


class ModsNotRetried(SessionSync):
    """Retries an Add refused by a lock error but fails a Mod refused the same way (the
    reference connector before the fuzzer's status-fault rule found it)."""

    def _retried(self, state: dict[str, Any], item: dict[str, Any], rs: Any) -> bool:
        return item.get("probed") is True and super()._retried(state, item, rs)


class RefusedDeletionInLogOnly(SessionSync):
    """A deletion QuickBooks refused is only logged (the app record it would be shown on is
    gone): the connector before the fuzzer's app_delete_invoice rule."""

    def _left_in_quickbooks(self, entity: str, app_id: str, message: str) -> None:
        return None


class PulledHoldsInHistoryOnly(SessionSync):
    """A QuickBooks record a pull holds is only in the connector's history (issue 19 bug 5:
    payments alone were listed in the app)."""

    def _list_quickbooks_issue(
        self, entity: str, qb_id: str, reference: str | None, message: str
    ) -> None:
        return None


class PulledHoldsNeverCleared(SessionSync):
    """A held QuickBooks record stays listed in the app after it synced."""

    def release_pulled(self, entity: str, qb_id: str) -> None:
        return None


@pytest.mark.parametrize(
    ("variant", "scenario", "shown"),
    [
        (
            PulledHoldsInHistoryOnly,
            "regressions/qbd-invoice-number-taken-held-out-of-sight.yaml",
            "app count of sync_issues[entity=invoice][side=qbd]: expected 1, got 0",
        ),
        (
            PulledHoldsInHistoryOnly,
            "regressions/qbd-customer-refused-by-app-listed.yaml",
            "app count of sync_issues[entity=customer][side=qbd]: expected 1, got 0",
        ),
        (
            PulledHoldsNeverCleared,
            "regressions/qbd-invoice-number-taken-held-out-of-sight.yaml",
            "app count of sync_issues: expected 0, got 1",
        ),
        (
            PulledHoldsNeverCleared,
            "regressions/qbd-customer-refused-by-app-listed.yaml",
            "app count of sync_issues: expected 0, got 1",
        ),
        (
            ModsNotRetried,
            "regressions/fuzz-customer-mod-list-locked-retried.yaml",
            "app.customers[Acme Plumbing].sync.status: expected 'synced', got 'failed'",
        ),
        (
            RefusedDeletionInLogOnly,
            "regressions/invoice-delete-refused-is-visible.yaml",
            "app count of sync_issues[entity=invoice][side=qbd]: expected 1, got 0",
        ),
    ],
    ids=[
        "invoice-held-in-history-only",
        "customer-held-in-history-only",
        "invoice-issue-never-cleared",
        "customer-issue-never-cleared",
        "mods-not-retried",
        "refused-deletion-in-log-only",
    ],
)
def test_a_quickbooks_refusal_held_out_of_sight_fails_its_regression(
    variant: type[SessionSync], scenario: str, shown: str
) -> None:
    """Found with the fuzzer's status-fault and app-delete rules (docs/fuzzing.md)."""
    result = run_with(with_sessions(sessions_with(variant)), scenario)
    assert result.status == "failed"
    assert shown in failure_text(result)


@pytest.mark.parametrize(
    ("module", "scenario", "shown"),
    [
        (
            customers_pull,
            "regressions/fuzz-customer-add-lost-then-edited-in-qbd.yaml",
            "app.customers[Acme Plumbing].phone: expected '555-0122', got None",
        ),
        (
            customers_pull,
            "regressions/customer-add-lost-then-edited-in-qbd-two-way-probed.yaml",
            "app.customers[Acme Plumbing].phone: expected '555-0122', got None",
        ),
        (
            invoices_pull,
            "regressions/invoice-add-lost-then-edited-in-qbd.yaml",
            "app.invoices[1001].total: expected '180.00', got '100.00'",
        ),
        (
            invoices_pull,
            "regressions/invoice-add-lost-then-edited-in-qbd-probed.yaml",
            "app.invoices[1001].total: expected '180.00', got '100.00'",
        ),
    ],
    ids=["customer-pulled", "customer-probed", "invoice-pulled", "invoice-probed"],
)
def test_an_adoption_of_a_lost_add_without_its_quickbooks_state_fails(
    monkeypatch: pytest.MonkeyPatch, module: Any, scenario: str, shown: str
) -> None:
    """Issue 19: the pull or the probe adopts the connector's own record after a lost Add
    answer and records QuickBooks' current EditSequence, taking nothing of what a person
    changed in QuickBooks since: the change never reaches the app."""
    _replace_take(monkeypatch, module, lambda sync, app_id, found: None)
    result = run_with(None, scenario)
    assert result.status == "failed"
    assert shown in failure_text(result)


def _replace_take(monkeypatch: pytest.MonkeyPatch, module: Any, take: Any) -> None:
    """``module._take_adopted`` replaced for its pull and for the probe (``ADOPTED``)."""
    monkeypatch.setattr(module, "_take_adopted", take)
    entity = {customers_pull: "customer", invoices_pull: "invoice"}.get(module)
    if entity is not None:
        adopted = pull.adopted_by_probe(f"{entity}_direction", take)
        monkeypatch.setitem(engine.ADOPTED, entity, adopted)


def _takes_whatever_waits(module: Any) -> Any:
    """``module._take_adopted`` applying QuickBooks' state even when an app edit waits."""
    if module is customers_pull:
        return lambda sync, app_id, ret: sync.app.patch(
            "customers", app_id, customers_pull.app_fields(ret)
        )
    if module is invoices_pull:
        return lambda sync, app_id, ret: invoices_pull._update(sync, app_id, ret)
    return lambda sync, app_id, ret: payments._update_pulled_payment(
        sync, ret, Mapping("payment", app_id, ret.findtext("TxnID"), ""), None
    )


@pytest.mark.parametrize(
    ("module", "scenario", "shown"),
    [
        (
            customers_pull,
            "regressions/customer-add-lost-then-edited-on-both-sides.yaml",
            "app.customers[Acme Plumbing].phone: expected '555-0199', got '555-0122'",
        ),
        (
            invoices_pull,
            "regressions/fuzz-invoice-edit-after-lost-add.yaml",
            "app.invoices[1001].total: expected '220.00', got '100.00'",
        ),
        (
            payments,
            "payments/exactly-once/pay-17-add-lost-then-edited.yaml",
            "app.payments[A1].amount: expected '25.00', got '40.00'",
        ),
    ],
    ids=["customer", "invoice", "payment"],
)
def test_an_adoption_that_overwrites_a_waiting_app_edit_fails(
    monkeypatch: pytest.MonkeyPatch, module: Any, scenario: str, shown: str
) -> None:
    """SYNC-02: a record adopted after a lost Add answer and edited on both sides since is
    resolved by the master (the app, by default), not by taking QuickBooks' state first."""
    assert run_with(None, scenario).status == "passed"
    _replace_take(monkeypatch, module, _takes_whatever_waits(module))
    result = run_with(None, scenario)
    assert result.status == "failed"
    assert shown in failure_text(result)


def test_an_adoption_that_clears_the_doubt_before_the_app_answers_adds_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pull cleared the invoice's Add from doubt, then the app failed the read that
    brings it to QuickBooks' state: held unmapped and no longer in doubt, the invoice was
    sent again by the push of the same session (SYNC-03, guide p.53)."""
    scenario = "regressions/invoice-add-lost-then-adopted-while-app-down.yaml"
    assert run_with(None, scenario).status == "passed"
    take = invoices_pull._take_adopted

    def clears_first(sync: Any, app_id: str, ret: Any) -> None:
        sync.store.clear_in_doubt(sync.company, "invoice", app_id)
        take(sync, app_id, ret)

    _replace_take(monkeypatch, invoices_pull, clears_first)
    result = run_with(None, scenario)
    assert result.status == "failed"
    assert "qbd count of Invoice: expected 1, got 2" in failure_text(result)


def test_an_in_doubt_invoice_deleted_in_the_app_fails_its_regression_when_not_adopted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The invoice pull before the fuzzer's seed-2 finding: marking the deleted app invoice
    synced fails (404), so the invoice is never mapped and its deletion never reaches
    QuickBooks (IVC-03)."""

    def strict(sync: Any, app_id: str, ret: Any) -> None:
        invoices_pull._take_adopted(sync, app_id, ret)
        txn_id = ret.findtext("TxnID")
        sync.app.set_sync("invoices", app_id, status="synced", external_id=txn_id)

    monkeypatch.setattr(invoices_pull, "_mark_adopted", strict)
    result = run_with(None, "regressions/fuzz-invoice-deleted-while-add-in-doubt.yaml")
    assert result.status == "failed"
    assert "qbd count of Invoice[RefNumber=1001]: expected 0, got 1" in failure_text(result)


def _escaping(take: Any) -> Any:
    """``take`` whose app errors escape the engine as any other exception would."""

    def escapes(sync: Any, app_id: str, ret: Any) -> None:
        try:
            take(sync, app_id, ret)
        except AppApiError as exc:
            raise RuntimeError(str(exc)) from exc

    return escapes


class ForgetsTheDoubtWhenHeld(SessionSync):
    """Clears the Add from doubt when it holds the record: the next pull no longer knows
    the record as its own lost Add, links it by name or number, and QuickBooks' change
    made since never reaches the app."""

    def hold(self, item: Any, message: str) -> None:
        super().hold(item, message)
        self.store.clear_in_doubt(self.company, item["kind"], item["app_id"])


@pytest.mark.parametrize(
    ("entity", "scenario", "shown"),
    [
        ("customer", "regressions/customer-add-lost-probed-while-app-down.yaml", "app.customers[Acme Plumbing].phone: expected '555-0122', got None"),
        ("invoice", "regressions/invoice-add-lost-probed-while-app-down.yaml", "app.invoices[1001].total: expected '180.00', got '100.00'"),
    ],
)  # fmt: skip
def test_an_app_failure_at_the_probes_adoption_is_held_in_doubt(
    monkeypatch: pytest.MonkeyPatch, entity: str, scenario: str, shown: str
) -> None:
    """SYNC-03: the app failing while the probe adopts a record ended the session as a
    connector error; held, the record must stay in doubt, so the next pull adopts it with
    QuickBooks' change."""
    assert run_with(None, scenario).status == "passed"
    with monkeypatch.context() as patched:
        patched.setitem(engine.ADOPTED, entity, _escaping(engine.ADOPTED[entity]))
        result = run_with(None, scenario)
    assert result.status == "failed"
    assert "Connector error in receiveResponseXML" in failure_text(result)
    result = run_with(with_sessions(sessions_with(ForgetsTheDoubtWhenHeld)), scenario)
    assert result.status == "failed"
    assert shown in failure_text(result)


class NoProbeForRemoved(SessionSync):
    """Plans no probe for a record removed in the app while its Add is in doubt (the plan
    before ``plan.PROBE_ONLY``): its removal waits for a doubt nothing clears."""

    def next_request(self, state: dict[str, Any], version: Any) -> str | None:
        if not state.get("unprobed"):
            state["unprobed"] = True
            items = list(iter(self.queue.take_next, None))
            for item in items:
                if not item.get(plan.PROBE_ONLY):
                    self.queue.append(item)
        return super().next_request(state, version)


@pytest.mark.parametrize(
    ("scenario", "shown"),
    [
        ("regressions/invoice-deleted-while-add-in-doubt-app-led.yaml", "app count of sync_issues[entity=invoice][side=app]: expected 1, got 0"),
        ("regressions/invoice-voided-while-add-in-doubt-app-led.yaml", "app count of sync_issues[entity=invoice][side=app]: expected 1, got 0"),
        ("regressions/invoice-deleted-while-add-in-doubt-not-applied-app-led.yaml", "transcript.requests.InvoiceQuery: expected 1, got 0"),
        ("regressions/payment-deleted-while-add-in-doubt-app-led.yaml", "app count of sync_issues[entity=payment][side=app]: expected 1, got 0"),
    ],
)  # fmt: skip
def test_a_record_removed_in_the_app_while_its_add_is_in_doubt_is_probed(
    scenario: str, shown: str
) -> None:
    """IVC-03, PAY-16, app-led (no pull finds the lost Add): without the probe planned for
    the removed record, nothing shows the waiting removal (no held issue) and the Add stays
    in QuickBooks (or, never applied, its doubt never clears)."""
    assert run_with(None, scenario).status == "passed"
    result = run_with(with_sessions(sessions_with(NoProbeForRemoved)), scenario)
    assert result.status == "failed"
    assert shown in failure_text(result)
