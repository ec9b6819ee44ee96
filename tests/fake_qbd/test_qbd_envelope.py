from __future__ import annotations

import pytest

from harness.fake_qbd import NotModeledError, QBDCompany, RequestProcessorError
from harness.fake_qbd.errors import PARSE_ERROR, PARSE_ERROR_MESSAGE, VERSION_NOT_SUPPORTED

ENVELOPE = (
    '<?xml version="1.0"?><?qbxml version="{version}"?>'
    '<QBXML><QBXMLMsgsRq onError="{on_error}">{body}</QBXMLMsgsRq></QBXML>'
)


def raw(body: str, on_error: str = "stopOnError", version: str = "13.0") -> str:
    return ENVELOPE.format(body=body, on_error=on_error, version=version)


def customer_add(name: str, request_id: str) -> str:
    return (
        f'<CustomerAddRq requestID="{request_id}"><CustomerAdd><Name>{name}</Name>'
        "</CustomerAdd></CustomerAddRq>"
    )


def test_response_starts_with_the_declaration_and_echoes_request_ids(company, validate):
    text = company.process(raw(customer_add("A", "7") + customer_add("B", "x-8")))
    assert text.startswith('<?xml version="1.0" ?>\n<QBXML>\n')
    root = validate(text)
    assert [rs.get("requestID") for rs in root[0]] == ["7", "x-8"]
    assert all(rs.get("statusMessage") == "Status OK" for rs in root[0])


def test_stop_on_error_answers_the_requests_after_the_failure_not_processed(qb, company):
    msgs = qb(
        customer_add("A", "1")
        + customer_add("a", "2")
        + customer_add("C", "3")
        + '<CustomerQueryRq requestID="4"/>'
    )
    assert [rs.get("requestID") for rs in msgs] == ["1", "2", "3", "4"]
    assert [rs.get("statusCode") for rs in msgs] == ["0", "3100", "3231", "3231"]
    assert [rs.tag for rs in msgs[2:]] == ["CustomerAddRs", "CustomerQueryRs"]
    assert msgs[3].get("statusSeverity") == "Error"
    assert msgs[3].get("statusMessage") == "The request has not been processed."
    assert len(msgs[3]) == 0
    assert [c["Name"] for c in company.snapshot()["Customer"]] == ["A"]


def test_continue_on_error_processes_every_request(qb, company):
    msgs = qb(
        customer_add("A", "1") + customer_add("a", "2") + customer_add("C", "3"),
        on_error="continueOnError",
    )
    assert [rs.get("statusCode") for rs in msgs] == ["0", "3100", "0"]
    assert [c["Name"] for c in company.snapshot()["Customer"]] == ["A", "C"]


def test_rollback_on_error_stops_like_stop_on_error_and_undoes_nothing(qb, company):
    msgs = qb(
        customer_add("A", "1") + customer_add("a", "2") + customer_add("C", "3"),
        on_error="rollbackOnError",
    )
    assert [rs.get("statusCode") for rs in msgs] == ["0", "3100", "3231"]
    assert [c["Name"] for c in company.snapshot()["Customer"]] == ["A"]  # not rolled back


def test_rollback_on_error_can_be_refused_as_a_whole(clock):
    from harness.fake_qbd import CompanySettings

    strict = QBDCompany(CompanySettings(refuse_rollback_on_error=True), clock)
    body = customer_add("A", "1")
    with pytest.raises(RequestProcessorError) as caught:
        strict.process(raw(body, on_error="rollbackOnError"))
    assert caught.value.hresult == 0x80040400
    assert strict.snapshot()["Customer"] == []
    strict.process(raw(body))
    assert len(strict.snapshot()["Customer"]) == 1


def test_a_warning_does_not_stop_the_message_set(qb):
    msgs = qb('<CustomerQueryRq requestID="1"/>' + customer_add("A", "2"))
    assert msgs[0].get("statusCode") == "1"
    assert msgs[0].get("statusSeverity") == "Info"
    assert msgs[0].get("statusMessage") == (
        "A query request did not find a matching object in QuickBooks"
    )
    assert msgs[1].get("statusCode") == "0"


