"""The plan of one Web Connector session: what to do, in dependency order.

Built from the app (records not synced yet, its change feed, its payments) and the store
(what QuickBooks already has), as a list of work items the session stores once
(``connector.work_queue``). This module is the planning vocabulary and the stages of no
domain of their own; ``connector.sync.stages`` lists every stage in dependency order and
builds the plan. ``connector.sync`` turns each item into a qbXML request and applies the
answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final, NamedTuple

from connector.app_client import AppApiError, AppClient
from connector.session_state import SessionState
from connector.settings import ConnectorSettings
from connector.store import Store
from connector.work_queue import WorkItem, WorkQueue

log = logging.getLogger("connector.plan")

#: The app change feed position already turned into QuickBooks changes.
FEED_CURSOR = "app.changes"
MAX_FEED_PAGES = 20
#: An app edit of a record whose Add is in doubt (see ``plan_edits_after_lost_adds``).
AFTER_LOST_ADD: Final = "after_lost_add"
#: An Add item that only probes: its record is planned for no Add any more (deleted or
#: voided in the app while the Add was in doubt), so it is never sent again
#: (``plan_edits_after_lost_adds``).
PROBE_ONLY: Final = "probe_only"
#: The session-state key of the app's settings as read once by the plan.
APP_SETTINGS: Final = "app_settings"
#: The work-item kind whose Add puts a record of each feed entity in doubt.
ADD_KIND = {"customer": "customer", "invoice": "invoice", "payment": "payment_push"}


@dataclass
class PlanContext:
    """What every planning stage reads, and what the stages share while planning."""

    settings: ConnectorSettings
    store: Store
    app: AppClient
    company: str
    #: The items planned by the earlier stages (a stage may look, e.g. at queued customers).
    queue: list[WorkItem] = field(default_factory=list)
    #: Values a stage hands to the session state (e.g. a change-feed position to store once
    #: the plan completes: ``feed_cursor``).
    state: SessionState = field(default_factory=SessionState)
    #: App reads shared by several stages (read once per plan).
    cache: dict[str, Any] = field(default_factory=dict)

    def queued(self, kind: str) -> set[str]:
        return {str(i.get("app_id")) for i in self.queue if i.get("kind") == kind}

    def app_settings(self) -> dict[str, Any]:
        """The app's settings (``GET /settings``), read once per plan and handed to the
        session state (``APP_SETTINGS``) so the session's requests read them no more.
        Raises AppApiError when the app cannot be reached (nothing cached)."""
        if APP_SETTINGS not in self.state:
            self.state[APP_SETTINGS] = self.app.settings()
        found: dict[str, Any] = self.state[APP_SETTINGS]
        return found

    def in_doubt(self, kind: str) -> set[str]:
        """The app IDs whose Add of this work-item kind is in doubt: planned whatever their
        app status (held ones show Failed "in doubt"), so the probe runs once it may."""
        key = f"in_doubt:{kind}"
        if key not in self.cache:
            self.cache[key] = set(self.store.in_doubt_ids(self.company, kind))
        found: set[str] = self.cache[key]
        return found


#: A planning stage: the work items it adds, in order, after those of the earlier stages.
Stage = Callable[[PlanContext], list[WorkItem]]


class Plan(NamedTuple):
    """A session's work items, in order, and its state to start with."""

    items: list[WorkItem]
    state: SessionState


def pushes(direction: str) -> bool:
    return direction in ("both", "to_qbd")


def plan_customers(ctx: PlanContext) -> list[WorkItem]:
    """App customers not synced yet ("customer master sync" on: CUS-05), and the customers
    this session's invoices need (a customer is synced when an invoice of theirs is: CUS-04).
    Customers created in the app stay there when customers do not flow to QuickBooks
    (CUS-07)."""
    if not pushes(ctx.settings.customer_direction):
        return []
    doubt = ctx.in_doubt("customer")
    customers = [c for c in ctx.app.list_customers() if needs_push(c, str(c["id"]) in doubt)]
    if not ctx.settings.customer_master_sync:
        customers = [c for c in customers if (c.get("sync") or {}).get("requested") == "sync"]
    queued = {str(c["id"]) for c in customers}
    items: list[WorkItem] = [{"kind": "customer", "app_id": str(c["id"])} for c in customers]
    for invoice in invoices_to_push(ctx):
        customer_id = str(invoice.get("customer_id") or "")
        if (
            customer_id
            and customer_id not in queued
            and ctx.store.mapping_by_app_id(ctx.company, "customer", customer_id) is None
        ):
            items.append({"kind": "customer", "app_id": customer_id})
            queued.add(customer_id)
    return items


