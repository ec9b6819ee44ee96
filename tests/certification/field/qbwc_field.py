"""Small QuickBooks Web Connector services that are not ours, for testing ``certify``.

Plain WSGI and the standard library only (no harness or connector code). ``GuideService``
answers every callback as the QBWC Programmer's Guide describes; each subclass changes one
thing, the way a real third-party service was seen to answer in the field test of
``certify`` against open-source QBWC services (qbwc-kit 0.1.3, quickbooks-js 1.0.0,
consolibyte/quickbooks-php, qwc 0.0.1, CoolDotty/qbwc-to-n8n-bridge 1.0.0,
altaraven/QBWCServer, bill-ash/qbwc 0.0.3, qbws 0.2.1, django-quickbooks 0.6.4.2).
Written from the guide and from those observations
(the SOAP each one sent), not from their code. Page numbers are the guide's.
"""

from __future__ import annotations

import itertools
import threading
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
QBWC_NS = "http://developer.intuit.com/"
USER = "field-user"
PASSWORD = "field-pass-7"

Result = str | int | list[str]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class SoapFault(Exception):
    """The callback fails: answered with a SOAP fault (HTTP 500), as a crashed service is."""


class GuideService:
    """Always has work: every session is handed one CustomerAdd (a new name each time) in
    the qbXML version the Web Connector offers in sendRequestXML (qbXMLMajorVers/Minor)."""

    envelope_prefix = "soap"

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open: dict[str, bool] = {}  # ticket -> request sent and not yet answered
        self.errors: dict[str, str] = {}
        self.names = itertools.count(1)

    # --- WSGI ----------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        method, args = parse_call(environ["wsgi.input"].read(size))
        handler = getattr(self, f"do_{method}", None)
        try:
            if handler is None:
                raise SoapFault(f"no method {method}")
            with self.lock:
                body, status = self.render(method, handler(**args)), "200 OK"
        except SoapFault as fault:
            body, status = self.render_fault(str(fault)), "500 Internal Server Error"
        start_response(status, [("Content-Type", "text/xml; charset=utf-8")])
        return [body.encode("utf-8")]

    # --- the callbacks -------------------------------------------------------------------
    def do_serverVersion(self) -> Result:
        return "field 1.0"

    def do_clientVersion(self, strVersion: str = "") -> Result:
        return ""  # p.21: "" lets the update go on

    def do_authenticate(self, strUserName: str = "", strPassword: str = "") -> Result:
        if (strUserName, strPassword) != (USER, PASSWORD):
            return self.wrong_password()
        ticket = self.new_ticket()
        self.open[ticket] = False
        return [ticket, ""]  # p.21 (d): "" = the company file open in QuickBooks

    def wrong_password(self) -> Result:
        return [self.new_ticket(), "nvu"]  # p.21 (a)

    def do_sendRequestXML(
        self,
        ticket: str = "",
        qbXMLMajorVers: str = "13",
        qbXMLMinorVers: str = "0",
        **_: str,
    ) -> Result:
        if not self.serves(ticket):
            self.errors[ticket] = "Unknown or closed ticket"
            return ""  # p.72: "" tells the Web Connector an error occurred
        if self.open.get(ticket):
            return ""  # the one request was answered: the session's work is done
        self.open[ticket] = True
        return customer_add(
            f"Field Customer {next(self.names)}", self.version(qbXMLMajorVers, qbXMLMinorVers)
        )

    def version(self, major: str, minor: str) -> str:
        return f"{major}.{minor}"

    def do_receiveResponseXML(
        self, ticket: str = "", response: str = "", hresult: str = "", message: str = ""
    ) -> Result:
        if ticket not in self.open:
            self.errors[ticket] = "Unknown or closed ticket"
            return -1  # p.72: a negative value tells the Web Connector an error occurred
        if hresult:
            return self.quickbooks_failed(ticket, hresult, message)
        return 100

    def quickbooks_failed(self, ticket: str, hresult: str, message: str) -> Result:
        self.errors[ticket] = f"QuickBooks could not process the request: {hresult} {message}"
        return -1  # p.77: negative -> getLastError

    def do_getLastError(self, ticket: str = "") -> Result:
        return self.errors.get(ticket) or "Unknown or closed ticket"

    def do_connectionError(self, ticket: str = "", hresult: str = "", message: str = "") -> Result:
        self.errors[ticket] = f"{hresult} {message}"
        return "done"  # p.69

    def do_closeConnection(self, ticket: str = "") -> Result:
        if self.open.pop(ticket, None) is None:
            return "Unknown or closed ticket"
        return "OK"

    # --- helpers -------------------------------------------------------------------------
    def serves(self, ticket: str) -> bool:
        return ticket in self.open

    def new_ticket(self) -> str:
        return str(uuid.uuid4())

    def render(self, method: str, result: Result) -> str:
        p = self.envelope_prefix
        return (
            f'<?xml version="1.0" encoding="utf-8"?><{p}:Envelope xmlns:{p}="{SOAP_NS}">'
            f"<{p}:Body>{self.render_response(method, result)}</{p}:Body></{p}:Envelope>"
        )

    def render_response(self, method: str, result: Result) -> str:
        return (
            f'<{method}Response xmlns="{QBWC_NS}">'
            f"<{method}Result>{self.render_value(result)}</{method}Result>"
            f"</{method}Response>"
        )

    def render_value(self, result: Result) -> str:
        if isinstance(result, list):
            return "".join(f"<string>{escape(item)}</string>" for item in result)
        return escape(str(result))

    def render_fault(self, text: str) -> str:
        p = self.envelope_prefix
        return (
            f'<?xml version="1.0" encoding="utf-8"?><{p}:Envelope xmlns:{p}="{SOAP_NS}">'
            f"<{p}:Body><{p}:Fault><faultcode>{p}:Server</faultcode>"
            f"<faultstring>{escape(text)}</faultstring></{p}:Fault></{p}:Body></{p}:Envelope>"
        )


