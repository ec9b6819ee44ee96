"""Where synced app payments land in QuickBooks, and their deposits to the bank.

Payments account (BEHAVIORS.md PAY-14; TaxDome seed 003, Alternative Payments seed 004):
received payments go to Undeposited Funds unless an account is configured (the app's
``payments_account`` setting, else the connector's). QuickBooks puts a received payment in
a Bank or Other Current Asset account (Undeposited Funds is one); TaxDome lets a user pick
only those two types, so any other type is refused before anything is written: the
connector reads the account first (AccountQueryRq) and fails this session's payment pushes
with the reason.

Deposits (PAY-15, QBD-13; seed 004: "an account to record deposits"): with a deposit bank
account configured (the app's ``deposit_account`` setting, else the connector's), each
synced app payment waiting in Undeposited Funds is moved to that account with a DepositAdd
whose line names the payment (PaymentTxnID). One deposit per payment, a choice: the seed
does not say how Alternative Payments batches them, and one-to-one keeps every deposit
tied to exactly one payment, so a lost answer is probed by looking for a deposit line that
names the payment (a payment is deposited at most once and never before its own date).
"""

from __future__ import annotations

import logging
from typing import Any

from lxml import etree
from lxml.builder import E

from connector.app_client import AppApiError
from connector.qbxml import requests as rq
from connector.qbxml.responses import ResponseStatus, text_of
from connector.settings import ConnectorSettings
from connector.sync.engine import AlreadyInQuickBooks, SkipItem
from connector.sync.handlers import Request, State, SyncSession, WorkItem, handler
from connector.sync.plan import PlanContext

log = logging.getLogger("connector.sync.deposits")

UNDEPOSITED_FUNDS = "Undeposited Funds"
#: The account types a received payment may be deposited to (seed 003; QBWC-FACTS.md).
PAYMENT_ACCOUNT_TYPES = ("Bank", "OtherCurrentAsset")
#: DepositAdd needs a bank account to put the money in.
DEPOSIT_ACCOUNT_TYPES = ("Bank",)


def payments_account(settings: ConnectorSettings, app_settings: dict[str, Any]) -> str | None:
    """The configured account for received payments; None = Undeposited Funds."""
    chosen = app_settings.get("payments_account") or settings.payments_account
    return str(chosen) if chosen else None


def deposit_account(settings: ConnectorSettings, app_settings: dict[str, Any]) -> str | None:
    """The bank account that deposits of synced payments go to; None = no deposits."""
    chosen = app_settings.get("deposit_account") or settings.deposit_account
    return str(chosen) if chosen else None


def app_settings_of(source: PlanContext | SyncSession) -> dict[str, Any]:
    """The app's settings as the plan read them once for the session; {} when the app
    could not be reached (no deposit or payments account from the app then)."""
    try:
        return source.app_settings()
    except AppApiError:
        return {}


# -- qbXML ------------------------------------------------------------------------------------


def account_query_rq(request_id: str, *, full_name: str) -> etree._Element:
    return rq._rq("AccountQueryRq", request_id, rq._text("FullName", full_name))


def with_deposit_to(add_rq: etree._Element, account: str) -> etree._Element:
    """Put DepositToAccountRef into a ReceivePaymentAddRq where qbxml130 wants it: after
    Memo (and everything before it), before IsAutoApply / AppliedToTxnAdd."""
    add = add_rq.find("ReceivePaymentAdd")
    assert add is not None
    position = len(add)
    for index, child in enumerate(add):
        if child.tag in ("CreditCardTxnInfo", "ExternalGUID", "IsAutoApply", "AppliedToTxnAdd"):
            position = index
            break
    add.insert(position, rq._ref("DepositToAccountRef", full_name=account))
    return add_rq


def deposit_add_rq(
    request_id: str, *, bank_account: str, payment_txn_id: str, txn_date: str, memo: str
) -> etree._Element:
    """DepositAddRq: TxnDate, DepositToAccountRef, Memo, then DepositLineAdd(PaymentTxnID)."""
    add = E.DepositAdd()
    if txn_date:
        add.append(rq._text("TxnDate", txn_date))
    add.append(rq._ref("DepositToAccountRef", full_name=bank_account))
    add.append(rq._text("Memo", memo))
    add.append(E.DepositLineAdd(rq._text("PaymentTxnID", payment_txn_id)))
    return rq._rq("DepositAddRq", request_id, add)


