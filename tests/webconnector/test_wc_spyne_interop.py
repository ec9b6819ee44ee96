"""Interop with a spyne QBWC service (the stack the reference connector uses), spyne only."""

from __future__ import annotations

import pytest
from wc_support import StandInQuickBooks, qwc_text

from harness.webconnector import QwcFile, WebConnector, WsgiTransport

spyne = pytest.importorskip("spyne")

from spyne import Application, Integer, ServiceBase, Unicode, rpc  # noqa: E402
from spyne.model.complex import Array  # noqa: E402
from spyne.protocol.soap import Soap11  # noqa: E402
from spyne.server.wsgi import WsgiApplication  # noqa: E402

SEEN: list[tuple[str, tuple]] = []


class TinyQbwcService(ServiceBase):
    @rpc(Unicode, _returns=Unicode)
    def serverVersion(ctx, strVersion):
        SEEN.append(("serverVersion", (strVersion,)))
        return "spyne-test"

    @rpc(Unicode, _returns=Unicode)
    def clientVersion(ctx, strVersion):
        SEEN.append(("clientVersion", (strVersion,)))
        return ""

    @rpc(Unicode, Unicode, _returns=Array(Unicode))
    def authenticate(ctx, strUserName, strPassword):
        SEEN.append(("authenticate", (strUserName, strPassword)))
        return ["spyne-ticket", ""]

    @rpc(Unicode, Unicode, Unicode, Unicode, Integer, Integer, _returns=Unicode)
    def sendRequestXML(
        ctx,
        ticket,
        strHCPResponse,
        strCompanyFileName,
        qbXMLCountry,
        qbXMLMajorVers,
        qbXMLMinorVers,
    ):
        SEEN.append(("sendRequestXML", (ticket, strHCPResponse, qbXMLMajorVers)))
        return "<QueryRq/>" if strHCPResponse else ""

    @rpc(Unicode, Unicode, Unicode, Unicode, _returns=Integer)
    def receiveResponseXML(ctx, ticket, response, hresult, message):
        SEEN.append(("receiveResponseXML", (ticket, response, hresult, message)))
        return 100

    @rpc(Unicode, _returns=Unicode)
    def getLastError(ctx, ticket):
        return ""

    @rpc(Unicode, _returns=Unicode)
    def closeConnection(ctx, ticket):
        SEEN.append(("closeConnection", (ticket,)))
        return "Bye"


def test_session_against_spyne_service():
    SEEN.clear()
    app = WsgiApplication(
        Application(
            [TinyQbwcService],
            tns="http://developer.intuit.com/",
            in_protocol=Soap11(validator="lxml"),
            out_protocol=Soap11(),
        )
    )
    wc = WebConnector(
        qwc=QwcFile.load(qwc_text()),
        password="pw",
        quickbooks=StandInQuickBooks(),
        transport=WsgiTransport(app),
    )
    transcript = wc.run_session()
    assert transcript.outcome.status == "completed", transcript.outcome
    assert transcript.calls[2].result == ["spyne-ticket", ""]
    assert transcript.outcome.message == "Bye"
    assert [name for name, _ in SEEN] == [
        "serverVersion",
        "clientVersion",
        "authenticate",
        "sendRequestXML",
        "receiveResponseXML",
        "closeConnection",
    ]
    assert SEEN[3][1][2] == 13
    assert SEEN[4][1] == ("spyne-ticket", "<Rs n='1'/>", "", "")
