"""The QBWC callbacks as plain Python: tickets, the session state machine, error answers.

The SOAP layer (``connector.soap``) only translates envelopes to these methods. Each
method is one step inside one store transaction, and never raises for anything a client
or a user can cause: an unknown ticket, malformed qbXML or an unreachable app become the
error answers the Web Connector understands (guide p.61-80, QBWC-FACTS.md).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime

from connector.app_client import AppApiError, AppClient
from connector.clock import Clock, SystemClock
from connector.limits import FailedLogins
from connector.passwords import hash_password, verify_password
from connector.qbxml.requests import QbxmlVersion
from connector.qbxml.responses import QbxmlParseError, parse_response, supported_versions
from connector.session_state import SessionState
from connector.settings import ConnectorSettings, ConnectorUser, parse_client_version
from connector.store import Store, Ticket, company_key, ticket_key
from connector.sync import (
    APP_SETTINGS,
    PLANNED_FOR,
    SessionSync,
    plan_holds,
    plan_session,
    progress,
)
from connector.sync.engine import QUICKBOOKS_BUSY
from connector.work_queue import WorkItem
from qbwc_wire import parse_xml

log = logging.getLogger("connector.session")

#: authenticate's second element (guide p.21-22, p.62).
AUTH_INVALID_USER = "nvu"
AUTH_NOTHING_TO_DO = "none"
AUTH_BUSY = "busy"

#: What closeConnection answers; QBWC shows it to the user.
CLOSE_OK = "OK"
UNKNOWN_TICKET = "Unknown or closed ticket: start a new session."
SUPERSEDED = (
    "This session was ended because a newer session of the same user started on this "
    "company file; nothing more is done under this ticket."
)
CONNECTION_ERROR_DONE = "done"
EXPIRED = "This session expired (idle longer than the connector allows); start a new one."
OTHER_COMPANY = "This session belongs to another company file; start a new session."


def default_ticket() -> str:
    """An unguessable session ticket."""
    return secrets.token_urlsafe(32)


class QbwcSessions:
    """Implements every QBWC callback on top of the store, the app client and the plan."""

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        store: Store | None = None,
        app: AppClient | None = None,
        clock: Clock | None = None,
        new_ticket: Callable[[], str] = default_ticket,
    ) -> None:
        self.settings = settings
        self.store = store if store is not None else Store(settings.db_path)
        self.app = app or AppClient(
            base_url=settings.app_base_url, transport=settings.app_transport
        )
        self.clock = clock or SystemClock()
        self.new_ticket = new_ticket
        self.failed_logins = FailedLogins(
            settings.max_failed_logins, settings.failed_login_window_seconds
        )

    def _now(self) -> str:
        return self.clock.now().isoformat()

    # -- serverVersion / clientVersion ----------------------------------------------------

    def server_version(self) -> str:
        return self.settings.server_version

    def client_version(self, version: str) -> str:
        """ "" = proceed; "W:text" warns, "E:text" refuses, "O:version" says which Web
        Connector version is needed (guide p.21, p.66; BEHAVIORS.md WC-11)."""
        settings = self.settings
        if version.strip() in settings.blocked_client_versions:
            return (
                f"E:QuickBooks Web Connector {version.strip()} is not supported by this "
                "service; please install another version."
            )
        have = parse_client_version(version)
        if have is None:
            # An unreadable version string is not a reason to stop a sync.
            return ""
        needed = settings.min_client_version
        if needed and have < (parse_client_version(needed) or ()):
            return f"O:{needed}"
        recommended = settings.recommended_client_version
        if recommended and have < (parse_client_version(recommended) or ()):
            return (
                f"W:QuickBooks Web Connector {recommended} or newer is recommended; "
                f"this is {version.strip()}."
            )
        return ""

    # -- authenticate ---------------------------------------------------------------------

    def check_login(
        self, username: str, password: str, source: str, *, what: str = "authenticate"
    ) -> ConnectorUser | None:
        """The user these credentials name, or None: an unknown name, a wrong password, or
        ``source`` (the caller's address) over the failed-login limit (connector.limits).
        ``what`` names the door in the log (authenticate, the status page): both share the
        one limit, so a guesser gains nothing by switching doors."""
        now = self.clock.now().timestamp()
        user = self.settings.find_user(username)
        # An unknown user name may be a password typed in the wrong field: never logged.
        shown = repr(user.username) if user is not None else "(an unknown user name)"
        if not self.failed_logins.begin(source, username, now):
            log.warning("%s: %s from %s refused: too many failed logins", what, shown, source)
            return None
        if user is None:
            verify_password(password, _DUMMY_HASH)
        accepted = user is not None and user.check_password(password)
        self.failed_logins.end(source, username, self.clock.now().timestamp(), succeeded=accepted)
        if user is None or not accepted:
            log.info("%s: invalid user name or password for %s", what, shown)
            return None
        return user

    def authenticate(self, username: str, password: str, source: str = "") -> list[str]:
        """``source`` is the caller's address, for the failed-login limit (connector.limits)."""
        user = self.check_login(username, password, source)
        if user is None:
            # The guide's first element is always a session token (p.21); this one is not
            # stored, so any later call with it is an unknown ticket.
            return [self.new_ticket(), AUTH_INVALID_USER]
        with self.store.transaction():
            if self._company_busy(user.company_file, user.username):
                log.info("authenticate: %s busy for %r", user.company_file, username)
                return [self.new_ticket(), AUTH_BUSY]
            ticket = self.new_ticket()
            # Open (committed): the company file is busy for other Web Connectors while the
            # plan is made, and the ticket is not handed out before the plan is stored.
            self.store.open_ticket(ticket, user.username, user.company_file, self._now())
        items, state = self._plan_unlocked(ticket, company_key(user.company_file))
        with self.store.transaction():
            if self._open(ticket) is None:  # superseded or expired while the app answered
                return [self.new_ticket(), AUTH_BUSY]
            if not items and "error" not in state:
                self.store.close_ticket(ticket, self._now())
                return self._auth_answer(ticket, AUTH_NOTHING_TO_DO)
            self.store.work_queue(ticket).replace(items)
            self.store.save_state(ticket, state, self._now())
        return self._auth_answer(ticket, user.company_file)

    def _plan_unlocked(self, ticket: str, company: str) -> tuple[list[WorkItem], SessionState]:
        """The session's plan, made outside the store's transaction: the app's HTTP calls
        must not stall other callers (issue 23 item 9). Planning only reads the store (each
        read under the lock by itself), and while the ticket is open no other session of
        this company file writes what it reads (``_company_busy``). (A user without a
        company file is planned on the file synced last, only to tell whether there is
        work: the first sendRequestXML plans again for the file QuickBooks opened, once it
        is this session's.) An app failure lets the session start, so that the user sees
        the reason through getLastError; anything else closes the ticket, which would
        otherwise hold the company file busy."""
        try:
            items, state = plan_session(self.settings, self.store, self.app, company)
        except AppApiError as exc:
            failed: SessionState = {"total": 1, "done": 0, "seq": 0, "pending": None}
            failed["error"] = f"The field-service app could not be reached: {exc}"
            return [], failed
        except BaseException:
            self.store.close_ticket(ticket, self._now())
            raise
        return items, state

    def _auth_answer(self, ticket: str, second: str) -> list[str]:
        """[ticket, X] plus, when configured, "" (no postpone) and the minimum run interval
        (guide p.62-63: at most four members; BEHAVIORS.md WC-06)."""
        interval = self.settings.min_run_interval_seconds
        if interval is None:
            return [ticket, second]
        return [ticket, second, "", str(interval)]

    def _company_busy(self, company_file: str, username: str, besides: str = "") -> bool:
        """True while another live session works on the same company file.

        Two Web Connectors on one company file are serialized (BEHAVIORS.md WC-14, guide
        p.62 "busy"). One Web Connector never overlaps its own runs (WC-13), so an open
        ticket of the same user is a run that died without closeConnection: it is closed
        (superseded). So is any session idle longer than ticket_timeout_seconds.
        """
        if not company_file:
            return False
        now = self.clock.now()
        busy = False
        for other in self.store.open_tickets(company_file):
            if other.ticket == ticket_key(besides):  # the store's Ticket.ticket is a key
                continue
            idle = (now - datetime.fromisoformat(other.touched_at)).total_seconds()
            if other.username == username or idle > self.settings.ticket_timeout_seconds:
                log.info("closing abandoned session of %r", other.username)
                self.store.set_last_error(other.ticket, SUPERSEDED)
                self.store.close_ticket(other.ticket, self._now())
            else:
                busy = True
        return busy

    # -- sendRequestXML -------------------------------------------------------------------

    def _internal_error(self, ticket: str, where: str, exc: Exception) -> None:
        """A bug must not crash the Web Connector's session: log it, tell the user."""
        log.exception("internal error in %s", where)
        try:
            if self.store.get_ticket(ticket) is not None:
                self.store.set_last_error(ticket, f"Connector error in {where}: {exc}")
        except Exception:  # the store itself failed; the log line above is all we can do
            log.exception("could not record the error")

    def send_request_xml(
        self,
        ticket: str,
        hcp_response: str,
        company_file_name: str,
        country: str,
        major: int,
        minor: int,
    ) -> str:
        try:
            return self._send_request_xml(
                ticket, hcp_response, company_file_name, country, major, minor
            )
        except Exception as exc:
            self._internal_error(ticket, "sendRequestXML", exc)
            return ""

    def receive_response_xml(self, ticket: str, response: str, hresult: str, message: str) -> int:
        try:
            return self._receive_response_xml(ticket, response, hresult, message)
        except Exception as exc:
            self._internal_error(ticket, "receiveResponseXML", exc)
            return -1

    def _send_request_xml(
        self,
        ticket: str,
        hcp_response: str,
        company_file_name: str,
        country: str,
        major: int,
        minor: int,
    ) -> str:
        with self.store.transaction():
            session = self._open(ticket)
            if session is None:
                return ""
            state = session.state.copy()
            error = state.get("error")
            if error:
                self.store.set_last_error(ticket, error)
                return ""
            bound = state.get("company", company_key(session.company_file))
            if bound and company_file_name and company_key(company_file_name) != bound:
                # A ticket serves one company file (the one authenticate named or the first
                # sendRequestXML opened); a call naming another is refused, nothing changes.
                log.warning("sendRequestXML for another company file refused")
                self.store.set_last_error(ticket, OTHER_COMPANY)
                return ""
            if "version" in state:
                return self._next_request(session, state)
            company_file = company_file_name or session.company_file
            if self._company_busy(company_file, session.username, besides=ticket):
                # The user's file was "" at authenticate; now we know it (WC-14).
                text = "Another Web Connector is syncing this company file; try later."
                self.store.set_last_error(ticket, text)
                return ""
            version, problem = self._negotiate(hcp_response, major, minor)
            if problem:
                state["error"] = problem
                self.store.save_state(ticket, state, self._now())
                self.store.set_last_error(ticket, problem)
                return ""
            # Bound now (committed), so that the file is busy for others while the plan is
            # made again for it: mappings are per company.
            self.store.set_company_file(ticket, company_file)
            company = company_key(company_file)
            if plan_holds(self.store, state.get(PLANNED_FOR), company):
                # authenticate's plan is this file's plan: planned once (issue 20).
                state["version"] = str(version)
                state["company"] = company
                return self._next_request(session, state)
        try:
            items, planned = plan_session(
                self.settings, self.store, self.app, company
            )  # outside the transaction: see _plan_unlocked
        except AppApiError as exc:
            self.store.set_last_error(ticket, f"field-service app error: {exc}")
            return ""
        with self.store.transaction():
            session = self._open(ticket)
            if session is None or "version" in session.state:
                # Closed while the app answered, or planned by a call of its own meanwhile
                # (QBWC's calls are sequential): nothing of this plan is stored.
                return ""
            state = session.state.copy()
            state["version"] = str(version)
            state["company"] = company
            state.update(planned)
            self.store.work_queue(session.ticket).replace(items)
            return self._next_request(session, state)

    def _next_request(self, session: Ticket, state: SessionState) -> str:
        """The step's request (prepared by the last receiveResponseXML, or built now), with
        the state saved; "" and the reason for getLastError when there is none."""
        ticket = session.ticket
        request = state.pop("prepared", None)
        if request is None:
            try:
                request = self._sync(session, state).next_request(
                    state, QbxmlVersion.parse(state["version"])
                )
            except AppApiError as exc:
                self.store.set_last_error(ticket, f"field-service app error: {exc}")
                return ""
        if request is not None:
            state["expect_rs"] = _answer_tag(request)
            self._sync(session, state).hand_out(state)
        self.store.save_state(ticket, state, self._now())
        if request is None:
            # Nothing left (receiveResponseXML already said 100 in a normal run).
            self.store.set_last_error(ticket, "Nothing left to do in this session.")
            return ""
        return request

    def _negotiate(self, hcp_response: str, major: int, minor: int) -> tuple[QbxmlVersion, str]:
        """Pick the newest version both sides support (BEHAVIORS.md WC-16)."""
        wanted = QbxmlVersion.parse(self.settings.qbxml_version)
        supported: list[QbxmlVersion] = []
        if hcp_response.strip():
            try:
                supported = supported_versions(hcp_response)
            except QbxmlParseError:
                supported = []
        if not supported and major > 0:
            supported = [QbxmlVersion(major, minor)]
        if not supported:
            return wanted, ""
        usable = [v for v in supported if v <= wanted]
        if not usable:
            return wanted, ""
        best = max(usable)
        # Requests use elements of qbXML 13.0; anything older than 2.0 lacks them.
        if best < QbxmlVersion(2, 0):
            return best, f"QuickBooks supports qbXML up to {best}; this connector needs 2.0+."
        return best, ""

    # -- receiveResponseXML ----------------------------------------------------------------

    def _receive_response_xml(self, ticket: str, response: str, hresult: str, message: str) -> int:
        with self.store.transaction():
            session = self._open(ticket)
            if session is None:
                return -1
            state = session.state.copy()
            pending = state.get("pending")
            if not pending:
                self.store.set_last_error(ticket, "receiveResponseXML without a pending request")
                return -1
            sync = self._sync(session, state)
            if hresult.strip() or not response.strip():
                # QuickBooks failed the whole request at the COM level (QBWC-FACTS.md).
                text = f"QuickBooks could not process the request ({hresult}): {message}"
                state["pending"] = None
                state["error"] = text
                if hresult_code(hresult) in QUICKBOOKS_BUSY:
                    # Busy, not refused: nothing applied; the next session sends it again.
                    text += " It is sent again at the next update."
                    state["error"] = text
                    sync.retry_later(pending, text)
                else:
                    sync.fail_pending(pending, text)
                self.store.save_state(ticket, state, self._now())
                self.store.set_last_error(ticket, text)
                return -1
            try:
                statuses = parse_response(response)
            except QbxmlParseError as exc:
                text = f"QuickBooks answered something unreadable: {exc}"
                self.store.set_last_error(ticket, text)
                return -1
            # The answer must be to this session's pending request: its requestID and its
            # kind (a response from another session with the same requestID is refused).
            expected = state.get("expect_rs")
            match = [
                s
                for s in statuses
                if s.request_id == pending["request_id"] and s.tag == (expected or s.tag)
            ]
            if not match:
                self.store.set_last_error(
                    ticket, f"response does not answer request {pending['request_id']}"
                )
                return -1
            sync.apply(state, match[0])
            if not state.get("error"):
                # Build the next request now, so records that need no request (refused,
                # already in QuickBooks) are settled and 100 means truly done.
                try:
                    state["prepared"] = sync.next_request(
                        state, QbxmlVersion.parse(state["version"])
                    )
                except AppApiError as exc:
                    state["error"] = f"field-service app error: {exc}"
            self.store.save_state(ticket, state, self._now())
            error = state.get("error")
            if error:
                self.store.set_last_error(ticket, error)
                return -1
            return progress(state, sync.queue)

    # -- connectionError / getLastError / closeConnection ----------------------------------

    def connection_error(self, ticket: str, hresult: str, message: str) -> str:
        with self.store.transaction():
            session = self._open(ticket)
            if session is not None:
                self.store.set_last_error(
                    ticket, f"QuickBooks connection failed ({hresult}): {message}"
                )
        # Do not retry another file: "done" ends the attempt (guide p.69).
        return CONNECTION_ERROR_DONE

    def get_last_error(self, ticket: str) -> str:
        session = self.store.committed_ticket(ticket) if ticket else None
        if session is None:
            return UNKNOWN_TICKET
        if not session.is_open:
            ended = (SUPERSEDED, EXPIRED)
            return session.last_error if session.last_error in ended else UNKNOWN_TICKET
        return session.last_error or session.state.get("error", "")

    def close_connection(self, ticket: str) -> str:
        with self.store.transaction():
            session = self._open(ticket)
            if session is None:
                return UNKNOWN_TICKET
            self.store.close_ticket(ticket, self._now())
        return CLOSE_OK

    # -- helpers ---------------------------------------------------------------------------

    def _open(self, ticket: str) -> Ticket | None:
        session = self.store.get_ticket(ticket) if ticket else None
        if session is None or not session.is_open:
            log.info("call with unknown or closed ticket")
            return None
        idle = (self.clock.now() - datetime.fromisoformat(session.touched_at)).total_seconds()
        if idle > self.settings.ticket_timeout_seconds:
            # Expired: the ticket is closed for good, as after closeConnection.
            log.info("session expired after %d s idle", idle)
            self.store.set_last_error(ticket, EXPIRED)
            self.store.close_ticket(ticket, self._now())
            return None
        return session

    def _sync(self, session: Ticket, state: SessionState) -> SessionSync:
        return SessionSync(
            self.settings,
            self.store,
            self.app,
            self.clock,
            company=state.get("company", company_key(session.company_file)),
            ticket=session.ticket,
            app_settings=state.get(APP_SETTINGS),
        )


def _answer_tag(request: str) -> str:
    """``CustomerAddRq`` in the request -> ``CustomerAddRs``, the answer it expects."""
    msgs = parse_xml(request, max_bytes=len(request.encode("utf-8")), what="the request")
    rq = msgs.find("QBXMLMsgsRq")
    if rq is None:
        raise ValueError("the request has no QBXMLMsgsRq")
    first = next(c for c in rq if isinstance(c.tag, str))
    return first.tag.removesuffix("Rq") + "Rs"


#: Hash checked for an unknown user name, so both failures cost the same time.
_DUMMY_HASH = hash_password("no such user")


def hresult_code(hresult: str) -> int | None:
    """``0x80040414`` (as QBWC writes it, guide p.77) as a number; None when unreadable."""
    try:
        return int(hresult.strip(), 16) & 0xFFFFFFFF
    except ValueError:
        return None
