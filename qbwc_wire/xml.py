"""The one safe way to parse XML written by someone else (a SOAP envelope, a qbXML message
set, a .qwc file).

No DTD is loaded or accepted (so no external entity, no network access, no entity
expansion), and a document larger than ``max_bytes`` is refused before it is parsed.
"""

from __future__ import annotations

import threading

from lxml import etree

XMLSyntaxError = etree.XMLSyntaxError


class UnsafeXmlError(ValueError):
    """XML refused before or instead of being used: too large, or with a DOCTYPE."""


def safe_parser() -> etree.XMLParser:
    """An lxml parser that never fetches, loads or expands anything from a DTD.

    ``huge_tree=False`` keeps libxml2's limits on depth and on text node size. Comments
    are dropped (nobody reads them); processing instructions are kept (``<?qbxml?>``)."""
    return etree.XMLParser(
        remove_comments=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )


#: One ``safe_parser`` per thread (an lxml parser must not be shared between threads, and
#: building one for each of the several parses a call makes costs a fifth of the parse).
_parsers = threading.local()


def _thread_parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = safe_parser()
    return parser


def parse_xml(data: bytes | str, *, max_bytes: int, what: str = "the XML") -> etree._Element:
    """Parse ``data`` safely: UnsafeXmlError when it is over ``max_bytes`` or declares a DTD;
    lxml's XMLSyntaxError (unchanged) when it is not well-formed."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise UnsafeXmlError(f"{what} is {len(raw)} bytes; the limit is {max_bytes} bytes")
    # Refused before parsing, so that the answer names the DTD (libxml2 would stop a bomb
    # too, but with a less telling message); the check after parsing covers encodings in
    # which the declaration is not these bytes.
    refused = UnsafeXmlError(f"{what} declares a DOCTYPE; DTDs and entities are not accepted")
    if b"<!DOCTYPE" in raw:
        raise refused
    root = etree.fromstring(raw, _thread_parser())
    # lxml-stubs do not declare DocInfo.doctype, which lxml has.
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        raise refused
    return root
