"""One Web Connector run ("Update Selected" or a scheduled run), in the real call order.

Order and return-value rules: guide pp. 21-25 (the communication model) and pp. 61-80 (the
method reference); digest in QBWC-FACTS.md. Where the guide is silent the choice made is
marked "unconfirmed" and kept easy to change.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any, Protocol

from zeep.transports import Transport

from harness.clock import SimClock

from .errors import METHOD_FAILURE_CODES, SoapCallError, WebConnectorError, qbwc_message
from .faults import HRESULT_OTHER_FILE_OPEN, Faults, format_hresult
from .qwc import QwcFile
from .readonly import ReadOnlyGuard
from .soap_client import QbwcSoapClient, redact_password
from .transcript import REDACTED, Note, Outcome, QbxmlExchange, SoapCall, Transcript

#: What QBWC puts in strHCPResponse for a QuickBooks POS service (guide p.22).
QBPOS_HCP_RESPONSE = "HOSTQUERY/COMPANYQUERY/PREFQUERY is currently not supported in QBPOS."


class QuickBooks(Protocol):
    """What the Web Connector needs from QuickBooks (harness.fake_qbd.QBDCompany fits)."""

    settings: Any  # has .company_file

    def process(self, request: str) -> str: ...

    def hcp_response(self) -> str: ...


def never_ended(requests: int, progress: list[int]) -> str:
    """The violation a session the harness cut off commits: receiveResponseXML never said
    100 (done) nor a negative (error). Guide p.77-78: QBWC calls sendRequestXML again until
    one of those, with no limit on the number of messages, so a real Web Connector would go
    on for as long as the service does; the bound is the harness's."""
    last = f"; its last progress was {progress[-1]}" if progress else ""
    return (
        f"the session never ended: the service had more work after {requests} requests and "
        f"receiveResponseXML never said 100 or an error{last} (the harness stops here; "
        "QBWC has no limit, guide p.78)"
    )


def _setting(quickbooks: Any, name: str) -> Any:
    return getattr(getattr(quickbooks, "settings", None), name, None)


def _highest_qbxml_version(quickbooks: Any) -> tuple[int, int]:
    versions = _setting(quickbooks, "supported_qbxml_versions") or ()
    parsed: list[tuple[int, int]] = []
    for version in versions:
        major, _, minor = str(version).partition(".")
        if major.isdigit() and (minor or "0").isdigit():
            parsed.append((int(major), int(minor or "0")))
    return max(parsed) if parsed else (13, 0)


class _SessionEnded(Exception):
    """Internal: unwinds the session generator once the outcome is set."""


