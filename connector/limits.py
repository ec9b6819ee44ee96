"""What the connector refuses before spyne sees it.

The connector faces the internet (QBWC calls it over HTTPS), so every request body is
checked here first, at a bounded cost (linear in a size limit that is a setting):

- larger than ``max_request_bytes``: HTTP 413, without reading the rest;
- not ``text/xml`` (SOAP 1.1 section 6.1.1 says the HTTP binding carries text/xml): 415;
- not decodable in its declared charset (UTF-8 when none is declared, which is what the
  .NET client writes), not well-formed, carrying a Document Type Declaration (SOAP 1.1
  section 3: "A SOAP message MUST NOT contain a Document Type Declaration"; refusing it
  also shuts out external entities and entity-expansion bombs), not a SOAP 1.1 envelope
  (faultcode VersionMismatch, section 4.4.1), a Body with other than one element, or a
  SOAPAction header that names another method than the body does: a SOAP Client fault
  with HTTP 500, as section 6.2 prescribes for faults.

Each refusal is logged with its reason, never with the body (it may hold a password).
``FailedLogins`` is the per-user limit on failed authenticate calls.
"""

from __future__ import annotations

import codecs
import io
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from lxml import etree

from connector.health import HealthCheck
from connector.logs import request_context
from qbwc_wire import QBWC_NAMESPACE, SOAP11_ENV_NS, UnsafeXmlError, parse_xml

if TYPE_CHECKING:
    from connector.settings import ConnectorSettings
    from connector.store import Store

log = logging.getLogger("connector.limits")

#: The default of ``ConnectorSettings.max_request_bytes``. A QuickBooks answer to one
#: iterator page of 100 payments is a few hundred kilobytes; 10 MiB leaves room for large
#: invoices without letting one request hold much memory.
DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


# -- the request guard ------------------------------------------------------------------


