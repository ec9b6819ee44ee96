"""What real QuickBooks refuses (issue 18): field lengths, one name list, colons."""

from __future__ import annotations

import pytest

from harness.fake_qbd.errors import FeatureNotEnabled


def customer_add(name: str, extra: str = "", rid: str = "1") -> str:
    return (
        f'<CustomerAddRq requestID="{rid}"><CustomerAdd><Name>{name}</Name>{extra}'
        "</CustomerAdd></CustomerAddRq>"
    )


def vendor_add(name: str, rid: str = "1") -> str:
    return (
        f'<VendorAddRq requestID="{rid}"><VendorAdd><Name>{name}</Name></VendorAdd></VendorAddRq>'
    )


@pytest.mark.parametrize(
    ("body", "field", "value"),
    [
        (customer_add("C" * 42), "Name", "C" * 42),
        (vendor_add("V" * 42), "Name", "V" * 42),
        (
            "<ItemServiceAddRq><ItemServiceAdd><Name>" + "S" * 32 + "</Name><SalesOrPurchase>"
            "<Price>1.00</Price></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>",
            "Name",
            "S" * 32,
        ),
        (
            "<AccountAddRq><AccountAdd><Name>Tools</Name><AccountType>Expense</AccountType>"
            "<AccountNumber>12345678</AccountNumber></AccountAdd></AccountAddRq>",
            "AccountNumber",
            "12345678",
        ),
        (
            customer_add("Acme", "<BillAddress><Addr1>" + "a" * 42 + "</Addr1></BillAddress>"),
            "Addr1",
            "a" * 42,
        ),
        (
            "<SalesTaxCodeAddRq><SalesTaxCodeAdd><Name>Taxy</Name><IsTaxable>true</IsTaxable>"
            "</SalesTaxCodeAdd></SalesTaxCodeAddRq>",
            "Name",
            "Taxy",
        ),
    ],
)
def test_a_string_over_the_schema_max_length_is_3070(qb, company, body, field, value):
    before = {kind: len(rows) for kind, rows in company.snapshot().items()}
    rs = qb(body)[0]
    assert rs.get("statusCode") == "3070"
    assert rs.get("statusSeverity") == "Error"
    assert rs.get("statusMessage") == f'The string "{value}" in the field "{field}" is too long.'
    assert len(rs) == 0  # nothing echoed
    assert {kind: len(rows) for kind, rows in company.snapshot().items()} == before


def test_the_maximum_itself_is_accepted(qb, company):
    assert qb(customer_add("C" * 41))[0].get("statusCode") == "0"
    company.operator.add_customer("Acme")
    ref = "1" * 11
    rs = qb(
        "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        f"<RefNumber>{ref}</RefNumber><InvoiceLineAdd><Desc>Visit</Desc><Amount>1.00</Amount>"
        "</InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>"
    )[0]
    assert rs.get("statusCode") == "0"
    assert rs.findtext("InvoiceRet/RefNumber") == ref


def test_a_twelve_character_ref_number_is_3070(qb, company):
    company.operator.add_customer("Acme")
    rs = qb(
        "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<RefNumber>INV-20260001</RefNumber></InvoiceAdd></InvoiceAddRq>"
    )[0]
    assert rs.get("statusCode") == "3070"
    assert '"RefNumber"' in rs.get("statusMessage")
    assert company.snapshot()["Invoice"] == []


@pytest.mark.parametrize(
    ("first", "second"),
    [(customer_add, vendor_add), (vendor_add, customer_add)],
)
def test_customers_and_vendors_share_one_name_list(qb, company, first, second):
    assert qb(first("Harbor Supply"))[0].get("statusCode") == "0"
    rs = qb(second("harbor supply", rid="2"))[0]
    assert rs.get("statusCode") == "3100"
    assert rs.get("statusMessage") == (
        'The name "harbor supply" of the list element is already in use.'
    )


def test_a_sub_customer_does_not_clash_with_a_vendor_of_its_short_name(qb, company):
    company.operator.add_customer("Acme")
    assert qb(vendor_add("Site"))[0].get("statusCode") == "0"
    rs = qb(
        customer_add("Site", "", rid="2").replace(
            "<Name>Site</Name>", "<Name>Site</Name><ParentRef><FullName>Acme</FullName></ParentRef>"
        )
    )[0]
    assert rs.get("statusCode") == "0"


@pytest.mark.parametrize("make", [customer_add, vendor_add])
def test_a_name_with_a_colon_is_3090(qb, company, make):
    rs = qb(make("Acme:Site"))[0]
    assert rs.get("statusCode") == "3090"
    assert "Acme:Site" in rs.get("statusMessage")
    assert company.snapshot()["Customer"] == company.snapshot()["Vendor"] == []


def test_a_rename_to_a_name_with_a_colon_is_3090(qb, company):
    ret = qb(customer_add("Acme"))[0][0]
    rs = qb(
        f"<CustomerModRq><CustomerMod><ListID>{ret.findtext('ListID')}</ListID>"
        f"<EditSequence>{ret.findtext('EditSequence')}</EditSequence><Name>Acme:West</Name>"
        "</CustomerMod></CustomerModRq>"
    )[0]
    assert rs.get("statusCode") == "3090"
    assert company.snapshot()["Customer"][0]["Name"] == "Acme"


