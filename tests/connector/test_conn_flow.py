"""A whole session through SOAP: app -> QuickBooks customers and invoices, QuickBooks ->
app payments, with hand-written qbXML responses and every request schema-validated."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

import pytest
from conn_support import HCP_RESPONSE, TinyApp
from lxml import etree

CUSTOMER_LIST_ID = "80000001-1767621600"
INVOICE_TXN_ID = "1A-1767621700"
PAYMENT_TXN_ID = "2B-1767625200"
ORPHAN_TXN_ID = "2C-1767623400"


def rs(
    tag: str,
    request_id: str,
    body: str = "",
    code: int = 0,
    message: str = "Status OK",
    **attrs: str,
) -> str:
    severity = "Info" if code < 500 else "Warn" if code < 1000 else "Error"
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return (
        '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>'
        f'<{tag} requestID="{request_id}" statusCode="{code}" statusSeverity="{severity}" '
        f"statusMessage={quoteattr(message)}{extra}>{body}</{tag}>"
        "</QBXMLMsgsRs></QBXML>"
    )


def payment_ret(txn_id: str, modified: str, invoice_txn_id: str, amount: str = "100.00") -> str:
    return (
        f"<ReceivePaymentRet><TxnID>{txn_id}</TxnID><TimeCreated>{modified}</TimeCreated>"
        f"<TimeModified>{modified}</TimeModified><EditSequence>1767625200</EditSequence>"
        f"<TxnNumber>7</TxnNumber><CustomerRef><ListID>{CUSTOMER_LIST_ID}</ListID>"
        "<FullName>Acme Plumbing</FullName></CustomerRef><TxnDate>2026-01-05</TxnDate>"
        f"<RefNumber>CHK-1</RefNumber><TotalAmount>{amount}</TotalAmount>"
        "<PaymentMethodRef><FullName>Check</FullName></PaymentMethodRef>"
        f"<UnusedPayment>0.00</UnusedPayment><UnusedCredits>0.00</UnusedCredits>"
        f"<AppliedToTxnRet><TxnID>{invoice_txn_id}</TxnID><TxnType>Invoice</TxnType>"
        f"<Amount>{amount}</Amount></AppliedToTxnRet></ReceivePaymentRet>"
    )


def check(request: str, schema: etree.XMLSchema) -> etree._Element:
    """Parse a request, assert it is valid qbXML 13.0, return its single *Rq element."""
    assert request.startswith('<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="13.0"?>')
    root = etree.fromstring(request.encode("utf-8"))
    schema.assertValid(root)
    msgs = root.find("QBXMLMsgsRq")
    assert msgs.get("onError") == "stopOnError"
    assert len(msgs) == 1
    return msgs[0]


def finish_with_deletions(soap, ticket: str, schema, body: str = "") -> etree._Element:  # type: ignore[no-untyped-def]
    """The last step of every session: which QuickBooks payments were deleted."""
    rq = check(soap.send(ticket), schema)
    assert rq.tag == "TxnDeletedQueryRq"
    assert rq.findtext("TxnDelType") == "ReceivePayment"
    code = 0 if body else 1
    answer = rs("TxnDeletedQueryRs", rq.get("requestID"), body, code=code)
    assert soap.receive(ticket, answer) == 100
    return rq


@pytest.fixture
def world(tiny_app: TinyApp) -> TinyApp:
    tiny_app.add("customers", id="c1", name="Acme Plumbing", email="ap@example.com", phone="555")
    tiny_app.add(
        "invoices",
        id="i1",
        number="1001",
        customer_id="c1",
        created_at="2026-01-05T09:00:00-05:00",
        due_date="2026-01-31",
        lines=[
            {
                "description": "Repair",
                "quantity": "2",
                "rate": "50.00",
                "amount": "100.00",
                "taxable": False,
            },
        ],
        total="100.00",
    )
    return tiny_app


def run_first_session(soap, schema) -> tuple[str, list[int]]:  # type: ignore[no-untyped-def]
    ticket, company = soap.authenticate()
    assert company == ""
    progress = []

    rq = check(soap.send(ticket, HCP_RESPONSE), schema)
    assert rq.tag == "CustomerAddRq"
    assert rq.findtext("CustomerAdd/Name") == "Acme Plumbing"
    assert rq.findtext("CustomerAdd/Email") == "ap@example.com"
    body = (
        f"<CustomerRet><ListID>{CUSTOMER_LIST_ID}</ListID><EditSequence>1767621600"
        "</EditSequence><Name>Acme Plumbing</Name></CustomerRet>"
    )
    progress.append(soap.receive(ticket, rs("CustomerAddRs", rq.get("requestID"), body)))

    rq = check(soap.send(ticket), schema)
    assert rq.tag == "ItemServiceQueryRq"
    assert rq.findtext("FullName") == "Services"
    none = "A query request did not find a matching object in QuickBooks"
    progress.append(
        soap.receive(ticket, rs("ItemServiceQueryRs", rq.get("requestID"), code=1, message=none))
    )

    rq = check(soap.send(ticket), schema)
    assert rq.tag == "ItemServiceAddRq"
    assert rq.findtext("ItemServiceAdd/Name") == "Services"
    body = "<ItemServiceRet><ListID>80000002-1</ListID><Name>Services</Name></ItemServiceRet>"
    progress.append(soap.receive(ticket, rs("ItemServiceAddRs", rq.get("requestID"), body)))

    rq = check(soap.send(ticket), schema)
    assert rq.tag == "InvoiceAddRq"
    assert rq.findtext("InvoiceAdd/CustomerRef/ListID") == CUSTOMER_LIST_ID
    assert rq.findtext("InvoiceAdd/RefNumber") == "1001"
    assert rq.findtext("InvoiceAdd/TxnDate") == "2026-01-05"
    line = rq.find("InvoiceAdd/InvoiceLineAdd")
    assert line.findtext("ItemRef/FullName") == "Services"
    assert (line.findtext("Quantity"), line.findtext("Rate"), line.findtext("Amount")) == (
        "2",
        "50.00",
        "100.00",
    )
    assert line.findtext("SalesTaxCodeRef/FullName") == "Non"
    body = f"<InvoiceRet><TxnID>{INVOICE_TXN_ID}</TxnID><EditSequence>9</EditSequence></InvoiceRet>"
    progress.append(soap.receive(ticket, rs("InvoiceAddRs", rq.get("requestID"), body)))

    rq = check(soap.send(ticket), schema)
    assert rq.tag == "ReceivePaymentQueryRq"
    assert rq.get("iterator") == "Start"
    assert rq.find("ModifiedDateRangeFilter") is None  # first pull: no cursor yet
    body = payment_ret(PAYMENT_TXN_ID, "2026-01-05T10:00:00-05:00", INVOICE_TXN_ID)
    body += payment_ret(ORPHAN_TXN_ID, "2026-01-05T09:30:00-05:00", "99-1")
    progress.append(
        soap.receive(
            ticket,
            rs(
                "ReceivePaymentQueryRs",
                rq.get("requestID"),
                body,
                iteratorRemainingCount="0",
                iteratorID="{11111111-2222-3333-4444-555555555555}",
            ),
        )
    )
    finish_with_deletions(soap, ticket, schema)
    progress.append(100)
    assert soap.text("closeConnection", ticket=ticket) == "OK"
    return ticket, progress


def test_full_session_syncs_both_ways(soap_for, world: TinyApp, qbxml_schema) -> None:
    soap = soap_for(world)
    _, progress = run_first_session(soap, qbxml_schema)

    assert progress == sorted(progress)
    assert all(0 <= p < 100 for p in progress[:-1])
    assert progress[-1] == 100

    customer = world.records["customers"]["c1"]["sync"]
    assert (customer["status"], customer["external_id"]) == ("synced", CUSTOMER_LIST_ID)
    invoice = world.records["invoices"]["i1"]["sync"]
    assert (invoice["status"], invoice["external_id"]) == ("synced", INVOICE_TXN_ID)

    payments = list(world.records["payments"].values())
    assert len(payments) == 1  # the orphan is held, not created and not dropped
    payment = payments[0]
    assert payment["origin"] == "qbd"
    assert payment["mode"] == "Check"
    assert payment["amount"] == "100.00"
    assert payment["applications"] == [{"invoice_id": "i1", "amount": "100.00"}]
    assert payment["sync"]["status"] == "synced"
    assert payment["sync"]["external_id"] == PAYMENT_TXN_ID
    assert payment["customer_id"] == "c1"

    posts = [r for r in world.requests if r.method == "POST"]
    assert [r.headers["Idempotency-Key"] for r in posts] == [PAYMENT_TXN_ID]
    assert all(r.headers["X-Sync-Origin"] == "connector" for r in world.requests)

    store = soap.wsgi.sessions.store
    company = r"c:\acme.qbw"
    history = store.attempts(company, "payment", ORPHAN_TXN_ID)
    assert [a.outcome for a in history] == ["failed"]
    assert "99-1" in history[0].status_message


def test_second_session_pulls_from_the_cursor_and_never_duplicates(
    soap_for, world: TinyApp, qbxml_schema
) -> None:
    soap = soap_for(world)
    run_first_session(soap, qbxml_schema)
    world.requests.clear()

    ticket, _ = soap.authenticate()
    rq = check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    # Customers and invoices are synced: only the payment pull is left.
    assert rq.tag == "ReceivePaymentQueryRq"
    # The held payment keeps the cursor at its own time (09:30) so it is read again; the read
    # reaches back CLOCK_SKEW_MARGIN before the cursor.
    assert rq.findtext("ModifiedDateRangeFilter/FromModifiedDate") == "2026-01-05T08:30:00-05:00"
    body = payment_ret(PAYMENT_TXN_ID, "2026-01-05T10:00:00-05:00", INVOICE_TXN_ID)
    body += payment_ret(ORPHAN_TXN_ID, "2026-01-05T09:30:00-05:00", "99-1")
    assert soap.receive(ticket, rs("ReceivePaymentQueryRs", rq.get("requestID"), body)) < 100
    finish_with_deletions(soap, ticket, qbxml_schema)
    assert len(world.records["payments"]) == 1
    assert not [r for r in world.requests if r.method == "POST"]


def test_qbxml_error_marks_the_record_failed_with_status(
    soap_for, world: TinyApp, qbxml_schema
) -> None:
    soap = soap_for(world, sync_payments_from_qbd=False)
    ticket, _ = soap.authenticate()
    rq = check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    message = 'The name "Acme Plumbing" of the list element is already in use.'
    progress = soap.receive(
        ticket, rs("CustomerAddRs", rq.get("requestID"), code=3100, message=message)
    )
    assert 0 <= progress < 100
    sync = world.records["customers"]["c1"]["sync"]
    assert sync["status"] == "failed"
    assert sync["error"] == f"3100: {message}"
    # The invoice needs that customer: the item check still runs, then the invoice is
    # refused with a clear reason instead of being sent (it would fail with 3140).
    rq = check(soap.send(ticket), qbxml_schema)
    assert rq.tag == "ItemServiceQueryRq"
    body = "<ItemServiceRet><ListID>80000002-1</ListID><Name>Services</Name></ItemServiceRet>"
    assert soap.receive(ticket, rs("ItemServiceQueryRs", rq.get("requestID"), body)) == 100
    invoice = world.records["invoices"]["i1"]["sync"]
    assert invoice["status"] == "failed"
    assert "not synced" in invoice["error"]


def test_com_error_is_negative_with_last_error(soap_for, world: TinyApp, qbxml_schema) -> None:
    soap = soap_for(world)
    ticket, _ = soap.authenticate()
    check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    assert soap.receive(ticket, "", hresult="0x80040400", message="parse error") < 0
    assert "0x80040400" in soap.text("getLastError", ticket=ticket)


def test_quickbooks_busy_leaves_the_record_for_the_next_session(
    soap_for, world: TinyApp, qbxml_schema
) -> None:
    soap = soap_for(world)
    ticket, _ = soap.authenticate()
    rq = check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    assert rq.tag == "CustomerAddRq"
    modal = "A modal dialog box is showing in the QuickBooks user interface."
    assert soap.receive(ticket, "", hresult="0x80040414", message=modal) < 0
    assert "sent again" in soap.text("getLastError", ticket=ticket)
    sync = world.records["customers"]["c1"]["sync"]
    assert sync["status"] == "not_synced"  # planned again, not failed
    assert "0x80040414" in sync["error"]
    soap.text("closeConnection", ticket=ticket)
    ticket, _ = soap.authenticate()
    rq = check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    assert rq.tag == "CustomerAddRq"  # no probe first: the busy request was never applied


def test_mismatched_request_id_is_rejected(soap_for, world: TinyApp, qbxml_schema) -> None:
    soap = soap_for(world)
    ticket, _ = soap.authenticate()
    check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    assert soap.receive(ticket, rs("CustomerAddRs", "999", "<CustomerRet/>")) < 0
    assert world.records["customers"]["c1"]["sync"]["external_id"] is None
    assert world.records["customers"]["c1"]["sync"]["status"] == "not_synced"


def test_malformed_response_is_negative_not_a_crash(soap_for, world: TinyApp, qbxml_schema):
    soap = soap_for(world)
    ticket, _ = soap.authenticate()
    check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    assert soap.receive(ticket, "<QBXML><unclosed>") < 0
    assert "well-formed" in soap.text("getLastError", ticket=ticket)


def test_version_negotiated_down_to_what_quickbooks_supports(soap_for, world, qbxml_schema):
    soap = soap_for(world)
    ticket, _ = soap.authenticate()
    hcp = HCP_RESPONSE.replace("<SupportedQBXMLVersion>13.0</SupportedQBXMLVersion>", "")
    hcp = hcp.replace("<SupportedQBXMLVersion>16.0</SupportedQBXMLVersion>", "")
    request = soap.send(ticket, hcp)
    assert '<?qbxml version="12.0"?>' in request


def test_unreachable_app_gives_a_clear_last_error(soap_for, world: TinyApp) -> None:
    soap = soap_for(world)
    world.down = True
    ticket, company = soap.authenticate()
    assert company == ""
    assert soap.send(ticket, HCP_RESPONSE) == ""
    assert "could not be reached" in soap.text("getLastError", ticket=ticket)


def test_unexpected_app_data_is_an_error_answer_not_a_crash(
    soap_for, world: TinyApp, qbxml_schema
) -> None:
    soap = soap_for(world)
    ticket, _ = soap.authenticate()
    rq = check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    # The app starts answering garbage for the record PUT: a bug-class failure.
    world.records["customers"]["c1"]["sync"] = None
    body = f"<CustomerRet><ListID>{CUSTOMER_LIST_ID}</ListID></CustomerRet>"
    assert soap.receive(ticket, rs("CustomerAddRs", rq.get("requestID"), body)) == -1
    assert "Connector error in receiveResponseXML" in soap.text("getLastError", ticket=ticket)


POISONED_TXN_ID = "2D-1767626000"


def test_a_malformed_quickbooks_amount_holds_that_payment_only(
    soap_for, world: TinyApp, qbxml_schema
) -> None:
    """One poisoned record does not stop the sync (issue 23 item 3): a QuickBooks payment
    whose amount cannot be read is held with its error; the payments after it are pulled."""
    soap = soap_for(world)
    run_first_session(soap, qbxml_schema)
    ticket, _ = soap.authenticate()
    rq = check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    assert rq.tag == "ReceivePaymentQueryRq"
    body = payment_ret(POISONED_TXN_ID, "2026-01-05T09:40:00-05:00", INVOICE_TXN_ID, "12.3.4")
    body += payment_ret(PAYMENT_TXN_ID, "2026-01-05T10:00:00-05:00", INVOICE_TXN_ID)
    body += payment_ret(ORPHAN_TXN_ID, "2026-01-05T09:30:00-05:00", "99-1")
    body += payment_ret("2E-1767627000", "2026-01-05T10:30:00-05:00", INVOICE_TXN_ID, "25.00")
    progress = soap.receive(ticket, rs("ReceivePaymentQueryRs", rq.get("requestID"), body))
    assert 0 <= progress < 100  # not -1: the session goes on
    finish_with_deletions(soap, ticket, qbxml_schema)
    # The payment after the poisoned one is in the app; the poisoned one is held, on record.
    amounts = sorted(p["amount"] for p in world.records["payments"].values())
    assert amounts == ["100.00", "25.00"]
    history = soap.wsgi.sessions.store.attempts(r"c:\acme.qbw", "payment", POISONED_TXN_ID)
    assert [a.outcome for a in history] == ["failed"]
    assert "12.3.4" in history[0].status_message
