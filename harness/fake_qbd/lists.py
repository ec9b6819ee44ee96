"""List operations: Account, Customer, items, PaymentMethod, SalesTaxCode (Add/Mod/Query)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from harness.fake_qbd.errors import (
    InvalidFieldValue,
    NameHasColon,
    NoMatch,
    QueryNotFullyCompleted,
)
from harness.fake_qbd.models import LIST_OF_KIND, QueryResult, Record, Ref
from harness.fake_qbd.store import CompanyStore

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


# --- Add ---------------------------------------------------------------------------------


def list_add(store: CompanyStore, kind: str, data: dict[str, Any]) -> Record:
    list_name = LIST_OF_KIND[kind]
    fields = store.resolve_refs(data, kind, own_list=list_name)
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
    full_name = f"{store.ref_full_name(parent)}:{name}" if isinstance(parent, Ref) else name
    store.check_name_free(list_name, full_name)
    if kind == "ItemInventory":
        # The opening quantity is the first inventory movement of the item; afterwards
        # quantities change only through transactions (QBWC-FACTS.md).
        fields["QuantityOnHand"] = store.amount(fields.get("QuantityOnHand", 0))
    return store.new_record(kind, fields)


def account_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_add(store, "Account", data)


def customer_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_add(store, "Customer", data)


def item_service_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_add(store, "ItemService", data)


def item_non_inventory_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_add(store, "ItemNonInventory", data)


def item_inventory_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_add(store, "ItemInventory", data)


def payment_method_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_add(store, "PaymentMethod", data)


def item_sales_tax_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_add(store, "ItemSalesTax", data)


def item_sales_tax_mod(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_mod(store, "ItemSalesTax", data)


def class_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_add(store, "Class", data)


def employee_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    """EmployeeAdd (or the Employee Center): Name, when the request gives none, is the
    first, middle and last names joined by spaces (unconfirmed: how QuickBooks forms an
    employee's Name); it joins the name list customers and vendors share (3100)."""
    if not data.get("Name"):
        parts = (data.get(k) for k in ("FirstName", "MiddleName", "LastName"))
        data = {"Name": " ".join(str(p).strip() for p in parts if p), **data}
    return list_add(store, "Employee", data)


def standard_terms_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    """Standard terms: due StdDueDays after the transaction date, DiscountPct off when
    paid within StdDiscountDays (qbxml130 StandardTermsAdd)."""
    return list_add(store, "StandardTerms", data)


def vendor_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_add(store, "Vendor", data)


def vendor_mod(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_mod(store, "Vendor", data)


def sales_tax_code_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    # Names longer than 3 characters never get here: 3070 (limits.py).
    return list_add(store, "SalesTaxCode", data)


# --- Mod ---------------------------------------------------------------------------------


def list_mod(store: CompanyStore, kind: str, data: dict[str, Any]) -> Record:
    list_name = LIST_OF_KIND[kind]
    record = store.get(kind, str(data["ListID"]))
    store.check_edit_sequence(record, str(data["EditSequence"]))
    changes = store.resolve_refs(
        {k: v for k, v in data.items() if k not in ("ListID", "EditSequence")},
        kind,
        own_list=list_name,
    )
    fields = store.working_copy(record)
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
    if isinstance(parent, Ref) and _is_self_or_descendant(store, record, parent):
        raise InvalidFieldValue(
            "ParentRef", parent.list_id, "A list element cannot be its own parent."
        )
    name = str(fields.get("Name", "")).strip()
    if ":" in name:
        raise NameHasColon(name)
    full_name = f"{store.ref_full_name(parent)}:{name}" if isinstance(parent, Ref) else name
    store.check_name_free(list_name, full_name, itself=record.id)
    record.fields = fields
    store.touch(record)
    return record


def _is_self_or_descendant(store: CompanyStore, record: Record, parent: Ref) -> bool:
    candidate: Ref | None = parent
    while isinstance(candidate, Ref):
        if candidate.list_id == record.id:
            return True
        candidate = store.list_record(candidate).fields.get("ParentRef")
    return False


def account_mod(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_mod(store, "Account", data)


def customer_mod(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_mod(store, "Customer", data)


def item_service_mod(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_mod(store, "ItemService", data)


def item_non_inventory_mod(store: CompanyStore, data: dict[str, Any]) -> Record:
    return list_mod(store, "ItemNonInventory", data)


def item_inventory_mod(store: CompanyStore, data: dict[str, Any]) -> Record:
    # QuantityOnHand is not an element of ItemInventoryMod (the schema refuses it), so a
    # Mod can never change quantities.
    return list_mod(store, "ItemInventory", data)


# --- Query -------------------------------------------------------------------------------


def list_query(store: CompanyStore, kinds: tuple[str, ...], query: dict[str, Any]) -> QueryResult:
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
                (store.records[k][wanted] for k in kinds if wanted in store.records[k]), None
            )
            (found.append(match) if match else missing.append(wanted))
        for wanted in by_name:
            # Names are unique in a list, so the list's name index answers for its kinds.
            match = next(
                (
                    r
                    for r in (store.find_by_name(name, wanted) for name in lists)
                    if r is not None and r.kind in kinds
                ),
                None,
            )
            (found.append(match) if match else missing.append(wanted))
        if not found:
            raise QueryNotFullyCompleted(missing[0])
        warning = QueryNotFullyCompleted(missing[0]) if missing else None
        return QueryResult(found, warning)
    pool = [r for kind in kinds for r in store.records[kind].values()]
    records = [r for r in pool if _matches_list_filter(store, r, query)]
    records.sort(key=lambda r: store.full_name(r).casefold().split(":"))
    if "MaxReturned" in query:
        records = records[: max(int(query["MaxReturned"]), 0)]
    if not records:
        raise NoMatch()
    return QueryResult(records)


def _matches_list_filter(store: CompanyStore, record: Record, query: dict[str, Any]) -> bool:
    status = query.get("ActiveStatus", "ActiveOnly")
    if status == "ActiveOnly" and not record.is_active:
        return False
    if status == "InactiveOnly" and record.is_active:
        return False
    if not in_range(
        record.time_modified, query.get("FromModifiedDate"), query.get("ToModifiedDate")
    ):
        return False
    full_name = store.full_name(record).casefold()
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


def set_active(store: CompanyStore, kind: str, list_id: str, active: bool) -> Record:
    record = store.get(kind, list_id)
    record.fields["IsActive"] = active
    store.touch(record)
    return record


def in_range(moment: datetime, low: Any, high: Any) -> bool:
    """Modified-date filters are inclusive at both ends (QBWC-FACTS.md)."""
    if isinstance(low, datetime) and moment < low:
        return False
    return not (isinstance(high, datetime) and moment > high)
