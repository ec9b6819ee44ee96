"""Estimates and sales orders (EstimateAdd/Query, SalesOrderAdd/Query): sales forms that
post nothing.

Neither moves money nor stock: no customer balance, no Accounts Receivable, no quantity on
hand (QuickBooks calls them non-posting transactions; an invoice made from them does the
posting). A sales order's open lines are the item's QuantityOnSalesOrder, as open purchase
orders are its QuantityOnOrder (ItemInventoryRet; confirmed by the schema's fields, the sum
is QuickBooks' documented meaning, medium confidence on details such as closed lines).
Invoicing from an estimate or sales order (LinkToTxnID) is not modeled, so sales order lines
stay uninvoiced (Invoiced 0). Lines price as on an invoice (item price, description and tax
code when the line gives none); totals and sales tax as on an invoice.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from harness.fake_qbd import inventory, transactions
from harness.fake_qbd.models import Record
from harness.fake_qbd.store import CompanyStore


def estimate_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    fields = _sales_form(store, "Estimate", data)
    fields.setdefault("IsActive", True)
    fields.setdefault("IsToBeEmailed", False)
    return store.new_record("Estimate", fields)


def sales_order_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    fields = _sales_form(store, "SalesOrder", data)
    fields.setdefault("IsManuallyClosed", False)
    # The print and e-mail flags as on an invoice (unconfirmed defaults).
    fields.setdefault("IsToBePrinted", True)
    fields.setdefault("IsToBeEmailed", False)
    return store.new_record("SalesOrder", fields)


def _sales_form(store: CompanyStore, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    line_add, group_add = f"{kind}LineAdd", f"{kind}LineGroupAdd"
    header = {k: v for k, v in data.items() if k not in (line_add, group_add)}
    fields = store.resolve_refs(header, kind)
    transactions.refuse_line_groups(store, data.get(group_add))
    fields[f"{kind}Line"] = [
        transactions.invoice_line(store, line, None, f"{kind} line")
        for line in data.get(line_add, [])
    ]
    transactions.default_tax(store, fields)
    fields.setdefault("TxnDate", store.today())
    if not fields.get("RefNumber"):
        fields["RefNumber"] = transactions.next_ref_number(store, kind)
    return fields


def quantity_on_sales_order(store: CompanyStore, item: Record) -> Decimal:
    """Ordered on open sales orders and not yet invoiced (ItemInventoryRet)."""
    return inventory.open_order_quantity(store, "SalesOrder", item)
