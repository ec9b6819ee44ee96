"""The status page's content: plain data gathered from the store and the app, no markup.

Everything here is safe to show to the user it is built for: sessions are named by
``ticket_ref`` (the log's digest, not a usable ticket), no password or setting appears,
and a user bound to one company file sees that company only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from connector.app_client import AppApiError, AppClient
from connector.store import Attempt, RecordHistory, Store, Ticket, stored_ticket_ref

log = logging.getLogger("connector.status")

#: How much the page shows: the newest sessions, the records attempted last, and the
#: latest attempts of each (the store keeps every attempt; the page stays small).
RECENT_SESSIONS = 20
RECENT_RECORDS = 100
ATTEMPTS_PER_RECORD = 20

#: Outcomes that leave a record not synced until a later session: "held" (a write in
#: doubt elsewhere, or a record the connector cannot send yet), "failed" (QuickBooks or the
#: app refused it, or a QuickBooks record the app cannot take, PAY-01).
HELD_OUTCOMES = ("held", "failed")

#: The app's name for a sync issue whose record exists only in QuickBooks.
QUICKBOOKS_SIDE = "qbd"


@dataclass(frozen=True)
class SessionRow:
    session: str
    user: str
    company_file: str
    started: str
    last_call: str
    closed: str | None
    done: int | None
    total: int | None
    #: What getLastError would tell the Web Connector ("" when nothing went wrong).
    last_error: str


@dataclass(frozen=True)
class AttemptRow:
    at: str
    session: str
    request: str
    outcome: str
    #: QuickBooks' statusCode (None when no answer of QuickBooks decided it).
    status_code: int | None
    status_message: str


@dataclass(frozen=True)
class RecordRow:
    company: str
    entity: str
    record_id: str
    #: The latest attempt's outcome.
    status: str
    attempts: list[AttemptRow]
    total_attempts: int


@dataclass(frozen=True)
class HeldRow:
    company: str
    entity: str
    record_id: str
    outcome: str
    status_code: int | None
    why: str
    since: str


@dataclass(frozen=True)
class AppIssueRow:
    key: str
    entity: str
    side: str
    quickbooks_only: bool
    reference: str | None
    why: str
    first_seen: str
    last_seen: str


@dataclass(frozen=True)
class InDoubtRow:
    company: str
    entity: str
    app_id: str
    session: str
    sent_at: str


@dataclass(frozen=True)
class StatusView:
    generated_at: str
    #: The company key the page is limited to ("" = every company file).
    company: str
    sessions: list[SessionRow]
    records: list[RecordRow]
    held: list[HeldRow]
    #: The app's list of held records (None: the app did not answer; see the log).
    app_issues: list[AppIssueRow] | None
    in_doubt: list[InDoubtRow]


def build_view(store: Store, app: AppClient, *, company: str, now: str) -> StatusView:
    """The page for a user of ``company`` (a ``company_key``; "" for all)."""
    records = [
        _record_row(h) for h in store.recent_histories(RECENT_RECORDS, ATTEMPTS_PER_RECORD, company)
    ]
    return StatusView(
        generated_at=now,
        company=company,
        sessions=[_session_row(t) for t in store.recent_tickets(RECENT_SESSIONS, company)],
        records=records,
        held=[_held_row(r) for r in records if r.status in HELD_OUTCOMES],
        app_issues=_app_issues(app),
        in_doubt=[
            InDoubtRow(w.company, w.entity, w.app_id, stored_ticket_ref(w.ticket), w.sent_at)
            for w in store.in_doubt_writes(company)
        ],
    )


def _session_row(ticket: Ticket) -> SessionRow:
    state = ticket.state
    return SessionRow(
        session=stored_ticket_ref(ticket.ticket),
        user=ticket.username,
        company_file=ticket.company_file,
        started=ticket.created_at,
        last_call=ticket.touched_at,
        closed=ticket.closed_at,
        done=_count(state.get("done")),
        total=_count(state.get("total")),
        last_error=ticket.last_error or str(state.get("error") or ""),
    )


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _attempt_row(attempt: Attempt) -> AttemptRow:
    return AttemptRow(
        at=attempt.at,
        session=stored_ticket_ref(attempt.ticket),
        request=attempt.request,
        outcome=attempt.outcome,
        status_code=attempt.status_code,
        status_message=attempt.status_message,
    )


def _record_row(history: RecordHistory) -> RecordRow:
    attempts = [_attempt_row(a) for a in history.attempts]
    return RecordRow(
        company=history.company,
        entity=history.entity,
        record_id=history.record_id,
        status=attempts[-1].outcome,
        attempts=attempts,
        total_attempts=history.total,
    )


def _held_row(record: RecordRow) -> HeldRow:
    last = record.attempts[-1]
    return HeldRow(
        company=record.company,
        entity=record.entity,
        record_id=record.record_id,
        outcome=last.outcome,
        status_code=last.status_code,
        why=last.status_message,
        since=last.at,
    )


def _app_issues(app: AppClient) -> list[AppIssueRow] | None:
    try:
        issues = app.sync_issues()
    except AppApiError as exc:
        log.warning("status page: the app's sync issues could not be read: %s", exc)
        return None
    return [_issue_row(issue) for issue in issues if isinstance(issue, dict)]


def _issue_row(issue: dict[str, object]) -> AppIssueRow:
    def text(name: str) -> str:
        value = issue.get(name)
        return "" if value is None else str(value)

    side = text("side")
    return AppIssueRow(
        key=text("key"),
        entity=text("entity"),
        side=side,
        quickbooks_only=side == QUICKBOOKS_SIDE,
        reference=text("reference") or None,
        why=text("error"),
        first_seen=text("first_seen"),
        last_seen=text("last_seen"),
    )