def parse_call(body: bytes) -> tuple[str, dict[str, str]]:
    """The method called and its arguments, by local name (prefixes do not matter)."""
    soap_body = ET.fromstring(body).find(f"{{{SOAP_NS}}}Body")
    call = None if soap_body is None else next(iter(soap_body), None)
    if call is None:
        return "", {}
    return local(call.tag), {local(arg.tag): arg.text or "" for arg in call}


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def customer_add(name: str, version: str) -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><?qbxml version="{version}"?>'
        '<QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="1">'
        f"<CustomerAdd><Name>{escape(name)}</Name></CustomerAdd>"
        "</CustomerAddRq></QBXMLMsgsRq></QBXML>"
    )


# --- answers the guide allows ------------------------------------------------------------


class EmptyTicketOnNvu(GuideService):
    """A wrong password gets ["", "nvu"] (qbwc-kit, quickbooks-php: no ticket for a user
    who is not logged in). p.21 asks only for "nvu" in the second member."""

    def wrong_password(self) -> Result:
        return ["", "nvu"]


class PrefixedEnvelope(GuideService):
    """``SOAP-ENV:`` envelope and ``ns1:``-prefixed result elements with whitespace between
    the members, as quickbooks-php's built-in SOAP server writes them."""

    envelope_prefix = "SOAP-ENV"

    def render_response(self, method: str, result: Result) -> str:
        if isinstance(result, list):
            value = "".join(f"<ns1:string>{escape(item)}</ns1:string>\n" for item in result)
        else:
            value = escape(str(result))
        return (
            f'<ns1:{method}Response xmlns:ns1="{QBWC_NS}">'
            f"<ns1:{method}Result>{value}</ns1:{method}Result></ns1:{method}Response>"
        )


class NoServerVersion(GuideService):
    """No serverVersion method: the call is a SOAP fault (qwc 0.0.1 on spyne). The guide
    has no rule for it (p.74 documents getServerVersion for the More Information dialog);
    what real QBWC does with the fault is unconfirmed."""

    def do_serverVersion(self) -> Result:
        raise SoapFault("No matching global declaration available for the validation root.")


class RetriesWithOpenCompany(GuideService):
    """connectionError is answered "" (retry with the company file open in QuickBooks)
    once, then "done": Intuit's own sample does this (p.70), p.22 says QBWC retries with the
    returned path until told to stop, and p.69 asks for no more than a couple of retries."""

    def do_connectionError(self, ticket: str = "", hresult: str = "", message: str = "") -> Result:
        retried = ticket in self.errors
        super().do_connectionError(ticket, hresult, message)
        return "done" if retried else ""


