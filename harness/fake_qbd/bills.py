"""Bills: what the company owes a vendor (BillAdd, BillQuery).

Item lines bring stock in, as an item receipt does; expense lines post to an account. The
vendor's Balance is the bills' open amounts (bill payments: checks.py). The due date
follows the company's DaysBillsAreDue preference when the request gives none
(PreferencesRet, 10 days).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from harness.fake_qbd import inventory, transactions
from harness.fake_qbd.models import Record, Ref, TxnLine
from harness.fake_qbd.store import CompanyStore
from harness.fake_qbd.values import money

ZERO = Decimal(0)
#: PurchasesAndVendorsPreferences DaysBillsAreDue of the company (company.py reports 10).
DAYS_BILLS_ARE_DUE = 10


def bill_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    header = {
        k: v
        for k, v in data.items()
        if k not in ("ItemLineAdd", "ExpenseLineAdd", "ItemGroupLineAdd")
    }
    fields = store.resolve_refs(header, "Bill")
    transactions.refuse_line_groups(store, data.get("ItemGroupLineAdd"))
    fields.setdefault("TxnDate", store.today())
    fields.setdefault("DueDate", fields["TxnDate"] + timedelta(days=DAYS_BILLS_ARE_DUE))
    fields.setdefault("APAccountRef", transactions.special_account(store, "AccountsPayable"))
    purchase_lines(store, fields, data, "Bill line")
    return store.new_record("Bill", fields)


def purchase_lines(
    store: CompanyStore, fields: dict[str, Any], data: dict[str, Any], where: str
) -> None:
    """Expense lines (to an account) and item lines (priced at cost) of a bill or check."""
    fields["ExpenseLine"] = [_expense_line(store, line) for line in data.get("ExpenseLineAdd", [])]
    fields["ItemLine"] = [
        inventory.priced_line(store, line, where, "Cost") for line in data.get("ItemLineAdd", [])
    ]
    for line in fields["ItemLine"]:
        inventory.site_key(store, line.fields.get("InventorySiteRef"))


def _expense_line(store: CompanyStore, data: dict[str, Any]) -> TxnLine:
    fields = store.resolve_refs(data, "Bill expense line")
    fields["Amount"] = money(store.amount(fields.get("Amount", 0)))
    return TxnLine(store.ids.txn_line_id(), fields)


def bill_amount_due(store: CompanyStore, bill: Record) -> Decimal:
    return lines_total(store, bill)


def lines_total(store: CompanyStore, txn: Record) -> Decimal:
    """The sum of a transaction's lines (a bill's amount due, a check's amount)."""
    return money(sum((line.amount for line in store.lines_of(txn)), ZERO))


def bill_open_amount(store: CompanyStore, bill: Record) -> Decimal:
    """What is left to pay: the amount due less the bill payments applied to it
    (BillPaymentCheckAdd, checks.py)."""
    paid = sum(
        (
            a.amount
            for payment in store.records["BillPaymentCheck"].values()
            for a in payment.fields.get("AppliedToTxn", [])
            if a.txn_id == bill.id
        ),
        ZERO,
    )
    return money(bill_amount_due(store, bill) - paid)


def vendor_balance(store: CompanyStore, vendor: Record) -> Decimal:
    ref = Ref("Vendor", vendor.id)
    return money(
        sum(
            (
                bill_open_amount(store, b)
                for b in store.records["Bill"].values()
                if b.fields.get("VendorRef") == ref
            ),
            ZERO,
        )
    )