class WebConnector:
    """The simulated QuickBooks Web Connector for one application (.qwc) on one computer."""

    def __init__(
        self,
        qwc: QwcFile,
        password: str,
        quickbooks: QuickBooks,
        transport: Transport,
        clock: SimClock | None = None,
        faults: Faults | None = None,
        *,
        url: str | None = None,
        client_version: str = "2.3.0.36",
        qbxml_country: str | None = None,
        qbxml_major: int | None = None,
        qbxml_minor: int | None = None,
        on_progress: Callable[[int], None] | None = None,
        accept_version_warning: bool = True,
        noop_wait_seconds: float = 5.0,
        max_noop_waits: int = 60,
        max_connection_retries: int = 2,
        max_requests: int = 10_000,
        keep_raw: bool = True,
        opens_named_file: bool = False,
    ) -> None:
        self.qwc = qwc
        self._password = password
        self.quickbooks = quickbooks
        self.clock = clock or SimClock()
        self.faults = faults or Faults()
        self.client = QbwcSoapClient(url or qwc.app_url, transport)
        self.client_version = client_version
        # What QBWC passes to sendRequestXML comes from the QuickBooks it opened (read at
        # each session): the highest qbXML version in HostRet/SupportedQBXMLVersion and the
        # edition's country. Explicit values here override; without either, 13.0 and "US".
        self.qbxml_country = qbxml_country
        self.qbxml_major = qbxml_major
        self.qbxml_minor = qbxml_minor
        self.on_progress = on_progress
        # W: answers make QBWC ask the user whether to continue (guide p.66); this is the
        # user's answer.
        self.accept_version_warning = accept_version_warning
        # "NoOp" pauses 5 seconds (guide p.72); bounded so a connector stuck on NoOp ends.
        self.noop_wait_seconds = noop_wait_seconds
        self.max_noop_waits = max_noop_waits
        # Guide p.69: do not retry connectionError "more than a couple of times".
        self.max_connection_retries = max_connection_retries
        self.max_requests = max_requests
        self.keep_raw = keep_raw
        # A service that is not ours names its own company file, whose path the harness
        # cannot know: with this on, the simulated QuickBooks opens whatever .QBW file
        # authenticate or connectionError names (as on the vendor's machine), instead of
        # answering 0x8004040A.
        self.opens_named_file = opens_named_file
        self.read_only_guard = ReadOnlyGuard() if qwc.is_read_only else None
        self.last_transcript: Transcript | None = None
        self._running = threading.Lock()

    def __repr__(self) -> str:  # never shows the password
        return f"WebConnector(app={self.qwc.app_name!r}, url={self.client.url!r})"

    # -- public -------------------------------------------------------------------------
    def run_session(self) -> Transcript:
        """One complete run; never raises for anything the web service does."""
        for _ in self.steps():
            pass
        assert self.last_transcript is not None
        return self.last_transcript

    def steps(self) -> Iterator[Transcript]:
        """The session one SOAP call at a time (yields the growing transcript after each
        call), so several Web Connectors can be interleaved deterministically."""
        # One application's runs never overlap (the real client greys out its row while it
        # updates); a second run while one is going is a caller's mistake, said clearly.
        if not self._running.acquire(blocking=False):
            raise WebConnectorError(
                f"{self.qwc.app_name!r} is already running a session; runs of one application "
                "never overlap"
            )
        try:
            run = _Run(self)
            yield from run.steps()
            self.last_transcript = run.transcript
        finally:
            self._running.release()


