"""Sales receipts: a sale paid on the spot (issue 18: requests connectors send)."""

from __future__ import annotations


def receipt(lines: str, extra: str = "") -> str:
    return (
        "<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Acme</FullName>"
        f"</CustomerRef>{extra}{lines}</SalesReceiptAdd></SalesReceiptAddRq>"
    )


def line(item: str, quantity: str) -> str:
    return (
        f"<SalesReceiptLineAdd><ItemRef><FullName>{item}</FullName></ItemRef>"
        f"<Quantity>{quantity}</Quantity></SalesReceiptLineAdd>"
    )


def test_a_sales_receipt_takes_stock_and_waits_in_undeposited_funds(qb, company):
    op = company.operator
    op.add_customer("Acme")
    op.add_item("inventory", "Filter", price="12.50", quantity_on_hand=10)
    ret = qb(receipt(line("Filter", "2")))[0][0]
    assert ret.findtext("TotalAmount") == "25.00"
    assert ret.findtext("RefNumber") == "1"
    assert ret.findtext("DepositToAccountRef/FullName") == "Undeposited Funds"
    assert ret.findtext("TemplateRef/FullName") == "Custom Sales Receipt"
    assert ret.findtext("SalesReceiptLineRet/TxnLineID") != ret.findtext("TxnID")
    snap = company.snapshot()
    assert snap["ItemInventory"][0]["QuantityOnHand"] == "8"
    funds = next(a for a in snap["Account"] if a["Name"] == "Undeposited Funds")
    assert funds["Balance"] == "25.00"
    assert snap["Customer"][0]["Balance"] == "0.00"


def test_sales_receipts_are_queried_voided_and_deleted(qb, company):
    company.operator.add_customer("Acme")
    company.operator.add_item("inventory", "Filter", price="12.50", quantity_on_hand=10)
    txn = qb(receipt(line("Filter", "4")))[0][0].findtext("TxnID")
    found = qb(
        "<SalesReceiptQueryRq><IncludeLineItems>true</IncludeLineItems></SalesReceiptQueryRq>"
    )
    assert found[0][0].findtext("SalesReceiptLineRet/Quantity") == "4"
    qb(f"<TxnVoidRq><TxnVoidType>SalesReceipt</TxnVoidType><TxnID>{txn}</TxnID></TxnVoidRq>")
    assert company.snapshot()["ItemInventory"][0]["QuantityOnHand"] == "10"
    rs = qb(f"<TxnDelRq><TxnDelType>SalesReceipt</TxnDelType><TxnID>{txn}</TxnID></TxnDelRq>")
    assert rs[0].get("statusCode") == "0"
    assert company.snapshot()["SalesReceipt"] == []


def test_a_sales_receipt_line_naming_no_item_is_3140(qb, company):
    company.operator.add_customer("Acme")
    rs = qb(receipt(line("Nothing", "1")))[0]
    assert rs.get("statusCode") == "3140"
    assert "in the SalesReceipt line" in rs.get("statusMessage")
