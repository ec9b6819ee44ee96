"""The company's state and the helpers every operation shares.

Like a moto backend's state: plain dicts of records, and methods that raise the real status
errors. The operations named after qbXML requests are plain functions over this state in
the domain modules (``lists``, ``inventory``, ``transactions``, ...); ``QBDCompany``
(``company``) joins them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any, TypeVar

from harness.clock import SimClock
from harness.fake_qbd.errors import (
    EditSequenceOutOfDate,
    InvalidReference,
    NameInUse,
    ObjectNotFound,
)
from harness.fake_qbd.ids import IdGenerator
from harness.fake_qbd.models import (
    HIERARCHICAL,
    LIST_OF_KIND,
    LIST_TITLES,
    SHARED_NAME_SPACE,
    Deletion,
    Record,
    Ref,
)
from harness.fake_qbd.settings import CompanySettings
from harness.fake_qbd.values import with_standard_offset

TXN_KINDS = (
    "Invoice",
    "ReceivePayment",
    "CreditMemo",
    "Deposit",
    "InventoryAdjustment",
    "TransferInventory",
    "PurchaseOrder",
    "ItemReceipt",
    "SalesReceipt",
    "Bill",
    "Estimate",
    "SalesOrder",
    "Check",
    "BillPaymentCheck",
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
    "SalesReceipt": "SalesReceiptLine",
    "Bill": "ItemLine",
    "Estimate": "EstimateLine",
    "SalesOrder": "SalesOrderLine",
    "Check": "ItemLine",
}
#: Transactions that also have expense lines (posted to an account, no item).
EXPENSE_LINE_KINDS = frozenset({"Bill", "Check"})

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
    "TemplateRef": "Template",
    "ClassRef": "Class",
    "TermsRef": "Terms",
    "BankAccountRef": "Account",
}
#: References to a name of the one name list, whichever of its lists holds it (a check's
#: payee may be a vendor, a customer or an employee).
ENTITY_REFS = frozenset({"PayeeEntityRef"})


#: The kinds of each list (all item types share the Item list).
KINDS_OF_LIST: dict[str, tuple[str, ...]] = {}
for _kind, _list in LIST_OF_KIND.items():
    KINDS_OF_LIST[_list] = (*KINDS_OF_LIST.get(_list, ()), _kind)

T = TypeVar("T")
_USED_ONCE = object()


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
        #: Data extension definitions (DataExtDefRet values), in the order they were added;
        #: the values live on their records (``custom_fields``).
        self.data_ext_defs: list[dict[str, Any]] = []
        #: The company's own data extension values (DataExtID -> value).
        self.company_data_ext: dict[int, str] = {}
        self.txn_number = 0
        # Derived indexes (performance only; the records stay the one truth). Every change
        # goes through new_record, touch or record_deletion, which move the generation; an
        # index is rebuilt on its second use after a change (one lookup is cheaper as a
        # scan). Names per list are kept up to date on add and rebuilt after a Mod.
        self._generation = 0
        self._index_generation = 0
        self._indexes: dict[str, Any] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._children: dict[str, dict[str, list[str]]] = {}

    # --- time -------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def local_tz(self) -> tzinfo:
        tz = self.clock.now().tzinfo
        assert tz is not None  # SimClock refuses naive datetimes
        return tz

    def written_time(self, moment: datetime) -> datetime:
        """A time as QuickBooks writes it in a response (the daylight saving quirk)."""
        if self.settings.dst_standard_offset_quirk:
            return with_standard_offset(moment)
        return moment

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
        self.changed()
        list_name = LIST_OF_KIND.get(kind, "")
        names = self._names.get(list_name)
        if names is not None:
            names.setdefault(self.full_name(record).casefold(), record.id)
        children = self._children.get(list_name)
        parent = fields.get("ParentRef")
        if children is not None and isinstance(parent, Ref):
            children.setdefault(parent.list_id, []).append(record.id)
        return record

    def touch(self, record: Record) -> None:
        """A modification: TimeModified and EditSequence move (QBD-01).

        Every change to a record's fields is followed by touch(), with no balance, quantity
        or name read in between: that is what keeps the derived indexes right."""
        record.time_modified = self.now()
        record.edit_sequence = self.ids.edit_sequence(record.edit_sequence)
        self.changed(record)

    # --- derived indexes (speed only) --------------------------------------------------------

    def changed(self, record: Record | None = None) -> None:
        """Something changed: derived indexes are stale (names too when a list record was
        modified: a rename or a new parent changes full names below it)."""
        self._generation += 1
        if record is not None and record.kind in LIST_OF_KIND:
            self._names.pop(LIST_OF_KIND[record.kind], None)
            self._children.pop(LIST_OF_KIND[record.kind], None)

    def index(self, key: str, build: Callable[[], T]) -> T | None:
        """The derived index ``key`` of the current state, or None on its first use since the
        last change (then the caller scans, as a single lookup is cheaper that way)."""
        if self._index_generation != self._generation:
            self._indexes.clear()
            self._index_generation = self._generation
        value = self._indexes.get(key)
        if value is None:
            self._indexes[key] = _USED_ONCE
            return None
        if value is _USED_ONCE:
            value = self._indexes[key] = build()
        return value

    def children_of(self, record: Record) -> list[Record]:
        """The list elements whose ParentRef is ``record``, in creation order."""
        list_name = LIST_OF_KIND[record.kind]
        children = self._children.get(list_name)
        if children is None:
            children = {}
            for child in self.records_of_list(list_name):
                parent = child.fields.get("ParentRef")
                if isinstance(parent, Ref):
                    children.setdefault(parent.list_id, []).append(child.id)
            self._children[list_name] = children
        found = (self.find_by_id(list_name, i) for i in children.get(record.id, ()))
        return [child for child in found if child is not None]

    def _name_index(self, list_name: str) -> dict[str, str]:
        """Case-folded FullName -> ListID of one list (the first record wins, as a scan)."""
        names = self._names.get(list_name)
        if names is None:
            names = {}
            for record in self.records_of_list(list_name):
                names.setdefault(self.full_name(record).casefold(), record.id)
            self._names[list_name] = names
        return names

    def check_edit_sequence(self, record: Record, edit_sequence: str) -> None:
        if str(edit_sequence) != str(record.edit_sequence):
            raise EditSequenceOutOfDate(str(edit_sequence))

    def records_of_list(self, list_name: str) -> Iterator[Record]:
        for kind in KINDS_OF_LIST.get(list_name, ()):
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
        record = self.find_by_id(ref.list_name, ref.list_id)
        if record is None:
            raise ObjectNotFound(ref.list_id)
        return record

    def find_by_name(self, list_name: str, full_name: str) -> Record | None:
        """Names are matched case-insensitively, as QuickBooks does (QBD-02)."""
        list_id = self._name_index(list_name).get(full_name.casefold())
        return None if list_id is None else self.find_by_id(list_name, list_id)

    def find_by_id(self, list_name: str, list_id: str) -> Record | None:
        for kind in KINDS_OF_LIST.get(list_name, ()):
            record = self.records[kind].get(list_id)
            if record is not None:
                return record
        return None

    def check_name_free(self, list_name: str, full_name: str, itself: str | None = None) -> None:
        lists = SHARED_NAME_SPACE if list_name in SHARED_NAME_SPACE else (list_name,)
        for name_list in lists:
            existing = self.find_by_name(name_list, full_name)
            if existing is not None and existing.id != itself:
                raise NameInUse(full_name.rsplit(":", 1)[-1])

    def resolve_ref(self, element: str, value: Any, where: str, own_list: str = "") -> Ref:
        """A ...Ref from a request -> Ref, or status 3140 naming the list and the value.

        ListID wins when both ListID and FullName are given (QuickBooks ignores the name).
        """
        list_name = own_list if element == "ParentRef" else REF_LISTS.get(element, "")
        value = value if isinstance(value, dict) else {}
        shown = str(value.get("ListID") or value.get("FullName") or "")
        if element in ENTITY_REFS:
            return self._resolve_entity(value, shown, where)
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

    def _resolve_entity(self, value: dict[str, Any], shown: str, where: str) -> Ref:
        for list_name in SHARED_NAME_SPACE:
            if list_name not in KINDS_OF_LIST:
                continue  # a name list the fake does not model (OtherName)
            if value.get("ListID"):
                record = self.find_by_id(list_name, str(value["ListID"]))
            else:
                record = self.find_by_name(list_name, str(value.get("FullName", "")))
            if record is not None:
                return Ref(list_name, record.id)
        # QuickBooks names the name list "Entity" here (unconfirmed).
        raise InvalidReference("Entity", shown, where)

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
        self.changed(record)

    def lines_of(self, record: Record) -> list[Any]:
        return [line for key in line_keys(record.kind) for line in record.fields.get(key, [])]

    def amount(self, value: Any) -> Decimal:
        return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def _title_of(element: str) -> str:
    base = element[:-3] if element.endswith("Ref") else element
    for prefix in ("Preferred", "Override", "Pref"):
        if base.startswith(prefix) and base != prefix:
            base = base[len(prefix) :]
    return base


def line_keys(kind: str) -> tuple[str, ...]:
    """Where a transaction of ``kind`` keeps its lines (expense lines after the others)."""
    primary = (LINE_KEYS[kind],) if kind in LINE_KEYS else ()
    return (*primary, "ExpenseLine") if kind in EXPENSE_LINE_KINDS else primary


def is_hierarchical(list_name: str) -> bool:
    return list_name in HIERARCHICAL
