"""What the connector refuses before spyne sees it.

The connector faces the internet (QBWC calls it over HTTPS), so every request body is
checked here first, at a bounded cost (linear in a size limit that is a setting):

- larger than ``max_request_bytes``: HTTP 413, without reading the rest;
- more elements, attributes or nesting than any QBWC call has (``REQUEST_SHAPE_LIMITS``):
  a SOAP Client fault, counted on lxml's tree in linear time, because spyne's cost grows
  faster than the document (100,000 attributes in 1 MiB took it over a minute);
- not ``text/xml`` (SOAP 1.1 section 6.1.1 says the HTTP binding carries text/xml): 415;
- not decodable in its declared charset (UTF-8 when none is declared, which is what the
  .NET client writes), not well-formed, carrying a Document Type Declaration (SOAP 1.1
  section 3: "A SOAP message MUST NOT contain a Document Type Declaration"; refusing it
  also shuts out external entities and entity-expansion bombs), not a SOAP 1.1 envelope
  (faultcode VersionMismatch, section 4.4.1), a Body with other than one element, or a
  SOAPAction header that names another method than the body does: a SOAP Client fault
  with HTTP 500, as section 6.2 prescribes for faults.

A request that passes is parsed once: the guard's tree goes on to spyne in the WSGI
environ (``PARSED_ENVELOPE``, read by ``connector.soap_protocol``) when spyne would have
parsed the same bytes the same way (UTF-8).

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

#: The largest request shape accepted. A QBWC call is an envelope, a body, a method
#: element and at most six parameters (the WSDL); qbXML travels as escaped text, not as
#: elements; the .NET client writes namespace declarations (not attributes in lxml) and no
#: attribute at all. Each bound is far above that and far below what costs spyne time.
MAX_REQUEST_ELEMENTS = 1000
MAX_REQUEST_ATTRIBUTES = 100
MAX_REQUEST_DEPTH = 32
REQUEST_SHAPE_LIMITS = (MAX_REQUEST_ELEMENTS, MAX_REQUEST_ATTRIBUTES, MAX_REQUEST_DEPTH)

#: The WSGI environ key of the envelope the guard parsed, for spyne to use instead of
#: parsing the body again (``connector.soap_protocol.GuardedSoap11``).
PARSED_ENVELOPE = "qbwc_connector.envelope"


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
            method, ticket, secrets = self._check(environ, body)
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

        with request_context(method=method, ticket=ticket, company=company, secrets=secrets):
            # spyne reads the body and runs the method inside this call; its answer is a list.
            chunks = list(self.app(environ, record_status))
            log.info(
                "%s answered %s",
                method,
                status[0] if status else "nothing",
                extra={
                    "event": "soap_call",
                    "http_status": status[0][:3] if status else "",
                    # The first sendRequestXML may have just bound the ticket to its file
                    # (read again only then: a ticket serves one file).
                    "company": company or self._company(ticket),
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

    def _check(self, environ: dict[str, Any], body: bytes) -> tuple[str, str, tuple[str, ...]]:
        """The method name, ticket and secrets (what authenticate carries as user name and
        password: either may be a password) of a request that may go on to spyne."""
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
        _check_shape(root)
        if charset == "utf-8":
            # spyne decodes the body with the Content-Type's charset before parsing; for
            # UTF-8 that is this very tree (other charsets: spyne parses on its own).
            environ[PARSED_ENVELOPE] = root
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
        secrets = tuple(
            child.text or ""
            for child in calls[0].iter()
            if isinstance(child.tag, str)
            and etree.QName(child).localname in ("strUserName", "strPassword")
        )
        return _cut(method), ticket.strip(), secrets


def _check_shape(root: etree._Element) -> None:
    """Refuse a document with more elements, attributes or depth than a QBWC call has."""
    elements = attributes = depth = deepest = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        elements += 1
        attributes += len(element.attrib)
        deepest = max(deepest, depth)
        for what, count, limit in (
            ("elements", elements, MAX_REQUEST_ELEMENTS),
            ("attributes", attributes, MAX_REQUEST_ATTRIBUTES),
            ("levels of nesting", deepest, MAX_REQUEST_DEPTH),
        ):
            if count > limit:
                raise Refusal(
                    "500 Internal Server Error",
                    "Client",
                    f"the request has more than {limit} {what}; no QBWC call has so many",
                )


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
    return HealthCheck(guarded, probe=store.ping)


# -- failed logins ------------------------------------------------------------------------


class FailedLogins:
    """The limit on failed authenticate calls, per source address and user name.

    After ``max_failures`` failures of one user name from one address within
    ``window_seconds``, that address's logins as that user are refused (``nvu``, the
    password not even checked) until the oldest failure in the window is older than that.
    So guessing costs time, and a slow guesser gets ``max_failures`` tries per window.

    Why per source: counting per user name alone hands an attacker a lockout switch (five
    wrong passwords for the .qwc's user name, sent from anywhere, every few minutes, kept
    the real Web Connector out for good). Per address, an attacker locks out only itself;
    the Web Connector's own address keeps its own count, and its right password is served.
    The address is the socket's peer (REMOTE_ADDR): headers such as X-Forwarded-For are
    anyone's to write. Behind a proxy every caller has the proxy's address, so the proxy
    must do this limiting itself (docs/connector.md).

    Atomic: a check is reserved (``begin``) under the lock before the password is
    verified and counts as a failure until it ends (``end``), so concurrent guesses cannot
    all pass the limit before any of them is counted.

    Kept in memory: a restart forgets it (an attacker who can restart the service has
    more than a password to gain). The table is bounded (a spray of names or addresses).
    """

    MAX_TRACKED = 10_000

    def __init__(self, max_failures: int, window_seconds: float) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._checking: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and now - times[0] >= self.window_seconds:
            times.popleft()
        return times

    def begin(self, source: str, username: str, now: float) -> bool:
        """Reserve one password check: False when this source is over the limit."""
        key = (source, username)
        with self._lock:
            used = len(self._recent(key, now)) + self._checking.get(key, 0)
            if used >= self.max_failures:
                return False
            self._checking[key] = self._checking.get(key, 0) + 1
            return True

    def end(self, source: str, username: str, now: float, *, succeeded: bool) -> None:
        """The reserved check is over: a success clears the source's failures."""
        key = (source, username)
        with self._lock:
            left = self._checking.get(key, 0) - 1
            if left > 0:
                self._checking[key] = left
            else:
                self._checking.pop(key, None)
            if succeeded:
                self._failures.pop(key, None)
                return
            if key not in self._failures and len(self._failures) >= self.MAX_TRACKED:
                self._forget_expired(now)
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times

    def _forget_expired(self, now: float) -> None:
        for key in list(self._failures):
            if not self._recent(key, now):
                del self._failures[key]
        if len(self._failures) >= self.MAX_TRACKED:
            # Still full of live entries (a spray): drop the oldest-started ones.
            oldest = sorted(self._failures, key=lambda key: self._failures[key][0])
            for key in oldest[: len(oldest) // 2]:
                del self._failures[key]
