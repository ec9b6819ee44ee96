"""Bills: owed to a vendor; item lines bring stock in (issue 18: requests connectors send)."""

from __future__ import annotations


def bill(lines: str, extra: str = "") -> str:
    return (
        "<BillAddRq><BillAdd><VendorRef><FullName>Pipe Supply</FullName></VendorRef>"
        f"<TxnDate>2026-01-05</TxnDate>{extra}{lines}</BillAdd></BillAddRq>"
    )


EXPENSE = (
    "<ExpenseLineAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef>"
    "<Amount>40.00</Amount><Memo>Freight</Memo></ExpenseLineAdd>"
)
ITEM = (
    "<ItemLineAdd><ItemRef><FullName>Filter</FullName></ItemRef><Quantity>5</Quantity>"
    "<Cost>6.00</Cost></ItemLineAdd>"
)


def test_a_bill_is_owed_to_its_vendor_and_brings_stock_in(qb, company):
    company.operator.add_vendor("Pipe Supply")
    company.operator.add_item("inventory", "Filter", price="12.50", quantity_on_hand=10)
    ret = qb(bill(EXPENSE + ITEM))[0][0]
    assert ret.findtext("AmountDue") == ret.findtext("OpenAmount") == "70.00"
    assert ret.findtext("IsPaid") == "false"
    assert ret.findtext("DueDate") == "2026-01-15"  # DaysBillsAreDue 10
    assert ret.findtext("APAccountRef/FullName") == "Accounts Payable"
    assert [line.findtext("Amount") for line in ret.findall("ExpenseLineRet")] == ["40.00"]
    assert ret.findtext("ItemLineRet/Amount") == "30.00"
    ids = {ret.findtext("TxnID"), ret.findtext("ExpenseLineRet/TxnLineID")}
    assert len(ids | {ret.findtext("ItemLineRet/TxnLineID")}) == 3
    snap = company.snapshot()
    assert snap["Vendor"][0]["Balance"] == "70.00"
    assert snap["ItemInventory"][0]["QuantityOnHand"] == "15"


def test_bills_are_queried_by_vendor_and_a_void_undoes_them(qb, company):
    company.operator.add_vendor("Pipe Supply")
    company.operator.add_vendor("Other")
    company.operator.add_item("inventory", "Filter", price="12.50", quantity_on_hand=10)
    txn = qb(bill(ITEM))[0][0].findtext("TxnID")
    rs = qb(
        "<BillQueryRq><EntityFilter><FullName>Pipe Supply</FullName></EntityFilter>"
        "<IncludeLineItems>true</IncludeLineItems></BillQueryRq>"
    )
    assert [r.findtext("TxnID") for r in rs[0]] == [txn]
    other = qb("<BillQueryRq><EntityFilter><FullName>Other</FullName></EntityFilter></BillQueryRq>")
    assert other[0].get("statusCode") == "1"
    qb(f"<TxnVoidRq><TxnVoidType>Bill</TxnVoidType><TxnID>{txn}</TxnID></TxnVoidRq>")
    snap = company.snapshot()
    assert snap["Vendor"][0]["Balance"] == "0.00"
    assert snap["ItemInventory"][0]["QuantityOnHand"] == "10"


def test_a_bill_for_an_unknown_vendor_is_3140(qb):
    rs = qb(bill(EXPENSE))[0]
    assert rs.get("statusCode") == "3140"
    assert 'QuickBooks Vendor "Pipe Supply"' in rs.get("statusMessage")
