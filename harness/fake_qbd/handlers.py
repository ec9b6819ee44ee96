"""qbXML handlers: one per supported ``*Rq``, translating a request into a backend call and
the result into an ``*Rs``. No business rules live here.

``HANDLERS`` is the registry the processor dispatches on and the coverage table is
generated from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from lxml import etree

from harness.fake_qbd.models import ITEM_KINDS, QueryResult
from harness.fake_qbd.render import keep_only, response
from harness.fake_qbd.values import format_value
from harness.fake_qbd.wire import Request

if TYPE_CHECKING:
    from harness.fake_qbd.company import QBDCompany

Handler = Callable[["QBDCompany", Request], etree._Element]
T = TypeVar("T")
#: Page size of an iterator whose request gives no MaxReturned (unconfirmed default).
DEFAULT_PAGE = 100


@dataclass(frozen=True)
class Coverage:
    handler: Handler
    level: str  # "full" or "partial"
    note: str = ""


HANDLERS: dict[str, Coverage] = {}


def handles(name: str, level: str = "full", note: str = "") -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[name] = Coverage(function, level, note)
        return function

    return register


def _rs_name(request: Request) -> str:
    return request.name.removesuffix("Rq") + "Rs"


def _single(
    company: QBDCompany, request: Request, record_rets: list[etree._Element]
) -> etree._Element:
    include = request.body.get("IncludeRetElement")
    return response(
        _rs_name(request), request.request_id, [keep_only(r, include) for r in record_rets]
    )


def _add_handler(kind: str, method: str) -> Handler:
    def handle(company: QBDCompany, request: Request) -> etree._Element:
        record = getattr(company, method)(request.body[f"{kind}Add"])
        return _single(company, request, [company.renderer.ret(record)])

    return handle


def _mod_handler(kind: str, method: str) -> Handler:
    def handle(company: QBDCompany, request: Request) -> etree._Element:
        record = getattr(company, method)(request.body[f"{kind}Mod"])
        return _single(company, request, [company.renderer.ret(record)])

    return handle


def _query_rs(
    company: QBDCompany,
    request: Request,
    kinds: tuple[str, ...],
    run: Callable[[dict[str, Any]], QueryResult],
) -> etree._Element:
    """A query, paged through an iterator when the request asks for one."""
    include = request.body.get("IncludeRetElement")
    lines = bool(request.body.get("IncludeLineItems", False))
    iterator = request.attributes.get("iterator")
    extra: dict[str, str] = {}
    warning = None
    if iterator is None:
        result = run(request.body)
        records, warning = result.records, result.warning
    else:
        page = int(request.body.get("MaxReturned", DEFAULT_PAGE))
        if iterator == "Start":
            unpaged = {k: v for k, v in request.body.items() if k != "MaxReturned"}
            result = run(unpaged)
            iterator_id, ids, remaining = company.iterators.start(
                request.name, [r.id for r in result.records], page
            )
        elif iterator == "Continue":
            iterator_id = request.attributes["iteratorID"]
            ids, remaining = company.iterators.next(request.name, iterator_id, page)
        else:  # Stop
            iterator_id = request.attributes["iteratorID"]
            company.iterators.stop(request.name, iterator_id)
            ids, remaining = [], 0
        # Objects deleted since the Start are skipped.
        stores = [company.records[kind] for kind in kinds]
        records = [r for i in ids for r in (_first(stores, i),) if r is not None]
        extra = {"iteratorRemainingCount": str(remaining), "iteratorID": iterator_id}
    linked = bool(request.body.get("IncludeLinkedTxns", False))
    # What QuickBooks counts with an iterator is unconfirmed: the page here.
    records, counted = _meta_data(request, records)
    extra.update(counted)
    owners = frozenset(request.body.get("OwnerID") or ())
    rets = [keep_only(company.renderer.ret(r, lines, linked, owners), include) for r in records]
    return response(_rs_name(request), request.request_id, rets, error=warning, extra=extra)


def _meta_data(request: Request, found: list[T]) -> tuple[list[T], dict[str, str]]:
    """metaData: the count of what matched (retCount); MetaDataOnly returns no Rets
    (qbxmlops130 retCount; Intuit's description of metaData)."""
    meta_data = request.attributes.get("metaData", "NoMetaData")
    counted = {} if meta_data == "NoMetaData" else {"retCount": str(len(found))}
    return ([] if meta_data == "MetaDataOnly" else found), counted


def _first(stores: list[dict[str, Any]], record_id: str) -> Any:
    for store in stores:
        record = store.get(record_id)
        if record is not None:
            return record
    return None


def _list_query_handler(kinds: tuple[str, ...]) -> Handler:
    def handle(company: QBDCompany, request: Request) -> etree._Element:
        return _query_rs(company, request, kinds, lambda q: company.list_query(kinds, q))

    return handle


def _txn_query_handler(kind: str) -> Handler:
    def handle(company: QBDCompany, request: Request) -> etree._Element:
        return _query_rs(company, request, (kind,), lambda q: company.txn_query(kind, q))

    return handle


LIST_REF_NOTE = "references to lists the fake lacks (SalesRep, CustomerType, ...) get 3140"
LIST_QUERY_NOTE = "TotalBalanceFilter, ClassFilter, CurrencyFilter ignored"

for _kind, _method in (
    ("Account", "account"),
    ("Customer", "customer"),
    ("ItemService", "item_service"),
    ("ItemNonInventory", "item_non_inventory"),
    ("ItemInventory", "item_inventory"),
    ("PaymentMethod", "payment_method"),
    ("SalesTaxCode", "sales_tax_code"),
    ("Vendor", "vendor"),
    ("InventorySite", "inventory_site"),
    ("ItemSalesTax", "item_sales_tax"),
):
    handles(f"{_kind}AddRq", "full", LIST_REF_NOTE)(_add_handler(_kind, f"{_method}_add"))
    handles(f"{_kind}QueryRq", "partial", LIST_QUERY_NOTE)(_list_query_handler((_kind,)))
    if _kind in (
        "Account",
        "Customer",
        "ItemService",
        "ItemNonInventory",
        "ItemInventory",
        "ItemSalesTax",
    ):
        handles(f"{_kind}ModRq", "full", LIST_REF_NOTE)(_mod_handler(_kind, f"{_method}_mod"))
    if _kind == "Vendor":
        handles("VendorModRq", "full", LIST_REF_NOTE)(_mod_handler("Vendor", "vendor_mod"))

for _kind, _method, _note in (
    ("CreditMemo", "credit_memo", "applied to invoices only by ReceivePaymentAdd SetCredit"),
    ("Deposit", "deposit", "no cash back"),
    ("InventoryAdjustment", "inventory_adjustment", "quantities only (no value, serial, lot)"),
    ("TransferInventory", "transfer_inventory", "no site locations, serial or lot numbers"),
    ("PurchaseOrder", "purchase_order", "no line groups; QuantityOnOrder only"),
    ("ItemReceipt", "item_receipt", "item lines only (no expense lines)"),
):
    handles(f"{_kind}AddRq", "partial", _note)(_add_handler(_kind, f"{_method}_add"))
    handles(f"{_kind}QueryRq", "partial", "AccountFilter / ItemFilter / SiteFilter ignored")(
        _txn_query_handler(_kind)
    )

handles(
    "InvoiceAddRq",
    "partial",
    "no line groups, discount or shipping lines, credits (SetCredit) or LinkToTxnID",
)(_add_handler("Invoice", "invoice_add"))
handles("BillAddRq", "partial", "no item groups; not linked to purchase orders")(
    _add_handler("Bill", "bill_add")
)
handles("CheckAddRq", "partial", "no item groups; not applied to transactions")(
    _add_handler("Check", "check_add")
)
handles("CheckQueryRq", "partial", "AccountFilter ignored")(_txn_query_handler("Check"))
handles("BillPaymentCheckAddRq", "partial", "no discounts or credits (SetCredit)")(
    _add_handler("BillPaymentCheck", "bill_payment_check_add")
)
handles("BillPaymentCheckQueryRq", "partial", "AccountFilter ignored")(
    _txn_query_handler("BillPaymentCheck")
)
handles("BillQueryRq", "partial", "AccountFilter, PaidStatus ignored")(_txn_query_handler("Bill"))
handles("SalesReceiptAddRq", "partial", "no line groups, discounts or shipping lines")(
    _add_handler("SalesReceipt", "sales_receipt_add")
)
handles("SalesReceiptQueryRq", "partial", "AccountFilter ignored")(
    _txn_query_handler("SalesReceipt")
)
for _kind, _method in (("Estimate", "estimate_add"), ("SalesOrder", "sales_order_add")):
    handles(f"{_kind}AddRq", "partial", "posts nothing; no line groups; not invoiced from")(
        _add_handler(_kind, _method)
    )
    handles(f"{_kind}QueryRq", "partial", "AccountFilter ignored; no LinkedTxn")(
        _txn_query_handler(_kind)
    )
handles("InvoiceModRq", "partial", "no line groups")(_mod_handler("Invoice", "invoice_mod"))
handles(
    "ReceivePaymentModRq",
    "partial",
    "AppliedToTxnMod replaces all applications (and credits); no SetCredit",
)(_mod_handler("ReceivePayment", "receive_payment_mod"))


@handles("ReceivePaymentAddRq", "partial", "no discounts (DiscountAmount)")
def receive_payment_add(company: QBDCompany, request: Request) -> etree._Element:
    # wire.py has checked the schema's required choice of IsAutoApply / AppliedToTxnAdd.
    record = company.receive_payment_add(request.body["ReceivePaymentAdd"])
    return _single(company, request, [company.renderer.ret(record)])


handles("ClassAddRq", "full")(_add_handler("Class", "class_add"))
handles("StandardTermsAddRq", "full")(_add_handler("StandardTerms", "standard_terms_add"))
handles("StandardTermsQueryRq", "partial", LIST_QUERY_NOTE)(_list_query_handler(("StandardTerms",)))
handles("TermsQueryRq", "partial", "standard terms only (no date-driven terms)")(
    _list_query_handler(("StandardTerms",))
)
handles("ClassQueryRq", "partial", LIST_QUERY_NOTE)(_list_query_handler(("Class",)))
handles("EmployeeAddRq", "partial", "no payroll, supervisor, contacts or custom fields")(
    _add_handler("Employee", "employee_add")
)
handles("EmployeeQueryRq", "partial", LIST_QUERY_NOTE)(_list_query_handler(("Employee",)))


handles("TemplateQueryRq", "full", "the default invoice template only")(
    _list_query_handler(("Template",))
)
handles("ItemQueryRq", "partial", "returns the item types the fake has")(
    _list_query_handler(ITEM_KINDS)
)
handles("InvoiceQueryRq", "partial", "AccountFilter ignored")(_txn_query_handler("Invoice"))
handles("ReceivePaymentQueryRq", "partial", "AccountFilter ignored")(
    _txn_query_handler("ReceivePayment")
)


@handles("TxnDelRq", "partial", "the transaction types the fake has")
def txn_del(company: QBDCompany, request: Request) -> etree._Element:
    txn_type = request.body["TxnDelType"]
    record, deleted_at = company.txn_del(txn_type, str(request.body["TxnID"]))
    children = [etree.Element(n) for n in ("TxnDelType", "TxnID", "TimeDeleted")]
    children[0].text = txn_type
    children[1].text = record.id
    children[2].text = format_value("TimeDeleted", company.written_time(deleted_at))
    if record.fields.get("RefNumber"):
        ref = etree.Element("RefNumber")
        ref.text = str(record.fields["RefNumber"])
        children.append(ref)
    return response("TxnDelRs", request.request_id, children)


@handles("TxnVoidRq", "partial", "the transaction types the fake has")
def txn_void(company: QBDCompany, request: Request) -> etree._Element:
    txn_type = request.body["TxnVoidType"]
    record = company.txn_void(txn_type, str(request.body["TxnID"]))
    children = []
    for name, value in (
        ("TxnVoidType", txn_type),
        ("TxnID", record.id),
        ("TimeCreated", format_value("TimeCreated", company.written_time(record.time_created))),
        ("TimeModified", format_value("TimeModified", company.written_time(record.time_modified))),
        ("RefNumber", record.fields.get("RefNumber")),
    ):
        if value:
            node = etree.Element(name)
            node.text = str(value)
            children.append(node)
    return response("TxnVoidRs", request.request_id, children)


@handles("HostQueryRq")
def host_query(company: QBDCompany, request: Request) -> etree._Element:
    return response("HostQueryRs", request.request_id, [company.host_ret()])


@handles("CompanyQueryRq")
def company_query(company: QBDCompany, request: Request) -> etree._Element:
    owners = frozenset(request.body.get("OwnerID") or ())
    ret = company.company_ret(owners)
    rows = company.data_ext_rets(None, owners)
    ret.extend(company.renderer.plain_ret("DataExtRet", row) for row in rows)
    return response("CompanyQueryRs", request.request_id, [ret])


@handles("PreferencesQueryRq")
def preferences_query(company: QBDCompany, request: Request) -> etree._Element:
    return response("PreferencesQueryRs", request.request_id, [company.preferences_ret()])


@handles("ListDelRq", "partial", "the lists the fake has; refused while in use")
def list_del(company: QBDCompany, request: Request) -> etree._Element:
    list_type = request.body["ListDelType"]
    record, deleted_at = company.list_del(list_type, str(request.body["ListID"]))
    children = []
    for name, value in (
        ("ListDelType", list_type),
        ("ListID", record.id),
        ("TimeDeleted", format_value("TimeDeleted", company.written_time(deleted_at))),
        ("FullName", company.deleted[-1].ref_number_or_name),
    ):
        if value:
            node = etree.Element(name)
            node.text = str(value)
            children.append(node)
    return response("ListDelRs", request.request_id, children)


def _deleted_handler(type_element: str, ret: str, label: str) -> Handler:
    def handle(company: QBDCompany, request: Request) -> etree._Element:
        deletions = company.deleted_query(request.body[type_element], request.body)
        rets = [
            company.renderer.plain_ret(
                ret,
                {
                    type_element: d.kind,
                    "TxnID" if type_element == "TxnDelType" else "ListID": d.id,
                    "TimeCreated": d.time_created,
                    "TimeDeleted": d.time_deleted,
                    label: d.ref_number_or_name,
                },
            )
            for d in deletions
        ]
        return response(_rs_name(request), request.request_id, rets)

    return handle


handles("TxnDeletedQueryRq", "full")(_deleted_handler("TxnDelType", "TxnDeletedRet", "RefNumber"))
handles("ListDeletedQueryRq", "full")(_deleted_handler("ListDelType", "ListDeletedRet", "FullName"))


@handles("ItemSitesQueryRq", "partial", "ItemTypeFilter ignored; no iterator")
def item_sites_query(company: QBDCompany, request: Request) -> etree._Element:
    rows, counted = _meta_data(request, company.item_sites_query(request.body))
    rets = [company.renderer.plain_ret("ItemSitesRet", row) for row in rows]
    include = request.body.get("IncludeRetElement")
    return response(
        _rs_name(request),
        request.request_id,
        [keep_only(r, include) for r in rets],
        extra=counted,
    )


# --- data extensions (custom fields and private data, custom_fields.py) ----------------------


@handles("DataExtDefAddRq", "full")
def data_ext_def_add(company: QBDCompany, request: Request) -> etree._Element:
    definition = company.data_ext_def_add(request.body["DataExtDefAdd"])
    return _single(company, request, [company.renderer.plain_ret("DataExtDefRet", definition)])


@handles("DataExtDefQueryRq", "full")
def data_ext_def_query(company: QBDCompany, request: Request) -> etree._Element:
    found, counted = _meta_data(request, company.data_ext_def_query(request.body))
    rets = [company.renderer.plain_ret("DataExtDefRet", d) for d in found]
    include = request.body.get("IncludeRetElement")
    rets = [keep_only(r, include) for r in rets]
    return response(_rs_name(request), request.request_id, rets, extra=counted)


DATA_EXT_NOTE = "list objects, transactions and the company; not transaction lines"


def _data_ext_handler(operation: str, ret: str) -> Handler:
    def handle(company: QBDCompany, request: Request) -> etree._Element:
        aggregate = operation.removeprefix("data_ext_").capitalize()
        values = getattr(company, operation)(request.body[f"DataExt{aggregate}"])
        return response(
            _rs_name(request), request.request_id, [company.renderer.plain_ret(ret, values)]
        )

    return handle


for _operation, _ret in (
    ("data_ext_add", "DataExtRet"),
    ("data_ext_mod", "DataExtRet"),
    ("data_ext_del", "DataExtDelRet"),
):
    _rq = "DataExt" + _operation.removeprefix("data_ext_").capitalize() + "Rq"
    handles(_rq, "partial", DATA_EXT_NOTE)(_data_ext_handler(_operation, _ret))
