"""Responses built as lxml elements, child by child in the schema's order (``RET_ORDER``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lxml import etree

from harness.fake_qbd._grammar import REQUEST_ORDER, RET_ORDER
from harness.fake_qbd.errors import QBStatusError, severity_of
from harness.fake_qbd.models import Application, Record, Ref, TxnLine
from harness.fake_qbd.store import line_keys
from harness.fake_qbd.values import format_value

if TYPE_CHECKING:
    from harness.fake_qbd.company import QBDCompany

ZERO = Decimal(0)
#: Transactions whose lines are the point of them: their Ret always carries the lines.
#: (IncludeLineItems only exists on some queries; unconfirmed which Rets omit lines.)
ALWAYS_WITH_LINES = frozenset({"InventoryAdjustment", "TransferInventory", "Deposit"})
STATUS_OK = "Status OK"


def _names(order: str) -> list[str]:
    return [token.rstrip("?*+") for token in order.split()]


_RET_NAMES = {key: _names(value) for key, value in RET_ORDER.items()}


def element(name: str, text: str | None = None) -> etree._Element:
    node = etree.Element(name)
    if text is not None:
        node.text = text
    return node


def response(
    name: str,
    request_id: str | None,
    children: Iterable[etree._Element] = (),
    error: QBStatusError | None = None,
    extra: dict[str, str] | None = None,
) -> etree._Element:
    """An ``*Rs``: requestID echoed, then statusCode, statusSeverity, statusMessage."""
    node = etree.Element(name)
    if request_id is not None:
        node.set("requestID", request_id)
    code = error.code if error else 0
    node.set("statusCode", str(code))
    node.set("statusSeverity", severity_of(code))
    node.set("statusMessage", error.message if error else STATUS_OK)
    for key, value in (extra or {}).items():
        node.set(key, value)
    node.extend(children)
    return node


class Renderer:
    def __init__(self, backend: QBDCompany) -> None:
        self.backend = backend

    def ret(
        self,
        record: Record,
        include_lines: bool = True,
        include_linked: bool = False,
        owners: frozenset[str] = frozenset(),
    ) -> etree._Element:
        """``owners``: the OwnerIDs whose data extensions the Ret carries (a query's)."""
        computed = self._computed(record)
        node = etree.Element(f"{record.kind}Ret")
        line_rets = {f"{key}Ret": key for key in line_keys(record.kind)}
        for name in _RET_NAMES[f"{record.kind}Ret"]:
            if name in line_rets:
                if include_lines or record.kind in ALWAYS_WITH_LINES:
                    lines = record.fields.get(line_rets[name], [])
                    node.extend(self._line(name, line) for line in lines)
                continue
            if name == "DataExtRet":
                rows = self.backend.data_ext_rets(record, owners)
                node.extend(self.plain_ret("DataExtRet", row) for row in rows)
                continue
            if name == "LinkedTxn":
                if include_linked and record.kind == "Invoice":
                    node.extend(self._linked_payments(record))
                continue
            if name == "AppliedToTxnRet":
                paid = "Bill" if record.kind == "BillPaymentCheck" else "Invoice"
                applied = record.fields.get("AppliedToTxn", [])
                node.extend(self._applied(app, paid) for app in applied)
                continue
            value = computed[name] if name in computed else record.fields.get(name)
            if value is not None:
                self._append(node, name, value)
        return node

    def plain_ret(self, name: str, values: dict[str, Any]) -> etree._Element:
        """A Ret from a mapping of element names (ItemSitesRet, deleted-object Rets)."""
        node = etree.Element(name)
        for child in _RET_NAMES[name]:
            if values.get(child) is not None:
                self._append(node, child, values[child])
        return node

    def _computed(self, record: Record) -> dict[str, Any]:
        b = self.backend
        id_name = "ListID" if record.is_list else "TxnID"
        values: dict[str, Any] = {
            id_name: record.id,
            "TimeCreated": record.time_created,
            "TimeModified": record.time_modified,
            "EditSequence": str(record.edit_sequence),
        }
        if record.is_list:
            values["FullName"] = b.full_name(record)
            values["IsActive"] = record.is_active
            values["Sublevel"] = str(b.sublevel(record))
        if record.kind == "Customer":
            values["Balance"] = b.customer_balance(record)
            values["TotalBalance"] = b.customer_total_balance(record)
        elif record.kind == "Vendor":
            values["Balance"] = b.vendor_balance(record)
        elif record.kind == "Bill":
            open_amount = b.bill_open_amount(record)
            values.update(
                AmountDue=b.bill_amount_due(record), OpenAmount=open_amount, IsPaid=open_amount <= 0
            )
        elif record.kind == "Check":
            values["Amount"] = b.lines_total(record)
        elif record.kind == "BillPaymentCheck":
            values["Amount"] = b.bill_payment_amount(record)
        elif record.kind == "Account":
            values["Balance"] = values["TotalBalance"] = b.account_balance(record)
        elif record.kind == "ItemInventory":
            values["QuantityOnHand"] = b.quantity_on_hand(record)
            values["QuantityOnOrder"] = b.quantity_on_order(record)
            values["QuantityOnSalesOrder"] = b.quantity_on_sales_order(record)
        elif record.kind == "Invoice":
            applied = b.invoice_applied(record)
            balance = b.invoice_balance(record)
            rate, tax = b.sales_tax(record)
            values.update(
                Subtotal=b.invoice_subtotal(record),
                SalesTaxPercentage=rate,
                SalesTaxTotal=tax,
                # Payments show as a negative AppliedAmount on the invoice (as QuickBooks
                # reports them in InvoiceRet; unconfirmed for credits).
                AppliedAmount=-applied,
                BalanceRemaining=balance,
                IsPaid=balance <= 0,
            )
        elif record.kind in ("SalesReceipt", "CreditMemo", "Estimate", "SalesOrder"):
            rate, tax = b.sales_tax(record)
            values.update(
                Subtotal=b.invoice_subtotal(record),
                SalesTaxPercentage=rate,
                SalesTaxTotal=tax,
                TotalAmount=b.invoice_total(record),
            )
            if record.kind == "CreditMemo":
                values["CreditRemaining"] = b.credit_remaining(record)
            if record.kind == "SalesOrder":
                # Invoicing from a sales order is not modeled: nothing of it is invoiced.
                values["IsFullyInvoiced"] = False
        elif record.kind == "ReceivePayment":
            values["UnusedPayment"] = b.unused_payment(record)
            values["UnusedCredits"] = ZERO
        elif record.kind == "Deposit":
            values["DepositTotal"] = b.deposit_total(record)
        elif record.kind == "PurchaseOrder":
            values["TotalAmount"] = b.purchase_total(record)
            values["IsManuallyClosed"] = bool(record.fields.get("IsManuallyClosed", False))
            values["IsFullyReceived"] = b.is_fully_received(record)
        elif record.kind == "ItemReceipt":
            values["TotalAmount"] = b.purchase_total(record)
        return values

    def _line(self, ret_name: str, line: TxnLine) -> etree._Element:
        node = etree.Element(ret_name)
        values = dict(line.fields)
        if ret_name == "PurchaseOrderLineRet":
            values.setdefault("ReceivedQuantity", ZERO)
            values.setdefault("IsManuallyClosed", False)
        elif ret_name == "SalesOrderLineRet":
            values.setdefault("Invoiced", ZERO)
            values.setdefault("IsManuallyClosed", False)
        for name in _RET_NAMES[ret_name]:
            value = line.txn_line_id if name == "TxnLineID" else values.get(name)
            if value is not None:
                self._append(node, name, value)
        return node

    def _linked_payments(self, invoice: Record) -> list[etree._Element]:
        """IncludeLinkedTxns: the payments applied to an invoice and the credit memos
        applied with them (SetCredit; unconfirmed), as negative amounts."""
        out = []
        for payment, application in self.backend.applications_to(invoice.id):
            node = etree.Element("LinkedTxn")
            self._append(node, "TxnID", payment.id)
            self._append(node, "TxnType", "ReceivePayment")
            self._append(node, "TxnDate", payment.fields.get("TxnDate"))
            if payment.fields.get("RefNumber"):
                self._append(node, "RefNumber", payment.fields["RefNumber"])
            self._append(node, "LinkType", "AMTTYPE")
            self._append(node, "Amount", -application.amount)
            out.append(node)
            out.extend(self._credit_links(application))
        return out

    def _applied(self, application: Application, paid: str) -> etree._Element:
        """One AppliedToTxnRet: a payment's share of an invoice (``paid`` Invoice) or of a
        bill (Bill), with what is left of it."""
        target = self.backend.records[paid].get(application.txn_id)
        node = etree.Element("AppliedToTxnRet")
        self._append(node, "TxnID", application.txn_id)
        self._append(node, "TxnType", paid)
        if target is not None:
            self._append(node, "TxnDate", target.fields.get("TxnDate"))
            if target.fields.get("RefNumber"):
                self._append(node, "RefNumber", target.fields["RefNumber"])
            left = (
                self.backend.invoice_balance(target)
                if paid == "Invoice"
                else self.backend.bill_open_amount(target)
            )
            self._append(node, "BalanceRemaining", left)
        self._append(node, "Amount", application.amount)
        node.extend(self._credit_links(application))
        return node

    def _credit_links(self, application: Application) -> list[etree._Element]:
        """The credit memos applied with a payment (SetCredit), as LinkedTxn (of its
        AppliedToTxnRet, and of the invoice's IncludeLinkedTxns) with a negative amount, as
        for an invoice's payments (qbxml130: AppliedToTxnRet ends with LinkedTxn*; the sign
        is unconfirmed, no public capture found)."""
        out = []
        for credit in application.credits:
            memo = self.backend.records["CreditMemo"].get(credit.credit_txn_id)
            node = etree.Element("LinkedTxn")
            self._append(node, "TxnID", credit.credit_txn_id)
            self._append(node, "TxnType", "CreditMemo")
            self._append(node, "TxnDate", memo.fields.get("TxnDate") if memo else None)
            if memo is not None and memo.fields.get("RefNumber"):
                self._append(node, "RefNumber", memo.fields["RefNumber"])
            self._append(node, "LinkType", "AMTTYPE")
            self._append(node, "Amount", -credit.amount)
            out.append(node)
        return out

    def _append(self, parent: etree._Element, name: str, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self._append(parent, name, item)
            return
        node = etree.SubElement(parent, name)
        if isinstance(value, datetime):
            value = self.backend.written_time(value)
        if isinstance(value, Ref):
            etree.SubElement(node, "ListID").text = value.list_id
            etree.SubElement(node, "FullName").text = self.backend.ref_full_name(value)
        elif isinstance(value, dict):
            order = _names(REQUEST_ORDER[name]) if name in REQUEST_ORDER else list(value)
            for child in order:
                if child in value:
                    self._append(node, child, value[child])
        else:
            node.text = format_value(name, value)


def keep_only(ret: etree._Element, include: list[str] | None) -> etree._Element:
    """IncludeRetElement: only the named top-level elements of each Ret are returned."""
    if include:
        for child in list(ret):
            if child.tag not in include:
                ret.remove(child)
    return ret


def to_plain(node: etree._Element) -> Any:
    """A Ret element as JSON-able data: the form of ``snapshot()`` records."""
    children = [c for c in node if isinstance(c.tag, str)]
    if not children:
        return node.text or ""
    out: dict[str, Any] = {}
    repeated = {
        token.rstrip("*+")
        for token in RET_ORDER.get(node.tag, "").split()
        if token.endswith(("*", "+"))
    }
    for child in children:
        key = child.tag.removesuffix("Ret") if child.tag in repeated else child.tag
        value = to_plain(child)
        if child.tag in repeated:
            out.setdefault(key, []).append(value)
        else:
            out[key] = value
    for token in repeated:
        if token.endswith("LineRet") or token == "AppliedToTxnRet":
            out.setdefault(token.removesuffix("Ret"), [])
    return out
