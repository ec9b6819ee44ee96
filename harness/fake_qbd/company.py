"""QBDCompany: the fake QuickBooks company file and its request processor, the one facade
over the company's state and its per-domain operations (like a moto backend).

The state lives in ``store.CompanyStore`` (records in plain dicts, names and references,
derived indexes); each domain is a module of plain functions over it, named after the
qbXML operations, listed here in dependency order (a module imports only those above it):

- ``lists``: Add/Mod/Query of the list objects (accounts, customers, items, terms, ...)
- ``inventory``: quantities on hand and on order, sites, adjustments, transfers, purchase
  orders and item receipts
- ``transactions``: invoices, sales receipts, received payments, transaction queries
- ``banking``: credit memos, deposits, customer balances
- ``bills``: bills and vendor balances
- ``deletions``: TxnDel, TxnVoid, ListDel and the deleted queries
- ``sales_forms``: estimates and sales orders
- ``checks``: checks, bill payments, account balances
- ``custom_fields``: data extensions (custom fields and private data) on lists and
  transactions

Beside them: ``new_file`` (what a new company file has) and ``host`` (HostRet, CompanyRet,
PreferencesRet). The qbXML handlers (``handlers``), the renderer (``render``) and the
operator (``operator``: what a person does in the QuickBooks UI) call the operations
through this facade and nothing else.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from harness.clock import SimClock
from harness.fake_qbd import (
    banking,
    bills,
    checks,
    custom_fields,
    deletions,
    host,
    inventory,
    lists,
    new_file,
    sales_forms,
    transactions,
)
from harness.fake_qbd.bulk import BulkDataSource
from harness.fake_qbd.errors import (
    QBStatusError,
    RequestIdTooLong,
    RequestNotProcessed,
    RequestProcessorError,
    StringTooLong,
)
from harness.fake_qbd.faults import StatusFaults
from harness.fake_qbd.handlers import HANDLERS
from harness.fake_qbd.iterators import IteratorStore
from harness.fake_qbd.models import LIST_OF_KIND, Record
from harness.fake_qbd.operator import Operator
from harness.fake_qbd.render import Renderer, response, to_plain
from harness.fake_qbd.settings import CompanySettings
from harness.fake_qbd.store import TXN_KINDS, CompanyStore
from harness.fake_qbd.values import format_value
from harness.fake_qbd.wire import parse_message_set

XML_DECLARATION = '<?xml version="1.0" ?>\n'
#: The longest requestID QuickBooks takes (status 1060 above it; errors.RequestIdTooLong).
MAX_REQUEST_ID = 50


class QBDCompany(CompanyStore):
    """An in-memory QuickBooks Desktop company answering qbXML 13.0."""

    def __init__(
        self,
        settings: CompanySettings | None = None,
        clock: SimClock | None = None,
        bulk_data: BulkDataSource | None = None,
    ) -> None:
        super().__init__(settings or CompanySettings(), clock or SimClock())
        self.renderer = Renderer(self)
        new_file.create_defaults(self)
        self.faults = StatusFaults(self.settings.status_faults)
        self.iterators = IteratorStore(
            self.clock, self.settings.company_file, self.settings.iterator_timeout_seconds
        )
        self.operator = Operator(self, bulk_data)

    # The operations: each is its domain module's function, called with this state.

    list_add = lists.list_add
    account_add = lists.account_add
    customer_add = lists.customer_add
    item_service_add = lists.item_service_add
    item_non_inventory_add = lists.item_non_inventory_add
    item_inventory_add = lists.item_inventory_add
    payment_method_add = lists.payment_method_add
    item_sales_tax_add = lists.item_sales_tax_add
    item_sales_tax_mod = lists.item_sales_tax_mod
    class_add = lists.class_add
    employee_add = lists.employee_add
    standard_terms_add = lists.standard_terms_add
    vendor_add = lists.vendor_add
    vendor_mod = lists.vendor_mod
    sales_tax_code_add = lists.sales_tax_code_add
    list_mod = lists.list_mod
    account_mod = lists.account_mod
    customer_mod = lists.customer_mod
    item_service_mod = lists.item_service_mod
    item_non_inventory_mod = lists.item_non_inventory_mod
    item_inventory_mod = lists.item_inventory_mod
    list_query = lists.list_query
    set_active = lists.set_active

    default_site = inventory.default_site
    inventory_movements = inventory.inventory_movements
    quantity_on_hand = inventory.quantity_on_hand
    quantity_on_order = inventory.quantity_on_order
    inventory_site_add = inventory.inventory_site_add
    item_sites_query = inventory.item_sites_query
    item_sites_snapshot = inventory.item_sites_snapshot
    inventory_adjustment_add = inventory.inventory_adjustment_add
    transfer_inventory_add = inventory.transfer_inventory_add
    purchase_order_add = inventory.purchase_order_add
    item_receipt_add = inventory.item_receipt_add
    purchase_total = inventory.purchase_total
    is_fully_received = inventory.is_fully_received

    invoice_subtotal = transactions.invoice_subtotal
    sales_tax = transactions.sales_tax
    invoice_total = transactions.invoice_total
    applications_to = transactions.applications_to
    of_customer = transactions.of_customer
    invoice_applied = transactions.invoice_applied
    invoice_balance = transactions.invoice_balance
    unused_payment = transactions.unused_payment
    invoice_add = transactions.invoice_add
    invoice_mod = transactions.invoice_mod
    sales_receipt_add = transactions.sales_receipt_add
    receive_payment_add = transactions.receive_payment_add
    receive_payment_mod = transactions.receive_payment_mod
    void_payment = transactions.void_payment
    txn_query = transactions.txn_query

    credit_memo_add = banking.credit_memo_add
    credit_remaining = banking.credit_remaining
    customer_balance = banking.customer_balance
    customer_total_balance = banking.customer_total_balance
    deposit_add = banking.deposit_add
    deposit_of = banking.deposit_of
    deposit_total = banking.deposit_total

    bill_add = bills.bill_add
    bill_amount_due = bills.bill_amount_due
    lines_total = bills.lines_total
    bill_open_amount = bills.bill_open_amount
    vendor_balance = bills.vendor_balance

    txn_del = deletions.txn_del
    txn_void = deletions.txn_void
    list_del = deletions.list_del
    deleted_query = deletions.deleted_query

    estimate_add = sales_forms.estimate_add
    sales_order_add = sales_forms.sales_order_add
    quantity_on_sales_order = sales_forms.quantity_on_sales_order

    check_add = checks.check_add
    bill_payment_check_add = checks.bill_payment_check_add
    bill_payment_amount = checks.bill_payment_amount
    account_balance = checks.account_balance

    data_ext_def_add = custom_fields.data_ext_def_add
    data_ext_def_query = custom_fields.data_ext_def_query
    data_ext_add = custom_fields.data_ext_add
    data_ext_mod = custom_fields.data_ext_mod
    data_ext_del = custom_fields.data_ext_del
    data_ext_rets = custom_fields.data_ext_rets

    # --- the request processor ---------------------------------------------------------------

    def process(self, qbxml_request: str) -> str:
        """ProcessRequest: a qbXML request message set in, the response message set out.

        Raises RequestProcessorError where QuickBooks fails the whole request (nothing in
        the message set is applied then).
        """
        message_set = parse_message_set(
            qbxml_request,
            self.settings.supported_qbxml_versions,
            frozenset(HANDLERS),
            self.local_tz,
        )
        if message_set.on_error == "rollbackOnError" and self.settings.refuse_rollback_on_error:
            raise RequestProcessorError.parse_error("rollbackOnError is not supported")
        responses: list[etree._Element] = []
        stopped = False
        for request in message_set.requests:
            rs_name = request.name.removesuffix("Rq") + "Rs"
            if stopped:
                # stopOnError: each request after the failed one is answered 3231, "not
                # processed", so a connector can tell it from one that failed (errors.py).
                responses.append(response(rs_name, request.request_id, error=RequestNotProcessed()))
                continue
            try:
                injected = self.faults.take(request.name)
                if injected is not None:
                    raise injected
                if request.request_id is not None and len(request.request_id) > MAX_REQUEST_ID:
                    raise RequestIdTooLong(request.request_id)
                if request.too_long:
                    raise StringTooLong(*request.too_long)
                responses.append(HANDLERS[request.name].handler(self, request))
            except QBStatusError as error:
                responses.append(response(rs_name, request.request_id, error=error))
                # QuickBooks does not really roll back (QBWC-FACTS.md), so rollbackOnError
                # behaves as stopOnError here (unless refused: refuse_rollback_on_error).
                stopped = error.severity == "Error" and message_set.on_error != "continueOnError"
        return _message_set(responses)

    def hcp_response(self) -> str:
        """The strHCPResponse of a session's first sendRequestXML (guide p.22, p.80)."""
        return _message_set(
            [
                response("HostQueryRs", None, [self.host_ret()]),
                response("CompanyQueryRs", None, [self.company_ret()]),
                response("PreferencesQueryRs", None, [self.preferences_ret()]),
            ]
        )

    host_ret = host.host_ret
    company_ret = host.company_ret
    preferences_ret = host.preferences_ret

    # --- inspection --------------------------------------------------------------------------

    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        """Every object as its qbXML Ret would show it, by object name, in creation order."""
        out: dict[str, list[dict[str, Any]]] = {}
        for kind in (*LIST_OF_KIND, *TXN_KINDS):
            out[kind] = [self.record_snapshot(r) for r in self.records[kind].values()]
        if self.settings.multi_location_inventory:
            out["ItemSites"] = self.item_sites_snapshot()
        for key, id_name, label in (
            ("TxnDeleted", "TxnID", "RefNumber"),
            ("ListDeleted", "ListID", "FullName"),
        ):
            out[key] = [
                {
                    key.replace("Deleted", "DelType"): d.kind,
                    id_name: d.id,
                    "TimeCreated": format_value("TimeCreated", self.written_time(d.time_created)),
                    "TimeDeleted": format_value("TimeDeleted", self.written_time(d.time_deleted)),
                    **({label: d.ref_number_or_name} if d.ref_number_or_name else {}),
                }
                for d in self.deleted
                if (d.kind in TXN_KINDS) == (key == "TxnDeleted")
            ]
        return out

    def record_snapshot(self, record: Record) -> dict[str, Any]:
        # The custom fields (OwnerID 0) show, as in the QuickBooks UI; private data does not.
        plain = to_plain(self.renderer.ret(record, owners=frozenset({"0"})))
        assert isinstance(plain, dict)
        if record.fields.get("_voided"):
            plain["IsVoided"] = "true"  # not a qbXML 13.0 element: the UI shows "VOID"
        return plain


def _message_set(responses: list[etree._Element]) -> str:
    root = etree.Element("QBXML")
    etree.SubElement(root, "QBXMLMsgsRs").extend(responses)
    return XML_DECLARATION + etree.tostring(root, pretty_print=True, encoding="unicode")
