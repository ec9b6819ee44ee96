"""XML safety on the harness side and in the connector's qbXML reader: the fake QuickBooks
(requests from a connector under test), the simulated Web Connector (answers from it, and
.qwc files users write), the read-only guard, and ``connector.qbxml.responses``.

No DTD is ever accepted, so no file is read, no network is touched and no entity expands;
oversized documents are refused before parsing; each refusal is the error that component
gives for bad XML, and nothing is applied.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hard_support import BOMB_DTD

from connector.qbxml.responses import QbxmlParseError, parse_response
from harness import xmlsafe
from harness.clock import SimClock
from harness.fake_qbd import QBDCompany
from harness.fake_qbd.errors import RequestProcessorError
from harness.webconnector import QwcError, QwcFile
from harness.webconnector.contract import load_contract
from harness.webconnector.envelope import read_result
from harness.webconnector.errors import SoapCallError
from harness.webconnector.readonly import ReadOnlyGuard

SECRET_FILE_TEXT = "top-secret-file-content-7f3a"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET_FILE_TEXT)
    return path


def customer_add(name: str, dtd: str = "") -> str:
    return (
        f'<?xml version="1.0"?>{dtd}<?qbxml version="13.0"?><QBXML>'
        '<QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="1">'
        f"<CustomerAdd><Name>{name}</Name></CustomerAdd></CustomerAddRq>"
        "</QBXMLMsgsRq></QBXML>"
    )


@pytest.mark.parametrize("kind", ["external entity", "entity bomb", "oversized"])
def test_fake_quickbooks_refuses_hostile_requests(kind: str, secret_file: Path) -> None:
    company = QBDCompany(clock=SimClock())
    if kind == "external entity":
        request = customer_add("&x;", f'<!DOCTYPE q [<!ENTITY x SYSTEM "file://{secret_file}">]>')
    elif kind == "entity bomb":
        request = customer_add("&lol9;", BOMB_DTD)
    else:
        request = customer_add("A" * (xmlsafe.MAX_XML_BYTES + 1))
    before = company.snapshot()
    started = time.monotonic()
    with pytest.raises(RequestProcessorError) as info:
        company.process(request)
    assert time.monotonic() - started < 2
    assert info.value.hresult == 0x80040400  # QuickBooks' XML parse error: nothing applied
    assert ("DOCTYPE" if kind != "oversized" else "the limit is") in info.value.message
    assert SECRET_FILE_TEXT not in info.value.message
    assert company.snapshot() == before
    # And an ordinary request still works.
    assert 'statusCode="0"' in company.process(customer_add("Acme Plumbing"))


def _answer(body: str, prolog: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return (
        f'{prolog}<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        '<soap:Body><serverVersionResponse xmlns="http://developer.intuit.com/">'
        f"<serverVersionResult>{body}</serverVersionResult></serverVersionResponse>"
        "</soap:Body></soap:Envelope>"
    ).encode()


def test_web_connector_refuses_hostile_answers(secret_file: Path) -> None:
    operation = load_contract()["serverVersion"]
    assert read_result(operation, _answer("1.0")) == "1.0"
    hostile = [
        _answer("&x;", f'<!DOCTYPE s [<!ENTITY x SYSTEM "file://{secret_file}">]>'),
        _answer("&lol9;", BOMB_DTD),
        _answer("A" * (xmlsafe.MAX_XML_BYTES + 1)),
    ]
    for body in hostile:
        with pytest.raises(SoapCallError) as info:
            read_result(operation, body)
        assert info.value.kind == "malformed"
        assert "Response refused" in info.value.message
        assert SECRET_FILE_TEXT not in info.value.message


QWC = """<?xml version="1.0"?>{dtd}
<QBWCXML>
  <AppName>{name}</AppName><AppID></AppID>
  <AppURL>https://sync.example.com/qbwc</AppURL>
  <AppDescription>d</AppDescription><AppSupport>https://sync.example.com/help</AppSupport>
  <UserName>u</UserName>
  <OwnerID>{{9C9E0F4B-0E8B-4E2A-9F3A-1B2C3D4E5F60}}</OwnerID>
  <FileID>{{1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D}}</FileID>
  <QBType>QBFS</QBType>
</QBWCXML>"""


def test_qwc_files_with_a_dtd_or_too_large_are_refused(secret_file: Path) -> None:
    assert QwcFile.load(QWC.format(dtd="", name="Good")).app_name == "Good"
    hostile = [
        QWC.format(dtd=f'<!DOCTYPE Q [<!ENTITY x SYSTEM "file://{secret_file}">]>', name="&x;"),
        QWC.format(dtd=BOMB_DTD, name="&lol9;"),
        QWC.format(dtd="", name="A" * 100_000),
    ]
    for text in hostile:
        with pytest.raises(QwcError) as info:
            QwcFile.load(text)
        assert info.value.code == "QBWC1039"
        assert "refused" in info.value.message
        assert SECRET_FILE_TEXT not in info.value.message


def test_read_only_guard_does_not_expand_entities(secret_file: Path) -> None:
    company = QBDCompany(clock=SimClock())
    request = customer_add("&x;", f'<!DOCTYPE q [<!ENTITY x SYSTEM "file://{secret_file}">]>')
    with pytest.raises(RequestProcessorError) as info:
        ReadOnlyGuard().process(request, company)
    assert "DOCTYPE" in info.value.message
    assert company.snapshot()["Customer"] == []


def test_connector_reads_no_dtd_in_quickbooks_answers(secret_file: Path) -> None:
    body = '<QBXML><QBXMLMsgsRs><HostQueryRs requestID="1" statusCode="0"/></QBXMLMsgsRs></QBXML>'
    assert parse_response(body)[0].request_id == "1"
    with pytest.raises(QbxmlParseError, match="DOCTYPE"):
        parse_response(f'<!DOCTYPE q [<!ENTITY x SYSTEM "file://{secret_file}">]>' + body)
    with pytest.raises(QbxmlParseError, match="DOCTYPE"):
        parse_response(BOMB_DTD + body)


def test_the_harness_limit_is_per_call() -> None:
    assert xmlsafe.parse("<a>1234</a>", what="x", max_bytes=11).text == "1234"
    with pytest.raises(xmlsafe.UnsafeXmlError, match="the limit is 10 bytes"):
        xmlsafe.parse("<a>1234</a>", what="x", max_bytes=10)
