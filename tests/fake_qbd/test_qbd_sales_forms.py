"""Estimates and sales orders: sales forms that post nothing (issue 18: requests connectors
send). Every response is validated against the qbXML 13.0 schema by the ``qb`` fixture."""

from __future__ import annotations

import pytest


def form(kind: str, lines: str, extra: str = "") -> str:
    return (
        f"<{kind}AddRq><{kind}Add><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        f"{extra}{lines}</{kind}Add></{kind}AddRq>"
    )


def line(kind: str, item: str, quantity: str) -> str:
    return (
        f"<{kind}LineAdd><ItemRef><FullName>{item}</FullName></ItemRef>"
        f"<Quantity>{quantity}</Quantity></{kind}LineAdd>"
    )


@pytest.fixture
def stocked(company):
    company.operator.add_customer("Acme")
    company.operator.add_item("inventory", "Filter", price="12.50", quantity_on_hand=10)
    return company


@pytest.mark.parametrize("kind", ["Estimate", "SalesOrder"])
def test_a_sales_form_is_priced_like_an_invoice_and_moves_no_money_or_stock(qb, stocked, kind):
    ret = qb(form(kind, line(kind, "Filter", "3")))[0][0]
    assert ret.tag == f"{kind}Ret"
    assert ret.findtext("TotalAmount") == "37.50"
    assert ret.findtext(f"{kind}LineRet/Rate") == "12.50"
    assert ret.findtext("RefNumber") == "1"
    assert ret.findtext(f"{kind}LineRet/TxnLineID") != ret.findtext("TxnID")
    snap = stocked.snapshot()
    assert snap["ItemInventory"][0]["QuantityOnHand"] == "10"
    assert snap["Customer"][0]["Balance"] == "0.00"
    receivable = next(a for a in snap["Account"] if a["Name"] == "Accounts Receivable")
    assert receivable["Balance"] == "0.00"


def test_open_sales_orders_are_the_items_quantity_on_sales_order(qb, stocked):
    qb(form("SalesOrder", line("SalesOrder", "Filter", "2")))
    qb(
        form(
            "SalesOrder",
            line("SalesOrder", "Filter", "5"),
            "<IsManuallyClosed>true</IsManuallyClosed>",
        )
    )
    qb(form("Estimate", line("Estimate", "Filter", "7")))  # an estimate reserves nothing
    item = qb("<ItemInventoryQueryRq/>")[0][0]
    assert item.findtext("QuantityOnSalesOrder") == "2"
    assert item.findtext("QuantityOnHand") == "10"


def test_a_sales_order_line_shows_nothing_invoiced(qb, stocked):
    ret = qb(form("SalesOrder", line("SalesOrder", "Filter", "2")))[0][0]
    assert ret.findtext("IsFullyInvoiced") == "false"
    assert ret.findtext("SalesOrderLineRet/Invoiced") == "0"
    assert ret.findtext("SalesOrderLineRet/IsManuallyClosed") == "false"


@pytest.mark.parametrize("kind", ["Estimate", "SalesOrder"])
def test_sales_forms_are_queried_by_number_and_deleted(qb, stocked, kind):
    qb(form(kind, line(kind, "Filter", "1"), "<RefNumber>Q-7</RefNumber>"))
    found = qb(
        f"<{kind}QueryRq><RefNumber>q-7</RefNumber><IncludeLineItems>true</IncludeLineItems></{kind}QueryRq>"
    )
    txn = found[0][0].findtext("TxnID")
    assert found[0][0].findtext(f"{kind}LineRet/Quantity") == "1"
    rs = qb(f"<TxnDelRq><TxnDelType>{kind}</TxnDelType><TxnID>{txn}</TxnID></TxnDelRq>")
    assert rs[0].get("statusCode") == "0"
    assert qb(f"<{kind}QueryRq/>")[0].get("statusCode") == "1"


@pytest.mark.parametrize("kind", ["Estimate", "SalesOrder"])
def test_a_sales_form_refuses_what_an_invoice_refuses(qb, stocked, kind):
    rs = qb(form(kind, line(kind, "Nothing", "1")))[0]
    assert rs.get("statusCode") == "3140"
    assert f"in the {kind} line" in rs.get("statusMessage")
    too_long = "X" * 12  # RefNumber: 11 (qbxml130 EstimateAdd / SalesOrderAdd maxLength)
    rs = qb(form(kind, line(kind, "Filter", "1"), f"<RefNumber>{too_long}</RefNumber>"))[0]
    assert rs.get("statusCode") == "3070"
