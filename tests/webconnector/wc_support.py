"""A plain QBWC web service for the Web Connector tests, written with lxml only.

It uses no project code on purpose: the simulated Web Connector is tested against an
independent reading of the contract, and every request it receives is kept verbatim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from lxml import etree

TNS = "http://developer.intuit.com/"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = object()  # answer marker: <xResult xsi:nil="true"/>
OMIT = object()  # answer marker: no result element at all

RESULT_KIND = {
    "authenticate": "array",
    "receiveResponseXML": "int",
}


@dataclass
class Received:
    method: str
    args: dict[str, str | None]
    body: bytes
    headers: dict[str, str]


@dataclass
class Reply:
    """Override of the normal answer: raw bytes, a status, a content type."""

    body: bytes
    status: str = "200 OK"
    content_type: str = "text/xml; charset=utf-8"


def soap_fault(text: str) -> Reply:
    body = (
        f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body><soap:Fault>'
        f"<faultcode>soap:Server</faultcode><faultstring>{text}</faultstring>"
        "</soap:Fault></soap:Body></soap:Envelope>"
    ).encode()
    return Reply(body, "500 Internal Server Error")


@dataclass
class ScriptedQbwcServer:
    """Answers each method from ``answers`` (a value, a callable(args) or a list consumed in
    order); the default answers make one happy session with ``requests``."""

    requests: list[str] = field(default_factory=lambda: ["<Rq1/>", "<Rq2/>"])
    answers: dict[str, Any] = field(default_factory=dict)
    log: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue = list(self.requests)
        self._done = 0

    @property
    def methods(self) -> list[str]:
        return [r.method for r in self.log]

    def calls(self, method: str) -> list[Received]:
        return [r for r in self.log if r.method == method]

    def default(self, method: str, args: dict[str, str | None]) -> Any:
        if method == "serverVersion":
            return "1.0.test"
        if method == "clientVersion":
            return ""
        if method == "authenticate":
            return ["TICKET-1", ""]
        if method == "sendRequestXML":
            return self._queue.pop(0) if self._queue else ""
        if method == "receiveResponseXML":
            self._done += 1
            return 100 * self._done // max(len(self.requests), 1)
        if method == "getLastError":
            return "No more work"
        if method == "connectionError":
            return "done"
        return "OK"

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {
            k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        headers["Content-Type"] = environ.get("CONTENT_TYPE", "")
        root = etree.fromstring(body)
        element = root.find(f"{{{SOAP}}}Body")[0]
        method = etree.QName(element).localname
        args: dict[str, str | None] = {}
        for child in element:
            nil = child.get(f"{{{XSI}}}nil") == "true"
            args[etree.QName(child).localname] = None if nil else (child.text or "")
        self.log.append(Received(method, args, body, headers))
        answer = self.answers.get(method, None)
        if isinstance(answer, list) and method != "authenticate":
            answer = answer.pop(0) if answer else None
            if answer is None:
                answer = self.default(method, args)
        elif callable(answer):
            answer = answer(args)
        elif method not in self.answers:
            answer = self.default(method, args)
        if isinstance(answer, Reply):
            start_response(answer.status, [("Content-Type", answer.content_type)])
            return [answer.body]
        out = render_answer(method, answer)
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [out]


def render_answer(method: str, value: Any) -> bytes:
    envelope = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP, "xsi": XSI})
    body = etree.SubElement(envelope, f"{{{SOAP}}}Body")
    wrapper = etree.SubElement(body, f"{{{TNS}}}{method}Response", nsmap={None: TNS})
    if value is not OMIT:
        result = etree.SubElement(wrapper, f"{{{TNS}}}{method}Result")
        if value is NIL:
            result.set(f"{{{XSI}}}nil", "true")
        elif RESULT_KIND.get(method) == "array":
            for item in value:
                string = etree.SubElement(result, f"{{{TNS}}}string")
                if item is None:
                    string.set(f"{{{XSI}}}nil", "true")
                else:
                    string.text = item
        else:
            result.text = str(value)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


class StandInError(Exception):
    def __init__(self, hresult: int, message: str) -> None:
        super().__init__(message)
        self.hresult = hresult
        self.message = message


class StandInQuickBooks:
    """The three things the Web Connector needs from QuickBooks, and a record of requests."""

    def __init__(self, company_file: str = r"C:\Company Files\Acme.QBW") -> None:
        self.settings = SimpleNamespace(company_file=company_file)
        self.requests: list[str] = []
        self.hcp_calls = 0

    def hcp_response(self) -> str:
        self.hcp_calls += 1
        return "<QBXML><QBXMLMsgsRs><HostQueryRs/></QBXMLMsgsRs></QBXML>"

    def process(self, request: str) -> str:
        self.requests.append(request)
        if "PARSE-ERROR" in request:
            raise StandInError(0x80040400, "QuickBooks found an error when parsing the XML")
        return f"<Rs n='{len(self.requests)}'/>"


QWC_TEXT = """<?xml version="1.0"?>
<QBWCXML>
  <AppName>Harness Test App</AppName>
  <AppID></AppID>
  <AppURL>http://localhost:8000/qbwc</AppURL>
  <AppDescription>test</AppDescription>
  <AppSupport>http://localhost:8000/support</AppSupport>
  <UserName>syncuser</UserName>
  <OwnerID>{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}</OwnerID>
  <FileID>{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}</FileID>
  <QBType>QBFS</QBType>
  {extra}
</QBWCXML>
"""


def qwc_text(extra: str = "") -> str:
    return QWC_TEXT.replace("{extra}", extra)
