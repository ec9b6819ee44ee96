"""Field lengths: a string longer than the schema's xsd:maxLength is refused with 3070.

The limits are the schema's own (``_schema_tables.MAX_LENGTHS``, generated from
qbxml130.xsd), per aggregate and child: Customer and Vendor names 41, item and account
names 31, RefNumber 11, AccountAdd AccountNumber 7, Addr1..5 41 ...
"""

from __future__ import annotations

from lxml import etree

from harness.fake_qbd._schema_tables import MAX_LENGTHS


def first_too_long(request: etree._Element) -> tuple[str, str] | None:
    """(field, value) of the first string in ``request`` (document order) that is longer
    than its field allows, or None. Values are measured as the fake stores them (stripped)."""
    for parent in request.iter():
        limits = MAX_LENGTHS.get(str(parent.tag))
        if not limits:
            continue
        for child in parent:
            if not isinstance(child.tag, str) or len(child):
                continue
            limit = limits.get(child.tag)
            value = (child.text or "").strip()
            if limit is not None and len(value) > limit:
                return child.tag, value
    return None
