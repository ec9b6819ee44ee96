"""One QBWC web-method call over a zeep transport, with the .NET client's HTTP habits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import requests
from zeep.transports import Transport

from .contract import Contract, load_contract
from .envelope import Value, read_result, render_request
from .errors import SoapCallError
from .transport import AnswerRefused

#: What .NET 4.x's SoapHttpClientProtocol sends as User-Agent (QBWC 2.x runs on .NET 4).
DOTNET_USER_AGENT = (
    "Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)"
)

_PASSWORD_RE = re.compile(rb"<strPassword>.*?</strPassword>", re.DOTALL)


def redact_password(envelope: bytes) -> bytes:
    """The request bytes with the password replaced: it must never reach a log (WC-02)."""
    return _PASSWORD_RE.sub(b"<strPassword>REDACTED</strPassword>", envelope)


def _not_followed(reply: requests.Response) -> str:
    """What a redirect answer is told: the .NET SOAP client does not follow it
    (HttpWebClientProtocol.AllowAutoRedirect is false by default, learn.microsoft.com)."""
    if not 300 <= reply.status_code < 400:
        return ""
    location = reply.headers.get("Location", "")
    shown = "".join(c if c.isprintable() else "?" for c in location[:200])
    return (
        f" The redirect to {shown!r} was not followed: the .NET SOAP client QBWC uses "
        "does not follow redirects, so the request (and its password) stays where it was "
        "sent."
    )


@dataclass
class CallResult:
    value: str | int | list[str | None] | None
    request: bytes
    response: bytes
    status: int
    #: how the answer was read when it was not plain text (element content)
    notes: list[str]


class QbwcSoapClient:
    """Sends QBWC web-method calls to ``url`` the way the .NET Web Connector does."""

    def __init__(self, url: str, transport: Transport, contract: Contract | None = None) -> None:
        self.url = url
        self.transport = transport
        self.contract = contract or load_contract()

    def headers(self, method: str) -> dict[str, str]:
        action = self.contract[method].soap_action
        return {
            "User-Agent": DOTNET_USER_AGENT,
            "Content-Type": "text/xml; charset=utf-8",
            # .NET quotes the SOAPAction value.
            "SOAPAction": f'"{action}"',
        }

    def render(self, method: str, arguments: Mapping[str, Value]) -> bytes:
        return render_request(self.contract[method], arguments)

    def call(self, method: str, arguments: Mapping[str, Value]) -> CallResult:
        """Send one call; raise SoapCallError (never anything else) when it has no answer."""
        operation = self.contract[method]
        request = render_request(operation, arguments)
        try:
            reply = self.transport.post(self.url, request, self.headers(method))
        except requests.exceptions.Timeout as exc:
            raise SoapCallError(
                "connection", f"The operation has timed out ({exc})", request=request
            ) from None
        except AnswerRefused as exc:
            raise SoapCallError("http", str(exc), request=request) from None
        except (requests.exceptions.RequestException, OSError) as exc:
            raise SoapCallError(
                "connection",
                f"Unable to connect to the remote server ({exc.__class__.__name__})",
                request=request,
            ) from None
        body = reply.content or b""
        content_type = reply.headers.get("Content-Type", "")
        is_xml = content_type.split(";")[0].strip().lower() == "text/xml"
        try:
            if reply.status_code == 500 and is_xml:
                # .NET reads a 500 with an XML body as a SOAP Fault.
                read_result(operation, body)
                raise SoapCallError(
                    "http",
                    "The request failed with HTTP status 500: "
                    f"{reply.reason or 'Internal Server Error'}.",
                )
            if reply.status_code not in (200, 202):
                raise SoapCallError(
                    "http",
                    f"The request failed with HTTP status {reply.status_code}: "
                    f"{reply.reason or 'Error'}.{_not_followed(reply)}",
                )
            if not is_xml:
                raise SoapCallError(
                    "http",
                    f"Client found response content type of '{content_type}', "
                    "but expected 'text/xml'.",
                )
            notes: list[str] = []
            value = read_result(operation, body, notes)
        except SoapCallError as exc:
            exc.request, exc.response, exc.status = request, body, reply.status_code
            raise
        return CallResult(value, request, body, reply.status_code, notes)
