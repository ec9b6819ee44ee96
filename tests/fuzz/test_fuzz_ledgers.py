"""The ledger areas (stock, credits, deposits): their worlds leave the other runs' worlds
alone, and each expectation of the model holds for the reference connector after a
sequence of steps and fails when the model is wrong about one of them (the model is told
one step less than the world saw)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.fuzz.findings import _disagrees, expectation_for, replay
from harness.fuzz.machine import (
    CONFIG,
    GIVEN,
    FuzzSession,
    WholeLoop,
    config_for,
    given_for,
    machine_for,
    model_for,
    worlds_drawn,
)
from harness.fuzz.model import visibly_failed
from harness.fuzz.model_credits import credit_memo_duplicates
from harness.fuzz.model_deposits import deposit_duplicates
from harness.fuzz.rules import RawStep, select
from harness.fuzz.worlds import LEDGER_AREAS, ledger_worlds

SIDES = "sides disagree after a quiet sync"
ADJUST_VAN_1: RawStep = {
    "app.adjust_stock": {"product": "Air Filter", "location": "Van 1", "quantity_difference": 5}
}
APP_TRANSFER: RawStep = {
    "app.transfer_stock": {
        "product": "Air Filter",
        "from_location": "Main Warehouse",
        "to_location": "Van 1",
        "quantity": 2,
    }
}


def _qbd_adjust(site: str | None, difference: int) -> dict[str, Any]:
    adjust: dict[str, Any] = {"item": "Air Filter", "quantity_difference": difference}
    if site is not None:
        adjust["site"] = site
    return {"qbd.adjust_quantity": adjust}


def _qbd_transfer(source: str, target: str, quantity: int) -> dict[str, Any]:
    line = {"item": "Air Filter", "quantity": quantity}
    return {"qbd.transfer_inventory": {"from_site": source, "to_site": target, "lines": [line]}}


def _payment(reference: str, amount: str, customer: str = "Bay Electric") -> dict[str, Any]:
    payment = {"amount": amount, "mode": "Cash", "customer": customer, "reference": reference}
    return {"app.record_payment": payment}


def _credit(customer: str, amount: str) -> dict[str, Any]:
    return {"app.give_store_credit": {"customer": customer, "amount": amount}}


SEQUENCES: dict[str, tuple[str, list[RawStep]]] = {
    "stock with sites": (
        "two-way+sites",
        [
            "sync",
            ADJUST_VAN_1,
            APP_TRANSFER,
            _qbd_adjust("van 2", 3),  # held: no app location "van 2" (INV-13)
            _qbd_adjust("Van 1", -1),
            _qbd_transfer("Van 1", "Main Warehouse", 1),
            _qbd_transfer("Main Warehouse", "van 2", 2),
            "sync",
        ],
    ),
    "held stock gone": (
        "two-way+sites",
        ["sync", _qbd_adjust("van 2", 3), "sync", _qbd_adjust("van 2", -3), "sync"],
    ),
    "stock at one site": (
        "app-led+one-site",
        ["sync", ADJUST_VAN_1, APP_TRANSFER, _qbd_adjust(None, 3), _qbd_adjust(None, -2), "sync"],
    ),
    "credits": (
        "two-way+sites",
        [
            _credit("Acme Plumbing", "15.00"),
            "sync",
            _credit("Acme Plumbing", "40.00"),
            _credit("Bay Electric", "7.50"),
            "sync",
        ],
    ),
    "deposits": (
        "two-way+one-site",
        [
            _payment("A1", "30.00"),
            "sync",
            _payment("A2", "55.00", "Acme Plumbing"),
            {"app.void_payment": {"payment": "A1"}},
            "sync",
        ],
    ),
}


@pytest.mark.parametrize("name", SEQUENCES)
def test_the_ledger_expectations_hold_for_the_reference_connector(name):
    world_name, steps = SEQUENCES[name]
    world = replay(steps, None, "sync", world_name)
    assert world is not None
    held, silent = visibly_failed(world.app.snapshot())
    assert silent == []
    expect = expectation_for(SIDES, steps, held, world_name)
    assert not _disagrees(world, expect), expect


@pytest.mark.parametrize(
    ("name", "left_out"),
    [
        ("stock with sites", 1),
        ("stock with sites", 2),
        ("stock with sites", 3),
        ("stock with sites", 4),
        ("stock with sites", 5),
        ("stock with sites", 6),
        ("held stock gone", 3),  # the product still expected Failed for 'van 2'
        ("stock at one site", 1),
        ("stock at one site", 2),
        ("stock at one site", 3),
        ("credits", 2),
        ("credits", 3),
        ("deposits", 2),
        ("deposits", 3),
    ],
)
def test_a_model_wrong_about_one_step_disagrees_with_the_reference_connector(name, left_out):
    """Each expectation bites: told one step less than the world saw, the model's
    ``expect`` block fails against the same world."""
    world_name, steps = SEQUENCES[name]
    world = replay(steps, None, "sync", world_name)
    assert world is not None
    held, _ = visibly_failed(world.app.snapshot())
    told = steps[:left_out] + steps[left_out + 1 :]
    assert _disagrees(world, expectation_for(SIDES, told, held, world_name))


def test_the_stock_model_says_what_each_location_and_site_holds():
    model = model_for("two-way+sites")
    for raw in SEQUENCES["stock with sites"][1]:
        model.observe(raw)
    expect = model.expectation()
    # Main Warehouse: 10 - 2 + 1 - 2; Van 1: 5 + 2 - 1 - 1; van 2 (held): 3 + 2.
    sums = expect["app_sums"]
    assert sums["movements[product_id=prd_0001][location_id=loc_0001].quantity"] == "7"
    assert sums["movements[product_id=prd_0001][location_id=loc_0002].quantity"] == "5"
    assert expect["qbd"]["ItemSites"]["Air Filter @ van 2"] == {"QuantityOnHand": "5"}
    assert expect["qbd"]["ItemInventory"]["Air Filter"] == {"QuantityOnHand": "17"}
    product = expect["app"]["products"]["Air Filter"]
    assert product == {
        "quantity": "12",
        "sync": {"status": "failed", "error": {"contains": "'van 2'"}},
    }


def test_stock_is_not_checked_once_a_write_may_be_in_doubt():
    """After a fault, or two computers of one user at once while a stock change waited,
    a stock write may be in doubt, which the app does not show: a model gap."""
    same_user = {"concurrent_sync": {"web_connectors": ["default", "office-2"], "order": [0]}}
    for steps, checked in (
        (["sync", same_user, ADJUST_VAN_1, "sync"], True),  # nothing waited: nothing in doubt
        (["sync", ADJUST_VAN_1, same_user, "sync"], False),
        (["sync", {"fault": {"name": "quickbooks_busy"}}, "sync"], False),
    ):
        model = model_for("two-way+sites")
        for raw in steps:
            model.observe(raw)
        assert ("app_sums" in model.expectation()) is checked, steps


def test_a_held_store_credit_is_expected_failed_and_absent_from_quickbooks():
    model = model_for("two-way+sites")
    model.observe(_credit("Acme Plumbing", "15.00"))
    model.observe(_credit("Acme Plumbing", "40.00"))
    expect = model.expectation({"store_credits": {"sc_0002"}})
    assert expect["app"]["store_credits"]["sc_0002"] == {"sync": {"status": "failed"}}
    assert expect["qbd_counts"]["CreditMemo[Memo=App store credit sc_0002]"] == 0
    assert expect["qbd_sums"]["CreditMemo[Memo=App store credit sc_0001].TotalAmount"] == "15.00"
    # Neither that customer's total nor the count of all credit memos: one may be missing.
    assert "CreditMemo[CustomerRef.FullName=Acme Plumbing].TotalAmount" not in expect["qbd_sums"]
    assert "CreditMemo" not in expect["qbd_counts"]
    in_doubt = model.expectation(
        {"store_credits": {"sc_0002"}, "in_doubt": {"store_credits/sc_0002"}}
    )
    assert "CreditMemo[Memo=App store credit sc_0002]" not in in_doubt["qbd_counts"]


def test_a_credit_memo_or_deposit_twice_is_a_duplicate():
    memo = {"Memo": "App store credit sc_0001"}
    assert credit_memo_duplicates({"CreditMemo": [memo, {"Memo": "typed by a person"}]}) == []
    assert credit_memo_duplicates({"CreditMemo": [memo, dict(memo)]}) == [memo["Memo"]]
    line = {"TxnType": "ReceivePayment", "TxnID": "8-1"}
    deposit = {"DepositLine": [line]}
    assert deposit_duplicates({"Deposit": [deposit]}) == []
    assert deposit_duplicates({"Deposit": [deposit, {"DepositLine": [dict(line)]}]}) == [
        "deposit of payment 8-1"
    ]


def test_the_other_runs_keep_their_worlds():
    """The pinned runs draw the same worlds as before: the ledger worlds only add."""
    assert given_for("two-way") == GIVEN
    assert config_for("app-led") == {
        **CONFIG,
        "customer_direction": "to_qbd",
        "invoice_direction": "to_qbd",
    }
    assert config_for("app-led+sites")["inventory"]["product_master"] == "app"
    assert given_for("two-way+sites")["app"][: len(GIVEN["app"])] == GIVEN["app"]


@pytest.mark.parametrize(
    ("only", "worlds"),
    [
        ({"payments"}, None),  # drawn as before: WholeLoop's own draw
        (LEDGER_AREAS, ledger_worlds(["two-way", "app-led"])),
        ((), ["two-way", "app-led", *ledger_worlds(["two-way", "app-led"])]),
    ],
)
def test_a_run_with_a_ledger_rule_draws_ledger_worlds(only, worlds):
    rules = select(only)
    assert worlds_drawn(rules) == worlds
    machine = machine_for(FuzzSession(), rules)
    assert (machine.start_world is WholeLoop.start_world) is (worlds is None)


def test_deposits_are_not_checked_once_one_may_be_in_doubt():
    """A deposit held in doubt shows on no app record (the payment itself is synced): after a
    fault, or the same user's two computers at once while a payment waited, a model gap."""
    same_user = {"concurrent_sync": {"web_connectors": ["default", "office-2"], "order": [0]}}
    for steps, checked in (
        ([_payment("A1", "30.00"), "sync", same_user, "sync"], True),
        ([_payment("A1", "30.00"), same_user, "sync"], False),
        ([_payment("A1", "30.00"), {"fault": {"name": "quickbooks_busy"}}, "sync"], False),
    ):
        model = model_for("two-way+one-site")
        for raw in steps:
            model.observe(raw)
        assert ("Deposit" in model.expectation().get("qbd_counts", {})) is checked, steps
