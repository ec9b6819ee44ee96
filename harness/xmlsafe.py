"""Safe XML parsing for everything the harness reads that someone else wrote: qbXML
requests in the fake QuickBooks (from the connector under test), SOAP answers in the
simulated Web Connector (from the connector under test), .qwc files (from users).

The parser is the leaf package's (``qbwc_wire.xml``); this module adds the harness's own
default size limit.
"""

from __future__ import annotations

from lxml import etree

from qbwc_wire import UnsafeXmlError, XMLSyntaxError, parse_xml, safe_parser

__all__ = ["MAX_XML_BYTES", "UnsafeXmlError", "XMLSyntaxError", "parse", "safe_parser"]

#: The largest document any harness component parses, unless a caller passes its own limit.
#: libxml2 refuses a single text node over 10 MB without ``huge_tree`` anyway.
MAX_XML_BYTES = 10 * 1024 * 1024


def parse(data: bytes | str, *, what: str, max_bytes: int | None = None) -> etree._Element:
    """The root element; UnsafeXmlError (too large, DOCTYPE) or XMLSyntaxError otherwise."""
    limit = MAX_XML_BYTES if max_bytes is None else max_bytes
    return parse_xml(data, max_bytes=limit, what=what)
