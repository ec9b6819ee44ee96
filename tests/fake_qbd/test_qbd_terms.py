"""Terms: the standard terms of a new company file, StandardTermsAdd, and what TermsRef
does on a customer and an invoice (issue 18). Responses are schema-validated (``qb``)."""

from __future__ import annotations


def test_a_new_file_answers_terms_query_with_its_standard_terms(qb):
    rs = qb("<TermsQueryRq/>")[0]
    assert rs.get("statusCode") == "0"
    terms = {r.findtext("Name"): r for r in rs}
    assert {"Net 30", "Due on receipt", "2% 10 Net 30"} <= set(terms)
    assert all(r.tag == "StandardTermsRet" for r in rs)
    assert terms["Net 30"].findtext("StdDueDays") == "30"
    assert terms["2% 10 Net 30"].findtext("DiscountPct") == "2.00"
    assert terms["Due on receipt"].findtext("StdDueDays") == "0"


def test_standard_terms_add_then_query_by_name(qb):
    add = qb(
        "<StandardTermsAddRq><StandardTermsAdd><Name>Net 45</Name><StdDueDays>45</StdDueDays>"
        "</StandardTermsAdd></StandardTermsAddRq>"
    )[0]
    assert add.get("statusCode") == "0"
    found = qb("<StandardTermsQueryRq><FullName>net 45</FullName></StandardTermsQueryRq>")[0]
    assert found[0].findtext("ListID") == add[0].findtext("ListID")
    again = qb(
        "<StandardTermsAddRq><StandardTermsAdd><Name>NET 45</Name></StandardTermsAdd>"
        "</StandardTermsAddRq>"
    )[0]
    assert again.get("statusCode") == "3100"


def test_a_terms_name_longer_than_31_is_3070(qb):
    name = "N" * 32  # qbxml130 StandardTermsAdd Name maxLength 31
    rs = qb(
        f"<StandardTermsAddRq><StandardTermsAdd><Name>{name}</Name></StandardTermsAdd>"
        "</StandardTermsAddRq>"
    )[0]
    assert rs.get("statusCode") == "3070"


def test_an_invoice_takes_its_customers_terms_and_is_due_after_them(qb):
    qb(
        "<CustomerAddRq><CustomerAdd><Name>Acme</Name><TermsRef><FullName>Net 15</FullName>"
        "</TermsRef></CustomerAdd></CustomerAddRq>"
    )
    ret = qb(
        "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<TxnDate>2026-01-05</TxnDate></InvoiceAdd></InvoiceAddRq>"
    )[0][0]
    assert ret.findtext("TermsRef/FullName") == "Net 15"
    assert ret.findtext("DueDate") == "2026-01-20"
    named = qb(
        "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<TxnDate>2026-01-05</TxnDate><TermsRef><FullName>Net 60</FullName></TermsRef>"
        "<DueDate>2026-01-31</DueDate></InvoiceAdd></InvoiceAddRq>"
    )[0][0]
    assert named.findtext("DueDate") == "2026-01-31"  # a DueDate given wins


def test_terms_that_do_not_exist_are_3140(qb):
    rs = qb(
        "<CustomerAddRq><CustomerAdd><Name>Acme</Name><TermsRef><FullName>Net 99</FullName>"
        "</TermsRef></CustomerAdd></CustomerAddRq>"
    )[0]
    assert rs.get("statusCode") == "3140"
    assert 'QuickBooks Terms "Net 99"' in rs.get("statusMessage")
