"""Running a session's plan (``connector.sync.plan``): which qbXML request comes next, and
what a response means for the app and the store.

The plan is a queue of work items kept in the store (``connector.work_queue``) next to the
ticket's small state (JSON), so each callback is one step: load state, take or add a few
items, save state, in one transaction. Items come
in dependency order (a request must never reference a record QuickBooks does not have yet:
status 3140, QBWC-FACTS.md). What each kind of item sends and how its answer is applied
lives in the domain modules (``customers``, ``invoices``, ``payments``), registered in
``connector.sync.handlers``; this module holds what they share: in-doubt tracking,
mappings, retries, conflict re-reads, failures and the attempt history.

One request per sendRequestXML keeps progress honest and lets a failure stop exactly one
record.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Final

from lxml import etree

from connector.app_client import AppApiError, AppClient
from connector.clock import Clock
from connector.qbxml import requests as rq
from connector.qbxml.responses import ResponseStatus, text_of
from connector.session_state import count_up
from connector.settings import ConnectorSettings
from connector.store import Attempt, Mapping, Store
from connector.sync.cursors import skew_back
from connector.sync.handlers import (
    Request,
    State,
    SyncSession,
    WorkItem,
    as_request,
    handler,
    handler_for,
)
from connector.sync.plan import ADD_KIND, AFTER_LOST_ADD, FEED_CURSOR, PROBE_ONLY

log = logging.getLogger("connector.sync")

#: 'The provided edit sequence "N" is out-of-date.' (QBWC-FACTS.md).
STALE_EDIT_SEQUENCE = 3200
#: 'Object "ID" specified in the request cannot be found.' (QBWC-FACTS.md).
OBJECT_NOT_FOUND = 3120
#: Lock and save errors: nothing was written, a resend is safe (QBWC-FACTS.md).
TRANSIENT_STATUS = {3170, 3175, 3176, 3180}
MAX_TRANSIENT_RETRIES = 2
#: HRESULTs with which the request processor refuses a request because QuickBooks cannot
#: take it now, before processing it: could not access QuickBooks, could not start it,
#: another company file open, the file open in another mode, a modal dialog showing (a
#: person's dialog mid-session: QuickBooks busy), not finished initializing (QBWC-FACTS.md,
#: HRESULTs; guide p.77: the request failed instead of being answered). Nothing was
#: applied, so the request goes again in a later session. Medium confidence that none of
#: them can follow a partly applied request (no capture found either way).
QUICKBOOKS_BUSY = {0x80040401, 0x80040408, 0x8004040A, 0x80040410, 0x80040414, 0x80040424}


#: Namespace of the ExternalGUIDs the connector puts on its Adds (any fixed UUID would do).
_GUID_NAMESPACE = uuid.UUID("6f1d3c52-5b8e-4f4e-9a51-2f0c8d9b7a11")


def external_guid(kind: str, app_id: str) -> str:
    """The ExternalGUID of the connector's Add of an app record (qbxml130 GUIDTYPE,
    ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``). An Add can set it and no Mod can change it,
    and the QuickBooks UI does not show it, so unlike a Memo or a name no person edits it:
    it is how a lost Add is found again (issue 23). The same for every Add of the record: a
    re-add after a delete replaces the deleted one."""
    return "{" + str(uuid.uuid5(_GUID_NAMESPACE, f"{kind}:{app_id}")).upper() + "}"


def own_add_of(store: Store, company: str, kind: str, ret: etree._Element) -> str | None:
    """The app record whose in-doubt Add created ``ret`` (its ExternalGUID), if any."""
    guid = text_of(ret, "ExternalGUID")
    if not guid:
        return None
    for app_id in store.in_doubt_ids(company, kind):
        if external_guid(kind, app_id) == guid:
            return app_id
    return None


#: Flag on the pending item: its request is an Add (in doubt once handed out).
ADD_PENDING: Final = "add_pending"


class SkipItem(Exception):
    """A work item that cannot be sent; the record is marked failed with this message."""


class WaitsForRecord(Exception):
    """The record needs another whose Add is in doubt (a payment's invoice that another
    session was handed): not sent, and its app status left as it is (Not synced), so a later
    session sends it once that record is settled. Failed instead, it would wait for a
    person's "sync now" although nothing was refused."""


