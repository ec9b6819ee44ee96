"""qbXML builders the customer and invoice pulls need beyond ``connector.qbxml.requests``:
modified-since list and transaction queries through iterators, the deleted-records queries,
and credit memos. Children are appended in the order qbxmlops130.xsd demands (a misordered
element is a parse error 0x80040400, QBWC-FACTS.md)."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree
from lxml.builder import E

from connector.qbxml import requests as rq


def _iterated(
    tag: str, request_id: str, children: list[etree._Element], iterator_id: str | None
) -> etree._Element:
    if iterator_id:
        return rq._rq(tag, request_id, *children, iterator="Continue", iteratorID=iterator_id)
    return rq._rq(tag, request_id, *children, iterator="Start")


def customer_changes_rq(
    request_id: str, *, from_modified: str | None, page_size: int, iterator_id: str | None
) -> etree._Element:
    """CustomerQueryRq: MaxReturned, ActiveStatus All (inactive ones are archived in the
    app: CUS-06), FromModifiedDate (inclusive) when there is a cursor (SYNC-04)."""
    children = [rq._text("MaxReturned", page_size), rq._text("ActiveStatus", "All")]
    if from_modified:
        children.append(rq._text("FromModifiedDate", from_modified))
    return _iterated("CustomerQueryRq", request_id, children, iterator_id)


def invoice_changes_rq(
    request_id: str,
    *,
    page_size: int,
    iterator_id: str | None,
    from_modified: str | None = None,
    from_txn_date: str | None = None,
    to_txn_date: str | None = None,
) -> etree._Element:
    """InvoiceQueryRq with line items: modified-since (incremental) or a TxnDate range (the
    initial sync, recent months first: IVC-11). MaxReturned comes before the filters."""
    children = [rq._text("MaxReturned", page_size)]
    if from_modified:
        children.append(E.ModifiedDateRangeFilter(rq._text("FromModifiedDate", from_modified)))
    elif from_txn_date or to_txn_date:
        dates = E.TxnDateRangeFilter()
        if from_txn_date:
            dates.append(rq._text("FromTxnDate", from_txn_date))
        if to_txn_date:
            dates.append(rq._text("ToTxnDate", to_txn_date))
        children.append(dates)
    children.append(rq._text("IncludeLineItems", "true"))
    return _iterated("InvoiceQueryRq", request_id, children, iterator_id)


def list_deleted_rq(request_id: str, *, list_type: str, from_deleted: str | None) -> etree._Element:
    """ListDeletedQueryRq: ListDelType, then DeletedDateRangeFilter."""
    children = [rq._text("ListDelType", list_type)]
    if from_deleted:
        children.append(E.DeletedDateRangeFilter(rq._text("FromDeletedDate", from_deleted)))
    return rq._rq("ListDeletedQueryRq", request_id, *children)


def credit_memo_add_rq(
    request_id: str,
    *,
    customer_list_id: str,
    item_full_name: str,
    amount: Decimal,
    txn_date: str,
    memo: str,
    description: str,
) -> etree._Element:
    """CreditMemoAddRq: CustomerRef, TxnDate, Memo, then one CreditMemoLineAdd."""
    add = E.CreditMemoAdd(rq._ref("CustomerRef", list_id=customer_list_id))
    if txn_date:
        add.append(rq._text("TxnDate", txn_date))
    add.append(rq._text("Memo", memo))
    line = E.CreditMemoLineAdd(rq._ref("ItemRef", full_name=item_full_name))
    if description:
        line.append(rq._text("Desc", description))
    line.append(rq._text("Amount", rq.money(amount)))
    add.append(line)
    return rq._rq("CreditMemoAddRq", request_id, add)


def credit_memo_for_customer_rq(request_id: str, *, customer_list_id: str) -> etree._Element:
    """CreditMemoQueryRq of one customer's credit memos (probing a lost CreditMemoAdd)."""
    return rq._rq(
        "CreditMemoQueryRq", request_id, E.EntityFilter(rq._text("ListID", customer_list_id))
    )
