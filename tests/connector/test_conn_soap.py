"""The QBWC SOAP contract: WSDL shape, .NET envelopes, authenticate answers, tickets."""

from __future__ import annotations

from pathlib import Path

from conn_support import HCP_RESPONSE, NS, TinyApp
from lxml import etree
from werkzeug.test import Client

import connector
from connector import make_wsgi_app

WSDL = "http://schemas.xmlsoap.org/wsdl/"
XS = "http://www.w3.org/2001/XMLSchema"


def _operations(wsdl: etree._Element) -> dict[str, list[str]]:
    """operation name -> its request element's parameter names, in order."""
    schema_elements: dict[str, list[str]] = {}
    for schema in wsdl.iter(f"{{{XS}}}schema"):
        for node in schema:
            name = node.get("name")
            if name is None:
                continue
            params = [e.get("name") for e in node.iter(f"{{{XS}}}element") if e is not node]
            # spyne declares a named complexType plus an element pointing at it; the
            # reference nests an anonymous type in the element: keep the one with fields.
            if params or name not in schema_elements:
                schema_elements[name] = params
    ops = {}
    for port_type in wsdl.iter(f"{{{WSDL}}}portType"):
        for op in port_type.iter(f"{{{WSDL}}}operation"):
            ops[op.get("name")] = schema_elements.get(op.get("name"), [])
    return ops


def test_public_api_is_pinned() -> None:
    assert sorted(connector.__all__) == sorted(
        [
            "QBWC_NAMESPACE",
            "AppApiError",
            "AppClient",
            "Clock",
            "ConnectorSettings",
            "ConnectorUser",
            "SettingsError",
            "SystemClock",
            "load_settings",
            "make_wsgi_app",
        ]
    )


def test_wsdl_matches_the_reference_contract(reference: Path, soap_for, tiny_app) -> None:
    soap = soap_for(tiny_app)
    served = etree.fromstring(Client(soap.wsgi).get("/?wsdl").data)
    canonical = etree.parse(str(reference / "qbwc.wsdl")).getroot()
    assert served.get("targetNamespace") == NS
    ours, theirs = _operations(served), _operations(canonical)
    required = [
        "serverVersion",
        "clientVersion",
        "authenticate",
        "sendRequestXML",
        "receiveResponseXML",
        "connectionError",
        "getLastError",
        "closeConnection",
    ]
    for name in required:
        assert name in ours, name
        assert ours[name] == theirs[name], name
    # The two int parameters and the int result are xs:int, as in the reference.
    types = {
        e.get("name"): e.get("type")
        for e in served.iter(f"{{{XS}}}element")
        if e.get("name") in {"qbXMLMajorVers", "qbXMLMinorVers", "receiveResponseXMLResult"}
    }
    assert set(types.values()) == {"xs:int"}
    assert served.find(f".//{{{WSDL}}}service").get("name") == "QBWebConnectorSvc"
    actions = {
        op.get("soapAction")
        for op in served.iter("{http://schemas.xmlsoap.org/wsdl/soap/}operation")
    }
    assert f"{NS}authenticate" in actions


def test_server_and_client_version(soap_for, tiny_app) -> None:
    soap = soap_for(tiny_app)
    assert soap.text("serverVersion").startswith("qbwc-harness")
    result = soap.call("clientVersion", strVersion="2.3.0.215")
    assert result.text in (None, "")


def test_authenticate_ok_returns_ticket_and_empty_company_file(soap_for, tiny_app) -> None:
    soap = soap_for(tiny_app)
    result = soap.call("authenticate", strUserName="qbuser", strPassword="s3cret")
    strings = result.findall(f"{{{NS}}}string")
    # The empty second element must be on the wire (a dropped <string/> breaks QBWC).
    assert len(strings) == 2
    assert strings[0].text == "ticket-0001"
    assert (strings[1].text or "") == ""
    assert strings[1].get("{http://www.w3.org/2001/XMLSchema-instance}nil") is None


def test_authenticate_company_file_of_the_user(soap_for, tiny_app) -> None:
    soap = soap_for(
        tiny_app,
        users=[{"username": "qbuser", "password": "s3cret", "company_file": r"C:\Acme.QBW"}],
    )
    assert soap.authenticate() == ["ticket-0001", r"C:\Acme.QBW"]


def test_bad_login_answers_nvu_and_opens_no_session(soap_for, tiny_app) -> None:
    soap = soap_for(tiny_app)
    for user, password in [("qbuser", "wrong"), ("nobody", "s3cret"), ("qbuser", "")]:
        ticket, answer = soap.authenticate(user, password)
        assert answer == "nvu"
        assert ticket  # the guide's first element is always a token (p.21)
        # The token is not a live session: it can send nothing.
        assert soap.send(ticket, HCP_RESPONSE) == ""
        assert "Unknown or closed ticket" in soap.text("getLastError", ticket=ticket)
    assert tiny_app.requests == []  # nothing asked of the app for a bad login


def test_nothing_to_do_answers_none(soap_for, tiny_app) -> None:
    soap = soap_for(tiny_app, sync_payments_from_qbd=False)
    ticket, answer = soap.authenticate()
    assert answer == "none"
    assert soap.send(ticket, HCP_RESPONSE) == ""  # the "none" session is already over


def test_unknown_and_closed_tickets_change_nothing(soap_for, tiny_app: TinyApp) -> None:
    tiny_app.add("customers", name="Acme")
    soap = soap_for(tiny_app)
    assert soap.send("forged", HCP_RESPONSE) == ""
    assert soap.receive("forged", "<QBXML/>") == -1
    assert "Unknown or closed ticket" in soap.text("closeConnection", ticket="forged")
    assert soap.text("connectionError", ticket="forged", hresult="0x1", message="x") == "done"
    ticket, _ = soap.authenticate()
    assert soap.text("closeConnection", ticket=ticket) == "OK"
    assert soap.send(ticket, HCP_RESPONSE) == ""
    assert soap.receive(ticket, "<QBXML/>") == -1
    assert all(r.method == "GET" for r in tiny_app.requests)
    assert tiny_app.records["customers"]["cus1"]["sync"]["status"] == "not_synced"


def test_second_web_connector_on_the_same_file_is_busy(soap_for, tiny_app) -> None:
    soap = soap_for(
        tiny_app,
        users=[
            {"username": "qbuser", "password": "s3cret", "company_file": r"C:\Acme.QBW"},
            {"username": "other", "password": "pw", "company_file": r"c:\acme.qbw"},
        ],
    )
    first, _ = soap.authenticate()
    assert soap.authenticate("other", "pw")[1] == "busy"
    soap.text("closeConnection", ticket=first)
    assert soap.authenticate("other", "pw")[1] == r"c:\acme.qbw"


def test_malformed_envelope_is_a_soap_fault_not_a_crash(soap_for, tiny_app) -> None:
    soap = soap_for(tiny_app)
    response = Client(soap.wsgi).post(
        "/", data=b"<not-soap", headers={"Content-Type": "text/xml; charset=utf-8"}
    )
    assert response.status_code == 500
    assert b"Fault" in response.data


def test_make_wsgi_app_builds_with_a_base_url() -> None:
    from connector import ConnectorSettings

    wsgi = make_wsgi_app(ConnectorSettings(app_base_url="http://localhost:9"))
    assert Client(wsgi).get("/?wsdl").status_code == 200
