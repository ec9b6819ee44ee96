"""What the QuickBooks -> app pulls share: paged, resumable modified-since reads and
conflicts with edits made in the app during the same interval (BEHAVIORS.md SYNC-02, SYNC-04).

A pull reads QuickBooks through an iterator from a stored modified-since cursor (inclusive,
so the boundary record is read again and skipped as unchanged: its EditSequence is the one
the mapping holds). The cursor moves only when the last page is applied; a session cut short
reads the same changes again, and applying them twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from connector.app_client import AppApiError
from connector.qbxml.responses import ResponseStatus, text_of
from connector.sync.cursors import later
from connector.sync.handlers import State, SyncSession, WorkItem

#: The app's 409 code for an Idempotency-Key already used with another body.
IDEMPOTENCY_CONFLICT = "idempotency_conflict"


def created_earlier(sync: SyncSession, collection: str, qb_id: str, exc: AppApiError) -> str:
    """The app refused a create keyed by a QuickBooks ID because the key came with another
    body: an earlier create of the same record, whose answer was lost, made it from an older
    version of the QuickBooks record (issue 23). A conflict to resolve, never success: the
    app record that create made, read back by its external ID, so the caller brings it to
    QuickBooks' current state. Re-raises ``exc`` for any other refusal, or when the app does
    not hold exactly one record of that external ID (held: a person decides)."""
    if exc.status != 409 or exc.code != IDEMPOTENCY_CONFLICT:
        raise exc
    earlier = sync.app.list(collection, external_id=qb_id)
    if len(earlier) != 1:
        raise AppApiError(f"{exc}; the app holds {len(earlier)} records of {qb_id}") from exc
    sync.attempt(collection.removesuffix("s"), qb_id, "app create", "conflict", 409, str(exc))
    return str(earlier[0]["id"])


def next_page(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> bool:
    """Queue the next page of an iterator; True when there is one."""
    if rs.iterator_remaining > 0 and rs.iterator_id:
        sync.prepend(state, {**item, "iterator_id": rs.iterator_id})
        return True
    return False


def track(state: State, key: str, modified: str, *, held: bool) -> None:
    """Remember the latest TimeModified seen by pull ``key`` (and the earliest held one)."""
    pull = state.setdefault("pulls", {}).setdefault(key, {})
    if modified:
        pull["max_seen"] = later(pull.get("max_seen"), modified)
        held_min = pull.get("held_min")
        if held and (held_min is None or modified < held_min):
            pull["held_min"] = modified


def finish(sync: SyncSession, state: State, key: str, cursor_name: str) -> None:
    """The last page is applied: move the cursor (to a held record's time if one was held,
    so it is read again next time: nothing lost)."""
    pull = state.get("pulls", {}).pop(key, {})
    new_cursor = pull.get("held_min") or pull.get("max_seen")
    if new_cursor:
        sync.store.set_cursor(sync.company, cursor_name, new_cursor)


def resolve_conflict(
    sync: SyncSession,
    *,
    entity: str,
    kind: str,
    app_id: str,
    master: str,
    forced: bool = False,
) -> bool:
    """A record changed in QuickBooks while an app edit of it waits (a queued ``kind`` item,
    or, ``forced``, a person's "force update" that re-sends the whole record: IVC-12): the
    configured master wins and the loser is recorded in the history, not silently dropped
    (SYNC-02). A forced re-send is never dropped: with QuickBooks the master it carries the
    QuickBooks change just applied to the app.

    True when the QuickBooks change is to be applied to the app."""
    if not forced and not sync.queue.holds(kind, app_id):
        return True
    winner, loser = (
        ("QuickBooks", "the app's edit") if master == "qbd" else ("the app", "the QuickBooks edit")
    )
    if master == "qbd":
        # QuickBooks is the master: the app's edit loses (recorded below).
        sync.queue.drop(kind, app_id)
    sync.attempt(
        entity,
        app_id,
        "conflict",
        "conflict",
        None,
        f"changed on both sides: {winner} is the master, {loser} was overwritten",
    )
    return master == "qbd"


#: What the connector's own record, adopted after its Add answer was lost, takes of
#: QuickBooks' current state: (session, app ID, the QuickBooks record).
Adopt = Callable[[SyncSession, str, etree._Element], None]


def adopted_by_probe(direction: str, take: Adopt) -> Adopt:
    """``engine.ADOPTED``'s entry of a kind that flows from QuickBooks when its
    ``direction`` setting pulls: ``take``, as its pull does when it adopts (the pull adopts
    first, but not when its query was refused this session: then the probe does)."""

    def adopted(sync: SyncSession, app_id: str, ret: etree._Element) -> None:
        if pulls(getattr(sync.settings, direction)):
            take(sync, app_id, ret)

    return adopted


def pulls(direction: str) -> bool:
    """A ``customer_direction`` or ``invoice_direction`` value that brings QuickBooks'
    records and changes into the app."""
    return direction in ("both", "from_qbd")


def stage(direction: str, *kinds: str) -> Callable[[Any], list[WorkItem]]:
    """A planning stage that queues ``kinds`` when the ``direction`` setting pulls."""

    def plan_stage(ctx: Any) -> list[WorkItem]:
        if not pulls(getattr(ctx.settings, direction)):
            return []
        return [{"kind": kind} for kind in kinds]

    return plan_stage


def answered(sync: SyncSession, rs: ResponseStatus, entity: str) -> list[etree._Element]:
    """The records of a query's answer; a failed query is recorded (no records)."""
    if rs.ok:
        return rs.rets
    if not rs.no_match:
        request = rs.tag.removesuffix("Rs") + "Rq"
        sync.attempt(entity, "", request, "failed", rs.status_code, rs.status_message)
    return []


def apply_deletions(
    sync: SyncSession,
    rs: ResponseStatus,
    *,
    entity: str,
    cursor_name: str,
    remove: Callable[[str], str | None],
) -> None:
    """Records deleted in QuickBooks since the cursor: ``remove(app_id)`` takes each out of
    the app and says how ("deleted", "archived"), or None when the app could not be reached:
    then the cursor stays, so the next session tries again."""
    if not rs.ok and not rs.no_match:
        answered(sync, rs, entity)
        return
    latest = sync.store.get_cursor(sync.company, cursor_name)
    request = rs.tag.removesuffix("Rs") + "Rq"
    for ret in answered(sync, rs, entity):
        qb_id = text_of(ret, "ListID") or text_of(ret, "TxnID")
        mapping = sync.store.mapping_by_qb_id(sync.company, entity, qb_id)
        if mapping is not None:
            outcome = remove(mapping.app_id)
            if outcome is None:
                return
            sync.store.delete_mapping(sync.company, entity, mapping.app_id)
            sync.attempt(entity, mapping.app_id, request, outcome, 0, "deleted in QuickBooks")
        if text_of(ret, "TimeDeleted"):
            latest = later(latest, text_of(ret, "TimeDeleted"))
    if latest:
        sync.store.set_cursor(sync.company, cursor_name, latest)
