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

from harness.fake_qbd.banking import BankingOperations
from harness.fake_qbd.models import Record, Ref, TxnLine
from harness.fake_qbd.values import money

ZERO = Decimal(0)
#: PurchasesAndVendorsPreferences DaysBillsAreDue of the company (company.py reports 10).
DAYS_BILLS_ARE_DUE = 10


class BillOperations(BankingOperations):
    def bill_add(self, data: dict[str, Any]) -> Record:
        header = {
            k: v
            for k, v in data.items()
            if k not in ("ItemLineAdd", "ExpenseLineAdd", "ItemGroupLineAdd", "LinkToTxnID")
        }
        fields = self.resolve_refs(header, "Bill")
        self._refuse_line_groups(data.get("ItemGroupLineAdd"))
        fields.setdefault("TxnDate", self.today())
        fields.setdefault("DueDate", fields["TxnDate"] + timedelta(days=DAYS_BILLS_ARE_DUE))
        fields.setdefault("APAccountRef", self._special_account("AccountsPayable"))
        self._purchase_lines(fields, data, "Bill line")
        return self.new_record("Bill", fields)

    def _purchase_lines(self, fields: dict[str, Any], data: dict[str, Any], where: str) -> None:
        """Expense lines (to an account) and item lines (priced at cost) of a bill or check."""
        fields["ExpenseLine"] = [
            self._expense_line(line) for line in data.get("ExpenseLineAdd", [])
        ]
        fields["ItemLine"] = [
            self._priced_line(line, where, "Cost") for line in data.get("ItemLineAdd", [])
        ]
        for line in fields["ItemLine"]:
            self._site_key(line.fields.get("InventorySiteRef"))

    def _expense_line(self, data: dict[str, Any]) -> TxnLine:
        fields = self.resolve_refs(data, "Bill expense line")
        fields["Amount"] = money(self.amount(fields.get("Amount", 0)))
        return TxnLine(self.ids.txn_line_id(), fields)

    def bill_amount_due(self, bill: Record) -> Decimal:
        return self.lines_total(bill)

    def lines_total(self, txn: Record) -> Decimal:
        """The sum of a transaction's lines (a bill's amount due, a check's amount)."""
        return money(sum((line.amount for line in self.lines_of(txn)), ZERO))

    def bill_open_amount(self, bill: Record) -> Decimal:
        """What is left to pay: the amount due less the bill payments applied to it
        (BillPaymentCheckAdd, checks.py)."""
        paid = sum(
            (
                a.amount
                for payment in self.records["BillPaymentCheck"].values()
                for a in payment.fields.get("AppliedToTxn", [])
                if a.txn_id == bill.id
            ),
            ZERO,
        )
        return money(self.bill_amount_due(bill) - paid)

    def vendor_balance(self, vendor: Record) -> Decimal:
        ref = Ref("Vendor", vendor.id)
        return money(
            sum(
                (
                    self.bill_open_amount(b)
                    for b in self.records["Bill"].values()
                    if b.fields.get("VendorRef") == ref
                ),
                ZERO,
            )
        )
