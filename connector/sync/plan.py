"""The plan of one Web Connector session: what to do, in dependency order.

Built from the app (records not synced yet, its change feed, its payments) and the store
(what QuickBooks already has), as a queue of work items kept in the ticket's state.
``connector.sync`` turns each item into a qbXML request and applies the answer.
"""

from __future__ import annotations

import logging
from typing import Any

from connector.app_client import AppApiError, AppClient
from connector.settings import ConnectorSettings
from connector.store import Store

log = logging.getLogger("connector.plan")

State = dict[str, Any]

#: The app change feed position already turned into QuickBooks changes.
FEED_CURSOR = "app.changes"
MAX_FEED_PAGES = 20


def plan_session(settings: ConnectorSettings, store: Store, app: AppClient, company: str) -> State:
    """Build the session's queue from what the app has not synced yet.

    Stages in dependency order: customers, the service item, invoices, app edits, then
    payments (each payment references a customer and invoices that must exist first)."""
    from connector.sync import payments  # the domain modules import this one

    customers = [c for c in app.list_customers() if needs_push(c)]
    invoices = [i for i in app.list_invoices() if needs_push(i)]
    queued = {str(c["id"]) for c in customers}
    queue: list[dict[str, Any]] = [{"kind": "customer", "app_id": str(c["id"])} for c in customers]
    for invoice in invoices:
        # A customer is synced when an invoice for it is (BEHAVIORS.md CUS-04).
        customer_id = str(invoice.get("customer_id") or "")
        if (
            customer_id
            and customer_id not in queued
            and store.mapping_by_app_id(company, "customer", customer_id) is None
        ):
            queue.append({"kind": "customer", "app_id": customer_id})
            queued.add(customer_id)
    if invoices:
        queue.append({"kind": "service_item"})
        queue.extend({"kind": "invoice", "app_id": str(i["id"])} for i in invoices)
    edits, feed_cursor = _plan_app_edits(store, app, company)
    queue.extend(edits)
    queue.extend(payments.plan(settings, app))
    return {
        "queue": queue,
        "total": len(queue),
        "done": 0,
        "seq": 0,
        "pending": None,
        "feed_cursor": feed_cursor,
    }


def needs_push(record: dict[str, Any]) -> bool:
    """Not synced yet, or a person asked to sync it now (BEHAVIORS.md PAY-13, IVC-09)."""
    sync = record.get("sync") or {}
    wanted = sync.get("status", "not_synced") == "not_synced" or sync.get("requested") == "sync"
    if record.get("archived") or record.get("status") in ("draft", "void", "voided", "deleted"):
        return False
    return wanted


def _plan_app_edits(
    store: Store, app: AppClient, company: str
) -> tuple[list[dict[str, Any]], str | None]:
    """Edits, voids and deletions people made in the app to records QuickBooks has.

    Read from the app's change feed since the stored position; the connector's own writes
    (origin "connector") are not echoed back. The position is stored only when the session's
    plan completes, so an interrupted session reads the same changes again (the Mods are
    idempotent, and a stale EditSequence is re-read: 3200).
    """
    since = store.get_cursor(company, FEED_CURSOR) or ""
    items: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    cursor: str | None = None
    try:
        for _ in range(MAX_FEED_PAGES):
            page = app.changes(since=since, limit=500)
            for change in page.get("changes") or []:
                if change.get("origin") == "connector":
                    continue
                entity, op, app_id = change.get("entity"), change.get("op"), str(change.get("id"))
                if entity not in ("customer", "invoice", "payment") or not app_id:
                    continue
                if op == "create" or store.mapping_by_app_id(company, entity, app_id) is None:
                    continue  # new, or not in QuickBooks yet: its Add carries the latest data
                kind = f"{entity}_delete" if op == "delete" else f"{entity}_mod"
                if entity == "payment":
                    kind = "payment_change"  # deleted, voided, failed or edited in the app
                if kind == "customer_delete":
                    continue  # QuickBooks keeps customers with history; nothing to do
                if (kind, app_id) not in seen:
                    seen.add((kind, app_id))
                    items.append({"kind": kind, "app_id": app_id})
            cursor = str(page.get("cursor") or since)
            if not page.get("has_more") or cursor == since:
                break
            since = cursor
    except AppApiError as exc:
        log.warning("app change feed unavailable: %s", exc)
        return [], None
    # A deleted invoice needs no Mod before its deletion.
    deleted = {i["app_id"] for i in items if i["kind"] == "invoice_delete"}
    items = [i for i in items if not (i["kind"] == "invoice_mod" and i["app_id"] in deleted)]
    # Customers first: an invoice Mod may point at a renamed customer.
    order = {"customer_mod": 0, "invoice_mod": 1, "invoice_delete": 1, "payment_change": 2}
    items.sort(key=lambda i: order[i["kind"]])
    return items, cursor


def progress(state: State) -> int:
    """0..99 while work remains, 100 when the queue is empty (guide p.24, p.77)."""
    if not state.get("queue") and not state.get("pending"):
        return 100
    total = max(int(state.get("total", 1)), 1)
    return min(99, int(state.get("done", 0)) * 100 // total)
