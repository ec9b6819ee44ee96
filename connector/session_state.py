"""A session's small state, as stored with its ticket (``Store.save_state``, ``Ticket.state``).

Counters for progress, the pending work item, the negotiated qbXML version and the company
file, what a stage or an answer hands to later steps (the app's settings, pull positions,
the inventory sync's reads). The plan's work items are not here: they are rows of their own
(``connector.work_queue``).

TypedDicts, as ``WorkItem`` is: the stored form is the JSON object itself, so a ticket
stored by an earlier version (without the keys added since, such as ``planned_for``) reads
and continues unchanged, and mypy checks every key the session and the sync read or write.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from connector.work_queue import WorkItem


class PullMarks(TypedDict, total=False):
    """What a paged QuickBooks -> app pull has seen so far (``connector.sync.pull``): the
    latest TimeModified, and the earliest of a record held (the cursor stays there)."""

    max_seen: str | None
    held_min: str | None


class InventoryReads(TypedDict, total=False):
    """The inventory sync's settings as the plan resolved them, and what it read of
    QuickBooks this session (``connector.sync.inventory``)."""

    # the validated settings (``InventoryConfig``; Decimals as text)
    master: str
    min_quantity: str
    non_inventory_quantity: str
    category_id: str
    location_id: str
    require_qbd_categories: bool
    # QuickBooks' preferences, sites and quantities (ListID -> site ("" for none) -> text)
    multi: bool
    sites: list[str]
    on_hand: dict[str, dict[str, str]]


class SessionState(TypedDict, total=False):
    """One session's state. No key is required: a state stored by an earlier version may
    lack any key added since, and every reader says what a missing key means."""

    # progress (guide p.24, p.77) and the request IDs handed out
    total: int
    done: int
    seq: int
    #: The item whose request is out, with its builder's notes and its ``request_id``.
    pending: WorkItem | None
    #: Why the session stopped (shown by getLastError).
    error: str
    # bound at the first sendRequestXML: the qbXML version and the company file (key)
    version: str
    company: str
    #: The answer tag the pending request expects (``CustomerAddRs``).
    expect_rs: str
    #: The next request, built after the last answer (None: the plan is done).
    prepared: str | None
    #: The company file (key) the plan was made for (``connector.sync.stages.PLANNED_FOR``).
    planned_for: str
    #: The app's settings as the plan read them (``connector.sync.plan.APP_SETTINGS``).
    app_settings: dict[str, Any]
    #: The app change feed's position, stored once the plan completes.
    feed_cursor: str | None
    #: Per pull (customers, invoices), what it has seen; and the payments pull's.
    pulls: dict[str, PullMarks]
    payment_pull: PullMarks
    inventory: InventoryReads


#: The session's counters: work items planned and settled, and request IDs handed out.
Counter = Literal["total", "done", "seq"]


def count_up(state: SessionState, counter: Counter) -> int:
    """Add one to ``counter`` (a state stored without it counts from 0); its new value."""
    state[counter] = state.get(counter, 0) + 1
    return state[counter]
