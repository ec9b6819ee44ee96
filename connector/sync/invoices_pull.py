"""Invoices, QuickBooks -> app (BEHAVIORS.md IVC-04, IVC-05, IVC-07, IVC-08, IVC-11, SYNC-04).

The first pull is the initial sync: invoices dated in the last ``initial_sync_months`` first,
then the older history, each read in pages through an iterator (seeds/004: "first sync the
last 12 months of data, then it will sync in historical data"). The phase reached is stored,
so an interrupted initial sync resumes at its phase (a page read twice changes nothing: each
invoice is created with its TxnID as Idempotency-Key and skipped once mapped). Afterwards
each pull reads only invoices modified since the cursor (ModifiedDateRangeFilter), and
TxnDeletedQuery the deletions.

A new QuickBooks invoice is created in the app with its lines (IVC-08); an edited one is
updated (amount, dates, lines: IVC-05); a voided one ("VOID:" memo, zero amounts) is voided
in the app (IVC-04); paid status and balances follow from the payments pulled
(``payments``: IVC-06). An invoice whose customer the app lacks is held and read again.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from connector.app_client import AppApiError
from connector.qbxml import requests as rq
from connector.qbxml.responses import ResponseStatus, text_of
from connector.sync import invoices, pull, queries
from connector.sync.cursors import CLOCK_SKEW_MARGIN
from connector.sync.engine import ADOPTED, own_add_of
from connector.sync.handlers import Request, State, SyncSession, WorkItem, handler

log = logging.getLogger("connector.sync.invoices_pull")

INVOICE_CURSOR = "Invoice.TimeModified"
#: The initial sync's progress: "" (not begun), "recent" (recent months done).
INITIAL_PHASE = "Invoice.initial"
#: When the initial sync began: the incremental pull starts there.
INITIAL_STARTED = "Invoice.initial.started"
DELETION_CURSOR = "TxnDeleted.Invoice.TimeDeleted"


#: Planning stage: the invoice pull, when invoices flow from QuickBooks.
plan_stage = pull.stage("invoice_direction", "invoice_pull", "invoice_deletions")


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the 28th at most, so every month has it)."""
    total = day.year * 12 + day.month - 1 - months
    return date(total // 12, total % 12 + 1, min(day.day, 28))


@handler("invoice_pull", apply=lambda sync, state, item, rs: _apply_pull(sync, state, item, rs))
def invoice_pull(sync: SyncSession, item: WorkItem, request_id: str) -> Request:
    page: dict[str, Any] = {
        "page_size": sync.settings.page_size,
        "iterator_id": item.get("iterator_id"),
    }
    cursor = sync.store.get_cursor(sync.company, INVOICE_CURSOR)
    if cursor:
        changes = queries.invoice_changes_rq(request_id, from_modified=cursor, **page)
        return Request(changes, {"phase": "changes"})
    if not sync.store.get_cursor(sync.company, INITIAL_STARTED):
        # The connector's clock, not QuickBooks': back by a margin for the skew between the
        # two machines (a change read twice is skipped by its EditSequence; one missed is lost).
        # Whole seconds: qbXML's DATETIMETYPE has no fraction (qbxmltypes130.xsd), and a real
        # clock has microseconds that would make the next read a 0x80040400 parse error.
        started = sync.clock.now().replace(microsecond=0) - CLOCK_SKEW_MARGIN
        sync.store.set_cursor(sync.company, INITIAL_STARTED, started.isoformat())
    boundary = months_before(sync.clock.now().date(), sync.settings.initial_sync_months)
    if sync.store.get_cursor(sync.company, INITIAL_PHASE) == "recent":
        before = (boundary - timedelta(days=1)).isoformat()
        history = queries.invoice_changes_rq(request_id, to_txn_date=before, **page)
        return Request(history, {"phase": "history"})
    recent = queries.invoice_changes_rq(request_id, from_txn_date=boundary.isoformat(), **page)
    return Request(recent, {"phase": "recent"})


def _apply_pull(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    for ret in pull.answered(sync, rs, "invoice"):
        held = not _pull_invoice(sync, state, ret)
        pull.track(state, "invoices", text_of(ret, "TimeModified"), held=held)
    if not rs.ok or pull.next_page(sync, state, item, rs):
        return
    phase = item.get("phase")
    if phase == "changes":
        pull.finish(sync, state, "invoices", INVOICE_CURSOR)
    elif phase == "recent":
        sync.store.set_cursor(sync.company, INITIAL_PHASE, "recent")
        sync.prepend(state, {"kind": "invoice_pull"})  # then the older history
    else:
        # History done: from now on read only what changed since the initial sync began.
        pulled = state.get("pulls", {}).pop("invoices", {})
        started = sync.store.get_cursor(sync.company, INITIAL_STARTED) or sync.at()
        sync.store.set_cursor(sync.company, INVOICE_CURSOR, pulled.get("held_min") or started)
        sync.store.set_cursor(sync.company, INITIAL_PHASE, "done")


def _lines(ret: etree._Element) -> list[dict[str, Any]]:
    """InvoiceLineRet as app lines (IVC-08): the app computes amount = quantity x rate, so a
    line without a quantity is one of its amount."""
    lines = []
    for line in ret.iter("InvoiceLineRet"):
        amount = text_of(line, "Amount", "0")
        quantity = text_of(line, "Quantity") or "1"
        rate = text_of(line, "Rate") or amount
        code = text_of(line, "SalesTaxCodeRef/FullName")
        lines.append(
            {
                "description": text_of(line, "Desc") or text_of(line, "ItemRef/FullName"),
                "quantity": quantity,
                "rate": rq.money(rate),
                "taxable": bool(code) and code != "Non",
            }
        )
    return lines


def is_voided(ret: etree._Element) -> bool:
    """A voided QuickBooks transaction keeps its lines at zero with a "VOID:" memo."""
    return text_of(ret, "Memo").startswith("VOID:")


def _fields(ret: etree._Element) -> dict[str, Any]:
    fields: dict[str, Any] = {"lines": _lines(ret)}
    for field, path in (("number", "RefNumber"), ("date", "TxnDate"), ("due_date", "DueDate")):
        if text_of(ret, path):
            fields[field] = text_of(ret, path)
    return fields


def _pull_invoice(sync: SyncSession, state: State, ret: etree._Element) -> bool:
    txn_id, edit_sequence = text_of(ret, "TxnID"), text_of(ret, "EditSequence")
    known = sync.store.mapping_by_qb_id(sync.company, "invoice", txn_id)
    try:
        if known is not None:
            if known.edit_sequence == edit_sequence:
                return True
            app_id = known.app_id
            if not _qbd_wins(sync, app_id):
                return True
            outcome = _update(sync, app_id, ret)
        else:
            customer = sync.store.mapping_by_qb_id(
                sync.company, "customer", text_of(ret, "CustomerRef/ListID")
            )
            if customer is None:
                message = f"customer {text_of(ret, 'CustomerRef/FullName')!r} is not in the app"
                return _hold(sync, ret, message)
            app_id, outcome = _create(sync, ret, customer.app_id)
    except AppApiError as exc:
        return _hold(sync, ret, str(exc), status_code=exc.status)
    sync.store.put_mapping(sync.company, "invoice", app_id, txn_id, edit_sequence)
    sync.attempt("invoice", app_id, "InvoiceQueryRq", outcome, 0, "")
    sync.release_pulled("invoice", txn_id)
    return True


def _hold(
    sync: SyncSession, ret: etree._Element, message: str, *, status_code: int | None = None
) -> bool:
    """Hold a QuickBooks invoice, listed in the app by its number and customer."""
    number, customer = text_of(ret, "RefNumber"), text_of(ret, "CustomerRef/FullName")
    reference = f"{number} ({customer})" if number else customer
    return sync.hold_pulled(
        "invoice",
        text_of(ret, "TxnID"),
        "InvoiceQueryRq",
        message,
        reference=reference,
        status_code=status_code,
    )


def _update(sync: SyncSession, app_id: str, ret: etree._Element) -> str:
    current = sync.app.get("invoices", app_id)
    if is_voided(ret):
        if current.get("status") not in ("void", "voided"):
            sync.app.patch("invoices", app_id, {"status": "void"})
        return "voided"
    changes = _changes(current, _fields(ret))
    if not changes:
        return "unchanged"  # e.g. a payment touched it in QuickBooks: balances come with it
    sync.app.patch("invoices", app_id, changes)
    return "updated"


def _line_key(line: dict[str, Any]) -> tuple[str, Decimal, Decimal, bool]:
    return (
        str(line.get("description") or ""),
        Decimal(str(line.get("quantity") or "1")),
        Decimal(str(line.get("rate") or "0")),
        bool(line.get("taxable")),
    )


def _changes(current: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Only what QuickBooks changed; app lines keep what QuickBooks does not carry (the
    product and stock location of each line, by position)."""
    changes = {k: v for k, v in fields.items() if k != "lines" and str(current.get(k) or "") != v}
    old_lines = current.get("lines") or []
    new_lines = fields["lines"]
    if [_line_key(x) for x in old_lines] != [_line_key(x) for x in new_lines]:
        for index, line in enumerate(new_lines):
            if index < len(old_lines):
                for keep in ("product_id", "location_id"):
                    if old_lines[index].get(keep):
                        line[keep] = old_lines[index][keep]
        changes["lines"] = new_lines
    return changes


def _create(sync: SyncSession, ret: etree._Element, customer_id: str) -> tuple[str, str]:
    txn_id = text_of(ret, "TxnID")
    fields = _fields(ret)
    number = fields.get("number")
    own = own_add_of(sync.store, sync.company, "invoice", ret)
    if own is not None:
        # Our own Add whose answer was lost, found by its ExternalGUID whatever a person
        # edited since (issue 23): adopted, never imported as a second invoice. QuickBooks'
        # state first: an app that fails it leaves the Add in doubt (held, adopted again by
        # the next pull), never cleared with no mapping for the push to send it again.
        _mark_adopted(sync, own, ret)
        sync.store.clear_in_doubt(sync.company, "invoice", own)
        sync.release_hold("invoice", own)
        return own, "adopted"
    if number:
        for existing in sync.app.list("invoices", number=number):
            unmapped = sync.store.mapping_by_app_id(sync.company, "invoice", str(existing["id"]))
            if unmapped is None and str(existing.get("customer_id")) == customer_id:
                app_id = str(existing["id"])
                if (existing.get("sync") or {}).get("external_id") == txn_id:
                    # Made by an earlier pull whose answer was lost, from an older version
                    # of this invoice: brought to the current state (issue 23).
                    return app_id, _update(sync, app_id, ret)
                sync.app.set_sync("invoices", app_id, status="synced", external_id=txn_id)
                # Our own Add whose answer was lost, found by the pull: no probe needed.
                sync.store.clear_in_doubt(sync.company, "invoice", app_id)
                sync.release_hold("invoice", app_id)
                return app_id, "adopted"
    body = {
        **fields,
        "customer_id": customer_id,
        "sync": {"status": "synced", "external_id": txn_id, "error": None},
    }
    try:
        created = sync.app.create("invoices", body, idempotency_key=f"invoice-{txn_id}")
    except AppApiError as exc:
        # Made by an earlier create whose answer was lost: brought to the current state.
        app_id = pull.created_earlier(sync, "invoices", txn_id, exc)
        return app_id, _update(sync, app_id, ret)
    app_id = str(created["id"])
    if is_voided(ret):
        sync.app.patch("invoices", app_id, {"status": "void"})
    _check_total(sync, app_id, created, ret)
    return app_id, "imported"


def _mark_adopted(sync: SyncSession, app_id: str, ret: etree._Element) -> None:
    """Bring the app invoice an in-doubt Add created to QuickBooks' state and mark it
    synced. One deleted in the app meanwhile (404) is adopted all the same: mapped, its
    deletion waiting in the change feed reaches QuickBooks (IVC-03) instead of waiting for
    a doubt nothing clears any more
    (scenarios/regressions/fuzz-invoice-deleted-while-add-in-doubt.yaml)."""
    try:
        _take_adopted(sync, app_id, ret)
        sync.app.set_sync("invoices", app_id, status="synced", external_id=text_of(ret, "TxnID"))
    except AppApiError as exc:
        if exc.status != 404:
            raise


def _take_adopted(sync: SyncSession, app_id: str, ret: etree._Element) -> None:
    """The connector's own invoice, adopted after its Add answer was lost: what a person
    changed in QuickBooks since (its lines, a due date, a void) comes into the app as any
    pulled change does, unless an app edit waits (SYNC-02). The EditSequence recorded at
    adoption would hide that change from every later pull (issue 19)."""
    if _qbd_wins(sync, app_id):
        _update(sync, app_id, ret)


def _qbd_wins(sync: SyncSession, app_id: str) -> bool:
    """A QuickBooks change of a mapped invoice is applied unless an app edit (or a person's
    "force update", IVC-12) waits and the app is the master (SYNC-02)."""
    return pull.resolve_conflict(
        sync,
        entity="invoice",
        kind="invoice_mod",
        app_id=app_id,
        master=sync.settings.invoice_master,
        forced=invoices.force_update_waits(sync, app_id),
    )


ADOPTED["invoice"] = pull.adopted_by_probe("invoice_direction", _take_adopted)


def _check_total(
    sync: SyncSession, app_id: str, created: dict[str, Any], ret: etree._Element
) -> None:
    """The app's total is the lines' sum (it computes no tax): it must equal QuickBooks'
    Subtotal to the cent, or the difference is recorded (IVC-13)."""
    try:
        ours = Decimal(str(created.get("total") or "0"))
        theirs = Decimal(text_of(ret, "Subtotal") or "0")
    except InvalidOperation:
        return
    if not is_voided(ret) and ours != theirs:
        sync.attempt(
            "invoice",
            app_id,
            "InvoiceQueryRq",
            "mismatch",
            None,
            f"app total {ours} differs from the QuickBooks subtotal {theirs}",
        )


# -- deletions ---------------------------------------------------------------------------------


@handler("invoice_deletions", apply=lambda sync, state, item, rs: _apply_deletions(sync, rs))
def invoice_deletions(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return rq.txn_deleted_query_rq(
        request_id,
        txn_types=["Invoice"],
        from_deleted=sync.store.get_cursor(sync.company, DELETION_CURSOR),
    )


def _apply_deletions(sync: SyncSession, rs: ResponseStatus) -> None:
    """Invoices deleted in QuickBooks are deleted in the app (IVC-07)."""
    pull.apply_deletions(
        sync,
        rs,
        entity="invoice",
        cursor_name=DELETION_CURSOR,
        remove=lambda app_id: _delete_in_app(sync, app_id),
    )


def _delete_in_app(sync: SyncSession, app_id: str) -> str | None:
    try:
        sync.app.delete("invoices", app_id)
    except AppApiError as exc:
        if exc.status != 404:
            log.error("invoice %s not deleted: %s", app_id, exc)
            return None
    return "deleted"
