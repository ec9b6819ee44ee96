"""The credits ledger: store credits given in the app, and the credit memos QuickBooks must
hold for them (IVC-10, PAY-18: "store credit in the app syncs as a QBD credit memo").

Each store credit is unapplied (the rules give none with applications: a credit applied
to an app invoice lowers the app's balance, while the connector's CreditMemoAdd applies
nothing in QuickBooks, and no document says where it must be applied there). After a quiet
sync each one is a credit memo exactly once, marked with the connector's Memo ("App store
credit <id>"), for its amount; a customer's credit memos add up to its store credits; a
store credit held as failed is not in QuickBooks (unless its Add is in doubt).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: The Memo the connector marks its credit memos with (connector/sync/credit_memos.py).
MARKER = "App store credit {id}"
COLLECTION = "store_credits"


@dataclass
class StoreCredit:
    id: str
    customer: str
    amount: Decimal


def credit_memo_duplicates(qbd: dict[str, Any]) -> list[str]:
    """Store credits with more than one credit memo in QuickBooks (by the Memo marker)."""
    memos = [str(r.get("Memo")) for r in qbd.get("CreditMemo", []) if r.get("Memo")]
    marked = [memo for memo in memos if memo.startswith(MARKER.format(id=""))]
    return sorted({memo for memo in marked if marked.count(memo) > 1})


def learn(credits: list[StoreCredit], args: dict[str, Any]) -> None:
    """``app.give_store_credit`` was carried out: the app numbers its credits in order."""
    credit_id = f"sc_{len(credits) + 1:04d}"
    credits.append(StoreCredit(credit_id, str(args["customer"]), Decimal(str(args["amount"]))))


def expectation(credits: list[StoreCredit], held: set[str], doubt: set[str]) -> dict[str, Any]:
    """The credits part of the ``expect`` block; ``held``: the IDs of store credits held as
    failed, ``doubt``: those of them whose Add is in doubt (they may be in QuickBooks)."""
    if not credits:
        return {}
    app: dict[str, Any] = {}
    qbd_counts: dict[str, int] = {}
    qbd_sums: dict[str, str] = {}
    held_customers = {credit.customer for credit in credits if credit.id in held}
    by_customer: dict[str, Decimal] = {}
    for credit in credits:
        memo = f"CreditMemo[Memo={MARKER.format(id=credit.id)}]"
        if credit.id in held:
            app[credit.id] = {"sync": {"status": "failed"}}
            if credit.id not in doubt:
                qbd_counts[memo] = 0
            continue
        app[credit.id] = {"amount": f"{credit.amount:.2f}", "sync": {"status": "synced"}}
        qbd_counts[memo] = 1
        qbd_sums[f"{memo}.TotalAmount"] = f"{credit.amount:.2f}"
        if credit.customer not in held_customers:
            by_customer[credit.customer] = by_customer.get(credit.customer, Decimal(0))
            by_customer[credit.customer] += credit.amount
    for customer, total in by_customer.items():
        qbd_sums[f"CreditMemo[CustomerRef.FullName={customer}].TotalAmount"] = f"{total:.2f}"
    if not held:
        qbd_counts["CreditMemo"] = len(credits)
    return {"app": {COLLECTION: app}, "qbd_counts": qbd_counts, "qbd_sums": qbd_sums}
