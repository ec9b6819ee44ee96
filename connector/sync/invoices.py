"""Invoices, app -> QuickBooks: InvoiceAdd (lines on the configured service item, created
once if QuickBooks lacks it), InvoiceMod for edits, TxnVoid for a voided app invoice and
TxnDel for a deleted one. An invoice is refused until its customer is in QuickBooks
(BEHAVIORS.md IVC-09): sending it would be a 3140 invalid reference."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from connector.qbxml import requests as rq
from connector.qbxml.responses import ResponseStatus, text_of
from connector.store import Mapping
from connector.sync.engine import REREAD, SkipItem, external_guid, wait_if_in_doubt
from connector.sync.handlers import Request, State, SyncSession, WorkItem, as_request, handler
from connector.sync.plan import PROBE_ONLY

#: InvoiceAdd RefNumber is at most 11 characters (qbxml130, InvoiceAdd/RefNumber).
REF_NUMBER_MAX = 11


def _ref_number(invoice: dict[str, Any]) -> str:
    number = str(invoice.get("number") or "")
    if len(number) > REF_NUMBER_MAX:
        raise SkipItem(f"invoice number longer than {REF_NUMBER_MAX} characters")
    return number


def _customer_of(sync: SyncSession, invoice: dict[str, Any]) -> Mapping:
    customer_id = str(invoice.get("customer_id") or "")
    mapping = sync.mapping_of("customer", customer_id)
    if mapping is None:
        what = f"customer {customer_id}"
        wait_if_in_doubt(sync.store, sync.company, "customer", customer_id, what)
        raise SkipItem(f"customer {customer_id} is not synced to QuickBooks yet")
    return mapping


def _lines(sync: SyncSession, invoice: dict[str, Any]) -> list[rq.InvoiceLine]:
    """App invoice lines on the one configured service item."""
    lines = []
    for line in invoice.get("lines") or []:
        try:
            lines.append(
                rq.InvoiceLine(
                    item_full_name=sync.settings.default_service_item,
                    description=str(line.get("description") or ""),
                    quantity=Decimal(str(line.get("quantity", "1"))),
                    rate=Decimal(str(line.get("rate", line.get("amount", "0")))),
                    amount=Decimal(str(line.get("amount", "0"))),
                    taxable=line.get("taxable"),
                )
            )
        except InvalidOperation:
            raise SkipItem(f"invoice line has a non-numeric amount: {line!r}") from None
    return lines


def _fail_queued_invoices(sync: SyncSession, state: State, message: str) -> None:
    """Without the service item no invoice can be sent: fail them visibly, not silently."""
    sync.fail_queued(state, "invoice", message, request="InvoiceAddRq (not sent)")


# -- the service item ------------------------------------------------------------------------


def _apply_service_item(
    sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus
) -> None:
    # A FullName that matches nothing answers 500 "required element not found"
    # (QBWC-FACTS.md, status codes); 1 "no match" is accepted too.
    if not rs.rets and rs.status_code in (0, 1, 500):
        sync.prepend(state, {"kind": "service_item_add"})
    elif not rs.ok:
        _fail_queued_invoices(sync, state, f"service item query failed: {rs.error_text()}")


@handler("service_item", apply=_apply_service_item)
def service_item_query(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return rq.item_service_query_rq(request_id, full_name=sync.settings.default_service_item)


def _apply_service_item_add(
    sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus
) -> None:
    if not rs.ok:
        _fail_queued_invoices(sync, state, f"service item add failed: {rs.error_text()}")


@handler("service_item_add", apply=_apply_service_item_add)
def service_item_add(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return rq.item_service_add_rq(
        request_id,
        name=sync.settings.default_service_item,
        description="Field-service work (created by the connector)",
    )


# -- invoices ----------------------------------------------------------------------------------


def _apply_invoice(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    if item.get("force"):
        sync.apply_change(state, item, rs)
    elif item.get("probe"):
        guid = external_guid("invoice", item["app_id"])
        # By the ExternalGUID nobody edits; by RefNumber and customer (RefNumber is not
        # unique in QuickBooks) only an invoice without one, added before the connector set it.
        found = [
            r
            for r in rs.rets
            if text_of(r, "ExternalGUID") == guid
            or (
                not text_of(r, "ExternalGUID")
                and item.get("number")
                and text_of(r, "RefNumber") == item["number"]
                and text_of(r, "CustomerRef/ListID") == item["customer_list_id"]
            )
        ]
        sync.apply_probe(state, item, rs, found)
    else:
        sync.apply_add(state, item, rs, id_tag="TxnID")


@handler(
    "invoice",
    apply=_apply_invoice,
    collection="invoices",
    entity="invoice",
    add_request="InvoiceAddRq",
)
def invoice_add(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element | Request:
    app_id = item["app_id"]
    if item.get(PROBE_ONLY) and sync.in_doubt(item):
        # Deleted or voided in the app while its Add was in doubt: found by its ExternalGUID.
        return Request(_probe(sync, item, request_id), {"probe": True})
    invoice = sync.app.get("invoices", app_id)
    if is_force_update(sync, app_id, invoice):
        # "Force update" of an invoice QuickBooks has (IVC-12): the whole invoice again,
        # with its creation date, as a Mod (never a second Add).
        return as_request(invoice_mod(sync, item, request_id)).noting(force=True)
    sync.known("invoice", app_id)
    customer = _customer_of(sync, invoice)
    number = _ref_number(invoice)
    if sync.in_doubt(item):
        probe = _probe(sync, item, request_id)
        return Request(probe, {"probe": True, "customer_list_id": customer.qb_id, "number": number})
    request = rq.invoice_add_rq(
        request_id,
        customer_list_id=customer.qb_id,
        lines=_lines(sync, invoice),
        txn_date=str(invoice.get("date") or invoice.get("created_at") or "")[:10],
        ref_number=number,
        due_date=str(invoice.get("due_date") or "")[:10],
        external_guid=external_guid("invoice", app_id),
    )
    add = request.find("InvoiceAdd")
    if sync.settings.sales_tax_item and add is not None:
        _set_tax_item(add, sync.settings.sales_tax_item)
    return request


def _probe(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    """Every invoice modified since the in-doubt Add was handed out (issue 23)."""
    return rq.invoices_modified_since_rq(request_id, from_modified=sync.probe_since(item))


def is_force_update(sync: SyncSession, app_id: str, invoice: dict[str, Any]) -> bool:
    """A person asked to sync again ("force update") an invoice QuickBooks already has."""
    requested = (invoice.get("sync") or {}).get("requested") == "sync"
    return requested and sync.mapping_of("invoice", app_id) is not None


def force_update_waits(sync: SyncSession, app_id: str) -> bool:
    """A force update of this invoice waits in the session's queue: an edit made in the
    app, like an InvoiceMod (the pull must not overwrite the app's invoice first)."""
    return sync.queue.holds("invoice", app_id) and is_force_update(
        sync, app_id, sync.app.get("invoices", app_id)
    )


def _set_tax_item(add: etree._Element, tax_item: str) -> None:
    """ItemSalesTaxRef goes after DueDate and before Memo, ExternalGUID and the lines
    (qbxmlops130): QuickBooks then computes the tax of the lines coded taxable (IVC-13). The
    app computes no tax: its total is the QuickBooks Subtotal, compared to the cent on the
    way back."""
    ref = etree.Element("ItemSalesTaxRef")
    etree.SubElement(ref, "FullName").text = tax_item
    for index, child in enumerate(add):
        if child.tag in ("Memo", "ExternalGUID", "InvoiceLineAdd"):
            add.insert(index, ref)
            return
    add.append(ref)


def _apply_invoice_change(
    sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus
) -> None:
    sync.apply_change(state, item, rs)


@handler("invoice_mod", apply=_apply_invoice_change, collection="invoices", entity="invoice")
def invoice_mod(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element | Request:
    mapping = sync.mapped(item)
    invoice = sync.app.get("invoices", item["app_id"])
    if invoice.get("status") in ("void", "voided"):
        return Request(
            rq.txn_void_rq(request_id, txn_type="Invoice", txn_id=mapping.qb_id), {"void": True}
        )
    return rq.invoice_mod_rq(
        request_id,
        txn_id=mapping.qb_id,
        edit_sequence=mapping.edit_sequence,
        customer_list_id=_customer_of(sync, invoice).qb_id,
        lines=_lines(sync, invoice),
        txn_date=str(invoice.get("date") or "")[:10],
        ref_number=_ref_number(invoice),
        due_date=str(invoice.get("due_date") or "")[:10],
    )


@handler("invoice_delete", apply=_apply_invoice_change, collection="invoices", entity="invoice")
def invoice_delete(sync: SyncSession, item: WorkItem, request_id: str) -> Request:
    txn_id = sync.mapped(item).qb_id
    if item.get("void_deleted"):
        # Voided, not deleted, in QuickBooks: the number and audit trail stay (IVC-03).
        void = rq.txn_void_rq(request_id, txn_type="Invoice", txn_id=txn_id)
        return Request(void, {"delete": True, "void": True})
    return Request(rq.txn_del_rq(request_id, txn_type="Invoice", txn_id=txn_id), {"delete": True})


REREAD["invoice"] = lambda request_id, qb_id: rq.invoice_query_by_id_rq(request_id, txn_id=qb_id)