class _Run:
    """The state of one session: counters, ticket, transcript."""

    def __init__(self, wc: WebConnector) -> None:
        self.wc = wc
        self.clock = wc.clock
        self.transcript = Transcript(
            app_name=wc.qwc.app_name,
            user_name=wc.qwc.user_name,
            started_at=self.clock.now().isoformat(),
        )
        self.seq = 0
        self.call_counts: dict[str, int] = {}
        self.request_count = 0
        #: requests handed to QuickBooks so far, by type, and the last one's (type, count)
        self.requests_by_type: dict[str, int] = {}
        self.last_request: tuple[str, int] | None = None
        self.ticket: str | None = None

    # -- helpers ------------------------------------------------------------------------
    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def note(self, text: str) -> None:
        self.transcript.events.append(Note(self._next_seq(), self.clock.now().isoformat(), text))

    def end(self, status: str, message: str = "", code: str | None = None) -> _SessionEnded:
        self.transcript.outcome = Outcome(status, message, code)
        return _SessionEnded()

    def call(self, method: str, **arguments: Any) -> Any:
        """Make one web-method call, record it, and return its value (or raise SoapCallError)."""
        count = self.call_counts[method] = self.call_counts.get(method, 0) + 1
        faults = self.wc.faults
        jump = faults.take("clock_jump", method, count)
        if jump is not None:
            self.clock.jump(jump.seconds)
            self.note(f"{jump.describe()}: clock moved {jump.seconds:+g} s")
        answers = self.last_request if method == "receiveResponseXML" else None
        restart = faults.take("restart_before_answer", method, count, answers)
        if restart is not None:  # the answer to that request goes to a new instance
            faults.restart()
            self.note(f"{restart.describe()}: connector restarted")
        shown = {k: (REDACTED if k == "strPassword" else v) for k, v in arguments.items()}
        record = SoapCall(self._next_seq(), method, shown, self.clock.now().isoformat())
        self.transcript.events.append(record)
        started = time.perf_counter()
        try:
            if faults.take("drop_before_call", method, count, answers) is not None:
                self.note(f"fault drop_before_call {method} #{count}: request not delivered")
                raise SoapCallError(
                    "connection",
                    "Unable to connect to the remote server (injected fault)",
                    request=self.wc.client.render(method, arguments),
                )
            result = self.wc.client.call(method, arguments)
            if faults.take("drop_after_call", method, count) is not None:
                self.note(f"fault drop_after_call {method} #{count}: answer lost")
                raise SoapCallError(
                    "connection",
                    "The underlying connection was closed: An unexpected error occurred on a "
                    "receive (injected fault).",
                    request=result.request,
                )
        except SoapCallError as exc:
            record.error = exc.message
            record.http_status = exc.status
            self._keep_raw(record, exc.request, exc.response)
            raise
        finally:
            record.duration_ms = (time.perf_counter() - started) * 1000.0
        record.result = result.value
        record.http_status = result.status
        record.reading = "; ".join(result.notes) or None
        self._keep_raw(record, result.request, result.response)
        if faults.take("restart_after_call", method, count) is not None:
            faults.restart()
            self.note(f"fault restart_after_call {method} #{count}: connector restarted")
        return result.value

    def _keep_raw(self, record: SoapCall, request: bytes | None, response: bytes | None) -> None:
        if self.wc.keep_raw:
            record.request_xml = redact_password(request) if request is not None else None
            record.response_xml = response

    def failed(self, method: str, exc: SoapCallError) -> _SessionEnded:
        code = METHOD_FAILURE_CODES[method]
        return self.end("error", qbwc_message(code, exc.message), code)

    def close(self, status: str, message: str = "", code: str | None = None) -> _SessionEnded:
        """closeConnection, then end with this outcome (its answer becomes the message)."""
        try:
            answer = self.call("closeConnection", ticket=self.ticket)
        except SoapCallError as exc:
            return self.failed("closeConnection", exc)
        if not message and isinstance(answer, str):
            message = answer
        return self.end(status, message, code)

    # -- the session --------------------------------------------------------------------
    def steps(self) -> Iterator[Transcript]:
        with contextlib.suppress(_SessionEnded):
            yield from self._session()
        self.transcript.ended_at = self.clock.now().isoformat()
        self.transcript.ticket = self.ticket
        yield self.transcript

    def _session(self) -> Iterator[Transcript]:
        wc = self.wc
        # serverVersion: sent with no argument. A service without it is allowed to go on
        # (real QBWC logs "does not contain support for serverVersion" and continues;
        # unconfirmed for transport failures, which we treat the same way).
        try:
            self.call("serverVersion")
        except SoapCallError as exc:
            self.note(
                f"serverVersion failed ({exc.message}); continuing for backward compatibility"
            )
        yield self.transcript

        yield from self._client_version()

        try:
            answer = self.call(
                "authenticate", strUserName=wc.qwc.user_name, strPassword=wc._password
            )
        except SoapCallError as exc:
            raise self.failed("authenticate", exc) from None
        yield self.transcript
        company_path = self._authenticated(answer)

        company_file = yield from self._open_company(company_path)
        self.transcript.company_file = company_file
        self._register_file_id()
        yield from self._request_loop(company_file)

    def _client_version(self) -> Iterator[Transcript]:
        try:
            answer = self.call("clientVersion", strVersion=self.wc.client_version)
        except SoapCallError as exc:
            # Services without clientVersion are allowed (backward compatibility); a fault
            # there is logged, not fatal (unconfirmed; QBWC1036 covers client-side failures).
            self.note(
                f"clientVersion failed ({exc.message}); continuing for backward compatibility"
            )
            yield self.transcript
            return
        yield self.transcript
        if not answer:  # "" or null: go on (guide p.66)
            return
        prefix, sep, text = answer.partition(":")
        prefix = prefix.strip().upper() if sep else ""
        if prefix == "W":
            self.note(f"clientVersion warning: {text}")
            if self.wc.accept_version_warning:
                return
            raise self.end("error", qbwc_message("QBWC1037", text), "QBWC1037")
        if prefix == "E":
            raise self.end("error", qbwc_message("QBWC1037", text), "QBWC1037")
        if prefix == "O":
            # Guide p.21: QBWC always goes on to authenticate unless it gets "E:" or "O:".
            detail = f"this application needs QuickBooks Web Connector version {text} or newer"
            raise self.end("error", qbwc_message("QBWC1037", detail), "QBWC1037")
        # Any other answer: guide p.21 says QBWC proceeds; noted so a test can see it.
        self.note(f"clientVersion answered {answer!r}; not W:/E:/O:, proceeding")

    def _authenticated(self, answer: Any) -> str:
        """Read authenticate's array (guide p.62); return the company file to open."""
        if answer is None or not isinstance(answer, list) or len(answer) < 2:
            raise self.end(
                "error",
                qbwc_message(
                    "QBWC1012", f"authenticate must return at least 2 strings, got {answer!r}"
                ),
                "QBWC1012",
            )
        if len(answer) > 4:
            # Five elements crash the real client with QBWC1012 (QBWC-FACTS.md; unconfirmed
            # which detail caused it).
            raise self.end(
                "error",
                qbwc_message(
                    "QBWC1012", f"authenticate returned {len(answer)} strings (at most 4)"
                ),
                "QBWC1012",
            )
        self.ticket = answer[0]
        status = answer[1]
        postpone = self._seconds(answer, 2, "postpone")
        min_run = self._seconds(answer, 3, "minimum run interval")
        self.transcript.postpone_seconds = postpone
        self.transcript.min_run_seconds = min_run
        word = (status or "").strip().lower()
        if postpone:
            # Guide p.63: a postpone value discontinues this update, whatever the first
            # member says; it resumes after that many seconds.
            raise self.close("postponed", f"Update postponed by application ({postpone} s)")
        if word == "nvu":
            raise self.close("nvu", "Invalid password for username")
        if word == "none":
            raise self.close("none", "No Data Exchange required")
        if word == "busy":
            # Try later; no closeConnection (guide p.62 says nothing of one; unconfirmed).
            raise self.end("busy", "Application busy")
        return status or ""

    def _seconds(self, answer: list[str | None], index: int, what: str) -> int | None:
        if len(answer) <= index or not answer[index]:
            return None
        raw = (answer[index] or "").strip()
        try:
            return int(raw)
        except ValueError:
            raise self.end(
                "error",
                qbwc_message(
                    "QBWC1012", f"authenticate's {what} must be whole seconds, got {raw!r}"
                ),
                "QBWC1012",
            ) from None

    def _open_company(self, path: str) -> Generator[Transcript, None, str]:
        """OpenConnection/BeginSession; on failure ask connectionError (guide p.22, p.69)."""
        retries = 0
        while True:
            failure = self._begin_session(path)
            if failure is None:
                open_file = path or self._open_file()
                return open_file
            hresult, message = failure
            self.note(f"QuickBooks could not be reached: {format_hresult(hresult)} {message}")
            try:
                answer = self.call(
                    "connectionError",
                    ticket=self.ticket,
                    hresult=format_hresult(hresult),
                    message=message,
                )
            except SoapCallError as exc:
                raise self.failed("connectionError", exc) from None
            yield self.transcript
            shown = qbwc_message("QBWC1013", message)
            if answer is None or answer.strip().lower() == "done":
                # "done": stop. Closing the ticket afterwards is our choice (unconfirmed).
                raise self.close("error", shown, "QBWC1013")
            retries += 1
            if retries > self.wc.max_connection_retries:
                self.note(f"gave up after {retries - 1} connection retries")
                raise self.close("error", shown, "QBWC1013")
            path = answer

    def _register_file_id(self) -> None:
        """On the first connection QBWC stores the .qwc's FileID in the company under its
        OwnerID (guide p.36, FileID); CompanyQuery then reports it as a DataExtRet. The fake
        company keeps one such pair in settings.owner_id / settings.file_id."""
        settings = getattr(self.wc.quickbooks, "settings", None)
        if self.wc.qwc.qb_type != "QBFS" or settings is None:
            return
        if hasattr(settings, "owner_id") and getattr(settings, "owner_id", None) is None:
            settings.owner_id = self.wc.qwc.owner_id
            settings.file_id = self.wc.qwc.file_id
            self.note(
                f"FileID {self.wc.qwc.file_id} registered under OwnerID {self.wc.qwc.owner_id}"
            )

    def _open_file(self) -> str:
        settings = getattr(self.wc.quickbooks, "settings", None)
        return str(getattr(settings, "company_file", "") or "")

    def _begin_session(self, path: str) -> tuple[int, str] | None:
        rule = self.wc.faults.take("company_unavailable")
        if rule is not None:
            self.note(f"{rule.describe()}")
            return (rule.hresult or 0, rule.message)
        open_file = self._open_file()
        settings = getattr(self.wc.quickbooks, "settings", None)
        if (
            self.wc.opens_named_file
            and names_company_file(path)
            and path != open_file
            and settings is not None
        ):
            settings.company_file = path
            self.note(f"the simulated QuickBooks opened the file the service named: {path}")
            return None
        # Windows paths compare case-insensitively; "" means the file already open.
        if path and open_file and path.strip().lower() != open_file.lower():
            return (
                HRESULT_OTHER_FILE_OPEN,
                "A QuickBooks company data file is already open "
                "and it is different from the one requested.",
            )
        return None

    def _hcp_response(self) -> str:
        if self.wc.qwc.qb_type == "QBPOS":
            return QBPOS_HCP_RESPONSE
        try:
            return self.wc.quickbooks.hcp_response()
        except Exception as exc:
            hresult = getattr(exc, "hresult", None)
            if not isinstance(hresult, int):
                raise  # a bug in the QuickBooks stand-in, not something QuickBooks does
            # Guide Appendix A, QBWC1014: the job ends before any sendRequestXML.
            detail = f"{format_hresult(hresult)} {getattr(exc, 'message', exc)}"
            raise self.end("error", qbwc_message("QBWC1014", detail), "QBWC1014") from None

    def _request_loop(self, company_file: str) -> Iterator[Transcript]:
        first = True
        noop_waits = 0
        quickbooks = self.wc.quickbooks
        default_major, default_minor = _highest_qbxml_version(quickbooks)
        country = self.wc.qbxml_country or _setting(quickbooks, "country") or "US"
        major = default_major if self.wc.qbxml_major is None else self.wc.qbxml_major
        minor = default_minor if self.wc.qbxml_minor is None else self.wc.qbxml_minor
        while True:
            if self.request_count >= self.wc.max_requests:
                self.note(f"stopped after {self.request_count} requests (max_requests)")
                # Real QBWC has no limit (guide p.78): this bound is the harness's, so the
                # outcome says the simulated client stopped it, not that QBWC showed an error.
                raise self.close(
                    "stopped", never_ended(self.request_count, self.transcript.progress)
                )
            # Guide p.22: HostQuery/CompanyQuery/PreferencesQuery results on the first
            # sendRequestXML of the session only; "" afterwards (even after a NoOp).
            hcp = self._hcp_response() if first else ""
            try:
                request = self.call(
                    "sendRequestXML",
                    ticket=self.ticket,
                    strHCPResponse=hcp,
                    strCompanyFileName=company_file,
                    qbXMLCountry=country,
                    qbXMLMajorVers=major,
                    qbXMLMinorVers=minor,
                )
            except SoapCallError as exc:
                # After an exception QBWC ends the session without closeConnection
                # (unconfirmed).
                raise self.failed("sendRequestXML", exc) from None
            first = False
            yield self.transcript
            if not carries_request(request):
                message = yield from self._last_error()
                if message.strip().lower() == "noop":
                    noop_waits += 1
                    if noop_waits > self.wc.max_noop_waits:
                        raise self.close(
                            "stopped", f"gave up after {self.wc.max_noop_waits} NoOp waits"
                        )
                    self.clock.sleep(self.wc.noop_wait_seconds)
                    self.note(f"NoOp: waited {self.wc.noop_wait_seconds:g} s")
                    continue
                if message.strip().lower() == "interactive mode":
                    # getInteractiveURL and the browser flow are not simulated.
                    raise self.close(
                        "error",
                        "Interactive mode was requested; the simulated "
                        "Web Connector does not support interactive mode",
                    )
                raise self.close("error", message)
            noop_waits = 0
            response, hresult, message = self._process(request)
            try:
                percent = self.call(
                    "receiveResponseXML",
                    ticket=self.ticket,
                    response=response,
                    hresult=hresult,
                    message=message,
                )
            except SoapCallError as exc:
                raise self.failed("receiveResponseXML", exc) from None
            yield self.transcript
            if percent < 0:
                text = yield from self._last_error()
                raise self.close("error", text)
            shown = min(percent, 100)
            self.transcript.progress.append(shown)
            if self.wc.on_progress is not None:
                self.wc.on_progress(shown)
            if percent >= 100:  # above 100 is read as done (unconfirmed)
                raise self.close("completed")

    def _last_error(self) -> Generator[Transcript, None, str]:
        try:
            message = self.call("getLastError", ticket=self.ticket)
        except SoapCallError as exc:
            raise self.failed("getLastError", exc) from None
        yield self.transcript
        return message or ""

    def _process(self, request: str) -> tuple[str, str, str]:
        """Hand the request to QuickBooks: (response, hresult, message) for receiveResponseXML."""
        self.request_count += 1
        exchange = QbxmlExchange(self._next_seq(), self.clock.now().isoformat(), request, "")
        self.transcript.events.append(exchange)
        first = next(iter(exchange.request_types), "")
        self.requests_by_type[first] = self.requests_by_type.get(first, 0) + 1
        self.last_request = (first, self.requests_by_type[first])
        rule = self.wc.faults.take("qbxml_error", None, self.request_count, self.last_request)

        def ask() -> str:
            if rule is not None:
                exchange.note = rule.describe()
                raise _InjectedQbError(rule.hresult or 0, rule.message)
            if self.wc.read_only_guard is not None:
                response, exchange.note = self.wc.read_only_guard.process(
                    request, self.wc.quickbooks
                )
                return response
            return self.wc.quickbooks.process(request)

        answer_into(exchange, ask)
        return exchange.response, exchange.hresult, exchange.message


