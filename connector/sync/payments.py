"""Payments, both ways.

App -> QuickBooks: the payment method is made sure of (PaymentMethodQuery / Add), then
ReceivePaymentAdd applied to the mapped invoices, marked by a Memo the connector owns so a
lost answer can be probed instead of resent (guide p.53). A synced payment changed in the
app is deleted in QuickBooks (the SDK cannot void a received payment: TxnVoid refuses it)
and, when it still stands, added again with its new details (BEHAVIORS.md PAY-05, PAY-16).

A person's "unsync" deletes the QuickBooks payment and leaves the app payment Not synced;
a payment whose sync is off is Skipped (PAY-12, PAY-13). The payments account and the
deposits of synced payments are in ``connector.sync.deposits`` (PAY-14, PAY-15).

QuickBooks -> app: ReceivePaymentQuery from a modified-since cursor (an iterator), each new
payment created in the app with its TxnID as Idempotency-Key; voided or edited ones updated
(PAY-06, PAY-10); TxnDeletedQuery for deletions (PAY-11). A payment whose mode or invoice
the app lacks is held as failed and the cursor kept at it, so it is retried (PAY-01).
"""

from __future__ import annotations

import logging
from typing import Any

from lxml import etree

from connector.app_client import AppApiError, AppClient
from connector.qbxml import requests as rq
from connector.qbxml.responses import ResponseStatus, text_of
from connector.store import Mapping
from connector.sync import deposits, pull
from connector.sync.cursors import earlier, later, skew_back
from connector.sync.engine import (
    ADOPTED,
    OBJECT_NOT_FOUND,
    AlreadyInQuickBooks,
    SkipItem,
    external_guid,
    own_add_of,
    wait_if_in_doubt,
)
from connector.sync.handlers import Request, State, SyncSession, WorkItem, as_request, handler
from connector.sync.plan import PROBE_ONLY, PlanContext, needs_push

log = logging.getLogger("connector.sync.payments")

PAYMENT_CURSOR = "ReceivePayment.TimeModified"
DELETION_CURSOR = "TxnDeleted.ReceivePayment.TimeDeleted"
#: ReceivePaymentAdd RefNumber is at most 20 characters (qbxml130).
REF_NUMBER_MAX_PAYMENT = 20


def payment_marker(app_id: str) -> str:
    """The Memo that identifies a payment this connector wrote (found again after a lost
    answer: ReceivePayment has no other field the connector owns and can filter on)."""
    return f"App payment {app_id}"


# -- the plan -----------------------------------------------------------------------------


def plan_stage(ctx: PlanContext) -> list[WorkItem]:
    """This session's payment work (a planning stage, ``connector.sync.stages``): pushes
    of app payments (those whose Add is in doubt are planned whatever their status), then
    the QuickBooks pull."""
    settings, app_settings = ctx.settings, deposits.app_settings_of(ctx)
    pushing = settings.sync_payments_to_qbd
    items = _plan_pushes(ctx.app, ctx.in_doubt("payment_push"), app_settings) if pushing else []
    account = deposits.payments_account(settings, app_settings)
    if account and any(i["kind"] == "payment_push" for i in items):
        # The configured account is checked before any payment is sent (PAY-14).
        items.insert(0, deposits.check_item(account))
    if settings.sync_payments_from_qbd:
        items += [{"kind": "payments"}, {"kind": "payment_deletions"}]
    return items


def _plan_pushes(
    app: AppClient, in_doubt: set[str], app_settings: dict[str, Any]
) -> list[WorkItem]:
    """Payment methods to make sure of, then app payments to add to QuickBooks."""
    manual_on = bool(app_settings.get("sync_manual_payments", True))
    pushes: list[WorkItem] = []
    modes: list[str] = []
    for payment in app.list_app_payments():
        if payment.get("origin", "app") != "app" or payment.get("status", "active") != "active":
            continue
        sync_state = payment.get("sync") or {}
        if sync_state.get("requested") == "unsync":
            # A person's "unsync" (seed 003): delete it in QuickBooks, then Not synced.
            pushes.append({"kind": "payment_unsync", "app_id": str(payment["id"])})
            continue
        if not needs_push(payment, str(payment["id"]) in in_doubt):
            continue
        override = payment.get("sync_to_qbd")
        if override is False or (override is None and not manual_on):
            if not _was_unsynced(sync_state):
                # With sync off, the payment is visibly Skipped; nothing reaches QuickBooks.
                app.set_sync(
                    "payments", str(payment["id"]), status="skipped", error="payment sync is off"
                )
            continue
        mode = str(payment.get("mode") or "")
        if mode and mode not in modes:
            modes.append(mode)
        pushes.append({"kind": "payment_push", "app_id": str(payment["id"])})
    methods: list[WorkItem] = [{"kind": "payment_method", "name": m} for m in modes]
    return methods + pushes


