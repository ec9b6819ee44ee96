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

from harness.fake_qbd import banking, bills, transactions
from harness.fake_qbd.errors import InvalidFieldValue, ObjectNotFound
from harness.fake_qbd.models import Application, Record, Ref
from harness.fake_qbd.store import CompanyStore
from harness.fake_qbd.values import format_value, money

ZERO = Decimal(0)


def check_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    # ApplyCheckToTxnAdd is not modeled (wire.NOT_MODELED_MEMBERS).
    lines = ("ExpenseLineAdd", "ItemLineAdd", "ItemGroupLineAdd")
    fields = store.resolve_refs({k: v for k, v in data.items() if k not in lines}, "Check")
    transactions.refuse_line_groups(store, data.get("ItemGroupLineAdd"))
    fields.setdefault("TxnDate", store.today())
    fields.setdefault("IsToBePrinted", False)
    bills.purchase_lines(store, fields, data, "Check line")
    return store.new_record("Check", fields)


def bill_payment_check_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    # SetCredit and DiscountAmount are not modeled (wire.NOT_MODELED_WITHIN, _MEMBERS).
    entries = data["AppliedToTxnAdd"]
    header = {k: v for k, v in data.items() if k != "AppliedToTxnAdd"}
    fields = store.resolve_refs(header, "BillPaymentCheck")
    fields.setdefault("TxnDate", store.today())
    fields.setdefault("APAccountRef", transactions.special_account(store, "AccountsPayable"))
    applications: list[Application] = []
    for entry in entries:
        bill = store.records["Bill"].get(str(entry["TxnID"]))
        if bill is None:
            raise ObjectNotFound(str(entry["TxnID"]))
        if bill.fields.get("VendorRef") != fields["PayeeEntityRef"]:
            raise InvalidFieldValue(
                "TxnID", bill.id, "The transaction does not belong to the payment's payee."
            )
        taken = sum((a.amount for a in applications if a.txn_id == bill.id), ZERO)
        open_amount = bills.bill_open_amount(store, bill) - taken
        amount = (
            money(store.amount(entry["PaymentAmount"])) if "PaymentAmount" in entry else open_amount
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
    payment = store.new_record("BillPaymentCheck", fields)
    for bill_id in dict.fromkeys(a.txn_id for a in applications):
        store.touch(store.records["Bill"][bill_id])
    return payment


def bill_payment_amount(store: CompanyStore, payment: Record) -> Decimal:
    return money(sum((a.amount for a in payment.fields.get("AppliedToTxn", [])), ZERO))


def account_balance(store: CompanyStore, account: Record) -> Decimal:
    """An account's Balance (AccountRet): what it received (banking.received_balance) less
    the checks and bill payments written from it."""
    ref = Ref("Account", account.id)
    paid = sum(
        (
            bills.lines_total(store, c)
            for c in store.records["Check"].values()
            if c.fields.get("AccountRef") == ref
        ),
        ZERO,
    )
    paid += sum(
        (
            bill_payment_amount(store, p)
            for p in store.records["BillPaymentCheck"].values()
            if p.fields.get("BankAccountRef") == ref
        ),
        ZERO,
    )
    return money(banking.received_balance(store, account) - paid)
