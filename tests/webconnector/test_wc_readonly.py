"""IsReadOnly: writes are refused with 3260 and never reach QuickBooks; reads still work."""

from __future__ import annotations

from lxml import etree
from wc_support import ScriptedQbwcServer, StandInQuickBooks, qwc_text

from harness.webconnector import QwcFile, ReadOnlyGuard, WebConnector, WsgiTransport
from harness.webconnector.readonly import is_write_request


class EchoQuickBooks(StandInQuickBooks):
    """Answers every request element with a matching Rs (statusCode 0)."""

    def process(self, request: str) -> str:
        self.requests.append(request)
        msgs = etree.fromstring(request.encode()).find("QBXMLMsgsRq")
        rs = "".join(
            f'<{c.tag[:-2]}Rs requestID="{c.get("requestID")}" statusCode="0"/>' for c in msgs
        )
        return f"<QBXML><QBXMLMsgsRs>{rs}</QBXMLMsgsRs></QBXML>"


def message_set(on_error: str, *elements: str) -> str:
    body = "".join(f'<{e} requestID="{i}"/>' for i, e in enumerate(elements, 1))
    return (
        f'<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
        f'<QBXMLMsgsRq onError="{on_error}">{body}</QBXMLMsgsRq></QBXML>'
    )


def statuses(response: str) -> list[tuple[str, str, str]]:
    rs = etree.fromstring(response.encode()).find("QBXMLMsgsRs")
    return [(c.tag, c.get("requestID"), c.get("statusCode")) for c in rs]


def test_write_names():
    assert all(
        map(
            is_write_request,
            ["CustomerAddRq", "InvoiceModRq", "TxnDelRq", "TxnVoidRq", "ListMergeRq"],
        )
    )
    assert not any(map(is_write_request, ["CustomerQueryRq", "HostQueryRq", "TxnDeletedQueryRq"]))


def test_continue_on_error_runs_reads_and_refuses_writes():
    qb = EchoQuickBooks()
    response, note = ReadOnlyGuard().process(
        message_set("continueOnError", "CustomerQueryRq", "CustomerAddRq", "ItemQueryRq"), qb
    )
    assert statuses(response) == [
        ("CustomerQueryRs", "1", "0"),
        ("CustomerAddRs", "2", "3260"),
        ("ItemQueryRs", "3", "0"),
    ]
    assert len(qb.requests) == 1 and "CustomerAddRq" not in qb.requests[0]
    assert "3260" in note


def test_stop_on_error_stops_at_first_write():
    qb = EchoQuickBooks()
    response, _ = ReadOnlyGuard().process(
        message_set("stopOnError", "CustomerQueryRq", "InvoiceAddRq", "ItemQueryRq"), qb
    )
    assert statuses(response) == [("CustomerQueryRs", "1", "0"), ("InvoiceAddRs", "2", "3260")]
    assert "ItemQueryRq" not in qb.requests[0]


def test_only_writes_never_reach_quickbooks_and_reads_pass_through():
    qb = EchoQuickBooks()
    response, _ = ReadOnlyGuard().process(message_set("stopOnError", "CustomerAddRq"), qb)
    assert qb.requests == []
    assert statuses(response) == [("CustomerAddRs", "1", "3260")]
    read = message_set("stopOnError", "CustomerQueryRq")
    ReadOnlyGuard().process(read, qb)
    assert qb.requests == [read]  # untouched


def test_read_only_app_session_end_to_end():
    write = message_set("stopOnError", "CustomerAddRq")
    server = ScriptedQbwcServer(requests=[write])
    qb = EchoQuickBooks()
    wc = WebConnector(
        qwc=QwcFile.load(qwc_text("<IsReadOnly>true</IsReadOnly>")),
        password="p",
        quickbooks=qb,
        transport=WsgiTransport(server),
    )
    transcript = wc.run_session()
    assert qb.requests == []
    sent = server.calls("receiveResponseXML")[0].args["response"]
    assert statuses(sent) == [("CustomerAddRs", "1", "3260")]
    assert transcript.qbxml[0].note.startswith("IsReadOnly")