def _was_unsynced(sync_state: dict[str, Any]) -> bool:
    """Not synced because a person unsynced it: it stays Not synced (not Skipped) until they
    sync it again (seed 003: manual sync and unsync)."""
    history = sync_state.get("history") or []
    return sync_state.get("status") == "not_synced" and any(
        h.get("status") == "synced" for h in history
    )


# -- payment methods -----------------------------------------------------------------------


def _apply_method(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    if not rs.rets and rs.status_code in (0, 1, 500):
        sync.prepend(state, {"kind": "payment_method_add", "name": item["name"]})


@handler("payment_method", apply=_apply_method)
def payment_method_query(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return rq.payment_method_query_rq(request_id, full_name=item["name"])


def _apply_method_add(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    if not rs.ok:
        log.warning("payment method %r not added: %s", item["name"], rs.error_text())


@handler("payment_method_add", apply=_apply_method_add)
def payment_method_add(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return rq.payment_method_add_rq(request_id, name=item["name"])


# -- app -> QuickBooks -----------------------------------------------------------------------


def _apply_push(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    if item.get("probe"):
        guid = external_guid("payment_push", item["app_id"])
        # By the ExternalGUID nobody edits; the Memo marker only for a payment that has none
        # (added before the connector set one).
        found = [
            r
            for r in rs.rets
            if text_of(r, "ExternalGUID") == guid
            or (not text_of(r, "ExternalGUID") and text_of(r, "Memo") == item["memo"])
        ]
        sync.apply_probe(state, item, rs, found)
    else:
        sync.apply_add(state, item, rs, id_tag="TxnID")


@handler(
    "payment_push",
    apply=_apply_push,
    collection="payments",
    entity="payment",
    add_request="ReceivePaymentAddRq",
)
def payment_add(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element | Request:
    app_id = item["app_id"]
    known = sync.mapping_of("payment", app_id)
    if known is not None:
        raise AlreadyInQuickBooks(known.qb_id)
    memo = payment_marker(app_id)
    if item.get(PROBE_ONLY) and sync.in_doubt(item):
        # Deleted, voided or failed in the app while its Add was in doubt: only the probe.
        return Request(_probe(sync, item, request_id), {"probe": True, "memo": memo})
    payment = sync.app.get("payments", app_id)
    applications = []
    customer_id = str(payment.get("customer_id") or "")
    for application in payment.get("applications") or []:
        invoice_id = str(application.get("invoice_id"))
        mapping = sync.mapping_of("invoice", invoice_id)
        if mapping is None:
            wait_if_in_doubt(
                sync.store, sync.company, "invoice", invoice_id, f"invoice {invoice_id}"
            )
            raise SkipItem(f"invoice {invoice_id} is not synced to QuickBooks yet")
        applications.append(rq.Application(mapping.qb_id, application.get("amount", "0")))
        if not customer_id:
            customer_id = str(sync.app.get("invoices", invoice_id).get("customer_id") or "")
    customer = sync.mapping_of("customer", customer_id)
    if customer is None:
        what = f"customer {customer_id}"
        wait_if_in_doubt(sync.store, sync.company, "customer", customer_id, what)
        raise SkipItem(f"customer {customer_id or '?'} is not synced to QuickBooks yet")
    if sync.in_doubt(item):
        return Request(_probe(sync, item, request_id), {"probe": True, "memo": memo})
    reference = str(payment.get("reference") or "")
    add = rq.receive_payment_add_rq(
        request_id,
        customer_list_id=customer.qb_id,
        total=payment.get("amount", "0"),
        applications=applications,
        txn_date=str(payment.get("date") or "")[:10],
        ref_number=reference[:REF_NUMBER_MAX_PAYMENT],
        payment_method=str(payment.get("mode") or ""),
        memo=memo,
        external_guid=external_guid("payment_push", app_id),
    )
    account = deposits.payments_account(sync.settings, deposits.app_settings_of(sync))
    # None: QuickBooks puts it in Undeposited Funds (QBWC-FACTS.md, ReceivePaymentAdd).
    return deposits.with_deposit_to(add, account) if account else add


def _probe(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    """Every payment modified since the in-doubt Add was handed out: whatever a person
    changed since (memo, customer, amount), the payment it created is among them."""
    return rq.payments_modified_since_rq(request_id, from_modified=sync.probe_since(item))


def _removal_request(
    sync: SyncSession, item: WorkItem, request_id: str
) -> etree._Element | Request:
    """TxnDel of the payment, after TxnDel of its deposit when the connector deposited it
    (QuickBooks keeps a deposited payment tied to its deposit; one deposit per payment, so
    the deposit goes with it and is made again for a re-added payment: deposits.py)."""
    mapping = sync.mapped(item)
    deposit = sync.mapping_of("deposit", item["app_id"])
    if deposit is not None:
        undeposit = rq.txn_del_rq(request_id, txn_type="Deposit", txn_id=deposit.qb_id)
        return Request(undeposit, {"undeposit": deposit.qb_id})
    # TxnVoid cannot void a received payment (qbxml130 TxnVoidType; QBWC-FACTS.md).
    return rq.txn_del_rq(request_id, txn_type="ReceivePayment", txn_id=mapping.qb_id)


def _removed(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> bool:
    """Apply the answer to a TxnDel of ``_removal_request``; True once the payment itself is
    gone from QuickBooks (its deposit first: then the same item is queued again)."""
    app_id = item["app_id"]
    request = "TxnDelRq"
    # 3120: already gone from QuickBooks (deleted there too): the same end state.
    if not rs.ok and rs.status_code != OBJECT_NOT_FOUND:
        sync.fail(item, rs.error_text(), request=request, status_code=rs.status_code)
        return False
    if item.get("undeposit"):
        sync.store.delete_mapping(sync.company, "deposit", app_id)
        sync.attempt("deposit", app_id, request, "deleted", rs.status_code, rs.status_message)
        again = item.copy()  # the payment itself next, as planned
        again.pop("undeposit", None)
        again.pop("request_id", None)
        sync.prepend(state, again)
        return False
    sync.store.delete_mapping(sync.company, "payment", app_id)
    return True


def _apply_change(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    if not _removed(sync, state, item, rs):
        return
    app_id = item["app_id"]
    outcome = "replaced" if item.get("readd") else "deleted"
    sync.attempt("payment", app_id, "TxnDelRq", outcome, rs.status_code, rs.status_message)
    if not item.get("readd"):
        # Voided, failed or deleted in the app: the revert is synced, no QuickBooks payment
        # stands behind it any more.
        _set_app_sync(sync, app_id, "synced")
        return
    # Not synced from here until the new one is added: if the session ends before that (a
    # lost answer, a restart), the next plan pushes it, probing first (PAY-17).
    _set_app_sync(sync, app_id, "not_synced")
    # Queued in reverse: the method, then the new payment, then its deposit.
    if deposits.deposit_account(sync.settings, deposits.app_settings_of(sync)):
        sync.prepend(state, {"kind": "payment_deposit", "app_id": app_id})
    sync.prepend(state, {"kind": "payment_push", "app_id": app_id, "probed": True})
    if item.get("mode"):
        sync.prepend(state, {"kind": "payment_method", "name": item["mode"]})


@handler("payment_change", apply=_apply_change, collection="payments", entity="payment")
def payment_change(sync: SyncSession, item: WorkItem, request_id: str) -> Request:
    """A synced payment changed in the app: delete it in QuickBooks, then re-add it if it
    still stands (edited: PAY-05; voided, failed or deleted: PAY-16)."""
    try:
        payment = sync.app.get("payments", item["app_id"])
    except AppApiError as exc:
        if exc.status != 404:
            raise
        payment = {"status": "deleted"}
    return as_request(_removal_request(sync, item, request_id)).noting(
        readd=payment.get("status", "active") == "active", mode=str(payment.get("mode") or "")
    )


def _apply_unsync(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    if not _removed(sync, state, item, rs):
        return
    app_id = item["app_id"]
    sync.attempt("payment", app_id, "TxnDelRq", "unsynced", rs.status_code, rs.status_message)
    try:
        # Off for this payment, so it is not pushed again by itself; "sync now" turns it on.
        sync.app.patch("payments", app_id, {"sync_to_qbd": False})
    except AppApiError as exc:
        log.error("payment %s unsynced in QuickBooks, app not told: %s", app_id, exc)
    _set_app_sync(sync, app_id, "not_synced")


def _set_app_sync(sync: SyncSession, app_id: str, status: str) -> None:
    """The app payment's status after its QuickBooks payment was deleted: no external ID."""
    try:
        sync.app.set_sync("payments", app_id, status=status, external_id="")
    except AppApiError as exc:
        log.error("payment %s: could not set its sync status to %s: %s", app_id, status, exc)


@handler("payment_unsync", apply=_apply_unsync, collection="payments", entity="payment")
def payment_unsync(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element | Request:
    """A person unsynced a synced payment (seed 003): delete it, and the deposit the
    connector made of it, in QuickBooks."""
    return _removal_request(sync, item, request_id)


# -- QuickBooks -> app -----------------------------------------------------------------------


@handler("payments", apply=lambda sync, state, item, rs: _apply_pull(sync, state, rs))
def payment_query(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return rq.receive_payment_query_rq(
        request_id,
        from_modified=skew_back(sync.store.get_cursor(sync.company, PAYMENT_CURSOR)),
        iterator_id=item.get("iterator_id"),
    )


def _apply_pull(sync: SyncSession, state: State, rs: ResponseStatus) -> None:
    pull = state.setdefault("payment_pull", {"max_seen": None, "held_min": None})
    if rs.no_match:
        rets: list[etree._Element] = []
    elif not rs.ok:
        state["error"] = f"ReceivePaymentQuery failed: {rs.error_text()}"
        return
    else:
        rets = rs.rets
    modes = _payment_modes(sync)
    for ret in rets:
        modified = text_of(ret, "TimeModified")
        try:
            held = not _pull_payment(sync, ret, modes)
        except ArithmeticError as exc:
            # A malformed amount (decimal.InvalidOperation): this payment is held with its
            # error, the rest of the page is pulled (issue 23: one poisoned record must not
            # stop every later sync).
            message = (
                f"malformed amount from QuickBooks ({type(exc).__name__}; TotalAmount "
                f"{text_of(ret, 'TotalAmount')!r})"
            )
            held = not _hold(sync, ret, message)
        if modified:
            pull["max_seen"] = later(pull["max_seen"], modified)
            if held:
                pull["held_min"] = earlier(pull["held_min"], modified)
    if rs.iterator_remaining > 0 and rs.iterator_id:
        sync.prepend(state, {"kind": "payments", "iterator_id": rs.iterator_id})
        return
    # The filter is inclusive, so the next pull re-reads the boundary record (skipped as
    # already mapped). A held payment keeps the cursor at its own time so it is retried
    # (nothing lost: ARCHITECTURE.md principles).
    new_cursor = pull["held_min"] or pull["max_seen"]
    if new_cursor:
        sync.store.set_cursor(sync.company, PAYMENT_CURSOR, new_cursor)


@handler("payment_deletions", apply=lambda sync, state, item, rs: _apply_deletions(sync, rs))
def deleted_payments_query(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return rq.txn_deleted_query_rq(
        request_id,
        txn_types=["ReceivePayment"],
        from_deleted=sync.store.get_cursor(sync.company, DELETION_CURSOR),
    )


def _apply_deletions(sync: SyncSession, rs: ResponseStatus) -> None:
    """Payments deleted in QuickBooks are marked deleted in the app (BEHAVIORS.md PAY-11)."""
    if not rs.ok:
        log.warning("TxnDeletedQuery failed: %s", rs.error_text())
        return
    latest: str | None = sync.store.get_cursor(sync.company, DELETION_CURSOR)
    for ret in rs.rets:
        txn_id = text_of(ret, "TxnID")
        deleted_at = text_of(ret, "TimeDeleted")
        mapping = sync.store.mapping_by_qb_id(sync.company, "payment", txn_id)
        if mapping is not None:
            try:
                sync.app.delete("payments", mapping.app_id)
            except AppApiError as exc:
                if exc.status is None or exc.status >= 500:
                    log.error("payment %s deletion not applied: %s", mapping.app_id, exc)
                    continue  # keep the mapping: the next session tries again
            sync.store.delete_mapping(sync.company, "payment", mapping.app_id)
            sync.attempt("payment", txn_id, "TxnDeletedQueryRq", "deleted", 0, "")
        if deleted_at:
            latest = later(latest, deleted_at)
    if latest:
        sync.store.set_cursor(sync.company, DELETION_CURSOR, latest)


#: The app's payment modes, each name keyed by its casefold.
AppModes = dict[str, str]


def _payment_modes(sync: SyncSession) -> AppModes | None:
    try:
        names = [str(m.get("name", "")) for m in sync.app.payment_modes()]
    except AppApiError:
        return None  # the app has no mode list: take the name as given
    return {name.casefold(): name for name in names}


def _app_mode(modes: AppModes | None, method: str) -> str | None:
    """The app's own spelling of QuickBooks payment method ``method`` ("CASH" -> "Cash":
    QuickBooks names ignore case, BEHAVIORS.md QBD-02, and the app is sent its name, which
    it matches exactly); None when the app lacks it; ``method`` when the app lists none."""
    if modes is None:
        return method
    return modes.get(method.casefold())


def _pull_payment(sync: SyncSession, ret: etree._Element, modes: AppModes | None) -> bool:
    """Create one QuickBooks payment in the app; False when it is held as failed."""
    txn_id = text_of(ret, "TxnID")
    if not txn_id:
        return True
    if _applies_a_store_credit(sync, ret):
        return True
    known = sync.store.mapping_by_qb_id(sync.company, "payment", txn_id)
    if known is not None:
        if known.edit_sequence == text_of(ret, "EditSequence"):
            return True  # unchanged since the last sync (the inclusive cursor re-reads it)
        return _update_pulled_payment(sync, ret, known, modes)
    own = _adopt_own_payment(sync, ret)
    if own is not None:
        return own
    method = text_of(ret, "PaymentMethodRef/FullName")
    mode = _app_mode(modes, method) if method else method
    if mode is None:
        # Synced only once its payment mode exists in the app (BEHAVIORS.md PAY-01).
        return _hold(sync, ret, f"payment mode {method!r} does not exist in the app")
    applications = _applications_of(sync, ret)
    if isinstance(applications, str):
        return _hold(sync, ret, applications)
    body: dict[str, Any] = {
        "amount": rq.money(text_of(ret, "TotalAmount", "0")),
        "mode": mode,
        "applications": applications,
        "origin": "qbd",
        "sync": {"status": "synced", "external_id": txn_id, "error": None},
    }
    # Optional fields are left out rather than sent empty (the app validates them).
    for field, path in (("date", "TxnDate"), ("reference", "RefNumber")):
        if text_of(ret, path):
            body[field] = text_of(ret, path)
    customer = sync.store.mapping_by_qb_id(
        sync.company, "customer", text_of(ret, "CustomerRef/ListID")
    )
    if customer is not None:
        body["customer_id"] = customer.app_id
    try:
        # The TxnID as Idempotency-Key: a replay after a lost answer creates nothing new.
        created = sync.app.create_payment(body, idempotency_key=txn_id)
    except AppApiError as exc:
        return _reconcile_earlier_create(sync, ret, exc, modes)
    try:
        app_id = str(created["id"])
        if (created.get("sync") or {}).get("status") != "synced":
            sync.app.set_sync("payments", app_id, status="synced", external_id=txn_id)
        if _is_voided(ret) and created.get("status") != "voided":
            # Received and voided in QuickBooks before the first pull: the app shows the
            # payment in its history as voided, not as an active $0.00 one (PAY-06).
            sync.app.void_payment(
                app_id, reason="voided in QuickBooks", idempotency_key=f"void-{txn_id}"
            )
    except (AppApiError, KeyError) as exc:
        return _hold(sync, ret, f"app refused the payment: {exc}")
    sync.store.put_mapping(sync.company, "payment", app_id, txn_id, text_of(ret, "EditSequence"))
    sync.release_pulled("payment", txn_id)
    sync.attempt("payment", txn_id, "ReceivePaymentQueryRq", "synced", 0, "")
    return True


def _applies_a_store_credit(sync: SyncSession, ret: etree._Element) -> bool:
    """The connector's application of an app store credit (``credit_memos``): the app has
    it as the credit's applications, not as a payment."""
    if sync.store.mapping_by_qb_id(sync.company, "credit_application", text_of(ret, "TxnID")):
        return True
    return own_add_of(sync.store, sync.company, "credit_application", ret) is not None


def _reconcile_earlier_create(
    sync: SyncSession, ret: etree._Element, exc: AppApiError, modes: AppModes | None
) -> bool:
    """An earlier create of this payment made it in the app from an older version: bring
    it to QuickBooks' current state (edited, voided) as for any changed payment."""
    txn_id = text_of(ret, "TxnID")
    try:
        app_id = pull.created_earlier(sync, "payments", txn_id, exc)
    except AppApiError as error:
        return _hold(sync, ret, f"app refused the payment: {error}")
    # An edit sequence that matches nothing: the change is applied whatever it is.
    return _update_pulled_payment(sync, ret, Mapping("payment", app_id, txn_id, ""), modes)


def _is_voided(ret: etree._Element) -> bool:
    """Voided in the QuickBooks UI: the memo gains "VOID:" and the amount and applications
    go to zero (the fake company does what QuickBooks does; docs/fake_qbd.md)."""
    return text_of(ret, "Memo").startswith("VOID:") or (
        rq.money(text_of(ret, "TotalAmount", "0")) == "0.00" and ret.find("AppliedToTxnRet") is None
    )


def _adopt_own_payment(sync: SyncSession, ret: etree._Element) -> bool | None:
    """A payment this connector added whose answer was lost (its ExternalGUID, or for one
    without, its Memo marker, names an app payment): adopt it instead of importing it as a
    second payment (PAY-17), whatever a person edited since (issue 23). None when it is not
    one; else False when it is held (the app refused what QuickBooks changed in it)."""
    memo = text_of(ret, "Memo")
    prefix = payment_marker("")
    txn_id = text_of(ret, "TxnID")
    app_id = own_add_of(sync.store, sync.company, "payment_push", ret)
    if app_id is None:
        if text_of(ret, "ExternalGUID") or not memo.startswith(prefix):
            return None
        app_id = memo.removeprefix(prefix)
        try:
            sync.app.get("payments", app_id)
        except AppApiError:
            return None  # not one of the app's payments: a person's memo
    mapped = sync.mapping_of("payment", app_id)
    if mapped is not None and mapped.qb_id != txn_id:
        # A copy of a payment QuickBooks already has under another TxnID (made by hand?):
        # never import it as a second app payment; left for a person, and on record.
        sync.attempt("payment", txn_id, "ReceivePaymentQueryRq", "ignored", None, memo)
        return True
    sync.store.put_mapping(sync.company, "payment", app_id, txn_id, text_of(ret, "EditSequence"))
    sync.store.clear_in_doubt(sync.company, "payment_push", app_id)
    sync.release_hold("payment", app_id)
    sync.attempt("payment", app_id, "ReceivePaymentQueryRq", "adopted", 0, "found again")
    try:
        sync.app.set_sync("payments", app_id, status="synced", external_id=txn_id)
    except AppApiError as exc:
        log.error("payment %s adopted, app not told: %s", app_id, exc)
    return _take_adopted(sync, app_id, ret)


def _take_adopted(sync: SyncSession, app_id: str, ret: etree._Element) -> bool:
    """The connector's own payment, adopted after its Add answer was lost (by the probe or
    the pull): what a person did to it in QuickBooks since (voided it, PAY-06; changed its
    amount or invoice, PAY-10) comes into the app as any pulled change does, unless an app
    edit of it waits (the app is the master of the payments it created; SYNC-02). The
    EditSequence recorded at adoption would hide that change from every later pull. False
    when the app refused it: then no EditSequence is recorded, so the next pull that reads
    the payment takes it again (SYNC-03)."""
    if not pull.resolve_conflict(
        sync, entity="payment", kind="payment_change", app_id=app_id, master="app"
    ):
        return True
    # An edit sequence that matches nothing: the change is applied whatever it is.
    # (Adoption is rare: the app's payment modes are read for it alone.)
    adopted = Mapping("payment", app_id, text_of(ret, "TxnID"), "")
    if _update_pulled_payment(sync, ret, adopted, _payment_modes(sync)):
        return True
    sync.store.put_mapping(sync.company, "payment", app_id, adopted.qb_id, "")
    return False


def _adopted_by_probe(sync: SyncSession, app_id: str, ret: etree._Element) -> None:
    # The push stage runs before the payment pull: in the two-way default the probe, not
    # the pull, adopts a payment whose Add answer was lost.
    if sync.settings.sync_payments_from_qbd:
        _take_adopted(sync, app_id, ret)


ADOPTED["payment"] = _adopted_by_probe


def _applications_of(sync: SyncSession, ret: etree._Element) -> list[dict[str, str]] | str:
    """AppliedToTxnRet as app applications, or the reason they cannot be mapped."""
    applications = []
    for applied in ret.iter("AppliedToTxnRet"):
        qb_invoice = text_of(applied, "TxnID")
        mapping = sync.store.mapping_by_qb_id(sync.company, "invoice", qb_invoice)
        if mapping is None:
            return f"applied to QuickBooks invoice {qb_invoice} unknown"
        amount = rq.money(text_of(applied, "Amount", "0"))
        applications.append({"invoice_id": mapping.app_id, "amount": amount})
    return applications


def _update_pulled_payment(
    sync: SyncSession, ret: etree._Element, known: Mapping, modes: AppModes | None
) -> bool:
    """A synced payment changed in QuickBooks: voided (PAY-06) or edited (PAY-10)."""
    txn_id, edit_sequence = text_of(ret, "TxnID"), text_of(ret, "EditSequence")
    voided = _is_voided(ret)
    try:
        if voided:
            # A person voided it in the QuickBooks UI (the SDK cannot void payments).
            sync.app.void_payment(
                known.app_id,
                reason="voided in QuickBooks",
                idempotency_key=f"void-{txn_id}-{edit_sequence}",
            )
        else:
            applications = _applications_of(sync, ret)
            if isinstance(applications, str):
                return _hold(sync, ret, applications)
            changes: dict[str, Any] = {
                "amount": rq.money(text_of(ret, "TotalAmount", "0")),
                "applications": applications,
            }
            method = text_of(ret, "PaymentMethodRef/FullName")
            if method:
                # A method the app lacks is sent as it is: the app refuses it, and the
                # change is held with that reason.
                changes["mode"] = _app_mode(modes, method) or method
            for field, path in (("date", "TxnDate"), ("reference", "RefNumber")):
                if text_of(ret, path):
                    changes[field] = text_of(ret, path)
            sync.app.patch("payments", known.app_id, changes)
    except AppApiError as exc:
        return _hold(sync, ret, f"app refused the change: {exc}")
    sync.store.put_mapping(sync.company, "payment", known.app_id, txn_id, edit_sequence)
    sync.release_pulled("payment", txn_id)
    outcome = "voided" if voided else "updated"
    sync.attempt("payment", txn_id, "ReceivePaymentQueryRq", outcome, 0, "")
    return True


def _hold(sync: SyncSession, ret: etree._Element, message: str) -> bool:
    """Hold a QuickBooks payment (PAY-01): listed in the app although it has no app record."""
    return sync.hold_pulled(
        "payment",
        text_of(ret, "TxnID"),
        "ReceivePaymentQueryRq",
        message,
        reference=text_of(ret, "RefNumber") or None,
    )
