"""Safe XML parsing for everything the harness reads that someone else wrote: qbXML
requests in the fake QuickBooks (from the connector under test), SOAP answers in the
simulated Web Connector (from the connector under test), .qwc files (from users).

No DTD is loaded or accepted (so no external entity, no network access, no entity
expansion), and a document larger than ``max_bytes`` is refused before it is parsed. The
parser itself is the connector's (``connector.limits``): the connector may not import the
harness, so the one implementation lives there.
"""

from __future__ import annotations

from lxml import etree

from connector.limits import UnsafeXmlError, safe_parser
from connector.limits import parse_xml as _parse_xml

__all__ = ["MAX_XML_BYTES", "UnsafeXmlError", "XMLSyntaxError", "parse", "safe_parser"]

#: The largest document any harness component parses, unless a caller passes its own limit.
#: libxml2 refuses a single text node over 10 MB without ``huge_tree`` anyway.
MAX_XML_BYTES = 10 * 1024 * 1024

XMLSyntaxError = etree.XMLSyntaxError


def parse(data: bytes | str, *, what: str, max_bytes: int | None = None) -> etree._Element:
    """The root element; UnsafeXmlError (too large, DOCTYPE) or XMLSyntaxError otherwise."""
    limit = MAX_XML_BYTES if max_bytes is None else max_bytes
    return _parse_xml(data, max_bytes=limit, what=what)
