"""Credit memos and deposits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from harness.fake_qbd.errors import InvalidFieldValue, ObjectNotFound
from harness.fake_qbd.inventory import InventoryOperations
from harness.fake_qbd.models import Record, Ref, TxnLine
from harness.fake_qbd.values import money

ZERO = Decimal(0)


class BankingOperations(InventoryOperations):
    # --- CreditMemo --------------------------------------------------------------------------

    def credit_memo_add(self, data: dict[str, Any]) -> Record:
        header = {
            k: v
            for k, v in data.items()
            if k not in ("CreditMemoLineAdd", "CreditMemoLineGroupAdd")
        }
        fields = self.resolve_refs(header, "CreditMemo")
        self._refuse_line_groups(data.get("CreditMemoLineGroupAdd"))
        fields.setdefault("TxnDate", self.today())
        fields.setdefault("ARAccountRef", self._special_account("AccountsReceivable"))
        fields["CreditMemoLine"] = [
            self._invoice_line(line, None) for line in data.get("CreditMemoLineAdd", [])
        ]
        self._default_tax(fields)
        return self.new_record("CreditMemo", fields)

    def credit_remaining(self, memo: Record) -> Decimal:
        # Credits are not applied to invoices by the fake yet (ReceivePayment SetCredit).
        return ZERO if memo.fields.get("_voided") else self.invoice_total(memo)

    def customer_balance(self, customer: Record) -> Decimal:
        credits = sum(
            (self.credit_remaining(m) for m in self.of_customer("CreditMemo", customer)), ZERO
        )
        return money(super().customer_balance(customer) - credits)

    # --- Deposit -----------------------------------------------------------------------------

    def deposit_add(self, data: dict[str, Any]) -> Record:
        """Lines with PaymentTxnID move received payments out of Undeposited Funds (QBD-13)."""
        header = {k: v for k, v in data.items() if k != "DepositLineAdd"}
        fields = self.resolve_refs(header, "Deposit")
        fields.setdefault("TxnDate", self.today())
        undeposited = self._special_account("UndepositedFunds")
        lines: list[TxnLine] = []
        taken: set[str] = set()
        for line_data in data.get("DepositLineAdd", []):
            payment_id = line_data.get("PaymentTxnID")
            if payment_id:
                payment = self.records["ReceivePayment"].get(str(payment_id))
                if payment is None:
                    raise ObjectNotFound(str(payment_id))
                if (
                    payment.fields.get("DepositToAccountRef") != undeposited
                    or self.deposit_of(payment.id) is not None
                    or payment.id in taken
                ):
                    raise InvalidFieldValue(
                        "PaymentTxnID",
                        payment.id,
                        "The payment is not waiting in Undeposited Funds.",
                    )
                taken.add(payment.id)
                line_fields: dict[str, Any] = {
                    "TxnType": "ReceivePayment",
                    "TxnID": payment.id,
                    "EntityRef": payment.fields["CustomerRef"],
                    "AccountRef": undeposited,
                    "Amount": self.amount(payment.fields.get("TotalAmount")),
                }
                if isinstance(payment.fields.get("PaymentMethodRef"), Ref):
                    line_fields["PaymentMethodRef"] = payment.fields["PaymentMethodRef"]
                if line_data.get("OverrideMemo"):
                    line_fields["Memo"] = line_data["OverrideMemo"]
            else:
                line_fields = self.resolve_refs(
                    {k: v for k, v in line_data.items() if k != "PaymentTxnLineID"}, "Deposit line"
                )
                if not isinstance(line_fields.get("AccountRef"), Ref):
                    raise InvalidFieldValue(
                        "AccountRef", "", "A deposit line needs a payment or an account."
                    )
                line_fields["Amount"] = money(self.amount(line_fields.get("Amount", 0)))
            lines.append(TxnLine(self.ids.txn_line_id(), line_fields))
        fields["DepositLine"] = lines
        return self.new_record("Deposit", fields)

    def deposit_of(self, payment_id: str) -> Record | None:
        for deposit in self.records["Deposit"].values():
            if deposit.fields.get("_voided"):
                continue
            if any(line.fields.get("TxnID") == payment_id for line in self.lines_of(deposit)):
                return deposit
        return None

    def deposit_total(self, deposit: Record) -> Decimal:
        if deposit.fields.get("_voided"):
            return ZERO
        return money(sum((line.amount for line in self.lines_of(deposit)), ZERO))

    def account_balance(self, account: Record) -> Decimal:
        """A/R: what customers owe. Other accounts: payments and deposits put in them, less
        what deposits took out (Undeposited Funds empties as payments are deposited)."""
        if account.fields.get("SpecialAccountType") == "AccountsReceivable":
            return money(
                sum((self.customer_balance(c) for c in self.records["Customer"].values()), ZERO)
            )
        ref = Ref("Account", account.id)
        balance = sum(
            (
                self.amount(p.fields.get("TotalAmount"))
                for p in self.records["ReceivePayment"].values()
                if p.fields.get("DepositToAccountRef") == ref
            ),
            ZERO,
        )
        balance += sum(
            (
                self.invoice_total(r)
                for r in self.records["SalesReceipt"].values()
                if r.fields.get("DepositToAccountRef") == ref
            ),
            ZERO,
        )
        for deposit in self.records["Deposit"].values():
            if deposit.fields.get("DepositToAccountRef") == ref:
                balance += self.deposit_total(deposit)
            if deposit.fields.get("_voided"):
                continue
            for line in self.lines_of(deposit):
                if line.fields.get("AccountRef") == ref:
                    balance -= line.amount
        return money(balance)
