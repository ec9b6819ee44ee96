"""Deleting and voiding: TxnDel, TxnVoid, ListDel, and the queries that report deletions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from harness.fake_qbd import banking, transactions
from harness.fake_qbd.errors import CannotDelete, NoMatch, ObjectNotFound
from harness.fake_qbd.models import LIST_OF_KIND, Deletion, Record, Ref
from harness.fake_qbd.store import TXN_KINDS, CompanyStore, line_keys

ZERO = Decimal(0)
#: What TxnVoid accepts among the kinds the fake has (qbxml130.xsd TxnVoidType); the schema
#: itself refuses ReceivePayment, PurchaseOrder and TransferInventory.
VOIDABLE = frozenset(
    {
        "Invoice",
        "CreditMemo",
        "Deposit",
        "InventoryAdjustment",
        "ItemReceipt",
        "SalesReceipt",
        "Bill",
        "Check",
    }
)


def txn_del(store: CompanyStore, txn_type: str, txn_id: str) -> tuple[Record, datetime]:
    if txn_type not in TXN_KINDS:
        # The fake has no transactions of this type, so the ID cannot name one.
        raise ObjectNotFound(txn_id)
    record = store.get(txn_type, txn_id)
    if txn_type == "Invoice":
        transactions.unapply_invoice(store, record)
    elif txn_type == "CreditMemo":
        transactions.unapply_credit(store, record)
    elif txn_type == "ReceivePayment":
        deposit = banking.deposit_of(store, record.id)
        if deposit is not None:
            # QuickBooks' UI warns before taking a deposited payment out of its deposit;
            # the fake refuses instead (unconfirmed for the SDK).
            raise CannotDelete("ReceivePayment", record.id, "The payment has been deposited.")
        transactions.touch_invoices(store, record.fields.get("AppliedToTxn", []))
    deleted_at = store.now()
    store.record_deletion(txn_type, record, str(record.fields.get("RefNumber") or "") or None)
    return record, deleted_at


def txn_void(store: CompanyStore, txn_type: str, txn_id: str) -> Record:
    if txn_type not in VOIDABLE:
        raise ObjectNotFound(txn_id)
    record = store.get(txn_type, txn_id)
    if txn_type == "Invoice":
        transactions.unapply_invoice(store, record)
    elif txn_type == "CreditMemo":
        transactions.unapply_credit(store, record)
    fields = store.working_copy(record)
    # A voided transaction keeps its lines with zero amounts and a "VOID:" memo; it moves
    # no money and no stock (QuickBooks UI behavior).
    for key in line_keys(record.kind):
        for line in fields.get(key, []):
            line.fields["Amount"] = ZERO
    fields["Memo"] = transactions.void_memo(fields.get("Memo"))
    fields["_voided"] = True
    record.fields = fields
    store.touch(record)
    return record


def list_del(store: CompanyStore, list_del_type: str, list_id: str) -> tuple[Record, datetime]:
    if list_del_type not in LIST_OF_KIND:
        raise ObjectNotFound(list_id)
    record = store.get(list_del_type, list_id)
    if _is_referenced(store, record):
        raise CannotDelete(list_del_type, store.full_name(record), "This list element is in use.")
    full_name = store.full_name(record)
    deleted_at = store.now()
    store.record_deletion(list_del_type, record, full_name)
    return record, deleted_at


def _is_referenced(store: CompanyStore, target: Record) -> bool:
    def mentions(value: Any) -> bool:
        if isinstance(value, Ref):
            return value.list_id == target.id and (value.list_name == LIST_OF_KIND[target.kind])
        if isinstance(value, dict):
            return any(mentions(v) for v in value.values())
        if isinstance(value, list):
            return any(mentions(v) for v in value)
        return bool(hasattr(value, "fields") and mentions(value.fields))

    return any(
        mentions(record.fields)
        for records in store.records.values()
        for record in records.values()
        if record is not target
    )


def deleted_query(store: CompanyStore, types: list[str], query: dict[str, Any]) -> list[Deletion]:
    """TxnDeletedQuery / ListDeletedQuery: deletions of the given types, oldest first."""
    span = query.get("DeletedDateRangeFilter") or {}
    low, high = span.get("FromDeletedDate"), span.get("ToDeletedDate")
    found = [
        d
        for d in store.deleted
        if d.kind in types
        and (not isinstance(low, datetime) or d.time_deleted >= low)
        and (not isinstance(high, datetime) or d.time_deleted <= high)
    ]
    if not found:
        raise NoMatch()
    return found
