"""The company's state and the helpers every operation shares.

Like a moto backend: plain dicts of records, and methods that raise the real status errors.
Operations named after qbXML requests live in ``lists.py`` and ``transactions.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from harness.clock import SimClock
from harness.fake_qbd.errors import (
    EditSequenceOutOfDate,
    InvalidReference,
    NameInUse,
    ObjectNotFound,
)
from harness.fake_qbd.ids import IdGenerator
from harness.fake_qbd.models import HIERARCHICAL, LIST_OF_KIND, LIST_TITLES, Deletion, Record, Ref
from harness.fake_qbd.settings import CompanySettings

TXN_KINDS = (
    "Invoice",
    "ReceivePayment",
    "CreditMemo",
    "Deposit",
    "InventoryAdjustment",
    "TransferInventory",
    "PurchaseOrder",
    "ItemReceipt",
)

#: Where each transaction keeps its lines (the line Ret name without "Ret").
LINE_KEYS = {
    "Invoice": "InvoiceLine",
    "CreditMemo": "CreditMemoLine",
    "Deposit": "DepositLine",
    "InventoryAdjustment": "InventoryAdjustmentLine",
    "TransferInventory": "TransferInventoryLine",
    "PurchaseOrder": "PurchaseOrderLine",
    "ItemReceipt": "ItemLine",
}

#: Which list a ...Ref element points into (ParentRef: the referring object's own list).
REF_LISTS = {
    "CustomerRef": "Customer",
    "ItemRef": "Item",
    "AccountRef": "Account",
    "ARAccountRef": "Account",
    "DepositToAccountRef": "Account",
    "IncomeAccountRef": "Account",
    "COGSAccountRef": "Account",
    "AssetAccountRef": "Account",
    "ExpenseAccountRef": "Account",
    "PaymentMethodRef": "PaymentMethod",
    "PreferredPaymentMethodRef": "PaymentMethod",
    "SalesTaxCodeRef": "SalesTaxCode",
    "CustomerSalesTaxCodeRef": "SalesTaxCode",
    "PurchaseTaxCodeRef": "SalesTaxCode",
    "VendorRef": "Vendor",
    "PrefVendorRef": "Vendor",
    "APAccountRef": "Account",
    "InventorySiteRef": "InventorySite",
    "FromInventorySiteRef": "InventorySite",
    "ToInventorySiteRef": "InventorySite",
    "ParentSiteRef": "InventorySite",
    "EntityRef": "Customer",
    "ItemSalesTaxRef": "Item",
    "TaxVendorRef": "Vendor",
}


class CompanyStore:
    def __init__(self, settings: CompanySettings, clock: SimClock) -> None:
        self.settings = settings
        self.clock = clock
        self.ids = IdGenerator(clock)
        self.records: dict[str, dict[str, Record]] = {
            kind: {} for kind in (*LIST_OF_KIND, *TXN_KINDS)
        }
        self.deleted: list[Deletion] = []
        #: ListIDs of ItemSites rows (item ListID, site ListID), given when first reported.
        self.item_site_ids: dict[tuple[str, str], str] = {}
        self.txn_number = 0

    # --- time -------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def local_tz(self) -> tzinfo:
        tz = self.clock.now().tzinfo
        assert tz is not None  # SimClock refuses naive datetimes
        return tz

    def today(self) -> date:
        return self.clock.now().date()

    # --- records -----------------------------------------------------------------------------

    def new_record(self, kind: str, fields: dict[str, Any]) -> Record:
        if kind in LIST_OF_KIND:
            record_id = self.ids.list_id(LIST_OF_KIND[kind])
        else:
            record_id = self.ids.txn_id()
            self.txn_number += 1
            fields = {"TxnNumber": self.txn_number, **fields}
        now = self.now()
        record = Record(kind, record_id, now, now, self.ids.edit_sequence(), fields)
        self.records[kind][record_id] = record
        return record

    def touch(self, record: Record) -> None:
        """A modification: TimeModified and EditSequence move (QBD-01)."""
        record.time_modified = self.now()
        record.edit_sequence = self.ids.edit_sequence(record.edit_sequence)

    def check_edit_sequence(self, record: Record, edit_sequence: str) -> None:
        if str(edit_sequence) != str(record.edit_sequence):
            raise EditSequenceOutOfDate(str(edit_sequence))

    def records_of_list(self, list_name: str) -> Iterator[Record]:
        for kind, name in LIST_OF_KIND.items():
            if name == list_name:
                yield from self.records[kind].values()

    def get(self, kinds: tuple[str, ...] | str, object_id: str) -> Record:
        for kind in (kinds,) if isinstance(kinds, str) else kinds:
            record = self.records[kind].get(object_id)
            if record is not None:
                return record
        raise ObjectNotFound(object_id)

    def working_copy(self, record: Record) -> dict[str, Any]:
        """Fields to change in a Mod: a deep copy, so a failed Mod leaves nothing half-applied."""
        return copy.deepcopy(record.fields)

    # --- names and references ----------------------------------------------------------------

    def full_name(self, record: Record) -> str:
        parent = record.fields.get("ParentRef")
        if isinstance(parent, Ref):
            return f"{self.full_name(self.list_record(parent))}:{record.name}"
        return record.name

    def sublevel(self, record: Record) -> int:
        parent = record.fields.get("ParentRef")
        return 0 if not isinstance(parent, Ref) else 1 + self.sublevel(self.list_record(parent))

    def list_record(self, ref: Ref) -> Record:
        for record in self.records_of_list(ref.list_name):
            if record.id == ref.list_id:
                return record
        raise ObjectNotFound(ref.list_id)

    def find_by_name(self, list_name: str, full_name: str) -> Record | None:
        """Names are matched case-insensitively, as QuickBooks does (QBD-02)."""
        wanted = full_name.casefold()
        for record in self.records_of_list(list_name):
            if self.full_name(record).casefold() == wanted:
                return record
        return None

    def find_by_id(self, list_name: str, list_id: str) -> Record | None:
        for record in self.records_of_list(list_name):
            if record.id == list_id:
                return record
        return None

    def check_name_free(self, list_name: str, full_name: str, itself: str | None = None) -> None:
        existing = self.find_by_name(list_name, full_name)
        if existing is not None and existing.id != itself:
            raise NameInUse(full_name.rsplit(":", 1)[-1])

    def resolve_ref(self, element: str, value: Any, where: str, own_list: str = "") -> Ref:
        """A ...Ref from a request -> Ref, or status 3140 naming the list and the value.

        ListID wins when both ListID and FullName are given (QuickBooks ignores the name).
        """
        list_name = own_list if element == "ParentRef" else REF_LISTS.get(element, "")
        value = value if isinstance(value, dict) else {}
        shown = str(value.get("ListID") or value.get("FullName") or "")
        if not list_name:
            # A list the fake does not model (Class, Terms, SalesRep...): it is empty here.
            raise InvalidReference(_title_of(element), shown, where)
        if value.get("ListID"):
            record = self.find_by_id(list_name, str(value["ListID"]))
        else:
            record = self.find_by_name(list_name, str(value.get("FullName", "")))
        if record is None:
            raise InvalidReference(LIST_TITLES[list_name], shown, where)
        return Ref(list_name, record.id)

    def resolve_refs(self, data: dict[str, Any], where: str, own_list: str = "") -> dict[str, Any]:
        """Copy of ``data`` with every ...Ref (also inside nested aggregates) resolved."""
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key.endswith("Ref") and isinstance(value, dict):
                out[key] = self.resolve_ref(key, value, where, own_list)
            elif isinstance(value, dict):
                out[key] = self.resolve_refs(value, where, own_list)
            else:
                out[key] = value
        return out

    def ref_full_name(self, ref: Ref) -> str:
        return self.full_name(self.list_record(ref))

    def record_deletion(self, kind: str, record: Record, label: str | None) -> None:
        self.deleted.append(Deletion(kind, record.id, record.time_created, self.now(), label))
        del self.records[record.kind][record.id]

    def lines_of(self, record: Record) -> list[Any]:
        key = LINE_KEYS.get(record.kind)
        return list(record.fields.get(key, [])) if key else []

    def amount(self, value: Any) -> Decimal:
        return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def _title_of(element: str) -> str:
    base = element[:-3] if element.endswith("Ref") else element
    for prefix in ("Preferred", "Override", "Pref"):
        if base.startswith(prefix) and base != prefix:
            base = base[len(prefix) :]
    return base


def is_hierarchical(list_name: str) -> bool:
    return list_name in HIERARCHICAL