class Idle(GuideService):
    """Nothing to do: [ticket, "NONE"] (quickbooks-js with an empty queue; the guide writes
    it NONE on p.63 and none on p.21)."""

    def do_authenticate(self, strUserName: str = "", strPassword: str = "") -> Result:
        if (strUserName, strPassword) != (USER, PASSWORD):
            return self.wrong_password()
        return [self.new_ticket(), "NONE"]


class Busy(GuideService):
    """Busy with another session: ["none", "busy"] (qwc 0.0.1 while its session lock is
    held; "busy" is one of the status values of p.62)."""

    def do_authenticate(self, strUserName: str = "", strPassword: str = "") -> Result:
        if (strUserName, strPassword) != (USER, PASSWORD):
            return ["none", "nvu"]
        return ["none", "busy"]


class NoOpWhenIdle(GuideService):
    """An empty queue (qbwc-to-n8n-bridge 1.0.0): authenticate still lets the session in,
    as [ticket, "", "", ""] (the postpone members empty); sendRequestXML answers "NoOp" and
    getLastError "" (no error recorded); connectionError always answers the folder "C:\\"
    (its default retry path) and closeConnection "OK". p.72 and p.80: "NoOp" makes the Web
    Connector call getLastError, it is no request for QuickBooks; p.69: any answer but
    "done" is a retry."""

    def do_authenticate(self, strUserName: str = "", strPassword: str = "") -> Result:
        if (strUserName, strPassword) != (USER, PASSWORD):
            return ["", "nvu", "", ""]
        ticket = self.new_ticket()
        self.open[ticket] = False
        return [ticket, "", "", ""]

    def do_sendRequestXML(self, ticket: str = "", **_: str) -> Result:
        return "NoOp" if self.serves(ticket) else ""

    def do_getLastError(self, ticket: str = "") -> Result:
        if not self.serves(ticket):
            return "Session not found or expired"
        return self.errors.get(ticket, "")

    def do_connectionError(self, ticket: str = "", hresult: str = "", message: str = "") -> Result:
        self.open.pop(ticket, None)  # the bridge drops the session, then asks for a retry
        return "C:\\"


class NoOpThenWork(GuideService):
    """The pause of p.72: a session's first sendRequestXML answers "NoOp" and getLastError
    "NoOp" (wait 5 seconds), then the session's CustomerAdd follows (p.80)."""

    def __init__(self) -> None:
        super().__init__()
        self.waited: set[str] = set()

    def do_sendRequestXML(self, ticket: str = "", **versions: str) -> Result:
        if self.serves(ticket) and ticket not in self.waited:
            self.waited.add(ticket)
            self.errors[ticket] = "NoOp"
            return "NoOp"
        self.errors.pop(ticket, None)
        return super().do_sendRequestXML(ticket, **versions)


# --- violations --------------------------------------------------------------------------


class ServesAnyTicket(GuideService):
    """sendRequestXML hands out work whatever the ticket (qwc 0.0.1, quickbooks-js):
    p.72 wants "" for an expired or unknown ticket."""

    def serves(self, ticket: str) -> bool:
        self.open.setdefault(ticket, False)
        return True


class ElementContent(ServesAnyTicket):
    """Every string and int result is wrapped in a child element,
    ``<sendRequestXMLResult><string>...</string></sendRequestXMLResult>`` (quickbooks-js 1.0.0
    on node-soap); it also serves any ticket and always writes qbXML 13.0. The WSDL types
    these results as plain xsd:string / xsd:int."""

    def render_value(self, result: Result) -> str:
        if isinstance(result, list):
            return super().render_value(result)
        kind = "int" if isinstance(result, int) else "string"
        return f"<{kind}>{escape(str(result))}</{kind}>"

    def version(self, major: str, minor: str) -> str:
        return "13.0"


class TicketsOutliveTheSession(GuideService):
    """A ticket stays good after closeConnection (and after connectionError "done"):
    quickbooks-php served a queued request to such a ticket and then never sent it again.
    p.72: an expired ticket gets "" from sendRequestXML."""

    def __init__(self) -> None:
        super().__init__()
        self.issued: set[str] = set()

    def new_ticket(self) -> str:
        ticket = super().new_ticket()
        self.issued.add(ticket)
        return ticket

    def serves(self, ticket: str) -> bool:
        if ticket in self.issued:
            self.open.setdefault(ticket, False)
        return ticket in self.issued


class CrashesOnQuickBooksError(GuideService):
    """A non-empty hresult in receiveResponseXML crashes the callback (qwc 0.0.1 parses the
    empty response and faults): QBWC1042 instead of p.77's negative answer + getLastError."""

    def quickbooks_failed(self, ticket: str, hresult: str, message: str) -> Result:
        raise SoapFault("Internal Error")


