"""A QBWC service that follows the Programmer's Guide, as plain WSGI (standard library only).

Every session pulls customers: two CustomerQuery requests, so a service that has work is
always at hand. Tickets live from authenticate to closeConnection; any other ticket is
answered "" (sendRequestXML) or -1 (receiveResponseXML) and explained by getLastError
(guide p.52-53, p.72). A non-empty hresult is answered -101 (guide p.24, p.78).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from typing import Any
from xml.sax.saxutils import escape

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "http://developer.intuit.com/"
USER, PASSWORD = "harness", "service-pass-1"

#: what every session asks QuickBooks, in order
QUERIES = ("CustomerQuery", "CustomerQuery")


class GuidedService:
    """Override one method in a subclass to answer differently."""

    def __init__(self) -> None:
        self.sessions: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, str] = {}

    # -- helpers ------------------------------------------------------------------------
    def new_ticket(self) -> str:
        return "{" + str(uuid.uuid4()).upper() + "}"

    def version(self, major: str, minor: str) -> str:
        """The newest qbXML version both sides know (this service writes up to 13.0)."""
        newest, least = (int(major or 13), int(minor or 0)), (13, 0)
        major_used, minor_used = min(newest, least)
        return f"{major_used}.{minor_used}"

    def request(self, kind: str, number: int, version: str) -> str:
        return (
            f'<?xml version="1.0" encoding="utf-8"?><?qbxml version="{version}"?><QBXML>'
            f'<QBXMLMsgsRq onError="stopOnError"><{kind}Rq requestID="{number}">'
            f"<MaxReturned>10</MaxReturned></{kind}Rq></QBXMLMsgsRq></QBXML>"
        )

    def percent(self, session: dict[str, Any]) -> int:
        return 100 * session["done"] // len(QUERIES)

    # -- the web methods ----------------------------------------------------------------
    def serverVersion(self, **_: str) -> str:
        return "guided 1.0"

    def clientVersion(self, strVersion: str = "") -> str:
        return ""

    def authenticate(self, strUserName: str = "", strPassword: str = "") -> list[str]:
        ticket = self.new_ticket()
        if (strUserName, strPassword) != (USER, PASSWORD):
            return [ticket, "nvu"]
        self.sessions[ticket] = {"done": 0, "sent": None}
        return [ticket, ""]

    def sendRequestXML(
        self, ticket: str = "", qbXMLMajorVers: str = "", qbXMLMinorVers: str = "", **_: str
    ) -> str:
        session = self.sessions.get(ticket)
        if session is None:
            self.errors[ticket] = "Unknown or closed ticket"
            return ""
        number = session["done"] + 1
        session["sent"] = number
        version = self.version(qbXMLMajorVers, qbXMLMinorVers)
        return self.request(QUERIES[number - 1], number, version)

    def receiveResponseXML(
        self, ticket: str = "", response: str = "", hresult: str = "", message: str = "", **_: str
    ) -> int:
        session = self.sessions.get(ticket)
        if session is None or session["sent"] is None:
            self.errors[ticket] = "Unknown or closed ticket"
            return -1
        if hresult:
            self.errors[ticket] = f"QuickBooks could not process the request: {hresult} {message}"
            return -101
        session["done"], session["sent"] = session["sent"], None
        return self.percent(session)

    def connectionError(self, ticket: str = "", **_: str) -> str:
        self.sessions.pop(ticket, None)
        return "done"

    def getLastError(self, ticket: str = "") -> str:
        return self.errors.pop(ticket, "Unknown or closed ticket")

    def closeConnection(self, ticket: str = "") -> str:
        self.sessions.pop(ticket, None)
        return "OK"

    # -- SOAP over WSGI -----------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        call = ET.fromstring(body).find(f"{{{SOAP}}}Body")[0]  # type: ignore[index]
        method = call.tag.split("}")[1]
        arguments = {child.tag.split("}")[1]: child.text or "" for child in call}
        result = getattr(self, method)(**arguments)
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [self.envelope(method, result)]

    def envelope(self, method: str, result: Any) -> bytes:
        return (
            f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}">'
            f'<soap:Body><{method}Response xmlns="{TNS}"><{method}Result>'
            f"{self.result_content(result)}</{method}Result></{method}Response>"
            "</soap:Body></soap:Envelope>"
        ).encode()

    def result_content(self, result: Any) -> str:
        """A result as .NET writes it: an array as <string> items, a value as text."""
        if isinstance(result, list):
            return "".join(f"<string>{escape(item)}</string>" for item in result)
        return escape(str(result))