def wait_if_in_doubt(store: Store, company: str, kind: str, app_id: str, what: str) -> None:
    """Raise WaitsForRecord when the Add of work-item ``kind`` for app record ``app_id``
    (what the record being built needs, described as ``what``) is in doubt."""
    if store.in_doubt_since(company, kind, app_id) is not None:
        raise WaitsForRecord(f"waits for {what}, whose Add to QuickBooks is in doubt")


class WriteInFlight(Exception):
    """The record's Add was handed to another session that may still pass it to QuickBooks:
    neither send it nor probe for it yet (held, with this message, until later)."""


class AlreadyInQuickBooks(Exception):
    """The record is mapped already (its Add succeeded before): never send it twice."""


class SessionSync:
    """Runs one session's plan; holds no state of its own beyond the injected services."""

    def __init__(
        self,
        settings: ConnectorSettings,
        store: Store,
        app: AppClient,
        clock: Clock,
        *,
        company: str,
        ticket: str,
        app_settings: dict[str, Any] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.app = app
        self.clock = clock
        self.company = company
        self.ticket = ticket
        #: The session's remaining work items.
        self.queue = store.work_queue(ticket)
        #: The app's settings as the session's plan read them (``PlanContext.app_settings``).
        self._app_settings = app_settings

    def app_settings(self) -> dict[str, Any]:
        """The app's settings, read once per session: by the plan, else at the first need."""
        if self._app_settings is None:
            self._app_settings = self.app.settings()
        return self._app_settings

    # -- building the next request ------------------------------------------------------

    def next_request(self, state: State, version: rq.QbxmlVersion) -> str | None:
        """The next qbXML request, or None when the plan is done. Updates ``state``."""
        while (item := self.queue.take_next()) is not None:
            if (
                item.get(AFTER_LOST_ADD)
                and self.mapping_of(self.entity_of(item), item["app_id"]) is None
            ):
                if self.store.in_doubt_since(
                    self.company, ADD_KIND[self.entity_of(item)], item["app_id"]
                ):
                    # Its Add is still in doubt (held: another session may pass it to
                    # QuickBooks): read this edit from the change feed again next time.
                    state.pop("feed_cursor", None)
                # Else the lost Add never happened and went again with the latest data.
                count_up(state, "done")
                continue
            if item.get(PROBE_ONLY) and not self._still_in_doubt(item):
                count_up(state, "done")  # cleared meanwhile (a pull of this session found it)
                continue
            request_id = str(count_up(state, "seq"))
            try:
                built = self._build(item, request_id)
            except SkipItem as exc:
                self.fail(item, str(exc), request=f"{item['kind']} (not sent)")
                count_up(state, "done")
                continue
            except WriteInFlight as exc:
                self.hold(item, str(exc))
                count_up(state, "done")
                continue
            except WaitsForRecord as exc:
                kind, app_id = str(item["kind"]), str(item.get("app_id", ""))
                self.attempt(kind, app_id, f"{kind} (waiting)", "held", None, str(exc))
                count_up(state, "done")
                continue
            except AlreadyInQuickBooks as exc:
                # The Add went through but the app never heard (app down at the time):
                # finish the app side only.
                self.mark_synced(item, str(exc))
                count_up(state, "done")
                continue
            spec = handler_for(item["kind"])
            # What the answer needs of how the request was built goes with the item.
            # (Notes are WorkItem keys: mypy checks this merge, tests/connector each builder.)
            pending: WorkItem = {**item, **built.notes}
            pending["request_id"] = request_id
            if spec and spec.add_request and built.element.tag == spec.add_request:
                # In doubt once handed out (``hand_out``), not while only prepared.
                pending[ADD_PENDING] = True
            state["pending"] = pending
            return rq.render_request(built.element, version=version)
        state["pending"] = None
        feed_cursor = state.get("feed_cursor")
        if feed_cursor:
            self.store.set_cursor(self.company, FEED_CURSOR, feed_cursor)
            del state["feed_cursor"]
        return None

    def _still_in_doubt(self, item: WorkItem) -> bool:
        return (
            self.mapping_of(self.entity_of(item), item["app_id"]) is None
            and self.store.in_doubt_since(self.company, item["kind"], item["app_id"]) is not None
        )

    def hand_out(self, state: State) -> None:
        """sendRequestXML is returning the pending request to the Web Connector. An Add is
        in doubt from here until its answer arrives (guide p.53: never resend a write
        blindly): a later session holds it, then probes before re-adding. Marked here, not
        when the request was prepared after the previous answer, so a request that never
        left (the connector stopped in between) is not held for the ticket timeout."""
        pending = state.get("pending")
        if pending and pending.get(ADD_PENDING):
            self.store.mark_in_doubt(
                self.company, pending["kind"], pending["app_id"], self.ticket, self.at()
            )

    def _build(self, item: WorkItem, request_id: str) -> Request:
        spec = handler_for(item["kind"])
        if spec is None:
            raise SkipItem(f"unknown work item {item['kind']!r}")
        try:
            return as_request(spec.build(self, item, request_id))
        except AppApiError as exc:
            raise SkipItem(f"app API error: {exc}") from exc
        except ValueError as exc:
            # lxml refuses text XML cannot carry (a control character pasted into a name,
            # line or reference: XML 1.0 section 2.2): this record is held with the reason,
            # the rest of the plan goes on (issue 23).
            raise SkipItem(f"cannot be sent to QuickBooks: {exc}") from exc

    # -- applying a response ------------------------------------------------------------

    def apply(self, state: State, rs: ResponseStatus) -> None:
        """Apply the response to the pending item; queue follow-up work. Updates ``state``."""
        item = state["pending"]
        if item is None:
            raise ValueError("an answer applied without a pending request")
        state["pending"] = None
        count_up(state, "done")
        spec = handler_for(item["kind"])
        if spec is not None:
            spec.apply(self, state, item, rs)

    def retry_later(self, item: WorkItem, message: str) -> None:
        """QuickBooks could not take the pending request now (busy: ``QUICKBOOKS_BUSY``):
        nothing was applied, so the record is not failed but left for the next session. An
        Add's record goes back to not synced, with the reason shown; an edit is read from
        the change feed again, as its cursor moves only when a session's plan completes."""
        spec = handler_for(item["kind"])
        app_id = str(item.get("app_id", ""))
        if spec and spec.collection:
            self.store.clear_in_doubt(self.company, item["kind"], app_id)
        request = spec.add_request if spec and spec.add_request else item["kind"]
        self.attempt(str(item["kind"]), app_id, request, "retry", None, message)
        if spec and spec.collection and app_id and item.get(ADD_PENDING):
            try:
                self.app.set_sync(
                    spec.collection, app_id, status="not_synced", error=f"will retry: {message}"
                )
            except AppApiError as exc:
                log.error("could not show %s %s as waiting: %s", item["kind"], app_id, exc)

    def fail_queued(self, state: State, kind: str, message: str, *, request: str) -> None:
        """Every queued item of ``kind`` cannot be sent this session (what they all need is
        missing or refused): each record is failed with ``message`` and the item settled."""
        for queued in self.queue.take_kind(kind):
            self.fail(queued, message, request=request)
            count_up(state, "done")

    def fail_pending(self, item: WorkItem, message: str) -> None:
        """QuickBooks did not process the pending request: record it on its record."""
        spec = handler_for(item["kind"])
        if spec and spec.collection:
            self.store.clear_in_doubt(self.company, item["kind"], item["app_id"])
        request = spec.add_request if spec and spec.add_request else item["kind"]
        self.fail(item, message, request=request)

    # -- what the domain modules share --------------------------------------------------

    def entity_of(self, item: WorkItem) -> str:
        spec = handler_for(item["kind"])
        if spec is None or spec.entity is None:
            raise SkipItem(f"work item {item['kind']!r} has no record")
        return spec.entity

    def known(self, entity: str, app_id: str) -> None:
        """Raise AlreadyInQuickBooks when the record is mapped (its Add went through)."""
        mapping = self.store.mapping_by_app_id(self.company, entity, app_id)
        if mapping is not None:
            raise AlreadyInQuickBooks(mapping.qb_id)

    def mapped(self, item: WorkItem) -> Mapping:
        mapping = self.store.mapping_by_app_id(self.company, self.entity_of(item), item["app_id"])
        if mapping is None:
            raise SkipItem("not in QuickBooks (no mapping)")
        return mapping

    def mapping_of(self, entity: str, app_id: str) -> Mapping | None:
        return self.store.mapping_by_app_id(self.company, entity, app_id)

    def mark_synced(self, item: WorkItem, qb_id: str) -> None:
        spec = handler_for(item["kind"])
        if spec is None:
            return
        if spec.collection is not None:
            try:
                self.app.set_sync(
                    spec.collection, item["app_id"], status="synced", external_id=qb_id
                )
            except AppApiError as exc:
                log.error("could not mark %s %s synced: %s", item["kind"], item["app_id"], exc)
        # A write with no app record of its own (a store credit's application) was held
        # among the sync issues all the same (``hold``).
        if spec.entity:
            self.release_hold(spec.entity, item["app_id"])

    def hold(self, item: WorkItem, message: str) -> None:
        """A write in doubt in another session: not sent, on record, and visible in the app:
        its record Failed "in doubt: ..." (planned again all the same, ``PlanContext.
        in_doubt``), and listed among the app's sync issues."""
        spec = handler_for(item["kind"])
        entity = spec.entity if spec and spec.entity else item["kind"]
        record = str(item.get("app_id") or item.get("write", {}).get("list_id", ""))
        self.attempt(entity, record, f"{item['kind']} (held)", "held", None, message)
        try:
            # A record removed in the app (``PROBE_ONLY``) is shown by its issue alone: a
            # deleted one has no status left to set.
            if spec and spec.collection and not item.get(PROBE_ONLY):
                self.app.set_sync(
                    spec.collection, record, status="failed", error=f"in doubt: {message}"
                )
            self.app.report_sync_issue(
                _held_key(entity, record), entity=entity, side="app", reference=record,
                error=f"in doubt: {message}",
            )  # fmt: skip
        except AppApiError as exc:
            log.error("%s %s held, not shown in the app: %s", entity, record, exc)

    def release_hold(self, entity: str, app_id: str) -> None:
        """The record synced: if it was held as in doubt, its issue leaves the app's list."""
        if not self.store.has_attempt(self.company, entity, app_id, "held"):
            return
        try:
            self.app.clear_sync_issue(_held_key(entity, app_id))
        except AppApiError as exc:
            log.error("%s %s synced, its held issue not cleared: %s", entity, app_id, exc)

    def in_doubt(self, item: WorkItem) -> bool:
        """An earlier session's Add of this record was never answered: probe first.

        Raises WriteInFlight while that session may still pass its request to QuickBooks:
        a Web Connector hands a request over after sendRequestXML returned it, so a probe
        run before then finds nothing and the Add would land twice (two computers with one
        .qwc: the newer session closes the older one's ticket, issue 19). The write is in
        doubt until that session answers or its ticket would have expired
        (``ticket_timeout_seconds`` after the request was handed out)."""
        if item.get("probed"):
            return False
        since = self.store.in_doubt_since(self.company, item["kind"], item["app_id"])
        if since is None or since[0] == self.ticket:
            return False
        self.hold_while_in_flight(since[1])
        return True

    def probe_since(self, item: WorkItem) -> str:
        """Where the probe of an in-doubt Add reads from: a little before the Add was
        handed out (``skew_back``), so that every record modified since is read and the
        one it created is among them, whatever a person changed in it meanwhile."""
        since = self.store.in_doubt_since(self.company, item["kind"], item["app_id"])
        assert since is not None, "probe_since of an Add that is not in doubt"
        return str(skew_back(since[1]))

    def hold_while_in_flight(self, sent_at: str) -> None:
        """Raise WriteInFlight while a write handed out at ``sent_at`` (by another session)
        may still reach QuickBooks."""
        until = datetime.fromisoformat(sent_at) + timedelta(
            seconds=self.settings.ticket_timeout_seconds
        )
        if self.clock.now() <= until:
            raise WriteInFlight(
                f"its Add was handed to another Web Connector session at {sent_at} and is in "
                f"doubt until that session answers or its ticket expires ({until.isoformat()})"
            )

    def prepend(self, state: State, item: WorkItem) -> None:
        self.queue.push_front(item)
        count_up(state, "total")

    def apply_add(self, state: State, item: WorkItem, rs: ResponseStatus, *, id_tag: str) -> None:
        """Answer to an Add: map the new record, or retry a transient failure, or fail."""
        app_id, entity = item["app_id"], self.entity_of(item)
        request = rs.tag.removesuffix("Rs") + "Rq"
        # The answer arrived: whatever it says, the outcome is no longer in doubt.
        self.store.clear_in_doubt(self.company, item["kind"], app_id)
        again: WorkItem = {
            "kind": item["kind"],
            "app_id": app_id,
            "probed": True,
            "retries": item.get("retries", 0),
        }
        if self._retried(state, again, rs):
            return
        if not rs.ok or not rs.rets:
            self.fail(item, rs.error_text(), request=request, status_code=rs.status_code)
            return
        ret = rs.rets[0]
        qb_id = text_of(ret, id_tag)
        self.store.put_mapping(self.company, entity, app_id, qb_id, text_of(ret, "EditSequence"))
        self.attempt(entity, app_id, request, "synced", rs.status_code, rs.status_message)
        # The QuickBooks side is done and recorded; an app failure here must not undo that
        # (the next session finishes the app side: AlreadyInQuickBooks).
        self.mark_synced(item, qb_id)

    def _retried(self, state: State, item: WorkItem, rs: ResponseStatus) -> bool:
        """A write refused by a lock or save error is queued again (at most
        ``MAX_TRANSIENT_RETRIES`` times): those errors leave nothing written, so it is safe
        to send again (QBWC-FACTS.md, status codes), an Add as well as a Mod or delete."""
        retries = int(item.get("retries", 0))
        if rs.status_code not in TRANSIENT_STATUS or retries >= MAX_TRANSIENT_RETRIES:
            return False
        request = rs.tag.removesuffix("Rs") + "Rq"
        entity = self.entity_of(item)
        self.attempt(entity, item["app_id"], request, "retry", rs.status_code, rs.status_message)
        self.queue.append({**item, "retries": retries + 1})
        count_up(state, "total")
        return True

    def apply_probe(
        self, state: State, item: WorkItem, rs: ResponseStatus, found: list[etree._Element]
    ) -> None:
        """Answer to the query sent instead of re-adding a record in doubt: ``found`` are the
        returned records that are this one (the domain module filters them). An adopted
        record takes what a person changed in it in QuickBooks since, where its kind flows
        from QuickBooks (``ADOPTED``): the EditSequence recorded here would hide that change
        from every later pull (issue 19). QuickBooks' state goes to the app first: an app
        that fails it (SYNC-03) leaves the Add in doubt and unmapped, so the record is held,
        visibly, and the next session adopts it again (its pull or this probe),
        never sending the Add twice nor hiding the change behind a recorded EditSequence."""
        kind, app_id, entity = item["kind"], item["app_id"], self.entity_of(item)
        request = rs.tag.removesuffix("Rs") + "Rq"
        if not rs.ok:
            self.fail(item, rs.error_text(), request=request, status_code=rs.status_code)
            return
        if not found:
            self.store.clear_in_doubt(self.company, kind, app_id)
            if item.get(PROBE_ONLY):
                # The earlier Add never happened, and the app wants it no more: nothing to send.
                message = "not in QuickBooks after a lost answer; no longer to be added"
                self.attempt(entity, app_id, request, "not found", rs.status_code, message)
                self.release_hold(entity, app_id)
                return
            # The earlier Add never happened: now it is safe to send it.
            self.prepend(state, {"kind": kind, "app_id": app_id, "probed": True})
            return
        id_tag = "ListID" if found[0].find("ListID") is not None else "TxnID"
        qb_id = text_of(found[0], id_tag)
        edit_sequence = text_of(found[0], "EditSequence")
        # Mapped before the take, which may record another EditSequence (a payment's take
        # records none when the app refused QuickBooks' change: read again by the pull).
        self.store.put_mapping(self.company, entity, app_id, qb_id, edit_sequence)
        # A record removed in the app takes nothing: its removal is planned next.
        take = None if item.get(PROBE_ONLY) else ADOPTED.get(entity)
        try:
            if take is not None:
                take(self, app_id, found[0])
        except AppApiError as exc:
            self.store.delete_mapping(self.company, entity, app_id)
            message = f"found in QuickBooks after a lost answer; the app refused its state: {exc}"
            self.attempt(entity, app_id, request, "failed", rs.status_code, message)
            self.hold(item, message)
            return
        self.store.clear_in_doubt(self.company, kind, app_id)
        self.attempt(
            entity, app_id, request, "adopted", rs.status_code, "found after a lost answer"
        )
        if item.get(PROBE_ONLY):
            self.release_hold(entity, app_id)  # its removal sets the app status, if any
        else:
            self.mark_synced(item, qb_id)

    def apply_change(self, state: State, item: WorkItem, rs: ResponseStatus) -> None:
        """Answer to a Mod, TxnVoid or TxnDel of a record QuickBooks already has."""
        app_id, entity = item["app_id"], self.entity_of(item)
        request = rs.tag.removesuffix("Rs") + "Rq"
        if rs.status_code == STALE_EDIT_SEQUENCE and not item.get("refreshed"):
            # Someone changed it in QuickBooks since our last read. The app is the master of
            # records it created: re-read, then apply again; the overwritten QuickBooks change
            # is recorded, not silently lost (BEHAVIORS.md SYNC-02).
            self.attempt(entity, app_id, request, "conflict", rs.status_code, rs.status_message)
            self.prepend(state, {"kind": "refresh", "for": {**item, "refreshed": True}})
            return
        if self._retried(state, item, rs):
            return
        if not rs.ok:
            self.fail(item, rs.error_text(), request=request, status_code=rs.status_code)
            return
        if item.get("delete"):
            self.store.delete_mapping(self.company, entity, app_id)
            outcome = "voided" if item.get("void") else "deleted"
            self.attempt(entity, app_id, request, outcome, rs.status_code, "")
            return
        mapping = self.mapped(item)
        edit_sequence = text_of(rs.rets[0], "EditSequence") if rs.rets else ""
        if edit_sequence:
            self.store.put_mapping(self.company, entity, app_id, mapping.qb_id, edit_sequence)
        outcome = "voided" if item.get("void") else "updated"
        self.attempt(entity, app_id, request, outcome, rs.status_code, rs.status_message)
        self.mark_synced(item, mapping.qb_id)

    # -- status and history ---------------------------------------------------------------

    def fail(
        self, item: WorkItem, message: str, *, request: str, status_code: int | None = None
    ) -> None:
        """Record a failed attempt and show it on the app record (status Failed, the error),
        or, for a deletion the app already made, among the app's sync issues."""
        kind = str(item["kind"])
        app_id = str(item.get("app_id", ""))
        self.attempt(kind, app_id, request, "failed", status_code, message)
        spec = handler_for(kind)
        if item.get("delete") and spec and spec.entity:
            self._left_in_quickbooks(spec.entity, app_id, message)
            return
        if spec and spec.collection and app_id:
            try:
                self.app.set_sync(spec.collection, app_id, status="failed", error=message)
            except AppApiError as exc:
                log.error("could not mark %s %s failed: %s", kind, app_id, exc)

    def _left_in_quickbooks(self, entity: str, app_id: str, message: str) -> None:
        """A record deleted in the app whose deletion QuickBooks refused (a closing date,
        a lock that outlasted the retries) has no app record to show it on: it is listed
        among the app's sync issues, by its QuickBooks ID (issue 19 bug 5, SYNC-01)."""
        mapping = self.store.mapping_by_app_id(self.company, entity, app_id)
        qb_id = mapping.qb_id if mapping is not None else app_id
        self._list_quickbooks_issue(
            entity, qb_id, qb_id, f"deleted in the app, still in QuickBooks: {message}"
        )

    def hold_pulled(
        self,
        entity: str,
        qb_id: str,
        request: str,
        message: str,
        *,
        reference: str | None = None,
        status_code: int | None = None,
    ) -> bool:
        """A QuickBooks record a pull could not bring into the app (the app refused it, or
        lacks what it needs): a failed attempt under its QuickBooks ID, and an issue listed
        among the app's sync issues, where a person sees it although the record has no app
        record (issue 19 bug 5, SYNC-01). The pull's cursor stays at it, so it is read again
        (``pull.track``). False, for the pull to count it as held."""
        log.warning("%s %s held: %s", entity, qb_id, message)
        self.attempt(entity, qb_id, request, "failed", status_code, message)
        self._list_quickbooks_issue(entity, qb_id, reference, message)
        return False

    def release_pulled(self, entity: str, qb_id: str) -> None:
        """A QuickBooks record held by a pull before is synced now: its issue leaves the
        app's list."""
        if not self.store.has_attempt(self.company, entity, qb_id, "failed"):
            return
        try:
            self.app.clear_sync_issue(_quickbooks_issue_key(entity, qb_id))
        except AppApiError as exc:
            log.error("%s %s synced, its held issue not cleared: %s", entity, qb_id, exc)

    def _list_quickbooks_issue(
        self, entity: str, qb_id: str, reference: str | None, message: str
    ) -> None:
        try:
            self.app.report_sync_issue(
                _quickbooks_issue_key(entity, qb_id), entity=entity, side="qbd",
                reference=reference, error=message,
            )  # fmt: skip
        except AppApiError as exc:
            log.error("%s %s: could not list it as held in the app: %s", entity, qb_id, exc)

    def at(self) -> str:
        return self.clock.now().isoformat()

    def attempt(
        self,
        entity: str,
        record_id: str,
        request: str,
        outcome: str,
        status_code: int | None,
        message: str,
    ) -> None:
        self.store.record_attempt(
            self.company,
            Attempt(
                entity=entity,
                record_id=record_id,
                at=self.at(),
                ticket=self.ticket,
                request=request,
                outcome=outcome,
                status_code=status_code,
                status_message=message,
            ),
        )


# -- the 3200 re-read: shared by every kind that modifies a record ------------------------


def _apply_refresh(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    target = item["for"]
    if not rs.ok or not rs.rets:
        sync.fail(target, f"re-read failed: {rs.error_text()}", request=rs.tag[:-2] + "Rq")
        return
    mapping = sync.mapped(target)
    edit_sequence = text_of(rs.rets[0], "EditSequence")
    sync.store.put_mapping(
        sync.company, sync.entity_of(target), target["app_id"], mapping.qb_id, edit_sequence
    )
    sync.prepend(state, target.copy())


@handler("refresh", apply=_apply_refresh)
def _refresh(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    """Re-read a record whose EditSequence was stale (status 3200)."""
    target = item["for"]
    mapping = sync.mapped(target)
    reread = REREAD.get(sync.entity_of(target))
    if reread is None:
        raise SkipItem(f"cannot re-read a {sync.entity_of(target)}")
    return reread(request_id, mapping.qb_id)


#: entity -> the query that re-reads one record by its QuickBooks ID (for 3200).
REREAD: dict[str, Callable[[str, str], etree._Element]] = {}

#: entity -> what the connector's own record, adopted after its Add answer was lost, takes
#: of QuickBooks' current state (``apply_probe``; the pulls call theirs when they adopt):
#: registered by the kinds that flow from QuickBooks, each checking its direction.
ADOPTED: dict[str, Callable[[SyncSession, str, etree._Element], None]] = {}


def _held_key(entity: str, record: str) -> str:
    return f"app-{entity}-{record}"


def _quickbooks_issue_key(entity: str, qb_id: str) -> str:
    """The app's sync-issue key of a QuickBooks record (one per record, whatever held it)."""
    return f"qbd-{entity}-{qb_id}"
