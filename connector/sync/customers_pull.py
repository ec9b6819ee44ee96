"""Customers, QuickBooks -> app (BEHAVIORS.md CUS-02, CUS-03, CUS-06, SYNC-04).

CustomerQuery from a modified-since cursor through an iterator (ActiveStatus All), then
ListDeletedQuery for deletions. New QuickBooks customers are created in the app with their
ListID as Idempotency-Key (a replay creates nothing); one with the same name the app already
has is adopted, not duplicated (the initial import after a one-time export). Sub-customers
become ordinary app customers (the app has no hierarchy; seeds/002 "Sub-Customer Support").
An inactive QuickBooks customer is archived in the app; a deleted one is deleted, or archived
when the app keeps records that need it (the app refuses to delete a customer in use).
"""

from __future__ import annotations

import logging
from typing import Any

from lxml import etree

from connector.app_client import AppApiError
from connector.qbxml.responses import ResponseStatus, text_of
from connector.sync import pull, queries
from connector.sync.engine import ADOPTED, own_add_of
from connector.sync.handlers import State, SyncSession, WorkItem, handler

log = logging.getLogger("connector.sync.customers_pull")

CUSTOMER_CURSOR = "Customer.TimeModified"
DELETION_CURSOR = "ListDeleted.Customer.TimeDeleted"


#: Planning stage: the customer pull, when customers flow from QuickBooks.
plan_stage = pull.stage("customer_direction", "customer_pull", "customer_deletions")


