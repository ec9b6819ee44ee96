"""Each request envelope is parsed once: spyne reads the request guard's tree
(``connector.soap_protocol``), and parses on its own only where its parse would differ."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conn_support import NS, SOAP_NS
from spyne.protocol.soap import soap11


@pytest.fixture
def spyne_parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every envelope spyne parses itself (its ``_parse_xml_string``)."""
    seen: list[Any] = []
    original = soap11._parse_xml_string

    def counting(xml_string: Any, parser: Any, charset: Any = None) -> Any:
        seen.append(charset)
        return original(xml_string, parser, charset)

    monkeypatch.setattr(soap11, "_parse_xml_string", counting)
    yield seen


def _server_version(soap: Any, charset: str, inside: str = "") -> bytes:
    envelope = (
        f'<?xml version="1.0" encoding="{charset}"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_NS}"><soap:Body>'
        f'<serverVersion xmlns="{NS}">{inside}</serverVersion></soap:Body></soap:Envelope>'
    )
    response = soap.client.post(
        "/",
        data=envelope.encode(charset),
        headers={"Content-Type": f"text/xml; charset={charset}", "SOAPAction": ""},
    )
    assert response.status_code == 200, response.data.decode()
    return bytes(response.data)


def test_a_session_parses_no_envelope_twice(soap_for, tiny_app, spyne_parses) -> None:
    soap = soap_for(tiny_app)
    ticket = soap.authenticate()[0]
    assert soap.send(ticket).startswith("<?xml")
    assert soap.text("getLastError", ticket=ticket) == ""
    assert soap.text("serverVersion").startswith("qbwc-harness")
    assert spyne_parses == []


def test_spyne_parses_what_the_guard_read_another_way(soap_for, tiny_app, spyne_parses) -> None:
    soap = soap_for(tiny_app)
    utf8 = _server_version(soap, "utf-8")
    assert spyne_parses == []
    # Another charset: spyne decodes with it before parsing, so it parses on its own.
    assert _server_version(soap, "iso-8859-1") == utf8
    assert spyne_parses == ["iso-8859-1"]
    # A processing instruction: the guard's parser keeps it, spyne's drops it.
    assert _server_version(soap, "utf-8", inside="<?note x?>") == utf8
    assert spyne_parses == ["iso-8859-1", "utf-8"]


def test_spyne_splits_only_what_the_guard_did_not_read(soap_for, tiny_app, monkeypatch) -> None:
    """The guard's tree is split into header and method without spyne's ``_from_soap``
    (its XPath is compiled again for every call); the answers stay spyne's."""
    splits: list[Any] = []
    original = soap11._from_soap

    def counting(envelope: Any, xmlids: Any = None, **kwargs: Any) -> Any:
        splits.append(dict(xmlids or {}))
        return original(envelope, xmlids, **kwargs)

    monkeypatch.setattr(soap11, "_from_soap", counting)
    soap = soap_for(tiny_app)
    utf8 = _server_version(soap, "utf-8")
    assert splits == []
    # With a SOAP header (QBWC sends none): read past, the same answer.
    with_header = (
        f'<soap:Envelope xmlns:soap="{SOAP_NS}"><soap:Header><h xmlns="urn:x">1</h>'
        f'</soap:Header><soap:Body><serverVersion xmlns="{NS}"/></soap:Body></soap:Envelope>'
    )
    answer = soap.client.post(
        "/", data=with_header.encode(), headers={"Content-Type": "text/xml", "SOAPAction": ""}
    )
    assert bytes(answer.data) == utf8
    assert splits == []
    # Parsed by spyne itself (another charset): split by spyne too.
    assert _server_version(soap, "iso-8859-1") == utf8
    assert len(splits) == 1
    # An xml:id element: spyne resolves href references through it, so spyne splits.
    assert _server_version(soap, "utf-8", inside='<x xml:id="a"/>') == utf8
    assert [list(ids) for ids in splits] == [[], ["a"]]