class OneMemberAuthenticate(GuideService):
    """authenticate returns only the ticket (quickbooks-js 1.0.0 with no company file set:
    node-soap drops the empty second member; public evidence: RappidDevelopment/quickbooks-js
    pull request 28, "auth failed" with real QBWC until the empty element was written)."""

    def do_authenticate(self, strUserName: str = "", strPassword: str = "") -> Result:
        answer = super().do_authenticate(strUserName, strPassword)
        assert isinstance(answer, list)
        return [member for member in answer if member]


class IgnoresQuickBooksErrors(ServesAnyTicket):
    """No session state at all (altaraven/QBWCServer's AddCustomersApp, PHP SoapServer):
    every sendRequestXML gets the CustomerAdd whatever the ticket, receiveResponseXML
    answers 100 even when QuickBooks failed the request (a non-empty hresult), getLastError
    always "Get Last Error", connectionError "Connection Error" and closeConnection
    "Complete!". p.24 and p.77: a failed request is answered negative; p.72: "" to a ticket
    that is not live; p.69: "Connection Error" is read as a company file to retry with."""

    def quickbooks_failed(self, ticket: str, hresult: str, message: str) -> Result:
        return 100

    def do_getLastError(self, ticket: str = "") -> Result:
        return "Get Last Error"

    def do_connectionError(self, ticket: str = "", hresult: str = "", message: str = "") -> Result:
        return "Connection Error"

    def do_closeConnection(self, ticket: str = "") -> Result:
        self.open.pop(ticket, None)
        return "Complete!"


class SampleQueriesForAnyTicket(ElementContent):
    """qbws 0.2.1 (npm; a Node port of the web service sample in Intuit's SDK, on
    node-soap): authenticate names the SDK's sample company file (a lowercase ``.qbw``
    path), three queries in qbXML 4.0 (CustomerQuery, InvoiceQuery, BillQuery, one
    MaxReturned each) are handed out from one counter shared by every ticket, and
    receiveResponseXML reports the share sent (33, 67, 100) even when QuickBooks failed the
    request; connectionError answers "DONE" once it has been called before ("" the first
    time, a retry with the open file). p.22 and p.69 allow the path, the old version and
    "done" in any case (Intuit's sample writes it so); p.77-78: a failed request is
    answered negative; p.72: "" to a ticket that is not live."""

    SAMPLE_FILE = (
        "C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Sample Company Files\\"
        "QuickBooks 2014\\sample_wholesale-distribution business.qbw"
    )
    QUERIES = ("CustomerQueryRq", "InvoiceQueryRq", "BillQueryRq")

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0
        self.connection_errors = 0

    def do_authenticate(self, strUserName: str = "", strPassword: str = "") -> Result:
        if (strUserName, strPassword) != (USER, PASSWORD):
            return self.wrong_password()
        return [self.new_ticket(), self.SAMPLE_FILE]

    def do_sendRequestXML(self, ticket: str = "", **_: str) -> Result:
        if self.sent == len(self.QUERIES):
            self.sent = 0
            return ""
        query = self.QUERIES[self.sent]
        self.sent += 1
        return (
            '<?xml version="1.0"?><?qbxml version="4.0"?><QBXML>'
            f'<QBXMLMsgsRq onError="stopOnError"><{query} requestID="{self.sent}">'
            f"<MaxReturned>1</MaxReturned></{query}></QBXMLMsgsRq></QBXML>"
        )

    def do_receiveResponseXML(
        self, ticket: str = "", response: str = "", hresult: str = "", message: str = ""
    ) -> Result:
        share = round(self.sent * 100 / len(self.QUERIES))
        if share >= 100:
            self.sent = 0
        return share

    def do_getLastError(self, ticket: str = "") -> Result:
        return "Error!"

    def do_connectionError(self, ticket: str = "", hresult: str = "", message: str = "") -> Result:
        self.connection_errors += 1
        return "" if self.connection_errors == 1 else "DONE"

    def do_closeConnection(self, ticket: str = "") -> Result:
        return "OK"