def invoices_to_push(ctx: PlanContext) -> list[dict[str, Any]]:
    """App invoices to add to QuickBooks this session (read once per plan)."""
    if "invoices_to_push" not in ctx.cache:
        invoices: list[dict[str, Any]] = []
        if pushes(ctx.settings.invoice_direction):
            doubt = ctx.in_doubt("invoice")
            invoices = [i for i in ctx.app.list_invoices() if needs_push(i, str(i["id"]) in doubt)]
        ctx.cache["invoices_to_push"] = invoices
    return list(ctx.cache["invoices_to_push"])


def plan_invoices(ctx: PlanContext) -> list[WorkItem]:
    """App invoices not synced yet, after the service item their lines are on. A $0 invoice
    is Skipped, visibly, when the profile cannot sync them (IVC-02, Syncro: seeds/002)."""
    invoices = []
    for invoice in invoices_to_push(ctx):
        if _total(invoice) < 0:
            # A refund invoice: QuickBooks records a refund as a credit memo, not a negative
            # invoice. Reported, not dropped (IVC-10; Syncro: "adjusted manually in QB").
            ctx.app.set_sync(
                "invoices",
                str(invoice["id"]),
                status="failed",
                error="refund invoice (negative total): give a store credit instead, "
                "which syncs as a credit memo",
            )
            continue
        if not ctx.settings.sync_zero_invoices and _total(invoice) == 0:
            ctx.app.set_sync(
                "invoices",
                str(invoice["id"]),
                status="skipped",
                error="$0 invoices are not synced (profile setting sync_zero_invoices)",
            )
            continue
        invoices.append(invoice)
    if not invoices:
        return []
    items: list[WorkItem] = [{"kind": "service_item"}]
    return items + [{"kind": "invoice", "app_id": str(i["id"])} for i in invoices]


def _total(invoice: dict[str, Any]) -> Decimal:
    try:
        return Decimal(str(invoice.get("total") or "0"))
    except InvalidOperation:
        return Decimal(0)  # the invoice's own Add reports what is wrong with it


def plan_app_edits(ctx: PlanContext) -> list[WorkItem]:
    """Edits, voids and deletions made in the app since the stored feed position, in the
    directions configured; with ``sync_customer_edits`` off a customer's edit goes only with
    an invoice of theirs (CUS-04, CUS-05: Syncro)."""
    edits, feed_cursor = _plan_app_edits(ctx.store, ctx.app, ctx.company)
    ctx.state["feed_cursor"] = feed_cursor
    settings = ctx.settings
    invoice_ids = {
        str(i["app_id"])
        for i in ctx.queue + edits
        if i["kind"] in ("invoice", "invoice_mod") and i.get("app_id")
    }
    customers_of_invoices = _customers_of(ctx, invoice_ids)
    kept: list[WorkItem] = []
    for item in edits:
        kind = item["kind"]
        if kind == "customer_mod":
            if not pushes(settings.customer_direction):
                continue
            if not settings.sync_customer_edits and item["app_id"] not in customers_of_invoices:
                continue
        elif kind.startswith("invoice") and not pushes(settings.invoice_direction):
            continue
        if kind == "invoice_delete" and settings.app_invoice_deletion == "void":
            item = {**item, "void_deleted": True}
        if item.get(AFTER_LOST_ADD):
            ctx.cache.setdefault(AFTER_LOST_ADD, []).append(item)
            continue
        kept.append(item)
    if not settings.sync_customer_edits and pushes(settings.customer_direction):
        # The customer is updated when an invoice of theirs syncs (CUS-04).
        have = {i["app_id"] for i in kept if i["kind"] == "customer_mod"}
        for customer_id in sorted(customers_of_invoices - have):
            if ctx.store.mapping_by_app_id(ctx.company, "customer", customer_id) is not None:
                kept.insert(0, {"kind": "customer_mod", "app_id": customer_id})
    return kept