@pytest.mark.parametrize(
    "text",
    [
        "<QBXML><QBXMLMsgsRq",  # not well-formed
        raw("<NoSuchThingRq/>"),  # not a qbXML 13.0 request
        raw(
            "<CustomerAddRq><CustomerAdd><IsActive>true</IsActive><Name>A</Name>"
            "</CustomerAdd></CustomerAddRq>"
        ),  # misordered
        raw("<CustomerAddRq><CustomerAdd><Nom>A</Nom></CustomerAdd></CustomerAddRq>"),
        raw("<CustomerAddRq><CustomerAdd/></CustomerAddRq>"),  # Name missing
        raw("<CustomerQueryRq><ActiveStatus>Sometimes</ActiveStatus></CustomerQueryRq>"),
        raw("<TxnVoidRq><TxnVoidType>ReceivePayment</TxnVoidType><TxnID>1</TxnID></TxnVoidRq>"),
        raw(customer_add("A", "1"), on_error="whenever"),
        '<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML>',
    ],
)
def test_bad_xml_is_a_request_processor_parse_error(company, text):
    with pytest.raises(RequestProcessorError) as caught:
        company.process(text)
    assert caught.value.hresult == PARSE_ERROR
    assert caught.value.message.startswith(PARSE_ERROR_MESSAGE)


def test_a_valid_request_the_fake_does_not_model_is_not_a_parse_error(company):
    body = customer_add("A", "1") + '<JournalEntryQueryRq requestID="2"/>'
    with pytest.raises(NotModeledError) as caught:
        company.process(raw(body))
    assert caught.value.request_type == "JournalEntryQueryRq"
    assert caught.value.hresult != PARSE_ERROR
    assert company.snapshot()["Customer"] == []


@pytest.mark.parametrize(
    ("request_xml", "member"),
    [
        (
            "<ReceivePaymentModRq><ReceivePaymentMod><TxnID>3-1</TxnID><EditSequence>1"
            "</EditSequence><AppliedToTxnMod><TxnID>1-1</TxnID><PaymentAmount>5.00"
            "</PaymentAmount><SetCredit><CreditTxnID>2-1</CreditTxnID><AppliedAmount>1.00"
            "</AppliedAmount></SetCredit></AppliedToTxnMod></ReceivePaymentMod>"
            "</ReceivePaymentModRq>",
            "AppliedToTxnMod with SetCredit",
        ),
        (
            "<BillPaymentCheckAddRq><BillPaymentCheckAdd><PayeeEntityRef><FullName>V"
            "</FullName></PayeeEntityRef><BankAccountRef><FullName>Checking</FullName>"
            "</BankAccountRef><AppliedToTxnAdd><TxnID>1-1</TxnID><PaymentAmount>5.00"
            "</PaymentAmount><SetCredit><CreditTxnID>2-1</CreditTxnID><AppliedAmount>1.00"
            "</AppliedAmount></SetCredit></AppliedToTxnAdd></BillPaymentCheckAdd>"
            "</BillPaymentCheckAddRq>",
            "BillPaymentCheckAdd AppliedToTxnAdd with SetCredit",
        ),
        (
            "<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>A</FullName>"
            "</CustomerRef><TotalAmount>5.00</TotalAmount><AppliedToTxnAdd><TxnID>1-1</TxnID>"
            "<PaymentAmount>5.00</PaymentAmount><DiscountAmount>1.00</DiscountAmount>"
            "</AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>",
            "AppliedToTxnAdd with DiscountAmount",
        ),
        (
            "<CheckAddRq><CheckAdd><AccountRef><FullName>Checking</FullName></AccountRef>"
            "<ApplyCheckToTxnAdd><TxnID>1-1</TxnID><Amount>1.00</Amount></ApplyCheckToTxnAdd>"
            "</CheckAdd></CheckAddRq>",
            "CheckAdd with ApplyCheckToTxnAdd",
        ),
        (
            "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>A</FullName></CustomerRef>"
            "<LinkToTxnID>1-1</LinkToTxnID></InvoiceAdd></InvoiceAddRq>",
            "InvoiceAdd with LinkToTxnID",
        ),
        (
            "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>A</FullName></CustomerRef>"
            "<SetCredit><CreditTxnID>2-1</CreditTxnID><AppliedAmount>1.00</AppliedAmount>"
            "</SetCredit></InvoiceAdd></InvoiceAddRq>",
            "InvoiceAdd with SetCredit",
        ),
        (
            "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>A</FullName></CustomerRef>"
            "<InvoiceLineAdd><Desc>x</Desc><RatePercent>10</RatePercent></InvoiceLineAdd>"
            "</InvoiceAdd></InvoiceAddRq>",
            "InvoiceLineAdd with RatePercent",
        ),
        (
            "<BillAddRq><BillAdd><VendorRef><FullName>V</FullName></VendorRef>"
            "<LinkToTxnID>1-1</LinkToTxnID></BillAdd></BillAddRq>",
            "BillAdd with LinkToTxnID",
        ),
    ],
)
def test_a_member_the_fake_does_not_model_is_inconclusive_before_anything_runs(
    company, request_xml, member
):
    """Not silently ignored (a payment's credit or discount would change balances real
    QuickBooks reports) and checked with the parse, so nothing of the set is applied."""
    with pytest.raises(NotModeledError) as caught:
        company.process(raw(customer_add("A", "1") + request_xml))
    assert caught.value.request_type == member
    assert company.snapshot()["Customer"] == []


