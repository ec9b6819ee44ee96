"""Services that answer in ways the guide allows, each differing from ``GuidedService`` in
one answer. A faithful Web Connector lets every one of them through."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from .guided import PASSWORD, USER, GuidedService


class EmptyTicketNvu(GuidedService):
    """A failed login answered ['', 'nvu'] (the first member may be empty: guide p.62)."""

    def authenticate(self, strUserName: str = "", strPassword: str = "") -> list[str]:
        if (strUserName, strPassword) != (USER, PASSWORD):
            return ["", "nvu"]
        return super().authenticate(strUserName, strPassword)


class FourMemberAnswers(GuidedService):
    """authenticate always answers four members, the last two empty (guide p.62-63)."""

    def authenticate(self, strUserName: str = "", strPassword: str = "") -> list[str]:
        return [*super().authenticate(strUserName, strPassword), "", ""]


class RetriesWithOpenFile(GuidedService):
    """connectionError answered "" (retry with the company file that is open): guide p.22,
    p.52, and Intuit's own sample on p.70."""

    def connectionError(self, ticket: str = "", **_: str) -> str:
        return ""


class NamesItsCompanyFile(GuidedService):
    """authenticate names the company file (guide p.21-22: any other second member is the
    path to open); the harness cannot know the vendor's path."""

    def authenticate(self, strUserName: str = "", strPassword: str = "") -> list[str]:
        answer = super().authenticate(strUserName, strPassword)
        if answer[1] == "":
            answer[1] = "C:\\Company Files\\Vendor Test Company.QBW"
        return answer


class ElementContentStrings(GuidedService):
    """String results sent as element content, <XResult><string>...</string></XResult>, as
    node-soap services do (QBWC-FACTS.md)."""

    def result_content(self, result: Any) -> str:
        if isinstance(result, list):
            return super().result_content(result)
        return f"<string>{escape(str(result))}</string>"


class NothingToDo(GuidedService):
    """authenticate answers "none" with four members (guide p.63, example 5 without a
    minimum interval): nothing to do today."""

    def authenticate(self, strUserName: str = "", strPassword: str = "") -> list[str]:
        answer = super().authenticate(strUserName, strPassword)
        if answer[1] == "":
            self.sessions.pop(answer[0])
            return [answer[0], "none", "", ""]
        return answer


class AlwaysBusy(GuidedService):
    """authenticate answers "busy" (guide p.62): try later."""

    def authenticate(self, strUserName: str = "", strPassword: str = "") -> list[str]:
        answer = super().authenticate(strUserName, strPassword)
        if answer[1] == "":
            self.sessions.pop(answer[0])
            return [answer[0], "busy"]
        return answer


class RateLimitedLogin(GuidedService):
    """Turns every login away with "none" before looking at the password, as a login rate
    limit does (consolibyte/quickbooks-php's default answers ['CONC1234', 'none']): a real
    QBWC shows "No Data Exchange required", and nothing is learnt about the password."""

    def authenticate(self, strUserName: str = "", strPassword: str = "") -> list[str]:
        return ["CONC1234", "none"]