def test_feature_not_enabled_text_has_no_suffix():
    assert FeatureNotEnabled("Advanced Inventory sites").message == (
        "This feature is not enabled or not available in this version of QuickBooks."
    )


def invoice_add(rid: str) -> str:
    return (
        f'<InvoiceAddRq requestID="{rid}"><InvoiceAdd><CustomerRef><FullName>Acme</FullName>'
        "</CustomerRef><InvoiceLineAdd><Desc>Visit</Desc><Amount>5.00</Amount></InvoiceLineAdd>"
        "</InvoiceAdd></InvoiceAddRq>"
    )


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("record_in_use", "3170"),
        ("closing_date", "3171"),
        ("record_locked", "3175"),
        ("list_locked", "3176"),
        ("save_failed", "3180"),
        ("permission_denied", "3260"),
    ],
)
def test_a_named_fault_answers_the_aimed_request_and_applies_nothing(qb, company, fault, code):
    company.operator.add_customer("Acme")
    company.operator.fail_requests(fault, "InvoiceAdd", nth=2)
    msgs = qb(invoice_add("1") + invoice_add("2") + invoice_add("3"), on_error="continueOnError")
    assert [rs.get("statusCode") for rs in msgs] == ["0", code, "0"]
    assert msgs[1].get("statusSeverity") == "Error"
    assert len(msgs[1]) == 0
    assert len(company.snapshot()["Invoice"]) == 2
    assert company.faults.unfired() == []


def test_faults_from_settings_fire_times_in_a_row_on_their_type_only(clock):
    from harness.fake_qbd import CompanySettings, QBDCompany

    settings = CompanySettings(
        status_faults=[{"fault": "record_locked", "request": "InvoiceAdd", "times": 2}]
    )
    company = QBDCompany(settings=settings, clock=clock)
    company.operator.add_customer("Acme")
    text = company.process(
        '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
        '<QBXMLMsgsRq onError="continueOnError"><CustomerQueryRq requestID="0"/>'
        f"{invoice_add('1')}{invoice_add('2')}{invoice_add('3')}</QBXMLMsgsRq></QBXML>"
    )
    assert text.count('statusCode="3175"') == 2
    assert text.count("There was an error when locking the Invoice.") == 2
    assert [i["TxnNumber"] for i in company.snapshot()["Invoice"]] == ["1"]


@pytest.mark.parametrize(
    "spec",
    [
        {"fault": "meteor_strike", "request": "InvoiceAdd"},
        {"fault": "record_in_use", "request": "InvoiceAddRq"},
        {"fault": "record_in_use", "request": "InvoiceAdd", "nth": 0},
        {"fault": "record_in_use"},
    ],
)
def test_a_bad_fault_is_a_clear_error(clock, spec):
    from harness.fake_qbd import CompanySettings, QBDCompany
    from harness.fake_qbd.faults import FaultSpecError

    with pytest.raises(FaultSpecError):
        QBDCompany(settings=CompanySettings(status_faults=[spec]), clock=clock)


def test_a_request_id_over_fifty_characters_is_1060(qb, company):
    rs = qb(customer_add("Harbor", rid="r" * 51) + customer_add("Mill", rid="2"))
    assert rs[0].get("statusCode") == "1060"
    assert rs[0].get("statusMessage") == (
        f'The request ID "{"r" * 51}" is invalid, possibly too long, max 50 chars.'
    )
    assert rs[1].get("statusCode") == "3231"
    assert qb(customer_add("Harbor", rid="r" * 50))[0].get("statusCode") == "0"


def test_a_txn_date_range_from_after_to_is_3030(qb):
    rs = qb(
        "<InvoiceQueryRq><TxnDateRangeFilter><FromTxnDate>2026-02-01</FromTxnDate>"
        "<ToTxnDate>2026-01-01</ToTxnDate></TxnDateRangeFilter></InvoiceQueryRq>"
    )[0]
    assert rs.get("statusCode") == "3030"
    assert rs.get("statusMessage") == "Invalid date range: From date is greater than To date."


@pytest.mark.parametrize(("meta", "rets"), [("MetaDataOnly", 0), ("MetaDataAndResponseData", 2)])
def test_meta_data_counts_the_matches(qb, company, meta, rets):
    company.operator.add_customer("Acme")
    company.operator.add_customer("Harbor")
    rs = qb(f'<CustomerQueryRq metaData="{meta}"/>')[0]
    assert rs.get("statusCode") == "0"
    assert rs.get("retCount") == "2"
    assert len(rs) == rets


def test_a_hierarchical_list_shows_children_under_their_parent(qb, company):
    for name, parent in (("Parent 2", None), ("Parent", None), ("Child", "Parent")):
        company.operator.add_customer(name, parent=parent)
    names = [ret.findtext("FullName") for ret in qb("<CustomerQueryRq/>")[0]]
    assert names == ["Parent", "Parent:Child", "Parent 2"]