def deposit_query_rq(request_id: str, *, from_txn_date: str) -> etree._Element:
    """Deposits dated on or after ``from_txn_date``, with their lines (TxnDateRangeFilter
    comes after MaxReturned and ModifiedDateRangeFilter, before IncludeLineItems)."""
    children: list[etree._Element] = []
    if from_txn_date:
        children.append(E.TxnDateRangeFilter(rq._text("FromTxnDate", from_txn_date)))
    children.append(rq._text("IncludeLineItems", "true"))
    return rq._rq("DepositQueryRq", request_id, *children)


# -- the payments account check (PAY-14) ---------------------------------------------------


def check_item(account: str) -> WorkItem:
    return {"kind": "payments_account_check", "name": account}


def _apply_check(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    account = item["name"]
    problem = ""
    if not rs.rets:
        problem = f"payments account {account!r} does not exist in QuickBooks"
        if not rs.ok and not rs.no_match and rs.status_code != 500:
            problem = f"payments account {account!r} could not be read: {rs.error_text()}"
    else:
        account_type = text_of(rs.rets[0], "AccountType")
        if account_type not in PAYMENT_ACCOUNT_TYPES:
            problem = (
                f"payments account {account!r} is of type {account_type}; payments can only "
                "be deposited to a Bank or Other Current Asset account (Undeposited Funds by "
                "default)"
            )
    if not problem:
        return
    # Refused before anything is written: every payment push of this session fails with
    # the reason (visible as Failed on each payment; "sync now" once the setting is fixed).
    sync.fail_queued(state, "payment_push", problem, request="ReceivePaymentAddRq (not sent)")


@handler("payments_account_check", apply=_apply_check)
def payments_account_check(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return account_query_rq(request_id, full_name=item["name"])


# -- deposits (PAY-15) ------------------------------------------------------------------------


def deposit_marker(app_id: str) -> str:
    return f"App deposit of payment {app_id}"


def plan_stage(ctx: PlanContext) -> list[WorkItem]:
    """Deposits of synced app payments still in Undeposited Funds, after this session's
    pushes (a payment pushed now is deposited in the same session)."""
    if not ctx.settings.sync_payments_to_qbd:
        return []
    app_settings = app_settings_of(ctx)
    if not deposit_account(ctx.settings, app_settings):
        return []
    account = payments_account(ctx.settings, app_settings)
    if account is not None and account.casefold() != UNDEPOSITED_FUNDS.casefold():
        # Payments go straight to another account: nothing waits to be deposited. (Names
        # are matched case-insensitively, as QuickBooks does: QBD-02.)
        return []
    pushing = ctx.queued("payment_push")
    items: list[WorkItem] = []
    for payment in ctx.app.list_app_payments():
        app_id = str(payment["id"])
        if payment.get("origin", "app") != "app" or payment.get("status", "active") != "active":
            continue
        if ctx.store.mapping_by_app_id(ctx.company, "deposit", app_id) is not None:
            continue
        mapped = ctx.store.mapping_by_app_id(ctx.company, "payment", app_id) is not None
        if mapped or app_id in pushing:
            items.append({"kind": "payment_deposit", "app_id": app_id})
    return items


def _apply_deposit(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    if item.get("probe"):
        found = [
            ret
            for ret in rs.rets
            if any(
                text_of(line, "TxnID") == item["payment_txn_id"]
                for line in ret.iter("DepositLineRet")
            )
        ]
        sync.apply_probe(state, item, rs, found)
    else:
        sync.apply_add(state, item, rs, id_tag="TxnID")


@handler("payment_deposit", apply=_apply_deposit, entity="deposit", add_request="DepositAddRq")
def payment_deposit(sync: SyncSession, item: WorkItem, request_id: str) -> Request:
    app_id = item["app_id"]
    if sync.mapping_of("deposit", app_id) is not None:
        raise AlreadyInQuickBooks("")  # deposited by an earlier item: nothing to do
    payment = sync.mapping_of("payment", app_id)
    if payment is None:
        raise SkipItem("the payment is not in QuickBooks; it is deposited once it is")
    bank = deposit_account(sync.settings, app_settings_of(sync))
    if not bank:
        raise SkipItem("no deposit account is configured any more")
    details = sync.app.get("payments", app_id)
    paid_on = str(details.get("date") or "")[:10]
    if sync.in_doubt(item):
        probe = deposit_query_rq(request_id, from_txn_date=paid_on)
        return Request(probe, {"probe": True, "payment_txn_id": payment.qb_id})
    add = deposit_add_rq(
        request_id,
        bank_account=bank,
        payment_txn_id=payment.qb_id,
        txn_date=sync.clock.now().date().isoformat(),
        memo=deposit_marker(app_id),
    )
    return Request(add, {"payment_txn_id": payment.qb_id})
