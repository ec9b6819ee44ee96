"""A minimal QBWC web service for the scale benchmark: an "initial sync" that pages every
list and transaction of a company through qbXML iterators (Start, then Continue until
iteratorRemainingCount is 0) and keeps what it reads in memory, the way a connector imports
a company into its app.

It is deliberately thin (lxml in, string templates out, no SOAP framework) so the figure is
the Web Connector and the fake QuickBooks paging, not a connector's own logic. The reference
connector does not do this initial sync yet (see benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

QBWC_NS = "http://developer.intuit.com/"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

#: (request name, Ret name, extra body elements after MaxReturned) in dependency order.
DEFAULT_QUERIES: tuple[tuple[str, str, str], ...] = (
    ("ItemQueryRq", "", ""),
    ("CustomerQueryRq", "CustomerRet", ""),
    ("InvoiceQueryRq", "InvoiceRet", "<IncludeLineItems>true</IncludeLineItems>"),
)


@dataclass
class PagerService:
    page: int = 500
    queries: tuple[tuple[str, str, str], ...] = DEFAULT_QUERIES
    #: What was imported: (Ret name, ListID/TxnID) -> name or RefNumber.
    imported: dict[tuple[str, str], str] = field(default_factory=dict)
    pages: int = 0
    _index: int = 0
    _iterator: str | None = None
    _request_id: int = 0

    # -- the sync plan --------------------------------------------------------------------
    def next_request(self) -> str:
        name, _, extra = self.queries[self._index]
        self._request_id += 1
        if self._iterator is None:
            attrs = 'iterator="Start"'
        else:
            attrs = f'iterator="Continue" iteratorID="{self._iterator}"'
        return (
            '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?>'
            '<QBXML><QBXMLMsgsRq onError="stopOnError">'
            f'<{name} requestID="{self._request_id}" {attrs}>'
            f"<MaxReturned>{self.page}</MaxReturned>{extra}</{name}>"
            "</QBXMLMsgsRq></QBXML>"
        )

    def apply(self, response: str) -> int:
        """Import one page; the percentage done (100 when every query is exhausted)."""
        root = etree.fromstring(response.encode("utf-8"), _PARSER)
        rs = root[0][0]
        self.pages += 1
        code = int(rs.get("statusCode", "0"))
        if code not in (0, 1):
            raise RuntimeError(f"{rs.tag} failed: {code} {rs.get('statusMessage')}")
        for ret in rs:
            ident = ret.findtext("ListID") or ret.findtext("TxnID") or ""
            label = ret.findtext("FullName") or ret.findtext("RefNumber") or ""
            self.imported[(ret.tag, ident)] = label
        remaining = int(rs.get("iteratorRemainingCount", "0"))
        if remaining > 0:
            self._iterator = rs.get("iteratorID")
        else:
            self._iterator = None
            self._index += 1
        if self._index >= len(self.queries):
            return 100
        return min(99, int(100 * self._index / len(self.queries)))

    # -- SOAP -----------------------------------------------------------------------------
    def handle(self, method: str, args: dict[str, str]) -> str | int | list[str]:
        if method == "authenticate":
            return ["bench-ticket", ""]
        if method == "sendRequestXML":
            return self.next_request() if self._index < len(self.queries) else ""
        if method == "receiveResponseXML":
            return self.apply(args.get("response", "")) if args.get("response") else -1
        if method == "closeConnection":
            return "OK"
        if method == "connectionError":
            return "done"
        return ""

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size)
        envelope = etree.fromstring(body, _PARSER)
        call = envelope[-1][0]  # soap:Body / method element
        method = etree.QName(call).localname
        args = {etree.QName(child).localname: child.text or "" for child in call}
        value = self.handle(method, args)
        if isinstance(value, list):
            inner = "".join(f"<string>{escape(v)}</string>" for v in value)
        else:
            inner = escape(str(value))
        payload = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
            f'<soap:Body><{method}Response xmlns="{QBWC_NS}">'
            f"<{method}Result>{inner}</{method}Result>"
            f"</{method}Response></soap:Body></soap:Envelope>"
        ).encode()
        start_response(
            "200 OK",
            [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(payload)))],
        )
        return [payload]
