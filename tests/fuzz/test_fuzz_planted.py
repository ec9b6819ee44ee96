"""The fuzzer finds known bugs: for each bug planted in the reference connector
(tests/variants/planted_bugs.py) a fixed-seed run within a bounded budget finds a violation
and writes a scenario of at most ten steps that, run by the runner, fails for the broken
connector and passes for the reference connector."""

from __future__ import annotations

import pytest

from harness.fuzz import FuzzConfig, FuzzReport, fuzz
from harness.fuzz.findings import _disagrees, expectation_for, replay
from harness.fuzz.machine import DIRECTIONS
from harness.fuzz.model import visibly_failed
from harness.runner.run import RunOptions, run_scenario
from harness.scenario import default_registry, load_scenario
from harness.world import WorldOptions
from tests.variants.planted_bugs import PLANTED, PLANTED_LEDGERS

#: bug -> (seed, examples, rules per example): the budget within which the seeded run
#: finds it. hypothesis draws examples differently for another budget, so the three
#: numbers go together; the run stops at the first violation (docs/fuzzing.md has when
#: each is found, and how other seeds fared).
BUDGETS = {
    "blind-resend": (5, 30, 20),
    "lost-update": (16, 150, 20),
    "sessions-by-company-path": (0, 60, 15),
    "company-state-shared": (0, 60, 15),
}
#: The rules the budgets were found with (those of 2026-12-04). A run narrowed to them draws
#: the same examples for a seed whatever rules are added later (``rules.select``), so new
#: rules do not move the pins; a new pin with more rules means finding its budget again.
PINNED_RULES = frozenset(
    {
        "app_create_invoice",
        "app_edit_invoice",
        "app_delete_invoice",
        "app_record_payment",
        "app_edit_payment",
        "app_void_payment",
        "app_fail_payment",
        "app_delete_payment",
        "app_edit_customer",
        "app_5xx",
        "qbd_receive_payment",
        "qbd_edit_payment",
        "qbd_edit_customer",
        "qbd_void_payment",
        "qbd_delete_payment",
        "connector_restart",
        "clock_advance",
        "clock_jump",
        "drop_after_apply",
        "drop_after_write",
        "drop_before_send",
        "drop_receive_answer",
        "quickbooks_busy",
        "quickbooks_not_running",
        "qbxml_parse_error",
        "clock_jump_in_session",
        "qbd_status_fault",
    }
)
#: Bugs planted in the ledger areas' sync -> (seed, examples, rules per example), found by a
#: run narrowed to that area's rules, named so that a rule added to the area later does not
#: move the pin (docs/fuzzing.md, "Planted bugs").
LEDGER_BUDGETS = {"stock-write-forgotten": (1, 20, 10)}
PINNED_STOCK_RULES = frozenset(
    {"app_adjust_stock", "app_transfer_stock", "qbd_adjust_quantity", "qbd_transfer_inventory"}
)
#: Bugs no budget finds any more since the rules changed (docs/fuzzing.md, "Planted bugs");
#: empty while every planted bug has a budget that finds it.
NOT_FOUND_AGAIN: dict[str, str] = {}


def _pinned(bug: str) -> object:
    reason = NOT_FOUND_AGAIN.get(bug)
    return pytest.param(bug, marks=pytest.mark.skip(reason=reason)) if reason else bug


@pytest.mark.slow
@pytest.mark.parametrize("bug", [_pinned(bug) for bug in sorted(PLANTED)])
def test_the_fuzzer_finds_the_planted_bug_and_writes_a_short_scenario(bug, tmp_path):
    seed, examples, steps = BUDGETS[bug]
    variant = PLANTED[bug]()
    config = FuzzConfig(
        examples=examples,
        steps=steps,
        seed=seed,
        out=tmp_path,
        make_connector=variant,
        label=bug,
        only=PINNED_RULES,
    )
    _found_and_written(bug, fuzz(config), variant)


@pytest.mark.slow
@pytest.mark.parametrize("bug", sorted(PLANTED_LEDGERS))
def test_the_fuzzer_finds_the_planted_ledger_bug_and_writes_a_short_scenario(bug, tmp_path):
    seed, examples, steps = LEDGER_BUDGETS[bug]
    variant = PLANTED_LEDGERS[bug]()
    config = FuzzConfig(
        examples=examples,
        steps=steps,
        seed=seed,
        out=tmp_path,
        make_connector=variant,
        label=bug,
        only=PINNED_STOCK_RULES,
    )
    _found_and_written(bug, fuzz(config), variant)


