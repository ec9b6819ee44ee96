"""Our WSDL against the canonical one, and the pinned public API."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

import harness.webconnector as webconnector
from harness.webconnector import WSDL_PATH, load_contract

W = "{http://schemas.xmlsoap.org/wsdl/}"
S = "{http://www.w3.org/2001/XMLSchema}"
SOAPB = "{http://schemas.xmlsoap.org/wsdl/soap/}"


def describe(path: Path) -> dict[str, tuple]:
    """operation -> (soapAction, input fields, output fields), fields as (name, type, min)."""
    root = etree.parse(str(path)).getroot()
    schema = root.find(f"{W}types/{S}schema")

    def fields(element_name: str) -> tuple:
        element = schema.find(f"{S}element[@name='{element_name}']")
        seq = element.find(f"{S}complexType/{S}sequence")
        if seq is None:
            return ()
        return tuple(
            (e.get("name"), e.get("type").split(":")[-1], e.get("minOccurs", "1"))
            for e in seq.findall(f"{S}element")
        )

    messages = {
        m.get("name"): m.find(f"{W}part").get("element").split(":")[-1]
        for m in root.findall(f"{W}message")
    }
    port = root.find(f"{W}portType")
    binding = root.find(f"{W}binding")
    result = {}
    for op in port.findall(f"{W}operation"):
        name = op.get("name")
        in_el = messages[op.find(f"{W}input").get("message").split(":")[-1]]
        out_el = messages[op.find(f"{W}output").get("message").split(":")[-1]]
        action = binding.find(f"{W}operation[@name='{name}']/{SOAPB}operation").get("soapAction")
        result[name] = (action, in_el, fields(in_el), out_el, fields(out_el))
    array = schema.find(f"{S}complexType[@name='ArrayOfString']/{S}sequence/{S}element")
    result["#ArrayOfString"] = (
        array.get("name"),
        array.get("type").split(":")[-1],
        array.get("nillable"),
        array.get("maxOccurs"),
    )
    result["#namespace"] = (root.get("targetNamespace"), schema.get("elementFormDefault"))
    return result


def test_wsdl_matches_reference_operations_parameters_and_actions(reference):
    ours = describe(WSDL_PATH)
    reference = describe(reference / "qbwc.wsdl")
    assert ours == reference
    assert len([k for k in ours if not k.startswith("#")]) == 8


def test_wsdl_is_not_a_copy_of_the_reference(reference):
    ours = WSDL_PATH.read_text()
    assert ours != (reference / "qbwc.wsdl").read_text()
    assert "added these two methods" not in ours


def test_contract_loaded_by_zeep_once():
    first = load_contract()
    assert load_contract() is first
    assert first["sendRequestXML"].soap_action == "http://developer.intuit.com/sendRequestXML"
    assert [p.xsd_type for p in first["sendRequestXML"].parameters][-2:] == ["int", "int"]
    assert first["authenticate"].result_type == "ArrayOfString"
    assert first["receiveResponseXML"].result_type == "int"


def test_public_api_is_pinned():
    assert sorted(webconnector.__all__) == sorted(
        [
            "DOTNET_USER_AGENT",
            "QBPOS_HCP_RESPONSE",
            "QBWC_ERRORS",
            "QBWC_NS",
            "WSDL_PATH",
            "Contract",
            "FaultError",
            "Faults",
            "HttpTransport",
            "Note",
            "Operation",
            "Outcome",
            "QbwcSoapClient",
            "QbxmlExchange",
            "QuickBooks",
            "QwcError",
            "QwcFile",
            "ReadOnlyGuard",
            "SoapCall",
            "SoapCallError",
            "Transcript",
            "WebConnector",
            "WebConnectorError",
            "WsgiTransport",
            "format_hresult",
            "load_contract",
            "qbwc_message",
            "Scheduler",
            "ScheduledRun",
            "run_interleaved",
            "run_holding",
            "single_call",
            "response_to_replay",
            "last_ticket",
        ]
    )
    for name in webconnector.__all__:
        assert hasattr(webconnector, name)
