"""What the simulated Web Connector reads and records when a service or QuickBooks does
something a plain reading would get wrong: string results sent as element content (read as
.NET's XmlSerializer reads them, and said so), and a request the fake company does not
model (passed on as QuickBooks failing it, and marked for an inconclusive verdict)."""

from __future__ import annotations

import pytest
from wc_support import ScriptedQbwcServer, StandInQuickBooks, qwc_text

from harness.clock import SimClock
from harness.fake_qbd import NotModeledError
from harness.runner.inconclusive import inconclusive_cause
from harness.webconnector import QwcFile, WebConnector, WsgiTransport, load_contract
from harness.webconnector.envelope import read_result
from harness.webconnector.errors import SoapCallError

TNS = "http://developer.intuit.com/"
PASSWORD = "s3cret-pw"


def answer(method: str, content: str) -> bytes:
    return (
        '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/'
        f'envelope/"><soap:Body><{method}Response xmlns="{TNS}"><{method}Result>{content}'
        f"</{method}Result></{method}Response></soap:Body></soap:Envelope>"
    ).encode()


@pytest.mark.parametrize(
    ("method", "content", "value"),
    [
        ("sendRequestXML", "<string>&lt;QBXML/&gt;</string>", "<QBXML/>"),
        ("sendRequestXML", "<string></string>", ""),
        ("getLastError", "  <string>NoOp</string>  ", "NoOp"),
        ("receiveResponseXML", "<int>100</int>", 100),
        ("sendRequestXML", "<string>first</string><string>second</string>", "first"),
    ],
)
def test_element_content_is_read_as_dotnet_reads_a_string(
    method: str, content: str, value: object
) -> None:
    notes: list[str] = []
    assert read_result(load_contract()[method], answer(method, content), notes) == value
    assert len(notes) == 1 and "ReadElementString" in notes[0]


def test_plain_text_is_read_without_a_note() -> None:
    notes: list[str] = []
    assert read_result(load_contract()["sendRequestXML"], answer("sendRequestXML", "x"), notes)
    assert notes == []


@pytest.mark.parametrize("content", ["text<string>x</string>", "<string><QBXML>x</QBXML></string>"])
def test_markup_a_string_cannot_hold_fails_the_call(content: str) -> None:
    with pytest.raises(SoapCallError, match="There is an error in XML document"):
        read_result(load_contract()["sendRequestXML"], answer("sendRequestXML", content))


class UnmodeledQuickBooks(StandInQuickBooks):
    def process(self, request: str) -> str:
        self.requests.append(request)
        raise NotModeledError("BillQueryRq")


def test_an_unmodeled_request_is_a_failed_request_and_marks_the_run() -> None:
    server = ScriptedQbwcServer(
        requests=["<QBXML><QBXMLMsgsRq><BillQueryRq/></QBXMLMsgsRq></QBXML>"]
    )
    transcript = WebConnector(
        qwc=QwcFile.load(qwc_text()),
        password=PASSWORD,
        quickbooks=UnmodeledQuickBooks(),
        transport=WsgiTransport(server),
        clock=SimClock(),
    ).run_session()
    exchange = transcript.qbxml[0]
    assert exchange.not_modeled == "BillQueryRq" and exchange.hresult == "0x80040402"
    assert "does not model BillQueryRq" in exchange.note
    assert exchange.to_dict()["not_modeled"] == "BillQueryRq"
    sent = server.calls("receiveResponseXML")[0].args
    assert sent["response"] == "" and sent["hresult"] == "0x80040402"
    cause, reason = inconclusive_cause([], [transcript]) or ("", "")
    assert cause == "not-modeled" and "does not model BillQueryRq" in reason