def _found_and_written(bug: str, report: FuzzReport, variant: object) -> None:
    """The run found the bug and wrote a scenario of at most ten steps that fails for the
    variant and passes for the reference connector."""
    assert report.written is not None, f"{bug} not found in {report.summary()}"
    assert report.written.reproduced
    assert report.written.steps <= 10

    loaded = load_scenario(report.written.path, default_registry())
    assert len(loaded.steps) == report.written.steps
    broken = run_scenario(loaded, RunOptions(WorldOptions(make_connector=variant)))
    assert broken.status == "failed", broken.failure
    reference = run_scenario(loaded, RunOptions(WorldOptions()))
    assert reference.status == "passed", reference.failure


def test_the_model_tells_the_lost_update_from_the_reference_connector():
    """The four steps the customer rules can draw for a lost update (a QuickBooks edit and
    an app edit of one customer between two syncs: the CustomerMod is refused for its stale
    EditSequence): the model's expectation holds for the reference connector and fails for
    the variant, in both worlds."""
    steps = [
        "sync",
        {"qbd.edit_customer": {"name": "Acme Plumbing", "phone": "555-0101"}},
        {"app.edit_customer": {"name": "Acme Plumbing", "email": "billing1@example.com"}},
        "sync",
    ]
    invariant = "sides disagree after a quiet sync"
    for directions in DIRECTIONS:
        for variant, disagrees in ((None, False), (PLANTED["lost-update"](), True)):
            world = replay(steps, variant, "sync", directions)
            assert world is not None
            held, _ = visibly_failed(world.app.snapshot())
            expect = expectation_for(invariant, steps, held, directions)
            assert _disagrees(world, expect) is disagrees, (directions, variant)


_LINE = {"item": "Services", "description": "Service call", "quantity": 1}


def _invoice_steps(first: dict, second: dict) -> list:
    create = {
        "app.create_invoice": {
            "customer": "Acme Plumbing",
            "number": "1001",
            "lines": [{"description": "Service call", "quantity": 1, "rate": "100.00"}],
        }
    }
    return [create, "sync", first, second, "sync"]


_QBD_EDIT = {"qbd.edit_invoice": {"ref_number": "1001", "lines": [{**_LINE, "rate": "90.00"}]}}
_APP_EDIT = {
    "app.edit_invoice": {
        "number": "1001",
        "lines": [{"description": "Service call", "quantity": 1, "rate": "150.00"}],
    }
}


@pytest.mark.parametrize(
    ("first", "second", "lost_update_seen"),
    [(_QBD_EDIT, _APP_EDIT, True), (_APP_EDIT, _QBD_EDIT, False)],
    ids=["quickbooks-then-app", "app-then-quickbooks"],
)
def test_the_model_judges_an_invoice_both_sides_edited_only_where_it_is_certain(
    first, second, lost_update_seen
):
    """QuickBooks then the app between two syncs: the app (the master) wins, and the lost
    update (the InvoiceMod refused for its stale EditSequence, taken as done) is told apart.
    The app then QuickBooks: who wins depends on whether a sync took the app's edit across
    first, so the model leaves the total out and the reference connector is never blamed."""
    steps = _invoice_steps(first, second)
    invariant = "sides disagree after a quiet sync"
    for variant, disagrees in ((None, False), (PLANTED["lost-update"](), lost_update_seen)):
        world = replay(steps, variant, "sync", "two-way")
        assert world is not None
        held, _ = visibly_failed(world.app.snapshot())
        expect = expectation_for(invariant, steps, held, "two-way")
        assert _disagrees(world, expect) is disagrees, variant


def test_the_model_expects_a_customer_deleted_in_the_app_gone_from_the_app_only():
    """Deleted in the app before and after the first sync took it to QuickBooks: the
    reference connector meets the model's expectation in both worlds."""
    delete = {"app.delete_customer": {"name": "Acme Plumbing"}}
    for steps in ([delete, "sync"], ["sync", delete, "sync"]):
        for directions in DIRECTIONS:
            world = replay(steps, None, "sync", directions)
            assert world is not None
            held, _ = visibly_failed(world.app.snapshot())
            expect = expectation_for("sides disagree after a quiet sync", steps, held, directions)
            assert not _disagrees(world, expect), (steps, directions)
            names = [c["Name"] for c in world.qbd.snapshot().get("Customer", [])]
            assert ("Acme Plumbing" in names) is (steps[0] == "sync"), (steps, directions)
