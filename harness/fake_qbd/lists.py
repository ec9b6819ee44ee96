"""List operations: Account, Customer, items, PaymentMethod, SalesTaxCode (Add/Mod/Query)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from harness.fake_qbd.errors import (
    InvalidFieldValue,
    NameHasColon,
    NoMatch,
    QBStatusError,
    QueryNotFullyCompleted,
)
from harness.fake_qbd.models import LIST_OF_KIND, Record, Ref
from harness.fake_qbd.store import CompanyStore

ITEM_KINDS = ("ItemService", "ItemNonInventory", "ItemInventory", "ItemSalesTax")
#: Mod aggregates that change the Add aggregate of the same name without the suffix.
MOD_MERGES = {
    "SalesOrPurchaseMod": "SalesOrPurchase",
    "SalesAndPurchaseMod": "SalesAndPurchase",
}
#: Mod-only switches that are instructions, not stored values.
MOD_INSTRUCTIONS = frozenset(
    {
        "ApplyAccountRefToExistingTxns",
        "ApplyIncomeAccountRefToExistingTxns",
        "ApplyCOGSAccountRefToExistingTxns",
        "ApplyExpenseAccountRefToExistingTxns",
        "ForceUOMChange",
    }
)


@dataclass
class QueryResult:
    records: list[Record]
    #: A non-fatal status for the response (500: some asked-for IDs were not found).
    warning: QBStatusError | None = None


class ListOperations(CompanyStore):
    # --- Add ---------------------------------------------------------------------------------

    def list_add(self, kind: str, data: dict[str, Any]) -> Record:
        list_name = LIST_OF_KIND[kind]
        fields = self.resolve_refs(data, kind, own_list=list_name)
        name = str(fields.get("Name", "")).strip()
        if not name:
            raise InvalidFieldValue("Name", name, "A name is required.")
        if ":" in name:
            raise NameHasColon(name)
        fields["Name"] = name
        if kind == "Customer":
            # CustomerRet carries JobStatus; the schema's default is None (qbxml130 JobStatus).
            fields.setdefault("JobStatus", "None")
        parent = fields.get("ParentRef")
        full_name = f"{self.ref_full_name(parent)}:{name}" if isinstance(parent, Ref) else name
        self.check_name_free(list_name, full_name)
        if kind == "ItemInventory":
            # The opening quantity is the first inventory movement of the item; afterwards
            # quantities change only through transactions (QBWC-FACTS.md).
            fields["QuantityOnHand"] = self.amount(fields.get("QuantityOnHand", 0))
        return self.new_record(kind, fields)

    def account_add(self, data: dict[str, Any]) -> Record:
        return self.list_add("Account", data)

    def customer_add(self, data: dict[str, Any]) -> Record:
        return self.list_add("Customer", data)

    def item_service_add(self, data: dict[str, Any]) -> Record:
        return self.list_add("ItemService", data)

    def item_non_inventory_add(self, data: dict[str, Any]) -> Record:
        return self.list_add("ItemNonInventory", data)

    def item_inventory_add(self, data: dict[str, Any]) -> Record:
        return self.list_add("ItemInventory", data)

    def payment_method_add(self, data: dict[str, Any]) -> Record:
        return self.list_add("PaymentMethod", data)

    def item_sales_tax_add(self, data: dict[str, Any]) -> Record:
        return self.list_add("ItemSalesTax", data)

    def item_sales_tax_mod(self, data: dict[str, Any]) -> Record:
        return self.list_mod("ItemSalesTax", data)

    def class_add(self, data: dict[str, Any]) -> Record:
        return self.list_add("Class", data)

    def employee_add(self, data: dict[str, Any]) -> Record:
        """EmployeeAdd (or the Employee Center): Name, when the request gives none, is the
        first, middle and last names joined by spaces (unconfirmed: how QuickBooks forms an
        employee's Name); it joins the name list customers and vendors share (3100)."""
        if not data.get("Name"):
            parts = (data.get(k) for k in ("FirstName", "MiddleName", "LastName"))
            data = {"Name": " ".join(str(p).strip() for p in parts if p), **data}
        return self.list_add("Employee", data)

    def standard_terms_add(self, data: dict[str, Any]) -> Record:
        """Standard terms: due StdDueDays after the transaction date, DiscountPct off when
        paid within StdDiscountDays (qbxml130 StandardTermsAdd)."""
        return self.list_add("StandardTerms", data)

    def vendor_add(self, data: dict[str, Any]) -> Record:
        return self.list_add("Vendor", data)

    def vendor_mod(self, data: dict[str, Any]) -> Record:
        return self.list_mod("Vendor", data)

    def sales_tax_code_add(self, data: dict[str, Any]) -> Record:
        # Names longer than 3 characters never get here: 3070 (limits.py).
        return self.list_add("SalesTaxCode", data)

    # --- Mod ---------------------------------------------------------------------------------

    def list_mod(self, kind: str, data: dict[str, Any]) -> Record:
        list_name = LIST_OF_KIND[kind]
        record = self.get(kind, str(data["ListID"]))
        self.check_edit_sequence(record, str(data["EditSequence"]))
        changes = self.resolve_refs(
            {k: v for k, v in data.items() if k not in ("ListID", "EditSequence")},
            kind,
            own_list=list_name,
        )
        fields = self.working_copy(record)
        for key, value in changes.items():
            if key in MOD_INSTRUCTIONS:
                continue
            if key in MOD_MERGES:
                target = MOD_MERGES[key]
                merged = dict(fields.get(target) or {})
                merged.update({k: v for k, v in value.items() if k not in MOD_INSTRUCTIONS})
                fields[target] = merged
            else:
                fields[key] = value
        parent = fields.get("ParentRef")
        if isinstance(parent, Ref) and self._is_self_or_descendant(record, parent):
            raise InvalidFieldValue(
                "ParentRef", parent.list_id, "A list element cannot be its own parent."
            )
        name = str(fields.get("Name", "")).strip()
        if ":" in name:
            raise NameHasColon(name)
        full_name = f"{self.ref_full_name(parent)}:{name}" if isinstance(parent, Ref) else name
        self.check_name_free(list_name, full_name, itself=record.id)
        record.fields = fields
        self.touch(record)
        return record

    def _is_self_or_descendant(self, record: Record, parent: Ref) -> bool:
        candidate: Ref | None = parent
        while isinstance(candidate, Ref):
            if candidate.list_id == record.id:
                return True
            candidate = self.list_record(candidate).fields.get("ParentRef")
        return False

    def account_mod(self, data: dict[str, Any]) -> Record:
        return self.list_mod("Account", data)

    def customer_mod(self, data: dict[str, Any]) -> Record:
        return self.list_mod("Customer", data)

    def item_service_mod(self, data: dict[str, Any]) -> Record:
        return self.list_mod("ItemService", data)

    def item_non_inventory_mod(self, data: dict[str, Any]) -> Record:
        return self.list_mod("ItemNonInventory", data)

    def item_inventory_mod(self, data: dict[str, Any]) -> Record:
        # QuantityOnHand is not an element of ItemInventoryMod (the schema refuses it), so a
        # Mod can never change quantities.
        return self.list_mod("ItemInventory", data)

    # --- Query -------------------------------------------------------------------------------

    def list_query(self, kinds: tuple[str, ...], query: dict[str, Any]) -> QueryResult:
        """ListID / FullName / ListFilter semantics shared by the list queries.

        Records come in list order, case-insensitively: each element right after its parent
        (Parent, Parent:Child, Parent 2), as QuickBooks' lists show them (issue 18 left it
        open; medium confidence).
        """
        by_id = query.get("ListID") or []
        by_name = query.get("FullName") or []
        if by_id or by_name:
            found: list[Record] = []
            missing: list[str] = []
            lists = {LIST_OF_KIND[kind] for kind in kinds}
            for wanted in by_id:
                match = next(
                    (self.records[k][wanted] for k in kinds if wanted in self.records[k]), None
                )
                (found.append(match) if match else missing.append(wanted))
            for wanted in by_name:
                # Names are unique in a list, so the list's name index answers for its kinds.
                match = next(
                    (
                        r
                        for r in (self.find_by_name(name, wanted) for name in lists)
                        if r is not None and r.kind in kinds
                    ),
                    None,
                )
                (found.append(match) if match else missing.append(wanted))
            if not found:
                raise QueryNotFullyCompleted(missing[0])
            warning = QueryNotFullyCompleted(missing[0]) if missing else None
            return QueryResult(found, warning)
        pool = [r for kind in kinds for r in self.records[kind].values()]
        records = [r for r in pool if self._matches_list_filter(r, query)]
        records.sort(key=lambda r: self.full_name(r).casefold().split(":"))
        if "MaxReturned" in query:
            records = records[: max(int(query["MaxReturned"]), 0)]
        if not records:
            raise NoMatch()
        return QueryResult(records)

    def _matches_list_filter(self, record: Record, query: dict[str, Any]) -> bool:
        status = query.get("ActiveStatus", "ActiveOnly")
        if status == "ActiveOnly" and not record.is_active:
            return False
        if status == "InactiveOnly" and record.is_active:
            return False
        if not _in_range(
            record.time_modified, query.get("FromModifiedDate"), query.get("ToModifiedDate")
        ):
            return False
        full_name = self.full_name(record).casefold()
        name_filter = query.get("NameFilter")
        if name_filter:
            wanted = str(name_filter["Name"]).casefold()
            criterion = name_filter["MatchCriterion"]
            if criterion == "StartsWith" and not full_name.startswith(wanted):
                return False
            if criterion == "Contains" and wanted not in full_name:
                return False
            if criterion == "EndsWith" and not full_name.endswith(wanted):
                return False
        name_range = query.get("NameRangeFilter")
        if name_range:
            low = str(name_range.get("FromName", "")).casefold()
            high = name_range.get("ToName")
            if full_name < low or (high is not None and full_name > str(high).casefold()):
                return False
        account_types = query.get("AccountType")
        if account_types and record.fields.get("AccountType") not in account_types:
            return False
        method_types = query.get("PaymentMethodType")
        return not (method_types and record.fields.get("PaymentMethodType") not in method_types)

    # --- derived values ----------------------------------------------------------------------

    def set_active(self, kind: str, list_id: str, active: bool) -> Record:
        record = self.get(kind, list_id)
        record.fields["IsActive"] = active
        self.touch(record)
        return record


def _in_range(moment: datetime, low: Any, high: Any) -> bool:
    """Modified-date filters are inclusive at both ends (QBWC-FACTS.md)."""
    if isinstance(low, datetime) and moment < low:
        return False
    return not (isinstance(high, datetime) and moment > high)
