"""A session's plan: its remaining work items, in order, as rows of the store.

The plan is written once when it is made; each callback then takes, adds or removes a few
items. Keeping the items in a table rather than in the ticket's JSON state makes a call's
cost independent of the plan's size (thousands of records at a first sync), and each
change still happens inside the step's transaction (``Store.transaction``), so a crash
mid-step leaves the plan as it was before the step.

An item is a JSON object with a ``kind`` and, for a record, an ``app_id``: those two are
columns too, so "is this record's edit queued" and "drop the items of this kind" are index
lookups.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any, Required, TypedDict


class Notes(TypedDict, total=False):
    """What a request's builder notes for its answer (``connector.sync.handlers.Request``):
    the engine puts them on the pending work item, so each is a ``WorkItem`` key, of the
    same type, and mypy checks what the answer handlers read of them."""

    # what a probe looks for (the record's name, Memo marker, number and customer, or the
    # payment a deposit holds)
    probe: bool
    name: str
    memo: str
    number: str
    customer_list_id: str
    payment_txn_id: str
    # changes: a TxnVoid or TxnDel rather than a Mod, a person's "force update"
    delete: bool
    void: bool
    force: bool
    # payments' removals and re-adds: the deposit taken out first, whether it is added
    # again, and its payment method
    undeposit: str
    readd: bool
    mode: str
    # which read of invoices a pull page is (connector.sync.invoices_pull)
    phase: str
    # QuickBooks items and stock writes: what was written, and the write's RefNumber
    fingerprint: str
    ref: str


#: ``for`` is a keyword, so the re-read's target is declared in the functional syntax.
_Target = TypedDict("_Target", {"for": "WorkItem"}, total=False)


class WorkItem(Notes, _Target, total=False):
    """One step of a session's plan, as stored: a JSON object with a ``kind`` and, for a
    record, an ``app_id`` (not a QuickBooks item: those are records the sync reads and
    writes). The other keys are what a kind needs, or what its request's builder noted for
    its answer (``Notes``; ``for``: the item a 3200 re-read is for). A TypedDict, so the
    stored form is the JSON object itself (rows written before the type existed read the
    same) and mypy checks every key the sync uses."""

    kind: Required[str]
    app_id: str
    # while pending: the request's ID, and whether it is an Add (in doubt once handed out)
    request_id: str
    add_pending: bool
    # retries, probes and re-reads (connector.sync.engine)
    retries: int
    probed: bool
    refreshed: bool
    after_lost_add: bool
    probe_only: bool
    # pulls: the iterator page to read next
    iterator_id: str
    # how a deleted app invoice goes
    void_deleted: bool
    # QuickBooks items and quantities (connector.sync.items, .inventory)
    write: dict[str, Any]
    txn: str
    list_id: str
    moved: dict[str, str]
    quantity: str
    site: str | None
    from_site: str
    to_site: str


SCHEMA = """
CREATE TABLE IF NOT EXISTS plan_items (
    ticket TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind,
    app_id,
    item TEXT NOT NULL,
    PRIMARY KEY (ticket, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS plan_items_by_record ON plan_items (ticket, kind, app_id);
"""
# kind and app_id have no declared type, so SQLite compares them as stored, as Python does
# ("7" is not 7); an item without one stores NULL, which no lookup matches.


class WorkQueue:
    """The work items one session has still to do, first to last."""

    def __init__(
        self,
        db: sqlite3.Connection,
        transaction: Callable[[], AbstractContextManager[None]],
        ticket: str,
    ) -> None:
        self._db = db
        #: Every operation runs in the store's transaction (joining the step's one).
        self._transaction = transaction
        self._ticket = ticket

    def replace(self, items: Iterable[WorkItem]) -> None:
        """The session's new plan, in order (made at authenticate, and again once the
        first sendRequestXML names the company file)."""
        rows = [(self._ticket, n, *_row(item)) for n, item in enumerate(items)]
        with self._transaction():
            self._db.execute("DELETE FROM plan_items WHERE ticket = ?", (self._ticket,))
            self._db.executemany(
                "INSERT INTO plan_items (ticket, position, kind, app_id, item) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def take_next(self) -> WorkItem | None:
        """Remove and return the first item (None when nothing is left)."""
        with self._transaction():
            row = self._db.execute(
                "SELECT position, item FROM plan_items WHERE ticket = ? ORDER BY position LIMIT 1",
                (self._ticket,),
            ).fetchone()
            if row is None:
                return None
            self._db.execute(
                "DELETE FROM plan_items WHERE ticket = ? AND position = ?",
                (self._ticket, row[0]),
            )
        item: WorkItem = json.loads(row[1])
        return item

    def push_front(self, item: WorkItem) -> None:
        """``item`` is done next (follow-up work of the item just answered)."""
        self._insert("min(position) - 1", item)

    def append(self, item: WorkItem) -> None:
        """``item`` is done after everything planned (a retry)."""
        self._insert("max(position) + 1", item)

    def take_kind(self, kind: str) -> list[WorkItem]:
        """Remove and return, in order, every item of ``kind`` (work that cannot be done)."""
        with self._transaction():
            rows = self._db.execute(
                "SELECT item FROM plan_items WHERE ticket = ? AND kind = ? ORDER BY position",
                (self._ticket, kind),
            ).fetchall()
            if rows:
                self._db.execute(
                    "DELETE FROM plan_items WHERE ticket = ? AND kind = ?", (self._ticket, kind)
                )
        return [json.loads(row[0]) for row in rows]

    def holds(self, kind: str, app_id: str) -> bool:
        """An item of ``kind`` for the record ``app_id`` waits."""
        with self._transaction():
            row = self._db.execute(
                "SELECT 1 FROM plan_items WHERE ticket = ? AND kind = ? AND app_id = ? LIMIT 1",
                (self._ticket, kind, app_id),
            ).fetchone()
        return row is not None

    def drop(self, kind: str, app_id: str) -> None:
        """Remove the items of ``kind`` for the record ``app_id``."""
        with self._transaction():
            self._db.execute(
                "DELETE FROM plan_items WHERE ticket = ? AND kind = ? AND app_id = ?",
                (self._ticket, kind, app_id),
            )

    def is_empty(self) -> bool:
        with self._transaction():
            row = self._db.execute(
                "SELECT 1 FROM plan_items WHERE ticket = ? LIMIT 1", (self._ticket,)
            ).fetchone()
        return row is None

    def _insert(self, position: str, item: WorkItem) -> None:
        """Insert ``item`` at ``position``, an aggregate over the current positions."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO plan_items (ticket, position, kind, app_id, item) "
                f"SELECT ?, coalesce({position}, 0), ?, ?, ? FROM plan_items WHERE ticket = ?",
                (self._ticket, *_row(item), self._ticket),
            )


def _row(item: WorkItem) -> tuple[Any, Any, str]:
    """The kind, app_id and JSON text of ``item`` (keys sorted, as the state is stored)."""
    return item.get("kind"), item.get("app_id"), json.dumps(item, sort_keys=True)
