"""Build qbXML requests with lxml, element by element in the order qbxmlops130.xsd demands.

QuickBooks rejects a misordered or unknown element with a COM-level parse error
(0x80040400, QBWC-FACTS.md), so every builder here appends children in schema order and the
tests validate each one against the real schema. Each function returns one ``*Rq`` element;
``render_request`` wraps one or more of them in the QBXML envelope.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lxml import etree
from lxml.builder import E

#: onError values of QBXMLMsgsRq; QuickBooks does not really honour rollbackOnError.
STOP_ON_ERROR = "stopOnError"


@dataclass(frozen=True, order=True)
class QbxmlVersion:
    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> QbxmlVersion:
        major, _, minor = text.strip().partition(".")
        return cls(int(major), int(minor or 0))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


def render_request(
    *requests: etree._Element, version: QbxmlVersion, on_error: str = STOP_ON_ERROR
) -> str:
    """One qbXML request message set as QuickBooks' request processor expects it."""
    msgs = E.QBXMLMsgsRq(onError=on_error)
    for request in requests:
        msgs.append(request)
    body = etree.tostring(E.QBXML(msgs), encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{version}"?>\n{body}'


def _text(tag: str, value: Any) -> etree._Element:
    element = etree.Element(tag)
    element.text = str(value)
    return element


def _ref(tag: str, *, list_id: str | None = None, full_name: str | None = None) -> etree._Element:
    # Every *Ref is ListID then FullName (qbxml130 "ListRef"-style types); one is enough.
    ref = etree.Element(tag)
    if list_id:
        ref.append(_text("ListID", list_id))
    if full_name:
        ref.append(_text("FullName", full_name))
    return ref


def money(value: Any) -> str:
    """AMTTYPE: a plain decimal with two places, half-up like an invoice total."""
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def quantity(value: Any) -> str:
    """QUANTYPE: a plain decimal without exponent or trailing zeros."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def _rq(tag: str, request_id: str, *children: etree._Element, **attrs: str) -> etree._Element:
    element = etree.Element(tag, {"requestID": request_id, **attrs})
    element.extend(children)
    return element


# -- list requests ----------------------------------------------------------------------------


def customer_add_rq(
    request_id: str, *, name: str, email: str = "", phone: str = "", external_guid: str = ""
) -> etree._Element:
    """CustomerAddRq: Name first, CommInfo (Phone ... Email) later, ExternalGUID near the
    end (qbxml130 CustomerAdd)."""
    add = E.CustomerAdd(_text("Name", name))
    if phone:
        add.append(_text("Phone", phone))
    if email:
        add.append(_text("Email", email))
    if external_guid:
        add.append(_text("ExternalGUID", external_guid))
    return _rq("CustomerAddRq", request_id, add)


def customers_modified_since_rq(request_id: str, *, from_modified: str) -> etree._Element:
    """CustomerQueryRq of every customer (active or not) modified since a time: the probe
    for a lost CustomerAdd, matched by ExternalGUID whatever a person edited since."""
    return _rq(
        "CustomerQueryRq",
        request_id,
        _text("ActiveStatus", "All"),
        _text("FromModifiedDate", from_modified),
    )


def item_service_query_rq(request_id: str, *, full_name: str) -> etree._Element:
    return _rq("ItemServiceQueryRq", request_id, _text("FullName", full_name))


def item_service_add_rq(
    request_id: str, *, name: str, description: str = "", income_account: str | None = None
) -> etree._Element:
    """ItemServiceAddRq with SalesOrPurchase (Desc, Price, AccountRef in that order)."""
    sales = etree.Element("SalesOrPurchase")
    if description:
        sales.append(_text("Desc", description))
    if income_account:
        sales.append(_ref("AccountRef", full_name=income_account))
    return _rq("ItemServiceAddRq", request_id, E.ItemServiceAdd(_text("Name", name), sales))


# -- transactions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceLine:
    item_full_name: str
    description: str
    quantity: Any
    rate: Any
    amount: Any
    taxable: bool | None = None


def invoice_add_rq(
    request_id: str,
    *,
    customer_list_id: str,
    lines: list[InvoiceLine],
    txn_date: str = "",
    ref_number: str = "",
    due_date: str = "",
    memo: str = "",
    external_guid: str = "",
) -> etree._Element:
    """InvoiceAddRq: CustomerRef, TxnDate, RefNumber, DueDate, Memo, ExternalGUID, then
    InvoiceLineAdd."""
    add = E.InvoiceAdd(_ref("CustomerRef", list_id=customer_list_id))
    if txn_date:
        add.append(_text("TxnDate", txn_date))
    if ref_number:
        add.append(_text("RefNumber", ref_number))
    if due_date:
        add.append(_text("DueDate", due_date))
    if memo:
        add.append(_text("Memo", memo))
    if external_guid:
        add.append(_text("ExternalGUID", external_guid))
    for line in lines:
        # TxnLineCorePriceLevelAdd order: ItemRef, Desc, Quantity, Rate, Amount; then
        # SalesTaxCodeRef after the core group.
        row = E.InvoiceLineAdd(_ref("ItemRef", full_name=line.item_full_name))
        if line.description:
            row.append(_text("Desc", line.description))
        row.append(_text("Quantity", quantity(line.quantity)))
        row.append(_text("Rate", money(line.rate)))
        row.append(_text("Amount", money(line.amount)))
        if line.taxable is not None:
            # "Tax" and "Non" exist in every company file (QBWC-FACTS.md, sales tax codes).
            code = "Tax" if line.taxable else "Non"
            row.append(_ref("SalesTaxCodeRef", full_name=code))
        add.append(row)
    return _rq("InvoiceAddRq", request_id, add)


def invoices_modified_since_rq(request_id: str, *, from_modified: str) -> etree._Element:
    """Every invoice modified since a time: the probe for a lost InvoiceAdd, matched by
    ExternalGUID whatever a person edited since (RefNumber, customer). With its lines
    (IncludeLineItems, after the filters in the TxnQuery group: qbxml130), which an adopted
    invoice takes into the app when invoices flow from QuickBooks."""
    return _rq(
        "InvoiceQueryRq",
        request_id,
        E.ModifiedDateRangeFilter(_text("FromModifiedDate", from_modified)),
        _text("IncludeLineItems", "true"),
    )


def receive_payment_query_rq(
    request_id: str,
    *,
    from_modified: str | None = None,
    max_returned: int = 50,
    iterator_id: str | None = None,
) -> etree._Element:
    """ReceivePaymentQueryRq through an iterator, optionally modified-since (inclusive).

    TxnQuery group order: MaxReturned, ModifiedDateRangeFilter, ..., IncludeLineItems.
    A Continue request repeats the same filter with the iteratorID (qbxmlops130 attributes).
    """
    children = [_text("MaxReturned", max_returned)]
    if from_modified:
        children.append(E.ModifiedDateRangeFilter(_text("FromModifiedDate", from_modified)))
    children.append(_text("IncludeLineItems", "true"))
    if iterator_id:
        return _rq(
            "ReceivePaymentQueryRq",
            request_id,
            *children,
            iterator="Continue",
            iteratorID=iterator_id,
        )
    return _rq("ReceivePaymentQueryRq", request_id, *children, iterator="Start")


def payment_method_query_rq(request_id: str, *, full_name: str) -> etree._Element:
    return _rq("PaymentMethodQueryRq", request_id, _text("FullName", full_name))


def payment_method_add_rq(request_id: str, *, name: str) -> etree._Element:
    return _rq("PaymentMethodAddRq", request_id, E.PaymentMethodAdd(_text("Name", name)))


@dataclass(frozen=True)
class Credit:
    """A credit memo's credit applied to the invoice (SetCredit: CreditTxnID,
    AppliedAmount)."""

    credit_txn_id: str
    amount: Any


@dataclass(frozen=True)
class Application:
    txn_id: str
    amount: Any
    credits: tuple[Credit, ...] = ()


def receive_payment_add_rq(
    request_id: str,
    *,
    customer_list_id: str,
    total: Any,
    applications: list[Application],
    txn_date: str = "",
    ref_number: str = "",
    payment_method: str = "",
    memo: str = "",
    external_guid: str = "",
) -> etree._Element:
    """ReceivePaymentAddRq: CustomerRef, TxnDate, RefNumber, TotalAmount, PaymentMethodRef,
    Memo, ExternalGUID, then IsAutoApply or AppliedToTxnAdd (TxnID, PaymentAmount, then
    SetCredit per credit memo applied with it) per invoice.

    No DepositToAccountRef: the payment goes to Undeposited Funds (QBWC-FACTS.md).
    """
    add = E.ReceivePaymentAdd(_ref("CustomerRef", list_id=customer_list_id))
    if txn_date:
        add.append(_text("TxnDate", txn_date))
    if ref_number:
        add.append(_text("RefNumber", ref_number))
    add.append(_text("TotalAmount", money(total)))
    if payment_method:
        add.append(_ref("PaymentMethodRef", full_name=payment_method))
    if memo:
        add.append(_text("Memo", memo))
    if external_guid:
        add.append(_text("ExternalGUID", external_guid))
    if not applications:
        # Nothing to apply to: keep it as an unused credit rather than let QuickBooks pick.
        add.append(_text("IsAutoApply", "false"))
    for application in applications:
        applied = E.AppliedToTxnAdd(
            _text("TxnID", application.txn_id),
            _text("PaymentAmount", money(application.amount)),
        )
        for credit in application.credits:
            applied.append(
                E.SetCredit(
                    _text("CreditTxnID", credit.credit_txn_id),
                    _text("AppliedAmount", money(credit.amount)),
                )
            )
        add.append(applied)
    return _rq("ReceivePaymentAddRq", request_id, add)


def payments_modified_since_rq(request_id: str, *, from_modified: str) -> etree._Element:
    """Every payment modified since a time (ModifiedDateRangeFilter): the probe for a lost
    ReceivePaymentAdd, matched by ExternalGUID whatever a person edited since."""
    return _rq(
        "ReceivePaymentQueryRq",
        request_id,
        E.ModifiedDateRangeFilter(_text("FromModifiedDate", from_modified)),
        _text("IncludeLineItems", "true"),
    )


def txn_deleted_query_rq(
    request_id: str, *, txn_types: list[str], from_deleted: str | None = None
) -> etree._Element:
    """TxnDeletedQueryRq: TxnDelType+, then DeletedDateRangeFilter (no iterator exists)."""
    children = [_text("TxnDelType", t) for t in txn_types]
    if from_deleted:
        children.append(E.DeletedDateRangeFilter(_text("FromDeletedDate", from_deleted)))
    return _rq("TxnDeletedQueryRq", request_id, *children)


# -- modifications, voids and deletions ------------------------------------------------------


def customer_mod_rq(
    request_id: str,
    *,
    list_id: str,
    edit_sequence: str,
    name: str,
    is_active: bool = True,
    email: str = "",
    phone: str = "",
) -> etree._Element:
    """CustomerModRq: ListID, EditSequence (ListCoreMod), Name, IsActive, then CommInfo."""
    mod = E.CustomerMod(
        _text("ListID", list_id),
        _text("EditSequence", edit_sequence),
        _text("Name", name),
        _text("IsActive", "true" if is_active else "false"),
    )
    if phone:
        mod.append(_text("Phone", phone))
    if email:
        mod.append(_text("Email", email))
    return _rq("CustomerModRq", request_id, mod)


def invoice_mod_rq(
    request_id: str,
    *,
    txn_id: str,
    edit_sequence: str,
    customer_list_id: str,
    lines: list[InvoiceLine],
    txn_date: str = "",
    ref_number: str = "",
    due_date: str = "",
) -> etree._Element:
    """InvoiceModRq replacing every line: a Mod with lines replaces all of them, and
    TxnLineID -1 adds a line (QBWC-FACTS.md)."""
    mod = E.InvoiceMod(
        _text("TxnID", txn_id),
        _text("EditSequence", edit_sequence),
        _ref("CustomerRef", list_id=customer_list_id),
    )
    if txn_date:
        mod.append(_text("TxnDate", txn_date))
    if ref_number:
        mod.append(_text("RefNumber", ref_number))
    if due_date:
        mod.append(_text("DueDate", due_date))
    for line in lines:
        row = E.InvoiceLineMod(
            _text("TxnLineID", "-1"), _ref("ItemRef", full_name=line.item_full_name)
        )
        if line.description:
            row.append(_text("Desc", line.description))
        row.append(_text("Quantity", quantity(line.quantity)))
        row.append(_text("Rate", money(line.rate)))
        row.append(_text("Amount", money(line.amount)))
        if line.taxable is not None:
            row.append(_ref("SalesTaxCodeRef", full_name="Tax" if line.taxable else "Non"))
        mod.append(row)
    return _rq("InvoiceModRq", request_id, mod)


def customer_query_by_id_rq(request_id: str, *, list_id: str) -> etree._Element:
    return _rq("CustomerQueryRq", request_id, _text("ListID", list_id))


def invoice_query_by_id_rq(request_id: str, *, txn_id: str) -> etree._Element:
    return _rq("InvoiceQueryRq", request_id, _text("TxnID", txn_id))


def txn_void_rq(request_id: str, *, txn_type: str, txn_id: str) -> etree._Element:
    return _rq("TxnVoidRq", request_id, _text("TxnVoidType", txn_type), _text("TxnID", txn_id))


def txn_del_rq(request_id: str, *, txn_type: str, txn_id: str) -> etree._Element:
    return _rq("TxnDelRq", request_id, _text("TxnDelType", txn_type), _text("TxnID", txn_id))
