"""Credit memos, deposits, and the balances they change: a customer's Balance and
TotalBalance (open invoices less unused payments and credits) and what an account has
received (checks.account_balance takes the checks written from it off)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from harness.fake_qbd import transactions
from harness.fake_qbd.errors import InvalidFieldValue, ObjectNotFound
from harness.fake_qbd.models import Record, Ref, TxnLine
from harness.fake_qbd.store import CompanyStore
from harness.fake_qbd.values import money

ZERO = Decimal(0)


# --- CreditMemo --------------------------------------------------------------------------


def credit_memo_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    header = {
        k: v for k, v in data.items() if k not in ("CreditMemoLineAdd", "CreditMemoLineGroupAdd")
    }
    fields = store.resolve_refs(header, "CreditMemo")
    transactions.refuse_line_groups(store, data.get("CreditMemoLineGroupAdd"))
    fields.setdefault("TxnDate", store.today())
    fields.setdefault("ARAccountRef", transactions.special_account(store, "AccountsReceivable"))
    fields["CreditMemoLine"] = [
        transactions.invoice_line(store, line, None) for line in data.get("CreditMemoLineAdd", [])
    ]
    transactions.default_tax(store, fields)
    return store.new_record("CreditMemo", fields)


def credit_remaining(store: CompanyStore, memo: Record) -> Decimal:
    """CreditMemoRet CreditRemaining: the total less what payments applied of it
    (ReceivePaymentAdd SetCredit)."""
    total = transactions.credit_memo_total(store, memo)
    return money(total - transactions.credit_applied(store, memo.id))


def customer_balance(store: CompanyStore, customer: Record) -> Decimal:
    """What this customer alone owes (CustomerRet Balance): open invoices less unused
    payments and the credit left on its credit memos."""
    credits = sum(
        (
            credit_remaining(store, m)
            for m in transactions.of_customer(store, "CreditMemo", customer)
        ),
        ZERO,
    )
    return money(transactions.invoices_less_payments(store, customer) - credits)


def customer_total_balance(store: CompanyStore, customer: Record) -> Decimal:
    """Balance including every sub-customer, at any depth (CustomerRet TotalBalance)."""
    total = customer_balance(store, customer)
    for child in store.children_of(customer):
        total += customer_total_balance(store, child)
    return money(total)


# --- Deposit -----------------------------------------------------------------------------


def deposit_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    """Lines with PaymentTxnID move received payments out of Undeposited Funds (QBD-13)."""
    header = {k: v for k, v in data.items() if k != "DepositLineAdd"}
    fields = store.resolve_refs(header, "Deposit")
    fields.setdefault("TxnDate", store.today())
    undeposited = transactions.special_account(store, "UndepositedFunds")
    lines: list[TxnLine] = []
    taken: set[str] = set()
    for line_data in data.get("DepositLineAdd", []):
        payment_id = line_data.get("PaymentTxnID")
        if payment_id:
            payment = store.records["ReceivePayment"].get(str(payment_id))
            if payment is None:
                raise ObjectNotFound(str(payment_id))
            if (
                payment.fields.get("DepositToAccountRef") != undeposited
                or deposit_of(store, payment.id) is not None
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
                "Amount": store.amount(payment.fields.get("TotalAmount")),
            }
            if isinstance(payment.fields.get("PaymentMethodRef"), Ref):
                line_fields["PaymentMethodRef"] = payment.fields["PaymentMethodRef"]
            if line_data.get("OverrideMemo"):
                line_fields["Memo"] = line_data["OverrideMemo"]
        else:
            line_fields = store.resolve_refs(
                {k: v for k, v in line_data.items() if k != "PaymentTxnLineID"}, "Deposit line"
            )
            if not isinstance(line_fields.get("AccountRef"), Ref):
                raise InvalidFieldValue(
                    "AccountRef", "", "A deposit line needs a payment or an account."
                )
            line_fields["Amount"] = money(store.amount(line_fields.get("Amount", 0)))
        lines.append(TxnLine(store.ids.txn_line_id(), line_fields))
    fields["DepositLine"] = lines
    return store.new_record("Deposit", fields)


def deposit_of(store: CompanyStore, payment_id: str) -> Record | None:
    for deposit in store.records["Deposit"].values():
        if deposit.fields.get("_voided"):
            continue
        if any(line.fields.get("TxnID") == payment_id for line in store.lines_of(deposit)):
            return deposit
    return None


def deposit_total(store: CompanyStore, deposit: Record) -> Decimal:
    if deposit.fields.get("_voided"):
        return ZERO
    return money(sum((line.amount for line in store.lines_of(deposit)), ZERO))


def received_balance(store: CompanyStore, account: Record) -> Decimal:
    """An account's balance before checks and bill payments (checks.account_balance). A/R:
    what customers owe. Other accounts: payments and deposits put in them, less what
    deposits took out (Undeposited Funds empties as payments are deposited)."""
    if account.fields.get("SpecialAccountType") == "AccountsReceivable":
        return money(
            sum(
                (customer_balance(store, c) for c in store.records["Customer"].values()),
                ZERO,
            )
        )
    ref = Ref("Account", account.id)
    balance = sum(
        (
            store.amount(p.fields.get("TotalAmount"))
            for p in store.records["ReceivePayment"].values()
            if p.fields.get("DepositToAccountRef") == ref
        ),
        ZERO,
    )
    balance += sum(
        (
            transactions.invoice_total(store, r)
            for r in store.records["SalesReceipt"].values()
            if r.fields.get("DepositToAccountRef") == ref
        ),
        ZERO,
    )
    for deposit in store.records["Deposit"].values():
        if deposit.fields.get("DepositToAccountRef") == ref:
            balance += deposit_total(store, deposit)
        if deposit.fields.get("_voided"):
            continue
        for line in store.lines_of(deposit):
            if line.fields.get("AccountRef") == ref:
                balance -= line.amount
    return money(balance)
