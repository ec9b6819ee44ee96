"""Services that each commit one violation of the guide; everything else as
``GuidedService``. A faithful Web Connector run shows each one's consequence."""

from __future__ import annotations

from typing import Any

from .allowed import ElementContentStrings
from .guided import QUERIES, SOAP, GuidedService


class ServesAnyTicket(GuidedService):
    """Hands out its queued requests to any ticket, a closed or forged one too (its request
    counter is kept outside the session): guide p.52-53, p.72 want "" for such a ticket."""

    def sendRequestXML(self, ticket: str = "", **arguments: str) -> str:
        self.sessions.setdefault(ticket, {"done": 0, "sent": None})
        session = self.sessions[ticket]
        if session["done"] >= len(QUERIES):
            session["done"] = 0
        return super().sendRequestXML(ticket, **arguments)


class ServesAnyTicketAsElementContent(ServesAnyTicket, ElementContentStrings):
    """The same, with string results as element content: a reader that took those for ""
    would have passed it."""


class FaultsOnCrash(GuidedService):
    """A RuntimeError in a web method becomes a SOAP Fault with HTTP 500, as SOAP stacks
    answer an exception."""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        try:
            return super().__call__(environ, start_response)
        except RuntimeError as exc:
            fault = (
                f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}">'
                "<soap:Body><soap:Fault><faultcode>soap:Server</faultcode>"
                f"<faultstring>{exc}</faultstring></soap:Fault></soap:Body></soap:Envelope>"
            )
            start_response("500 Internal Server Error", [("Content-Type", "text/xml")])
            return [fault.encode()]


class CrashesOnHresult(FaultsOnCrash):
    """Fails with an exception (HTTP 500, a SOAP Fault) when QuickBooks failed the request:
    the Web Connector shows QBWC1042."""

    def receiveResponseXML(self, ticket: str = "", hresult: str = "", **arguments: str) -> int:
        if hresult:
            raise RuntimeError("cannot parse an empty response")
        return super().receiveResponseXML(ticket, **arguments)


class SwallowsHresult(GuidedService):
    """Reports 100 ("done") when QuickBooks failed the request: the user sees success."""

    def receiveResponseXML(self, ticket: str = "", hresult: str = "", **arguments: str) -> int:
        if hresult:
            return 100
        return super().receiveResponseXML(ticket, **arguments)


class SilentLastError(GuidedService):
    """Answers a failed request negative, then has nothing to tell the user (getLastError
    "": guide p.24, p.53 want the reason shown)."""

    def getLastError(self, ticket: str = "") -> str:
        super().getLastError(ticket)
        return ""


class AlwaysWrites13(GuidedService):
    """Writes qbXML 13.0 whatever QuickBooks supports (guide p.22: HostRet's
    SupportedQBXMLVersion, and qbXMLMajorVers / qbXMLMinorVers)."""

    def version(self, major: str, minor: str) -> str:
        return "13.0"


class LocksAfterCrash(FaultsOnCrash):
    """Takes a lock at authenticate and frees it at closeConnection; its receiveResponseXML
    crashes once, so the lock is never freed and every later login is answered "busy"."""

    def __init__(self) -> None:
        super().__init__()
        self.locked_by: str | None = None
        self.crashed = False

    def authenticate(self, strUserName: str = "", strPassword: str = "") -> list[str]:
        if self.locked_by is not None:
            return [self.new_ticket(), "busy"]
        answer = super().authenticate(strUserName, strPassword)
        if answer[1] == "":
            self.locked_by = answer[0]
        return answer

    def receiveResponseXML(self, ticket: str = "", **arguments: str) -> int:
        if not self.crashed:
            self.crashed = True
            raise RuntimeError("database connection lost")
        return super().receiveResponseXML(ticket, **arguments)

    def closeConnection(self, ticket: str = "") -> str:
        if ticket == self.locked_by:
            self.locked_by = None
        return super().closeConnection(ticket)


class NeverFinishes(GuidedService):
    """Has one more request whatever was answered, and says 50 every time: the session
    never ends by itself (the guide's sessions end at 100 or on an error, p.24, p.78)."""

    def sendRequestXML(self, ticket: str = "", **arguments: str) -> str:
        session = self.sessions.get(ticket)
        if session is not None:
            session["done"] = 0  # the first query again, and again
        return super().sendRequestXML(ticket, **arguments)

    def percent(self, session: dict[str, Any]) -> int:
        return 50