class FaultsOnUnknownTicket(GuideService):
    """bill-ash/qbwc 0.0.3 (Django and spyne): a wrong password gets ["nvu", "nvu"]; a
    ticket it does not know makes sendRequestXML fault (its database lookup fails: "Internal
    Error"); its requests are qbXML 16.0 written after a newline and spaces, with no XML
    declaration; receiveResponseXML answers the share of tasks done, 100, even when
    QuickBooks failed the request (it marks the task failed). p.72: "" to an unknown or
    expired ticket, a fault is QBWC1041; p.22 and p.80: no version newer than QuickBooks
    lists; p.77-78: a failed request is answered negative."""

    def wrong_password(self) -> Result:
        return ["nvu", "nvu"]

    def do_sendRequestXML(self, ticket: str = "", **_: str) -> Result:
        if not self.serves(ticket):
            raise SoapFault("Internal Error")
        if self.open.get(ticket):
            return ""
        self.open[ticket] = True
        request = customer_add(f"Field Customer {next(self.names)}", "16.0")
        return "\n    " + request.split("?>", 1)[1]  # the declaration dropped

    def quickbooks_failed(self, ticket: str, hresult: str, message: str) -> Result:
        return 100


class FaultsOnItsOwnStatusTicket(GuideService):
    """django-quickbooks 0.6.4.2 (PyPI; Django 2.2, spyne, a RabbitMQ queue per realm): the
    status it answers authenticate with is its ticket too, ["nvu", "nvu"], ["none", "none"]
    (nothing queued) or ["busy", "busy"] (a session of the realm never closed), and the
    closeConnection the Web Connector then sends with that ticket faults ("Internal Error");
    so does any call with a ticket it never issued, and sendRequestXML when the queue is
    empty. The realm's queue is served to any ticket it issued, closed or ended ones too;
    requests are qbXML 13.0 whatever QuickBooks lists; receiveResponseXML answers -1 to a
    failed request and 100 / (requests left + 1) otherwise; getLastError always "unexpected
    error"; connectionError "done"; no serverVersion (spyne faults). p.21 and p.98: QBWC
    calls closeConnection after "none" and "nvu", a fault there is QBWC1044; p.72: "" to a
    ticket that is not live; p.22 and p.80: no version newer than QuickBooks lists."""

    envelope_prefix = "soap11env"
    has_work = True

    def __init__(self) -> None:
        super().__init__()
        self.issued: set[str] = set()
        self.queue: list[str] = []
        self.held: str | None = None  # the realm's session not yet closed

    def do_serverVersion(self) -> Result:
        raise SoapFault("No matching global declaration available for the validation root.")

    def wrong_password(self) -> Result:
        return ["nvu", "nvu"]

    def do_authenticate(self, strUserName: str = "", strPassword: str = "") -> Result:
        if (strUserName, strPassword) != (USER, PASSWORD):
            return self.wrong_password()
        if self.held is not None:
            return ["busy", "busy"]
        if not self.has_work:
            return ["none", "none"]
        ticket = self.held = self.new_ticket()
        self.issued.add(ticket)
        self.queue.append(customer_add(f"Field Customer {next(self.names)}", "13.0"))
        return [ticket, ""]

    def realm_of(self, ticket: str) -> None:
        if ticket not in self.issued:  # its session lookup fails
            raise SoapFault("Internal Error")

    def do_sendRequestXML(
        self,
        ticket: str = "",
        qbXMLMajorVers: str = "13",
        qbXMLMinorVers: str = "0",
        **_: str,
    ) -> Result:
        self.realm_of(ticket)  # the version QuickBooks offers is not read: always 13.0
        if not self.queue:  # it parses the empty message it got from the queue
            raise SoapFault("Internal Error")
        return self.queue.pop(0)

    def do_receiveResponseXML(
        self, ticket: str = "", response: str = "", hresult: str = "", message: str = ""
    ) -> Result:
        self.realm_of(ticket)
        if hresult:
            return -1
        return 100 // (len(self.queue) + 1)

    def do_getLastError(self, ticket: str = "") -> Result:
        return "unexpected error"

    def do_connectionError(self, ticket: str = "", hresult: str = "", message: str = "") -> Result:
        self.realm_of(ticket)
        self.held = None
        return "done"

    def do_closeConnection(self, ticket: str = "") -> Result:
        self.realm_of(ticket)
        self.held = None
        return "ok"


class FaultsOnItsOwnStatusTicketIdle(FaultsOnItsOwnStatusTicket):
    """The same service with nothing queued: every session is ["none", "none"], then a fault
    from closeConnection("none")."""

    has_work = False
