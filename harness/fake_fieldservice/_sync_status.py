"""Each syncable record's sync object (status, error, external ID, history) and
what a person asks of it: "sync now", "unsync" and Syncro's "Force Update" (seeds 002, 003).

Sync-status writes do not enter the change feed (a connector would otherwise see its own
bookkeeping as news and loop).
"""

from __future__ import annotations

from typing import Any

from ._errors import InvalidRequest, NotFound, RuleViolation
from ._models import SYNC_STATUSES, SyncState, stamp
from ._state import AppState


def initial_sync(db: AppState, sync: dict[str, Any] | None) -> SyncState:
    """Records start "not_synced"; the connector may create them already synced."""
    state = SyncState()
    if sync:
        _apply_sync(db, state, sync)
    return state


def record_for(db: AppState, collection: str, record_id: str) -> Any:
    table = syncable_tables(db).get(collection)
    if table is None:
        raise NotFound(f"no syncable collection named {collection!r}")
    record = table.get(record_id)
    if record is None:
        raise NotFound(f"no {collection[:-1]} with id {record_id!r}")
    return record


def syncable_tables(db: AppState) -> dict[str, dict[str, Any]]:
    return {
        "customers": db.customers,
        "invoices": db.invoices,
        "payments": db.payments,
        "products": db.products,
        "store-credits": db.store_credits,
    }


def put_sync(db: AppState, collection: str, record_id: str, body: dict[str, Any]) -> dict[str, Any]:
    record = record_for(db, collection, record_id)
    _apply_sync(db, record.sync, body)
    return record.sync.to_dict()


def _apply_sync(db: AppState, state: SyncState, body: dict[str, Any]) -> None:
    status = body.get("status")
    if status not in SYNC_STATUSES:
        raise InvalidRequest(f"sync status must be one of {', '.join(SYNC_STATUSES)}")
    error = body.get("error")
    if error is not None and not isinstance(error, str):
        raise InvalidRequest("sync error must be a string or null")
    # Omitted or null keeps the external_id (a connector marking a record failed should
    # not lose its link); an empty string clears it, as after an unsync.
    external_id = body.get("external_id")
    if external_id is None:
        external_id = state.external_id
    elif not isinstance(external_id, str):
        raise InvalidRequest("external_id must be a string or null")
    elif not external_id.strip():
        external_id = None
    if status == "failed" and not error:
        raise InvalidRequest("a failed sync status needs the error that caused it")
    state.status = status
    # A failed or skipped record keeps its reason ("why was my $0 invoice not synced?",
    # issue 19); synced and not synced have none.
    state.error = error if status in ("failed", "skipped") else None
    state.external_id = external_id
    state.requested = None
    state.history.append(
        {
            "at": stamp(db.clock.now()),
            "status": status,
            "error": state.error,
            "external_id": external_id,
            "by": db._actor,
        }
    )


def request_force_update(db: AppState, collection: str, record_id: str) -> dict[str, Any]:
    """Syncro's "Force Update" button (seed 002): a synced record is sent again with its
    creation and payment dates; it stays Synced, with ``requested: "sync"``."""
    record = record_for(db, collection, record_id)
    state: SyncState = record.sync
    if state.status != "synced":
        raise RuleViolation("only a synced record can be force-updated", code="not_synced")
    state.requested = "sync"
    state.history.append(
        {
            "at": stamp(db.clock.now()),
            "status": "synced",
            "error": None,
            "external_id": state.external_id,
            "by": db._actor,
            "requested": "sync",
        }
    )
    return record.sync.to_dict()


def request_sync(db: AppState, collection: str, record_id: str) -> dict[str, Any]:
    """A person's "sync now": allowed from Not synced, Failed and Skipped (seed 003)."""
    record = record_for(db, collection, record_id)
    state: SyncState = record.sync
    if state.status == "synced":
        raise RuleViolation("this record is already synced", code="already_synced")
    if collection == "invoices":
        # TaxDome greys out "sync invoice" until the client is synced (seed 003, IVC-09).
        customer = db.customers[record.customer_id]
        if customer.sync.status != "synced":
            raise RuleViolation(
                f"sync customer {customer.name!r} first: its sync status is {customer.sync.status}",
                code="customer_not_synced",
            )
    if collection == "payments":
        record.sync_to_qbd = True
    state.status, state.error, state.requested = "not_synced", None, "sync"
    state.history.append(
        {
            "at": stamp(db.clock.now()),
            "status": "not_synced",
            "error": None,
            "external_id": state.external_id,
            "by": db._actor,
            "requested": "sync",
        }
    )
    return record.sync.to_dict()


def request_unsync(db: AppState, collection: str, record_id: str) -> dict[str, Any]:
    """A person's "unsync" of a synced record: the connector deletes it in QuickBooks
    (with a payment's refunds, seed 003) and then marks it not synced."""
    record = record_for(db, collection, record_id)
    state: SyncState = record.sync
    if state.status != "synced":
        raise RuleViolation(
            f"only synced records can be unsynced; this one is {state.status}",
            code="not_synced",
        )
    state.requested = "unsync"
    state.history.append(
        {
            "at": stamp(db.clock.now()),
            "status": state.status,
            "error": None,
            "external_id": state.external_id,
            "by": db._actor,
            "requested": "unsync",
        }
    )
    return record.sync.to_dict()
