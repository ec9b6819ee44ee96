"""Calls outside a session: one web method by hand, and the replay of a receiveResponseXML
(harness/webconnector/single_call.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from wc_support import ScriptedQbwcServer, qwc_text, soap_fault

from harness.webconnector import (
    QbwcSoapClient,
    QwcFile,
    SoapCall,
    Transcript,
    WsgiTransport,
    last_ticket,
    response_to_replay,
    single_call,
)

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
QWC = QwcFile.load(qwc_text())


def _call(server: ScriptedQbwcServer, method: str, **kwargs):
    client = QbwcSoapClient("http://localhost/qbwc", WsgiTransport(server))
    return single_call(client, QWC, "pw-1", NOW, method, **kwargs)


def test_a_call_sends_the_real_clients_arguments_with_the_given_ones_over_them() -> None:
    server = ScriptedQbwcServer()
    transcript = _call(server, "sendRequestXML", ticket="T-9", arguments={"qbXMLMajorVers": 7})
    sent = server.calls("sendRequestXML")[0].args
    assert sent["ticket"] == "T-9" and sent["qbXMLMajorVers"] == "7"
    assert sent["qbXMLCountry"] == "US"
    assert transcript.ticket == "T-9" and transcript.outcome.status == "completed"
    assert [c.method for c in transcript.calls] == ["sendRequestXML"]


def test_the_password_is_sent_but_never_recorded() -> None:
    server = ScriptedQbwcServer()
    transcript = _call(server, "authenticate")
    assert server.calls("authenticate")[0].args["strPassword"] == "pw-1"
    assert "pw-1" not in transcript.to_json()


def test_a_failed_call_ends_with_the_code_qbwc_shows() -> None:
    server = ScriptedQbwcServer(answers={"sendRequestXML": soap_fault("boom")})
    transcript = _call(server, "sendRequestXML", ticket="T")
    assert transcript.outcome.status == "error"
    assert transcript.outcome.code is not None  # sendRequestXML's failure has a QBWC code
    assert transcript.calls[0].http_status == 500


def _session(ticket: str, *responses: str) -> Transcript:
    session = Transcript("app", "user", "t0", "t1", ticket=ticket)
    for seq, response in enumerate(responses, 1):
        arguments = {"ticket": ticket, "response": response, "hresult": "", "message": ""}
        session.events.append(SoapCall(seq, "receiveResponseXML", arguments, "t0"))
    return session


def test_the_replay_is_the_last_call_that_carried_the_response() -> None:
    first = _session("T-1", "<QBXMLMsgsRs><CustomerAddRs statusCode='0'/></QBXMLMsgsRs>")
    second = _session(
        "T-2",
        "<QBXMLMsgsRs><CustomerAddRs statusCode='0' requestID='2'/></QBXMLMsgsRs>",
        "<QBXMLMsgsRs><InvoiceQueryRs statusCode='0'/></QBXMLMsgsRs>",
    )
    ticket, arguments = response_to_replay([first, second], "CustomerAddRq")
    assert ticket == "T-2" and "requestID='2'" in arguments["response"]
    assert "ticket" not in arguments
    assert last_ticket([first, second, Transcript("x", "", "t", "t")]) == "T-2"
    with pytest.raises(ValueError, match="no receiveResponseXML carried a ReceivePaymentAddRs"):
        response_to_replay([first, second], "ReceivePaymentAdd")
