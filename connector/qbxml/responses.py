"""Parse qbXML response message sets and the first call's strHCPResponse.

Each ``*Rs`` carries requestID (echoed from the request), statusCode, statusSeverity and
statusMessage; queries that ran through an iterator add iteratorRemainingCount and
iteratorID (QBWC-FACTS.md, qbXML section).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from connector.limits import DEFAULT_MAX_REQUEST_BYTES
from connector.qbxml.requests import QbxmlVersion
from qbwc_wire import UnsafeXmlError, parse_xml

#: statusCode 1: a query matched nothing; not an error for the connector.
STATUS_NO_MATCH = 1


class QbxmlParseError(ValueError):
    """The text is not a qbXML response the connector can read."""


@dataclass(frozen=True)
class ResponseStatus:
    """One ``*Rs`` element: its status and the ``*Ret`` records inside it."""

    tag: str
    request_id: str
    status_code: int
    status_severity: str
    status_message: str
    rets: list[etree._Element] = field(default_factory=list)
    iterator_id: str = ""
    iterator_remaining: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code == 0 or self.status_severity in {"Info", "Warn"}

    @property
    def no_match(self) -> bool:
        return self.status_code == STATUS_NO_MATCH

    def error_text(self) -> str:
        return f"{self.status_code}: {self.status_message}"


def _root(text: str) -> etree._Element:
    if not text or not text.strip():
        raise QbxmlParseError("empty qbXML response")
    try:
        # The SOAP request that carried it was already held to max_request_bytes.
        return parse_xml(text.strip(), max_bytes=DEFAULT_MAX_REQUEST_BYTES, what="the response")
    except UnsafeXmlError as exc:
        raise QbxmlParseError(str(exc)) from None
    except etree.XMLSyntaxError as exc:
        raise QbxmlParseError(f"response is not well-formed XML: {exc}") from None


def parse_response(text: str) -> list[ResponseStatus]:
    """All ``*Rs`` elements of a QBXMLMsgsRs, in order."""
    root = _root(text)
    msgs = root.find("QBXMLMsgsRs")
    if root.tag != "QBXML" or msgs is None:
        raise QbxmlParseError("expected QBXML/QBXMLMsgsRs")
    statuses = []
    for rs in msgs:
        if not isinstance(rs.tag, str) or not rs.tag.endswith("Rs"):
            continue
        try:
            code = int(rs.get("statusCode", "0"))
            remaining = int(rs.get("iteratorRemainingCount", "0"))
        except ValueError:
            raise QbxmlParseError(f"{rs.tag} has a non-numeric status attribute") from None
        statuses.append(
            ResponseStatus(
                tag=rs.tag,
                request_id=rs.get("requestID", ""),
                status_code=code,
                status_severity=rs.get("statusSeverity", "Info" if code == 0 else "Error"),
                status_message=rs.get("statusMessage", ""),
                rets=[c for c in rs if isinstance(c.tag, str) and c.tag.endswith("Ret")],
                iterator_id=rs.get("iteratorID", ""),
                iterator_remaining=remaining,
            )
        )
    return statuses


def supported_versions(hcp_response: str) -> list[QbxmlVersion]:
    """SupportedQBXMLVersion values of the HostRet in strHCPResponse (guide p.22, p.80).

    QuickBooks lists versions such as "13.0" and also bare majors like "2.1"; anything that
    does not parse is ignored.
    """
    root = _root(hcp_response)
    versions = []
    for node in root.iter("SupportedQBXMLVersion"):
        try:
            versions.append(QbxmlVersion.parse(node.text or ""))
        except ValueError:
            continue
    return sorted(set(versions))


def text_of(element: etree._Element, path: str, default: str = "") -> str:
    node = element.find(path)
    return default if node is None or node.text is None else node.text
