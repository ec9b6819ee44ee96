"""Errors of the simulated Web Connector, with the QBWC error codes of the guide's Appendix A.

The texts are short paraphrases of the "Error Message" column of Appendix A (guide pp. 83-98),
not quotations; the code is what a support engineer searches for, so it is exact.
"""

from __future__ import annotations

#: QBWC error codes the simulated client can end a session with (guide Appendix A, pp. 83-98).
QBWC_ERRORS: dict[str, str] = {
    "QBWC1000": "The domain names of the service and support URLs do not match",
    "QBWC1001": "The service URL is an IP address; the application will not be loaded",
    "QBWC1002": "The support URL is an IP address; the application will not be loaded",
    "QBWC1010": "Only SSL (https) based applications are allowed (http only for localhost)",
    "QBWC1012": "Authentication failed due to following error message",
    "QBWC1013": "Error connecting to QuickBooks. Returning error message to application",
    "QBWC1014": "Could not get Host/Company/Preference Query response from QuickBooks. Job ending",
    "QBWC1031": "Operation completed with some error",
    "QBWC1036": "Error encountered during version check",
    "QBWC1037": "Application sent an error or warning message when checking the version of "
    "QB web connector. Update aborted",
    "QBWC1039": "There was a problem adding the application (the QWC file is missing a "
    "required element or has an invalid value)",
    "QBWC1041": "SendRequestXML failed due to error message",
    "QBWC1042": "ReceiveResponseXML failed due to error message",
    "QBWC1043": "getLastError failed due to error message",
    "QBWC1044": "CloseConnection failed due to error message",
    "QBWC1045": "ConnectionError failed due to error message",
    "QBWC1046": "Application sent incorrect syntax return value for clientVersion()",
}

#: Which code the client shows when a call to this web method throws (guide pp. 91, 97-98).
METHOD_FAILURE_CODES: dict[str, str] = {
    "clientVersion": "QBWC1036",
    "authenticate": "QBWC1012",
    "sendRequestXML": "QBWC1041",
    "receiveResponseXML": "QBWC1042",
    "getLastError": "QBWC1043",
    "closeConnection": "QBWC1044",
    "connectionError": "QBWC1045",
}


def qbwc_message(code: str, detail: str = "") -> str:
    """``"QBWC1012: Authentication failed due to following error message. <detail>"``."""
    text = f"{code}: {QBWC_ERRORS[code]}"
    return f"{text}. {detail}" if detail else text


class WebConnectorError(Exception):
    """Base class of the simulated Web Connector's own errors."""


class QwcError(WebConnectorError):
    """A .qwc file that the real Web Connector would refuse to load."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class SoapCallError(WebConnectorError):
    """A web-method call that did not produce a usable answer.

    ``kind`` is ``connection`` (no HTTP answer), ``http`` (a status or content type that a
    .NET SOAP client rejects), ``fault`` (a SOAP Fault) or ``malformed`` (not a readable
    envelope). ``message`` is worded the way the .NET client words the exception, because
    that text is what QBWC writes after the QBWC10xx code.
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        status: int | None = None,
        request: bytes | None = None,
        response: bytes | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.request = request
        self.response = response