def plan_edits_after_lost_adds(ctx: PlanContext) -> list[WorkItem]:
    """Edits made in the app to records whose Add was sent but never answered: when the
    probe (or a pull) then finds the Add in QuickBooks and adopts it, the app's later
    version must still reach QuickBooks; when the Add never happened, it is sent again with
    the latest data and the edit is dropped (``engine``).

    A record the app no longer pushes (an invoice deleted or voided, a payment deleted,
    voided or failed) is planned for no Add, so no probe would clear its doubt and its
    removal would wait for good, the Add left in QuickBooks (IVC-03, PAY-16; only a pull,
    where that kind flows from QuickBooks, found it). Its probe goes before the edit all
    the same (``PROBE_ONLY``): when it finds the Add, the removal reaches QuickBooks; when
    not, the doubt clears and nothing is sent."""
    items: list[WorkItem] = []
    planned = {kind: ctx.queued(kind) for kind in ADD_KIND.values()}
    for edit in ctx.cache.get(AFTER_LOST_ADD, []):
        entity, app_id = str(edit["kind"]).split("_", 1)[0], edit["app_id"]
        add_kind = ADD_KIND[entity]
        # Customers: the connector removes none from QuickBooks (``_plan_app_edits``).
        if entity != "customer" and app_id not in planned[add_kind]:
            planned[add_kind].add(app_id)  # once, however many edits wait for it
            items.append({"kind": add_kind, "app_id": app_id, PROBE_ONLY: True})
        items.append(edit)
    return items


def _customers_of(ctx: PlanContext, invoice_ids: set[str]) -> set[str]:
    if not invoice_ids:
        return set()
    return {
        str(i.get("customer_id"))
        for i in ctx.app.list_invoices()
        if str(i.get("id")) in invoice_ids and i.get("customer_id")
    }


def needs_push(record: dict[str, Any], in_doubt: bool = False) -> bool:
    """Not synced yet, or a person asked to sync it now (BEHAVIORS.md PAY-13, IVC-09), or
    its Add is in doubt (held as Failed "in doubt" until its probe may run)."""
    sync = record.get("sync") or {}
    wanted = (
        sync.get("status", "not_synced") == "not_synced"
        or sync.get("requested") == "sync"
        or in_doubt
    )
    if record.get("archived") or record.get("status") in ("draft", "void", "voided", "deleted"):
        return False
    return wanted


def _plan_app_edits(
    store: Store, app: AppClient, company: str
) -> tuple[list[WorkItem], str | None]:
    """Edits, voids and deletions people made in the app to records QuickBooks has.

    Read from the app's change feed since the stored position; the connector's own writes
    (origin "connector") are not echoed back. The position is stored only when the session's
    plan completes, so an interrupted session reads the same changes again (the Mods are
    idempotent, and a stale EditSequence is re-read: 3200).
    """
    since = store.get_cursor(company, FEED_CURSOR) or ""
    items: list[WorkItem] = []
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
                if op == "create":
                    continue  # its Add carries the latest data
                unmapped = store.mapping_by_app_id(company, entity, app_id) is None
                if unmapped and not store.is_in_doubt(
                    company, ADD_KIND[entity], app_id, besides_ticket=""
                ):
                    continue  # not in QuickBooks yet: its Add carries the latest data
                kind = f"{entity}_delete" if op == "delete" else f"{entity}_mod"
                if entity == "payment":
                    kind = "payment_change"  # deleted, voided, failed or edited in the app
                if kind == "customer_delete":
                    continue  # QuickBooks keeps customers with history; nothing to do
                if (kind, app_id) not in seen:
                    seen.add((kind, app_id))
                    edit: WorkItem = {"kind": kind, "app_id": app_id}
                    if unmapped:
                        edit[AFTER_LOST_ADD] = True
                    items.append(edit)
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


def progress(state: SessionState, queue: WorkQueue) -> int:
    """0..99 while work remains, 100 when the queue is empty (guide p.24, p.77)."""
    if not state.get("pending") and queue.is_empty():
        return 100
    total = max(state.get("total", 1), 1)
    return min(99, state.get("done", 0) * 100 // total)
