"""Known bugs planted in the reference connector, for the fuzzer to find (tests/fuzz).

Each factory returns a variant: a ``make_connector`` callable like
``connector.make_wsgi_app(settings, **kwargs)`` with one bug planted. The blind resend and
the shared company state are the connector core's own variants (test_mutants_core.py),
reused here; the lost update and the sessions found by company path are new.
"""

from __future__ import annotations

from typing import Any

from connector.qbxml.responses import ResponseStatus
from connector.session_state import SessionState
from connector.store import Ticket
from connector.sync.engine import STALE_EDIT_SEQUENCE, SessionSync
from connector.sync.inventory_state import InventoryMemory
from tests.variants.mutation import Variant, sessions_with, with_sessions
from tests.variants.test_mutants_core import BLIND, NoCompanyLock, sessions_keyed_by_company


class StaleEditSequenceIsDone(SessionSync):
    """Takes a Mod refused for a stale EditSequence (3200) as done: the record shows
    synced, and the app's edit never reaches QuickBooks (instead of a re-read and a second
    Mod, SYNC-02)."""

    def apply_change(self, state: dict[str, Any], item: dict[str, Any], rs: ResponseStatus) -> None:
        if rs.status_code == STALE_EDIT_SEQUENCE:
            self.mark_synced(item, self.mapped(item).qb_id)
            return
        super().apply_change(state, item, rs)


def blind_resend() -> Variant:
    """After a dropped connection, an Add whose answer never came is sent again without a
    query first (guide p.53)."""
    return BLIND


def lost_update() -> Variant:
    """A Mod with a stale EditSequence is dropped: a lost update."""
    return with_sessions(sessions_with(StaleEditSequenceIsDone))


class SessionsFoundByCompanyPath(NoCompanyLock):
    """One session per company file: no busy answer (the core's ``NoCompanyLock``), and a
    call finds its session through its ticket's company file, so every call works on the
    newest session of that file: two Web Connectors drive, and answer, one session's
    requests. (The core's ``sessions_keyed_by_company`` shares one state instead.)"""

    def _open(self, ticket: str) -> Ticket | None:
        own = self.store.get_ticket(ticket) if ticket else None
        if own is None or not own.is_open:
            return None
        holders = self.store.open_tickets(own.company_file)
        return holders[-1] if holders else own


def sessions_by_company_path() -> Variant:
    """Sessions found by company file path instead of by ticket."""
    return with_sessions(SessionsFoundByCompanyPath)


def company_state_shared() -> Variant:
    """Every open session of a company file shares one state, and none is answered busy."""
    return sessions_keyed_by_company


PLANTED: dict[str, Any] = {
    "blind-resend": blind_resend,
    "lost-update": lost_update,
    "sessions-by-company-path": sessions_by_company_path,
    "company-state-shared": company_state_shared,
}


class StockWriteForgotten(SessionSync):
    """Forgets the connector's own stock writes: an adjustment or transfer QuickBooks took
    does not move the agreed quantities (``InventoryMemory.move_baseline``), so the next
    session reads it as a change again and applies it twice (INV-04, INV-12, SYNC-03)."""

    def apply(self, state: SessionState, rs: ResponseStatus) -> None:
        item = state["pending"]
        if item is not None and item.get("kind") == "inventory_write" and rs.ok:
            InventoryMemory(self.store, self.company).drop_pending(item["ref"])
            state["pending"] = None
            state["done"] = int(state.get("done", 0)) + 1
            return
        super().apply(state, rs)


def stock_write_forgotten() -> Variant:
    """The connector's own stock write is read back as a change: applied twice."""
    return with_sessions(sessions_with(StockWriteForgotten))


#: Bugs planted in the ledger areas' sync (found by runs narrowed to those areas:
#: tests/fuzz/test_fuzz_ledgers.py).
PLANTED_LEDGERS: dict[str, Any] = {
    "stock-write-forgotten": stock_write_forgotten,
}