def _apply_pull(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    for ret in pull.answered(sync, rs, "customer"):
        held = not _pull_customer(sync, state, ret)
        pull.track(state, "customers", text_of(ret, "TimeModified"), held=held)
    if rs.ok and not pull.next_page(sync, state, item, rs):
        pull.finish(sync, state, "customers", CUSTOMER_CURSOR)


@handler("customer_pull", apply=_apply_pull)
def customer_pull(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return queries.customer_changes_rq(
        request_id,
        from_modified=sync.store.get_cursor(sync.company, CUSTOMER_CURSOR),
        page_size=sync.settings.page_size,
        iterator_id=item.get("iterator_id"),
    )


def app_fields(ret: etree._Element) -> dict[str, Any]:
    """The app's view of a QuickBooks customer: its own Name (a sub-customer's too: it
    becomes a top-level app customer), contact details, and IsActive as ``archived``."""
    return {
        "name": text_of(ret, "Name"),
        "email": text_of(ret, "Email") or None,
        "phone": text_of(ret, "Phone") or None,
        "archived": text_of(ret, "IsActive", "true") == "false",
    }


def _pull_customer(sync: SyncSession, state: State, ret: etree._Element) -> bool:
    """Apply one QuickBooks customer to the app; False when it is held (retried later)."""
    list_id, edit_sequence = text_of(ret, "ListID"), text_of(ret, "EditSequence")
    known = sync.store.mapping_by_qb_id(sync.company, "customer", list_id)
    fields = app_fields(ret)
    try:
        if known is not None:
            if known.edit_sequence == edit_sequence:
                return True  # unchanged (our own write, or the inclusive cursor's boundary)
            if _qbd_wins(sync, known.app_id):
                sync.app.patch("customers", known.app_id, fields)
                outcome = "updated"
            else:
                return True  # the app's edit overwrites it (CustomerMod after a re-read)
            app_id = known.app_id
        else:
            app_id, outcome = _create_or_adopt(sync, ret, fields)
    except AppApiError as exc:
        return sync.hold_pulled(
            "customer", list_id, "CustomerQueryRq", str(exc), reference=text_of(ret, "FullName")
        )
    sync.store.put_mapping(sync.company, "customer", app_id, list_id, edit_sequence)
    sync.attempt("customer", app_id, "CustomerQueryRq", outcome, 0, "")
    sync.release_pulled("customer", list_id)
    return True


def _create_or_adopt(
    sync: SyncSession, ret: etree._Element, fields: dict[str, Any]
) -> tuple[str, str]:
    list_id = text_of(ret, "ListID")
    own = own_add_of(sync.store, sync.company, "customer", ret)
    if own is not None:
        # Our own Add whose answer was lost, found by its ExternalGUID whatever a person
        # renamed since (issue 23): adopted, never imported as a second customer.
        _take_adopted(sync, own, ret)
        _adopt(sync, own, list_id)
        return own, "adopted"
    sub_customer = ret.find("ParentRef") is not None
    if not sub_customer:
        adopted = _adopt_unmapped(sync, list_id, sync.app.list("customers", name=fields["name"]))
        if adopted is not None:
            return adopted, "adopted"
    body = {**fields, "sync": {"status": "synced", "external_id": list_id, "error": None}}
    try:
        created = sync.app.create("customers", body, idempotency_key=f"customer-{list_id}")
    except AppApiError as exc:
        if exc.code == pull.IDEMPOTENCY_CONFLICT:
            # Made by an earlier create whose answer was lost: brought to the current state.
            app_id = pull.created_earlier(sync, "customers", list_id, exc)
            sync.app.patch("customers", app_id, fields)
            return app_id, "updated"
        if exc.status != 409:
            raise
        if not sub_customer:
            # The app has the name typed in another case ("harbor dental"): its names, like
            # QuickBooks' (QBD-02), ignore case, its name filter does not. The same customer,
            # adopted as for the exact name; otherwise it stayed held and the app's
            # CustomerAdd was refused (3100) at every sync.
            folded = fields["name"].casefold()
            alike = [c for c in sync.app.list_customers() if str(c["name"]).casefold() == folded]
            adopted = _adopt_unmapped(sync, list_id, alike)
            if adopted is None:
                raise
            return adopted, "adopted"
        # Two sub-customers with one name under different parents: the app's names are
        # unique, so the second keeps its full name ("Parent:Job").
        body["name"] = text_of(ret, "FullName")
        created = sync.app.create("customers", body, idempotency_key=f"customer-{list_id}")
    _mark_synced(sync, str(created["id"]), list_id)
    return str(created["id"]), "imported"


def _qbd_wins(sync: SyncSession, app_id: str) -> bool:
    """A QuickBooks change of a mapped customer is applied unless an app edit waits and the
    app is the master (SYNC-02)."""
    return pull.resolve_conflict(
        sync,
        entity="customer",
        kind="customer_mod",
        app_id=app_id,
        master=sync.settings.customer_master,
    )


def _take_adopted(sync: SyncSession, app_id: str, ret: etree._Element) -> None:
    """The connector's own customer, adopted after its Add answer was lost: what a person
    changed in QuickBooks since (a phone, a new name) comes into the app as any pulled
    change does, unless an app edit waits (SYNC-02). The EditSequence recorded at adoption
    would hide that change from every later pull."""
    if _qbd_wins(sync, app_id):
        sync.app.patch("customers", app_id, app_fields(ret))


ADOPTED["customer"] = pull.adopted_by_probe("customer_direction", _take_adopted)


def _adopt_unmapped(sync: SyncSession, list_id: str, candidates: list[Any]) -> str | None:
    """Adopt the first of ``candidates`` (app customers of the QuickBooks customer's name)
    that no QuickBooks customer is mapped to yet; None when every one is."""
    for existing in candidates:
        app_id = str(existing["id"])
        if sync.store.mapping_by_app_id(sync.company, "customer", app_id):
            continue
        _adopt(sync, app_id, list_id)
        return app_id
    return None


def _adopt(sync: SyncSession, app_id: str, list_id: str) -> None:
    _mark_synced(sync, app_id, list_id)
    # Our own Add whose answer was lost, found by the pull: no probe needed any more.
    sync.store.clear_in_doubt(sync.company, "customer", app_id)
    sync.release_hold("customer", app_id)


def _mark_synced(sync: SyncSession, app_id: str, list_id: str) -> None:
    sync.app.set_sync("customers", app_id, status="synced", external_id=list_id)


# -- deletions ---------------------------------------------------------------------------------


def _apply_deletions(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    pull.apply_deletions(
        sync,
        rs,
        entity="customer",
        cursor_name=DELETION_CURSOR,
        remove=lambda app_id: _delete_in_app(sync, app_id),
    )


def _delete_in_app(sync: SyncSession, app_id: str) -> str | None:
    """Delete the customer in the app; archived instead while records need it (the app
    refuses: 422), as QuickBooks itself keeps names with history. None: not reached."""
    try:
        sync.app.delete("customers", app_id)
    except AppApiError as exc:
        if exc.status == 404:
            return "deleted"
        if exc.status != 422:
            log.error("customer %s not deleted: %s", app_id, exc)
            return None
        try:
            sync.app.patch("customers", app_id, {"archived": True})
        except AppApiError as again:
            log.error("customer %s not archived: %s", app_id, again)
            return None
        return "archived"
    return "deleted"


@handler("customer_deletions", apply=_apply_deletions)
def customer_deletions(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return queries.list_deleted_rq(
        request_id,
        list_type="Customer",
        from_deleted=sync.store.get_cursor(sync.company, DELETION_CURSOR),
    )
