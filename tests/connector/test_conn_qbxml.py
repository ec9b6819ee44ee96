"""Every qbXML request builder produces valid qbXML 13.0 (element order per
qbxmlops130.xsd), and responses parse into statuses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from connector.qbxml import QbxmlParseError, QbxmlVersion, parse_response, render_request
from connector.qbxml import requests as rq
from connector.qbxml.responses import supported_versions

LINE = rq.InvoiceLine("Services", "Repair & parts <b>", Decimal("1.50"), "10", "15.00", True)

BUILDERS = {
    "CustomerAddRq": lambda: rq.customer_add_rq(
        "1",
        name="A & B",
        email="a@b.c",
        phone="5",
        external_guid="{6F1D3C52-5B8E-4F4E-9A51-2F0C8D9B7A11}",
    ),
    "CustomerQueryRq-modified": lambda: rq.customers_modified_since_rq(
        "1", from_modified="2026-01-05T09:00:00-05:00"
    ),
    "CustomerQueryRq-id": lambda: rq.customer_query_by_id_rq("1", list_id="80000001-1"),
    "CustomerModRq": lambda: rq.customer_mod_rq(
        "1", list_id="8-1", edit_sequence="7", name="A", is_active=False, email="e", phone="p"
    ),
    "ItemServiceQueryRq": lambda: rq.item_service_query_rq("1", full_name="Services"),
    "ItemServiceAddRq": lambda: rq.item_service_add_rq(
        "1", name="Services", description="d", income_account="Sales"
    ),
    "InvoiceAddRq": lambda: rq.invoice_add_rq(
        "1",
        customer_list_id="8-1",
        lines=[LINE, rq.InvoiceLine("Services", "", 2, 0, 0, None)],
        txn_date="2026-01-05",
        ref_number="1001",
        due_date="2026-02-04",
        memo="m",
        external_guid="{6F1D3C52-5B8E-4F4E-9A51-2F0C8D9B7A11}",
    ),
    "InvoiceModRq": lambda: rq.invoice_mod_rq(
        "1",
        txn_id="1-1",
        edit_sequence="9",
        customer_list_id="8-1",
        lines=[LINE],
        txn_date="2026-01-05",
        ref_number="1001",
        due_date="2026-02-04",
    ),
    "InvoiceQueryRq-modified": lambda: rq.invoices_modified_since_rq(
        "1", from_modified="2026-01-05T09:00:00-05:00"
    ),
    "InvoiceQueryRq-id": lambda: rq.invoice_query_by_id_rq("1", txn_id="1-1"),
    "ReceivePaymentQueryRq-start": lambda: rq.receive_payment_query_rq(
        "1", from_modified="2026-01-05T09:00:00-05:00"
    ),
    "ReceivePaymentQueryRq-continue": lambda: rq.receive_payment_query_rq(
        "1", iterator_id="{0B3AE5C6-9C5A-4E3C-9E65-6E8D9B0E7D11}"
    ),
    "ReceivePaymentQueryRq-modified": lambda: rq.payments_modified_since_rq(
        "1", from_modified="2026-01-05T09:00:00-05:00"
    ),
    "ReceivePaymentAddRq": lambda: rq.receive_payment_add_rq(
        "1",
        customer_list_id="8-1",
        total="30",
        applications=[rq.Application("1-1", "30")],
        txn_date="2026-01-05",
        ref_number="R-1",
        payment_method="Cash",
        memo="App payment p1",
        external_guid="{6F1D3C52-5B8E-4F4E-9A51-2F0C8D9B7A11}",
    ),
    "ReceivePaymentAddRq-credit": lambda: rq.receive_payment_add_rq(
        "1", customer_list_id="8-1", total="5", applications=[]
    ),
    "ReceivePaymentAddRq-set-credit": lambda: rq.receive_payment_add_rq(
        "1",
        customer_list_id="8-1",
        total="0",
        applications=[rq.Application("1-1", "0", (rq.Credit("2-1", "50"),))],
        memo="App store credit sc1 applied",
        external_guid="{6F1D3C52-5B8E-4F4E-9A51-2F0C8D9B7A11}",
    ),
    "PaymentMethodQueryRq": lambda: rq.payment_method_query_rq("1", full_name="Cash"),
    "PaymentMethodAddRq": lambda: rq.payment_method_add_rq("1", name="Cash"),
    "TxnDeletedQueryRq": lambda: rq.txn_deleted_query_rq(
        "1", txn_types=["ReceivePayment"], from_deleted="2026-01-05T09:00:00-05:00"
    ),
    "TxnVoidRq": lambda: rq.txn_void_rq("1", txn_type="Invoice", txn_id="1-1"),
    "TxnDelRq": lambda: rq.txn_del_rq("1", txn_type="Invoice", txn_id="1-1"),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_builder_is_schema_valid(name: str, qbxml_schema: etree.XMLSchema) -> None:
    element = BUILDERS[name]()
    assert element.tag == name.split("-")[0]
    text = render_request(element, version=QbxmlVersion(13, 0))
    root = etree.fromstring(text.encode("utf-8"))
    qbxml_schema.assertValid(root)
    assert root.find("QBXMLMsgsRq")[0].get("requestID") == "1"


def test_misordered_request_is_caught_by_the_schema(qbxml_schema: etree.XMLSchema) -> None:
    # The check above would catch a builder bug: swap two children and it fails.
    element = BUILDERS["InvoiceAddRq"]()
    add = element[0]
    add.insert(0, add[1])  # TxnDate before CustomerRef
    root = etree.fromstring(render_request(element, version=QbxmlVersion(13, 0)).encode())
    assert not qbxml_schema.validate(root)


def test_money_and_quantity_formats() -> None:
    assert rq.money("10") == "10.00" and rq.money(Decimal("0.005")) == "0.01"
    assert rq.quantity(Decimal("2.500")) == "2.5" and rq.quantity("1E+1") == "10"


def test_parse_response_statuses_and_iterators() -> None:
    text = (
        '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>'
        '<ReceivePaymentQueryRs requestID="4" statusCode="0" statusSeverity="Info" '
        'statusMessage="Status OK" iteratorRemainingCount="3" iteratorID="{X}">'
        "<ReceivePaymentRet><TxnID>1</TxnID></ReceivePaymentRet></ReceivePaymentQueryRs>"
        '<CustomerAddRs requestID="5" statusCode="3100" statusSeverity="Error" '
        'statusMessage="in use"/></QBXMLMsgsRs></QBXML>'
    )
    first, second = parse_response(text)
    assert (first.request_id, first.iterator_remaining, first.iterator_id) == ("4", 3, "{X}")
    assert [r.tag for r in first.rets] == ["ReceivePaymentRet"] and first.ok
    assert not second.ok and second.error_text() == "3100: in use"


@pytest.mark.parametrize("text", ["", "<QBXML>", "<Other/>", "<QBXML><QBXMLMsgsRs>" * 1])
def test_unreadable_responses_raise_a_clear_error(text: str) -> None:
    with pytest.raises(QbxmlParseError):
        parse_response(text)


def test_supported_versions_from_hcp_response() -> None:
    hcp = (
        "<QBXML><QBXMLMsgsRs><HostQueryRs><HostRet>"
        "<SupportedQBXMLVersion>2.1</SupportedQBXMLVersion>"
        "<SupportedQBXMLVersion>13.0</SupportedQBXMLVersion>"
        "<SupportedQBXMLVersion>junk</SupportedQBXMLVersion>"
        "</HostRet></HostQueryRs></QBXMLMsgsRs></QBXML>"
    )
    assert supported_versions(hcp) == [QbxmlVersion(2, 1), QbxmlVersion(13, 0)]
