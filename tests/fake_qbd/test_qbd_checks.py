"""Checks and bill payments by check (issue 18: requests connectors send): money out of the
bank account, a bill's open amount and its vendor's balance lowered. Every response is
validated against the qbXML 13.0 schema by the ``qb`` fixture."""

from __future__ import annotations

import pytest


def _bill(qb, amount: str = "300.00") -> str:
    rs = qb(
        "<BillAddRq><BillAdd><VendorRef><FullName>Pipe Supply</FullName></VendorRef>"
        "<TxnDate>2026-01-02</TxnDate><RefNumber>B-1</RefNumber><ExpenseLineAdd><AccountRef>"
        f"<FullName>Cost of Goods Sold</FullName></AccountRef><Amount>{amount}</Amount>"
        "</ExpenseLineAdd></BillAdd></BillAddRq>"
    )
    return rs[0][0].findtext("TxnID")


def pay(bill_id: str, amount: str | None, payee: str = "Pipe Supply") -> str:
    paid = f"<PaymentAmount>{amount}</PaymentAmount>" if amount is not None else ""
    return (
        "<BillPaymentCheckAddRq><BillPaymentCheckAdd><PayeeEntityRef>"
        f"<FullName>{payee}</FullName></PayeeEntityRef><BankAccountRef><FullName>Checking"
        "</FullName></BankAccountRef><RefNumber>101</RefNumber><AppliedToTxnAdd>"
        f"<TxnID>{bill_id}</TxnID>{paid}</AppliedToTxnAdd></BillPaymentCheckAdd>"
        "</BillPaymentCheckAddRq>"
    )


@pytest.fixture
def vendor(company):
    company.operator.add_vendor("Pipe Supply")
    return company


def _balance(company, kind: str, name: str) -> str:
    return next(r for r in company.snapshot()[kind] if r["Name"] == name)["Balance"]


def test_a_bill_payment_lowers_the_bill_the_vendor_and_the_bank(qb, vendor):
    bill_id = _bill(qb)
    ret = qb(pay(bill_id, "100.00"))[0][0]
    assert ret.findtext("Amount") == "100.00"
    assert ret.findtext("AppliedToTxnRet/TxnType") == "Bill"
    assert ret.findtext("AppliedToTxnRet/BalanceRemaining") == "200.00"
    bill = qb("<BillQueryRq/>")[0][0]
    assert (bill.findtext("AmountDue"), bill.findtext("OpenAmount")) == ("300.00", "200.00")
    assert bill.findtext("IsPaid") == "false"
    assert _balance(vendor, "Vendor", "Pipe Supply") == "200.00"
    assert _balance(vendor, "Account", "Checking") == "-100.00"
    qb(pay(bill_id, None))  # no PaymentAmount: what is left (unconfirmed default)
    assert qb("<BillQueryRq/>")[0][0].findtext("IsPaid") == "true"
    assert _balance(vendor, "Vendor", "Pipe Supply") == "0.00"


def test_paying_more_than_the_bill_is_refused_and_applies_nothing(qb, vendor):
    bill_id = _bill(qb)
    rs = qb(pay(bill_id, "300.01"))[0]
    assert rs.get("statusCode") == "3210"
    assert "AppliedToTxnAdd payment amount" in rs.get("statusMessage")
    assert vendor.snapshot()["BillPaymentCheck"] == []


def test_a_bill_payment_for_another_payee_or_no_bill_is_refused(qb, vendor):
    bill_id = _bill(qb)
    vendor.operator.add_vendor("Other Supply")
    assert qb(pay(bill_id, "10.00", payee="Other Supply"))[0].get("statusCode") == "3210"
    assert qb(pay("999-1", "10.00"))[0].get("statusCode") == "3120"
    assert qb(pay(bill_id, "10.00", payee="Nobody"))[0].get("statusCode") == "3140"


def test_deleting_a_bill_payment_reopens_the_bill(qb, vendor):
    bill_id = _bill(qb)
    payment = qb(pay(bill_id, "300.00"))[0][0].findtext("TxnID")
    qb(f"<TxnDelRq><TxnDelType>BillPaymentCheck</TxnDelType><TxnID>{payment}</TxnID></TxnDelRq>")
    assert qb("<BillQueryRq/>")[0][0].findtext("OpenAmount") == "300.00"


def test_a_check_pays_its_lines_out_of_the_bank_and_brings_stock_in(qb, vendor):
    vendor.operator.add_item("inventory", "Filter", price="12.50", quantity_on_hand=10)
    ret = qb(
        "<CheckAddRq><CheckAdd><AccountRef><FullName>Checking</FullName></AccountRef>"
        "<PayeeEntityRef><FullName>Pipe Supply</FullName></PayeeEntityRef>"
        "<RefNumber>102</RefNumber><ExpenseLineAdd><AccountRef><FullName>Cost of Goods Sold"
        "</FullName></AccountRef><Amount>40.00</Amount></ExpenseLineAdd><ItemLineAdd>"
        "<ItemRef><FullName>Filter</FullName></ItemRef><Quantity>5</Quantity><Cost>6.00</Cost>"
        "</ItemLineAdd></CheckAdd></CheckAddRq>"
    )[0][0]
    assert ret.findtext("Amount") == "70.00"
    assert ret.findtext("PayeeEntityRef/FullName") == "Pipe Supply"
    assert _balance(vendor, "Account", "Checking") == "-70.00"
    assert vendor.snapshot()["ItemInventory"][0]["QuantityOnHand"] == "15"
    assert _balance(vendor, "Vendor", "Pipe Supply") == "0.00"  # a check owes nothing
    found = qb("<CheckQueryRq><RefNumber>102</RefNumber></CheckQueryRq>")[0][0]
    qb(
        f"<TxnVoidRq><TxnVoidType>Check</TxnVoidType><TxnID>{found.findtext('TxnID')}</TxnID></TxnVoidRq>"
    )
    assert _balance(vendor, "Account", "Checking") == "0.00"
    assert vendor.snapshot()["ItemInventory"][0]["QuantityOnHand"] == "10"


def test_a_check_payee_may_be_any_name_and_unknown_names_are_3140(qb, company):
    company.operator.add_employee("Dana", "Reyes")
    body = (
        "<CheckAddRq><CheckAdd><AccountRef><FullName>Checking</FullName></AccountRef>"
        "<PayeeEntityRef><FullName>{}</FullName></PayeeEntityRef><ExpenseLineAdd><AccountRef>"
        "<FullName>Cost of Goods Sold</FullName></AccountRef><Amount>5.00</Amount>"
        "</ExpenseLineAdd></CheckAdd></CheckAddRq>"
    )
    assert qb(body.format("dana reyes"))[0].get("statusCode") == "0"
    rs = qb(body.format("Nobody"))[0]
    assert rs.get("statusCode") == "3140"
    assert 'QuickBooks Entity "Nobody"' in rs.get("statusMessage")