class Refusal(Exception):
    """Why a request is answered without reaching spyne."""

    def __init__(self, status: str, faultcode: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.faultcode, self.reason = status, faultcode, reason


def fault_envelope(faultcode: str, faultstring: str) -> bytes:
    """A SOAP 1.1 Fault (section 4.4) in an envelope."""
    env = etree.Element(f"{{{SOAP11_ENV_NS}}}Envelope", nsmap={"soap": SOAP11_ENV_NS})
    body = etree.SubElement(env, f"{{{SOAP11_ENV_NS}}}Body")
    fault = etree.SubElement(body, f"{{{SOAP11_ENV_NS}}}Fault")
    etree.SubElement(fault, "faultcode").text = f"soap:{faultcode}"
    etree.SubElement(fault, "faultstring").text = faultstring
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


class RequestGuard:
    """WSGI middleware in front of the spyne application (see the module docstring)."""

    def __init__(
        self,
        app: WsgiApp,
        *,
        max_request_bytes: int,
        company_of: Callable[[str], str] | None = None,
    ) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes
        #: ticket -> company file, for the log context (None: not known).
        self.company_of = company_of

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        try:
            body = self._read_body(environ)
            method, ticket = self._check(environ, body)
        except Refusal as refusal:
            log.warning(
                "request refused: %s",
                refusal.reason,
                extra={"event": "request_refused", "remote_addr": environ.get("REMOTE_ADDR", "")},
            )
            answer = fault_envelope(refusal.faultcode, refusal.reason)
            start_response(
                refusal.status,
                [
                    ("Content-Type", "text/xml; charset=utf-8"),
                    ("Content-Length", str(len(answer))),
                ],
            )
            return [answer]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        company = self._company(ticket)
        status: list[str] = []

        def record_status(code: str, headers: list[Any], exc_info: Any = None) -> Any:
            status.append(code)
            return start_response(code, headers, exc_info)

        with request_context(method=method, ticket=ticket, company=company):
            # spyne reads the body and runs the method inside this call; its answer is a list.
            chunks = list(self.app(environ, record_status))
            log.info(
                "%s answered %s",
                method,
                status[0] if status else "nothing",
                extra={
                    "event": "soap_call",
                    "http_status": status[0][:3] if status else "",
                    # The first sendRequestXML may have just bound the ticket to its file.
                    "company": self._company(ticket) or company,
                },
            )
        return chunks

    def _company(self, ticket: str) -> str:
        if not ticket or self.company_of is None:
            return ""
        try:
            return self.company_of(ticket)
        except Exception:  # only for the log context: never a reason to fail the call
            return ""

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        limit = self.max_request_bytes
        length_text = (environ.get("CONTENT_LENGTH") or "").strip()
        if length_text:
            if not length_text.isdigit():
                raise Refusal("400 Bad Request", "Client", "Content-Length is not a number")
            if int(length_text) > limit:
                raise _too_large(int(length_text), limit)
            want = int(length_text)
        else:
            want = limit + 1  # no length given (chunked): read one byte past the limit
        stream = environ.get("wsgi.input")
        body = stream.read(want) if stream is not None else b""
        if len(body) > limit:
            raise _too_large(len(body), limit)
        return body

    def _check(self, environ: dict[str, Any], body: bytes) -> tuple[str, str]:
        """The method name and ticket of a request that may go on to spyne."""
        mime, params = _content_type(environ.get("CONTENT_TYPE", ""))
        if mime != "text/xml":
            raise Refusal(
                "415 Unsupported Media Type",
                "Client",
                f"Content-Type must be text/xml for SOAP 1.1, not {_cut(mime) or 'nothing'}",
            )
        charset = params.get("charset", "utf-8")
        try:
            codecs.decode(body, charset)
        except LookupError:
            raise Refusal(
                "500 Internal Server Error", "Client", f"unknown charset {_cut(charset)}"
            ) from None
        except UnicodeDecodeError as exc:
            raise Refusal(
                "500 Internal Server Error",
                "Client",
                f"the request is not valid {_cut(charset)}: byte {exc.start} cannot be decoded",
            ) from None
        try:
            root = parse_xml(body, max_bytes=self.max_request_bytes, what="the request")
        except UnsafeXmlError as exc:
            raise Refusal("500 Internal Server Error", "Client", str(exc)) from None
        except etree.XMLSyntaxError as exc:
            raise Refusal(
                "500 Internal Server Error", "Client", f"the request is not well-formed XML: {exc}"
            ) from None
        if root.tag != f"{{{SOAP11_ENV_NS}}}Envelope":
            raise Refusal(
                "500 Internal Server Error",
                "VersionMismatch",
                f"expected a SOAP 1.1 Envelope in {SOAP11_ENV_NS}, got {_cut(str(root.tag))}",
            )
        soap_body = root.find(f"{{{SOAP11_ENV_NS}}}Body")
        calls = [] if soap_body is None else [c for c in soap_body if isinstance(c.tag, str)]
        if len(calls) != 1:
            raise Refusal(
                "500 Internal Server Error",
                "Client",
                f"the SOAP Body must hold exactly one method element, found {len(calls)}",
            )
        method = etree.QName(calls[0]).localname
        action = (environ.get("HTTP_SOAPACTION") or "").strip().strip('"')
        # SOAP 1.1 section 6.1.1: an empty SOAPAction leaves the intent to the body; a
        # non-empty one must name the method the body calls (QBWC sends both, always equal).
        if action and action != f"{QBWC_NAMESPACE}{method}":
            raise Refusal(
                "500 Internal Server Error",
                "Client",
                f"SOAPAction {_cut(action)} does not match the body element {_cut(method)}",
            )
        ticket = calls[0].findtext(f"{{{QBWC_NAMESPACE}}}ticket") or ""
        return _cut(method), ticket.strip()


def _cut(text: str, limit: int = 100) -> str:
    """What a caller sent, shortened for an answer or a log line."""
    return text if len(text) <= limit else text[:limit] + "..."


def _too_large(size: int, limit: int) -> Refusal:
    return Refusal(
        "413 Request Entity Too Large",
        "Client",
        f"the request is {size} bytes; the limit is {limit} bytes (max_request_bytes)",
    )


def _content_type(header: str) -> tuple[str, dict[str, str]]:
    mime, *rest = header.split(";")
    params = {}
    for item in rest:
        name, _, value = item.partition("=")
        params[name.strip().lower()] = value.strip().strip('"').lower()
    return mime.strip().lower(), params


def protect(spyne_app: Any, settings: ConnectorSettings, store: Store) -> WsgiApp:
    """spyne's WSGI app behind the request guard, with ``GET /health`` in front."""
    limit = settings.max_request_bytes
    # spyne has its own cap (2 MiB by default); the setting is the one that counts.
    spyne_app.max_content_length = limit

    guarded = RequestGuard(spyne_app, max_request_bytes=limit, company_of=store.company_file_of)
    # Any read proves the database answers; an empty ticket is never stored.
    return HealthCheck(guarded, probe=lambda: store.get_ticket(""))


# -- failed logins ------------------------------------------------------------------------


class FailedLogins:
    """Per-user limit on failed authenticate calls: after ``max_failures`` failures within
    ``window_seconds``, the user's logins are refused (``nvu``) until the oldest one in the
    window is older than that, the right password included, so guessing costs time.

    Kept in memory: a restart forgets it (an attacker who can restart the service has
    more than a password to gain). Unknown user names are tracked too, in a bounded table.
    """

    MAX_TRACKED = 10_000

    def __init__(self, max_failures: int, window_seconds: float) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, username: str, now: float) -> deque[float]:
        times = self._failures.get(username, deque())
        while times and now - times[0] >= self.window_seconds:
            times.popleft()
        return times

    def blocked(self, username: str, now: float) -> bool:
        with self._lock:
            return len(self._recent(username, now)) >= self.max_failures

    def record_failure(self, username: str, now: float) -> None:
        with self._lock:
            if username not in self._failures and len(self._failures) >= self.MAX_TRACKED:
                self._forget_expired(now)
            times = self._recent(username, now)
            times.append(now)
            self._failures[username] = times

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(username, None)

    def _forget_expired(self, now: float) -> None:
        for name in list(self._failures):
            if not self._recent(name, now):
                del self._failures[name]
        if len(self._failures) >= self.MAX_TRACKED:
            # Still full of live entries (a spray of names): drop the oldest-started ones.
            oldest = sorted(self._failures, key=lambda name: self._failures[name][0])
            for name in oldest[: len(oldest) // 2]:
                del self._failures[name]
