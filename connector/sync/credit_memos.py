"""Store credits, app -> QuickBooks, as credit memos (BEHAVIORS.md IVC-10; Syncro's "Sync
Store Credit as Credit Memo", seeds/002).

A CreditMemoAdd for the credit's customer, one line on the service item, marked by a Memo
the connector owns so that a lost answer is probed (CreditMemoQuery of the customer) instead
of resent (guide p.53). What cannot be sent (a credit for a customer not in QuickBooks, a
non-positive amount) is held as Failed with the reason: reported, not dropped.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from connector.app_client import AppApiError
from connector.qbxml.responses import ResponseStatus, text_of
from connector.sync import queries
from connector.sync.engine import SkipItem
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
        credits = [c for c in ctx.app.list("store-credits") if needs_push(c, str(c["id"]) in doubt)]
    except AppApiError as exc:
        if exc.status != 404:
            raise
        return []  # an app without store credits
    items: list[WorkItem] = [{"kind": "credit_memo", "app_id": str(c["id"])} for c in credits]
    if items and not ctx.queued("service_item"):
        items.insert(0, {"kind": "service_item"})
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