def names_company_file(path: str) -> bool:
    """Whether a path the service names (in authenticate or connectionError) can be a
    QuickBooks company file: a .QBW file. A folder ("C:\\", qbwc-to-n8n-bridge's retry
    path) or a sentence ("Connection Error", altaraven/QBWCServer) is none, and is answered
    as any other file that is not the open one (0x8004040A); what real QuickBooks answers
    there is unconfirmed."""
    return path.strip().lower().endswith(".qbw")


def carries_request(answer: object) -> bool:
    """Whether sendRequestXML's answer is a request the Web Connector hands QuickBooks.
    "" (or null, treated alike: unconfirmed) and "NoOp" are not: both make it call
    getLastError, whose "NoOp" then pauses 5 seconds (guide p.23, p.72, p.80; p.8 writes
    "NOOP", so case is ignored as for getLastError's answer)."""
    return isinstance(answer, str) and answer != "" and answer.strip().lower() != "noop"


def answer_into(exchange: QbxmlExchange, ask: Callable[[], str]) -> None:
    """Record what QuickBooks answered ``exchange.request`` (``ask`` hands it over): its
    response, or the HRESULT and message with which it failed the whole request (a parse
    error, QuickBooks not running: QBWC-FACTS.md)."""
    try:
        exchange.response = ask()
    except Exception as exc:
        hresult = getattr(exc, "hresult", None)
        if not isinstance(hresult, int):
            raise  # a bug in the QuickBooks stand-in, not something QuickBooks does
        exchange.hresult = format_hresult(hresult)
        exchange.message = str(getattr(exc, "message", "") or exc)
        # A stand-in's NotModeledError (harness.fake_qbd.errors) names a valid request it
        # cannot answer: passed on as QuickBooks failing it, and marked so that the scenario
        # is judged inconclusive, never the connector blamed.
        exchange.not_modeled = str(getattr(exc, "request_type", "") or "")
        if exchange.not_modeled:
            exchange.note = f"the simulated QuickBooks does not model {exchange.not_modeled}"


class _InjectedQbError(Exception):
    def __init__(self, hresult: int, message: str) -> None:
        super().__init__(message)
        self.hresult = hresult
        self.message = message
