"""Store credits, app -> QuickBooks, as credit memos (BEHAVIORS.md IVC-10; Syncro's "Sync
Store Credit as Credit Memo", seeds/002).

A CreditMemoAdd for the credit's customer, one line on the service item, marked by a Memo
the connector owns so that a lost answer is probed (CreditMemoQuery of the customer) instead
of resent (guide p.53). What cannot be sent (a credit for a customer not in QuickBooks, a
non-positive amount) is held as Failed with the reason: reported, not dropped.

A credit the app applied to invoices is then applied to them in QuickBooks too, once: a
ReceivePaymentAdd of TotalAmount 0.00 whose AppliedToTxnAdd carry a SetCredit of the credit
memo per invoice (qbxml130; without it QuickBooks shows the invoice still owing and the
credit unused). Its ExternalGUID finds it again after a lost answer (a ReceivePaymentQuery
modified since the Add was handed out), as for payments (docs/connector.md "Exactly once");
the payment pull leaves it out of the app's payments. A refused application shows on the
store credit as Failed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from connector.app_client import AppApiError
from connector.qbxml import requests as rq
from connector.qbxml.responses import ResponseStatus, text_of
from connector.sync import queries
from connector.sync.engine import (
    TRANSIENT_STATUS,
    AlreadyInQuickBooks,
    SkipItem,
    external_guid,
    wait_if_in_doubt,
)
from connector.sync.handlers import Request, State, SyncSession, WorkItem, handler
from connector.sync.plan import needs_push, pushes


def credit_marker(app_id: str) -> str:
    return f"App store credit {app_id}"


def plan_stage(ctx: Any) -> list[WorkItem]:
    settings = ctx.settings
    if not settings.sync_credit_memos or not pushes(settings.invoice_direction):
        return []
    try:
        doubt = ctx.in_doubt("credit_memo")
        every = ctx.app.list("store-credits")
    except AppApiError as exc:
        if exc.status != 404:
            raise
        return []  # an app without store credits
    credits = [c for c in every if needs_push(c, str(c["id"]) in doubt)]
    items: list[WorkItem] = [{"kind": "credit_memo", "app_id": str(c["id"])} for c in credits]
    if items and not ctx.queued("service_item"):
        items.insert(0, {"kind": "service_item"})
    return items + _plan_applications(ctx, every, {str(c["id"]) for c in credits})


def _plan_applications(ctx: Any, every: list[Any], adding: set[str]) -> list[WorkItem]:
    """The credits applied to invoices in the app whose application QuickBooks lacks, once
    their credit memo is in QuickBooks or planned before them (``adding``: mapped by the
    time its application is built)."""
    store, company = ctx.store, ctx.company
    items: list[WorkItem] = []
    for credit in every:
        app_id = str(credit["id"])
        if not credit.get("applications") or store.mapping_by_app_id(
            company, "credit_application", app_id
        ):
            continue
        if app_id in adding or store.mapping_by_app_id(company, "credit_memo", app_id):
            items.append({"kind": "credit_application", "app_id": app_id})
    return items


def _apply(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    if item.get("probe"):
        marker = credit_marker(item["app_id"])
        sync.apply_probe(state, item, rs, [r for r in rs.rets if text_of(r, "Memo") == marker])
    else:
        sync.apply_add(state, item, rs, id_tag="TxnID")


@handler(
    "credit_memo",
    apply=_apply,
    collection="store-credits",
    entity="credit_memo",
    add_request="CreditMemoAddRq",
)
def credit_memo_add(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element | Request:
    app_id = item["app_id"]
    sync.known("credit_memo", app_id)
    credit = sync.app.get("store-credits", app_id)
    customer_id = str(credit.get("customer_id") or "")
    customer = sync.mapping_of("customer", customer_id)
    if customer is None:
        raise SkipItem(f"customer {customer_id} is not synced to QuickBooks yet")
    try:
        amount = Decimal(str(credit.get("amount") or "0"))
    except InvalidOperation:
        raise SkipItem(f"store credit amount {credit.get('amount')!r} is not a number") from None
    if amount <= 0:
        raise SkipItem("a credit memo needs a positive amount")
    if sync.in_doubt(item):
        probe = queries.credit_memo_for_customer_rq(request_id, customer_list_id=customer.qb_id)
        return Request(probe, {"probe": True})
    return queries.credit_memo_add_rq(
        request_id,
        customer_list_id=customer.qb_id,
        item_full_name=sync.settings.default_service_item,
        amount=amount,
        txn_date=str(credit.get("date") or credit.get("created_at") or "")[:10],
        memo=credit_marker(app_id),
        description=str(credit.get("reason") or "Store credit"),
    )


# -- the credit applied to invoices --------------------------------------------------------


def application_marker(app_id: str) -> str:
    """The Memo of the connector's application of a store credit (for people; the probe
    and the pull go by the ExternalGUID, which nobody edits)."""
    return f"App store credit {app_id} applied"


def _apply_application(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    if item.get("probe"):
        guid = external_guid("credit_application", item["app_id"])
        found = [r for r in rs.rets if text_of(r, "ExternalGUID") == guid]
        sync.apply_probe(state, item, rs, found)
        return
    sync.apply_add(state, item, rs, id_tag="TxnID")
    if rs.ok:
        _show_applied(sync, item["app_id"])
    elif rs.status_code not in TRANSIENT_STATUS:
        _show_refused(sync, item["app_id"], rs.error_text())


def _show_applied(sync: SyncSession, app_id: str) -> None:
    """Applied at last: a store credit shown Failed by an earlier refusal is Synced again
    (to its credit memo, the record it syncs as)."""
    memo = sync.mapping_of("credit_memo", app_id)
    if memo is None:
        return
    try:
        sync.app.set_sync("store-credits", app_id, status="synced", external_id=memo.qb_id)
    except AppApiError as exc:
        sync.attempt("credit_application", app_id, "set_sync", "failed", None, str(exc))


def _show_refused(sync: SyncSession, app_id: str, error: str) -> None:
    """The credit memo is in QuickBooks but its application was refused or cannot be sent:
    the store credit shows Failed with why (the next session tries the application again,
    after its credit memo is found synced)."""
    try:
        sync.app.set_sync(
            "store-credits", app_id, status="failed", error=f"not applied to invoices: {error}"
        )
    except AppApiError as exc:
        sync.attempt("credit_application", app_id, "set_sync", "failed", None, str(exc))


def _not_sent(sync: SyncSession, app_id: str, reason: str) -> SkipItem:
    """The application cannot be sent: shown on the store credit (its own work item has
    no app record), and recorded as not sent."""
    _show_refused(sync, app_id, reason)
    return SkipItem(reason)


@handler(
    "credit_application",
    apply=_apply_application,
    entity="credit_application",
    add_request="ReceivePaymentAddRq",
)
def credit_application_add(
    sync: SyncSession, item: WorkItem, request_id: str
) -> etree._Element | Request:
    app_id = item["app_id"]
    known = sync.mapping_of("credit_application", app_id)
    if known is not None:
        raise AlreadyInQuickBooks(known.qb_id)
    memo = sync.mapping_of("credit_memo", app_id)
    if memo is None:
        wait_if_in_doubt(sync.store, sync.company, "credit_memo", app_id, "its credit memo")
        raise SkipItem("its credit memo is not in QuickBooks")
    credit = sync.app.get("store-credits", app_id)
    customer_id = str(credit.get("customer_id") or "")
    customer = sync.mapping_of("customer", customer_id)
    if customer is None:
        raise _not_sent(sync, app_id, f"customer {customer_id} is not synced to QuickBooks yet")
    applications = []
    for application in credit.get("applications") or []:
        invoice_id = str(application.get("invoice_id"))
        invoice = sync.mapping_of("invoice", invoice_id)
        if invoice is None:
            wait_if_in_doubt(
                sync.store, sync.company, "invoice", invoice_id, f"invoice {invoice_id}"
            )
            raise _not_sent(sync, app_id, f"invoice {invoice_id} is not synced to QuickBooks yet")
        amount = application.get("amount", "0")
        applications.append(rq.Application(invoice.qb_id, "0", (rq.Credit(memo.qb_id, amount),)))
    if sync.in_doubt(item):
        probe = rq.payments_modified_since_rq(request_id, from_modified=sync.probe_since(item))
        return Request(probe, {"probe": True})
    return rq.receive_payment_add_rq(
        request_id,
        customer_list_id=customer.qb_id,
        total="0",
        applications=applications,
        txn_date=str(credit.get("date") or credit.get("created_at") or "")[:10],
        memo=application_marker(app_id),
        external_guid=external_guid("credit_application", app_id),
    )