def test_a_parse_error_anywhere_applies_nothing(company):
    bad = "<CustomerAddRq><CustomerAdd><Bogus/></CustomerAdd></CustomerAddRq>"
    with pytest.raises(RequestProcessorError):
        company.process(raw(customer_add("A", "1") + bad))
    assert company.snapshot()["Customer"] == []


def test_a_version_above_the_supported_ones_is_refused(company):
    with pytest.raises(RequestProcessorError) as caught:
        company.process(raw(customer_add("A", "1"), version="16.0"))
    assert caught.value.hresult == VERSION_NOT_SUPPORTED


def test_older_versions_are_accepted():
    company = QBDCompany()
    assert 'statusCode="0"' in company.process(raw(customer_add("A", "1"), version="8.0"))


def test_hcp_response_validates_and_reports_the_host(company, validate):
    company.settings.owner_id = "{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}"
    company.settings.file_id = "{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}"
    root = validate(company.hcp_response())
    names = [rs.tag for rs in root[0]]
    assert names == ["HostQueryRs", "CompanyQueryRs", "PreferencesQueryRs"]
    host = root[0][0][0]
    assert host.findtext("Country") == "US"
    assert host.findall("SupportedQBXMLVersion")[-1].text == "13.0"
    assert host.findtext("QBFileMode") == "SingleUser"
    ext = root.find(".//CompanyRet/DataExtRet")
    assert ext.findtext("OwnerID") == company.settings.owner_id
    assert ext.findtext("DataExtValue") == company.settings.file_id
    prefs = root.find(".//PreferencesRet")
    assert prefs.findtext(".//IsMultiLocationInventoryEnabled") == "false"
    assert prefs.findtext(".//IsAutoApplyingPayments") == "true"


def test_host_company_preferences_queries(qb):
    msgs = qb(
        '<HostQueryRq requestID="1"/><CompanyQueryRq requestID="2"/>'
        '<PreferencesQueryRq requestID="3"/>'
    )
    assert [rs.tag for rs in msgs] == ["HostQueryRs", "CompanyQueryRs", "PreferencesQueryRs"]
    assert msgs[1].findtext("CompanyRet/CompanyName") == "Acme Field Services"


def test_company_query_reports_the_file_id_only_to_the_owner_that_asks(qb, company):
    company.settings.owner_id = "{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}"
    company.settings.file_id = "{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}"
    plain = qb("<CompanyQueryRq/>")[0][0]
    assert plain.find("DataExtRet") is None
    asked = qb(
        "<CompanyQueryRq><OwnerID>{57f3b9b1-86f1-4fcc-b1ee-566de1813d20}</OwnerID></CompanyQueryRq>"
    )[0][0]
    assert asked.findtext("DataExtRet/DataExtValue") == company.settings.file_id
