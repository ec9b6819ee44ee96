"""Fixtures for the fake QuickBooks company's tests.

Every response a test produces through the ``qb`` fixture is validated against Intuit's
qbXML 13.0 schema, read from QBWC_HARNESS_REFERENCE (default: shared/reference beside the
repository). Without the schema those tests skip with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from harness.clock import SimClock
from harness.fake_qbd import QBDCompany


@pytest.fixture
def validate(qbxml_schema: etree.XMLSchema) -> Callable[[str], etree._Element]:
    def check(text: str) -> etree._Element:
        doc = etree.fromstring(text.encode())
        if not qbxml_schema.validate(doc):
            raise AssertionError(f"response does not validate: {qbxml_schema.error_log}\n{text}")
        return doc

    return check


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


@pytest.fixture
def company(clock: SimClock) -> QBDCompany:
    return QBDCompany(clock=clock)


def envelope(body: str, on_error: str = "stopOnError", version: str = "13.0") -> str:
    return (
        f'<?xml version="1.0"?><?qbxml version="{version}"?>'
        f'<QBXML><QBXMLMsgsRq onError="{on_error}">{body}</QBXMLMsgsRq></QBXML>'
    )


@pytest.fixture
def qb(
    company: QBDCompany, validate: Callable[[str], etree._Element]
) -> Callable[..., etree._Element]:
    """Send a message-set body; get the validated QBXMLMsgsRs element back."""

    def send(body: str, on_error: str = "stopOnError") -> etree._Element:
        root = validate(company.process(envelope(body, on_error)))
        return root[0]

    return send
