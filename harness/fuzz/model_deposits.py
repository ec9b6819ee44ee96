"""Deposits: with a deposit bank account configured (the app's ``deposit_account``), every
synced app payment is moved from Undeposited Funds to the bank with a deposit of its own
(PAY-15, QBD-13; connector/sync/deposits.py); payments received in QuickBooks stay in
Undeposited Funds (QBD-13: "payments go to Undeposited Funds unless a deposit account is
given").

After a quiet sync with nothing held (and while no deposit may be in doubt: the model gap
of ``model_doubt``): one deposit per live app payment, the bank holding
their total and Undeposited Funds the total of the live QuickBooks payments (a payment
voided in QuickBooks counts 0, PAY-06); a payment voided, failed or deleted in the app is
gone with its deposit (PAY-16). At any time: no payment deposited twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from harness.fuzz.model_doubt import Doubt
from harness.fuzz.worlds import BANK

UNDEPOSITED_FUNDS = "Undeposited Funds"
#: App payment steps after which a session may deposit, or take a deposit out.
PAYMENT_STEPS = (
    "app.record_payment",
    "app.edit_payment",
    "app.void_payment",
    "app.fail_payment",
    "app.delete_payment",
)


def observe(doubt: Doubt, key: str, args: Any) -> None:
    """Follow one raw step that was carried out."""
    doubt.observe(key, args)
    if key in PAYMENT_STEPS:
        doubt.waiting = True


def deposit_duplicates(qbd: dict[str, Any]) -> list[str]:
    """Payments (by TxnID) that more than one deposit line moves to the bank."""
    lines = Counter(
        str(line["TxnID"])
        for deposit in qbd.get("Deposit", [])
        for line in deposit.get("DepositLine", [])
        if line.get("TxnType") == "ReceivePayment" and line.get("TxnID")
    )
    return sorted(f"deposit of payment {txn}" for txn, count in lines.items() if count > 1)


def expectation(deposited: Iterable[Decimal], undeposited: Iterable[Decimal]) -> dict[str, Any]:
    """The deposits part of the ``expect`` block: ``deposited``, the amounts of the live
    app payments; ``undeposited``, those of the QuickBooks payments."""
    amounts = list(deposited)
    bank = sum(amounts, Decimal(0))
    waiting = sum(undeposited, Decimal(0))
    return {
        "qbd_counts": {"Deposit": len(amounts)},
        "qbd": {
            "Account": {
                BANK: {"Balance": f"{bank:.2f}"},
                UNDEPOSITED_FUNDS: {"Balance": f"{waiting:.2f}"},
            }
        },
    }
