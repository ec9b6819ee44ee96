"""Checks written from a bank account: CheckAdd/Query (expenses, items bought) and
BillPaymentCheckAdd/Query (bills paid).

A check takes its amount (the sum of its lines) out of the bank account in AccountRef; item
lines bring stock in, as on a bill. A bill payment takes its amount out of BankAccountRef
and lowers each bill it is applied to: the bill's OpenAmount, IsPaid, and the vendor's
Balance (qbxml130 BillRet OpenAmount; the effects are QuickBooks' documented meaning of a
bill payment, confirmed; that an applied amount above the bill's open amount is refused
with the receive-payment text is by analogy, unconfirmed). Not modeled: expense account
balances, checks applied to transactions (ApplyCheckToTxnAdd), discounts and credits on
bill payments, and check numbering (RefNumber stays as sent).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from harness.fake_qbd.errors import InvalidFieldValue, NotModeledError, ObjectNotFound
from harness.fake_qbd.models import Application, Record, Ref
from harness.fake_qbd.sales_forms import SalesFormOperations
from harness.fake_qbd.values import format_value, money

ZERO = Decimal(0)


class CheckOperations(SalesFormOperations):
    def check_add(self, data: dict[str, Any]) -> Record:
        if data.get("ApplyCheckToTxnAdd"):
            raise NotModeledError("CheckAddRq with ApplyCheckToTxnAdd")
        lines = ("ExpenseLineAdd", "ItemLineAdd", "ItemGroupLineAdd", "ApplyCheckToTxnAdd")
        fields = self.resolve_refs({k: v for k, v in data.items() if k not in lines}, "Check")
        self._refuse_line_groups(data.get("ItemGroupLineAdd"))
        fields.setdefault("TxnDate", self.today())
        fields.setdefault("IsToBePrinted", False)
        self._purchase_lines(fields, data, "Check line")
        return self.new_record("Check", fields)

    def bill_payment_check_add(self, data: dict[str, Any]) -> Record:
        entries = data["AppliedToTxnAdd"]
        if any(e.get("SetCredit") or e.get("DiscountAmount") for e in entries):
            raise NotModeledError("BillPaymentCheckAddRq with SetCredit or DiscountAmount")
        header = {k: v for k, v in data.items() if k != "AppliedToTxnAdd"}
        fields = self.resolve_refs(header, "BillPaymentCheck")
        fields.setdefault("TxnDate", self.today())
        fields.setdefault("APAccountRef", self._special_account("AccountsPayable"))
        applications: list[Application] = []
        for entry in entries:
            bill = self.records["Bill"].get(str(entry["TxnID"]))
            if bill is None:
                raise ObjectNotFound(str(entry["TxnID"]))
            if bill.fields.get("VendorRef") != fields["PayeeEntityRef"]:
                raise InvalidFieldValue(
                    "TxnID", bill.id, "The transaction does not belong to the payment's payee."
                )
            taken = sum((a.amount for a in applications if a.txn_id == bill.id), ZERO)
            open_amount = self.bill_open_amount(bill) - taken
            amount = (
                money(self.amount(entry["PaymentAmount"]))
                if "PaymentAmount" in entry
                else open_amount
            )
            if amount < 0 or amount > open_amount:
                reason = (
                    "The amount cannot be negative."
                    if amount < 0
                    else "You cannot pay more than the amount due."
                )
                raise InvalidFieldValue(
                    "AppliedToTxnAdd payment amount", format_value("Amount", amount), reason
                )
            applications.append(Application(bill.id, amount))
        fields["AppliedToTxn"] = applications
        payment = self.new_record("BillPaymentCheck", fields)
        for bill_id in dict.fromkeys(a.txn_id for a in applications):
            self.touch(self.records["Bill"][bill_id])
        return payment

    def bill_payment_amount(self, payment: Record) -> Decimal:
        return money(sum((a.amount for a in payment.fields.get("AppliedToTxn", [])), ZERO))

    def account_balance(self, account: Record) -> Decimal:
        """Less the checks and bill payments written from the account."""
        ref = Ref("Account", account.id)
        paid = sum(
            (
                self.lines_total(c)
                for c in self.records["Check"].values()
                if c.fields.get("AccountRef") == ref
            ),
            ZERO,
        )
        paid += sum(
            (
                self.bill_payment_amount(p)
                for p in self.records["BillPaymentCheck"].values()
                if p.fields.get("BankAccountRef") == ref
            ),
            ZERO,
        )
        return money(super().account_balance(account) - paid)
