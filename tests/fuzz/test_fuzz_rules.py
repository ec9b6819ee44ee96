"""The rule table speaks the scenario language, and the model says what both sides show."""

from __future__ import annotations

import itertools

import pytest

from harness.fuzz import AREAS, RULES, UnknownRules, select
from harness.fuzz.machine import model_for, parse
from harness.fuzz.model import Model, visibly_failed
from harness.fuzz.rules import (
    create_invoice,
    delete_customer,
    edit_customer_edited_in_qbd,
    edit_invoice,
    edit_qbd_customer,
    edit_qbd_customer_edited_in_app,
    edit_qbd_invoice,
    has_edited_in_app_in_qbd,
    has_edited_in_qbd,
    has_open_invoices,
    has_qbd_editable_invoices,
    receive_payment,
    record_payment,
)
from harness.fuzz.rules_ledgers import customer_payment


def _busy_model(world: str = "two-way") -> Model:
    """A model with something of everything, so every rule has something to act on (in a
    ledger world, with Advanced Inventory: a payment on account too)."""
    model = model_for(world)
    model.observe(create_invoice(model, 0, 1))
    model.observe(record_payment(model, 0, 0))
    model.in_qbd = set(model.invoices)
    model.observe(receive_payment(model, 0, 1))
    model.observe(create_invoice(model, 1, 2))  # 1002 for Bay Electric, no payment on it
    if model.deposits:
        model.observe(customer_payment(model, 0, 0))
    model.in_qbd = set(model.invoices)
    model.customers_in_qbd = {"Acme Plumbing", "Bay Electric"}
    model.customers["Acme Plumbing"].app_edit_waiting = True
    model.customers["Bay Electric"].qbd_edit_waiting = True
    return model


def _one_invoice_in_qbd() -> Model:
    model = Model()
    model.observe(create_invoice(model, 0, 0))  # 1001 for Acme Plumbing, 100.00
    model.in_qbd = {"1001"}
    return model


@pytest.mark.parametrize("spec", RULES, ids=lambda spec: spec.name)
def test_every_rule_writes_a_step_the_scenario_language_accepts(spec):
    model = _busy_model("two-way+sites")
    if spec.name == "app_delete_customer":
        # Only a customer no invoice names can be deleted in the app.
        model = Model()
        model.customers_in_qbd = {"Acme Plumbing"}
    assert spec.applies(model)
    made = [spec.make(model, a, b) for a, b in itertools.product(range(8), repeat=2)]
    # None: not possible with these numbers (a payment edited to the amount it has)
    assert any(raw is not None for raw in made)
    for index, raw in enumerate(made):
        if raw is not None:
            parse(raw, index)  # raises when the scenario language refuses it


def test_the_model_expects_balances_from_live_payments_on_both_sides():
    model = _busy_model()
    number = "1001"
    expect = model.expectation()
    assert expect["app"]["invoices"][number]["balance"] == "185.00"  # 250 - 25 - 40
    assert expect["qbd"]["Invoice"][number] == {"Subtotal": "250.00", "BalanceRemaining": "185.00"}
    assert expect["qbd_counts"]["ReceivePayment"] == 2
    assert expect["qbd_counts"]["Invoice"] == 2
    model.observe({"app.void_payment": {"payment": "A1"}})
    expect = model.expectation()
    assert expect["app"]["invoices"][number]["balance"] == "210.00"
    assert expect["qbd_counts"]["ReceivePayment[RefNumber=A1]"] == 0


def test_a_record_held_as_failed_is_expected_failed_and_absent_from_quickbooks():
    model = _busy_model()
    expect = model.expectation({"payments": {"A1"}})
    assert expect["app"]["payments"]["A1"]["sync"] == {"status": "failed"}
    assert expect["qbd_counts"]["ReceivePayment[RefNumber=A1]"] == 0
    assert "ReceivePayment" not in expect["qbd_counts"]  # totals only when nothing is held


def test_a_record_whose_later_write_failed_may_stay_in_quickbooks():
    """A customer whose CustomerMod was refused (permission, 3260) is held as failed, but
    its earlier Add stands: it is not required to be absent from QuickBooks."""
    app = {
        "customers": [
            {"name": "Acme Plumbing", "sync": {"status": "failed", "error": "3260: no"}},
            {
                "name": "Bay Electric",
                "sync": {"status": "failed", "error": "3260: no", "external_id": "80000002-1"},
            },
        ]
    }
    held, silent = visibly_failed(app)
    assert silent == []
    expect = Model().expectation(held)
    assert expect["qbd_counts"]["Customer[Name=Acme Plumbing]"] == 0
    assert "Customer[Name=Bay Electric]" not in expect["qbd_counts"]
    assert expect["app"]["customers"]["Bay Electric"]["sync"] == {"status": "failed"}


def test_quickbooks_customer_edits_are_expected_on_both_sides_while_known():
    model = Model()
    model.observe(edit_qbd_customer(model, 0, 2))  # phone and address
    expect = model.expectation()
    acme = expect["qbd"]["Customer"]["Acme Plumbing"]
    assert acme["Phone"] == "555-0102"
    assert acme["BillAddress"] == {"Addr1": "1 Harbor Rd"}
    assert expect["app"]["customers"]["Acme Plumbing"]["phone"] == "555-0102"
    # The app-led world never brings QuickBooks' phone into the app.
    assert (
        "phone"
        not in Model(pulls_customers=False).expectation()["app"]["customers"]["Acme Plumbing"]
    )
    # Once the app edits it, its CustomerMod may carry a phone QuickBooks changed since (the
    # app master wins a conflict): the phone is no longer known; the address still is.
    model.observe({"app.edit_customer": {"name": "Acme Plumbing", "email": "a@example.com"}})
    expect = model.expectation()
    acme = expect["qbd"]["Customer"]["Acme Plumbing"]
    assert "Phone" not in acme and acme["Email"] == "a@example.com"
    assert acme["BillAddress"] == {"Addr1": "1 Harbor Rd"}
    assert "phone" not in expect["app"]["customers"]["Acme Plumbing"]


def test_an_invoice_deleted_in_the_app_is_expected_gone_unless_its_deletion_was_refused():
    model = Model()
    model.observe(create_invoice(model, 0, 0))
    model.observe({"app.delete_invoice": {"number": "1001"}})
    expect = model.expectation()
    assert expect["qbd_counts"]["Invoice[RefNumber=1001]"] == 0
    assert expect["app_counts"]["invoices[number=1001]"] == 0
    assert expect["qbd_counts"]["Invoice"] == 0
    issue = {"entity": "invoice", "side": "qbd", "reference": "8-1", "error": "3171: closed"}
    held, _ = visibly_failed({"sync_issues": [issue]})
    expect = model.expectation(held)
    assert "qbd_counts" not in expect  # neither that invoice's count nor the total
    assert expect["app_counts"]["invoices[number=1001]"] == 0


def test_every_rule_names_a_known_area():
    assert {spec.area for spec in RULES} <= set(AREAS)


def test_select_narrows_to_areas_and_rules_and_always_keeps_the_syncs():
    chosen = select({"payments", "clock_jump"})
    kinds = {spec.name: (spec.area, spec.kind) for spec in chosen}
    assert "app_record_payment" in kinds and "clock_jump" in kinds
    assert "app_create_invoice" not in kinds and "clock_advance" not in kinds
    assert {"sync", "concurrent_sync", "same_user_concurrent_sync"} <= set(kinds)
    assert {area for area, kind in kinds.values() if kind != "sync"} == {"payments", "clock"}
    assert select() == RULES


def test_select_refuses_a_name_that_is_neither_area_nor_rule():
    with pytest.raises(UnknownRules, match="unknown area or rule paymnts; areas: invoices"):
        select({"paymnts"})


def test_a_quickbooks_invoice_edit_lowers_its_total_on_both_sides():
    model = _one_invoice_in_qbd()
    raw = edit_qbd_invoice(model, 0, 1)
    assert raw["qbd.edit_invoice"]["lines"][0]["rate"] == "70.00"  # 100 - 30
    assert raw["qbd.edit_invoice"]["lines"][0]["item"] == "Services"
    model.observe(raw)
    expect = model.expectation()
    assert expect["app"]["invoices"]["1001"]["total"] == "70.00"
    assert expect["app"]["invoices"]["1001"]["balance"] == "70.00"
    assert expect["qbd"]["Invoice"]["1001"] == {"Subtotal": "70.00", "BalanceRemaining": "70.00"}


def test_quickbooks_edits_only_unpaid_invoices_it_has_in_a_world_that_pulls_them():
    model = _one_invoice_in_qbd()
    assert has_qbd_editable_invoices(model)
    model.in_qbd = set()
    assert not has_qbd_editable_invoices(model)  # not in QuickBooks yet
    model.in_qbd = {"1001"}
    model.observe(record_payment(model, 0, 0))
    assert not has_qbd_editable_invoices(model)  # paid: IVC-05 is about unpaid invoices
    app_led = Model(pulls_customers=False)
    app_led.observe(create_invoice(app_led, 0, 0))
    app_led.in_qbd = {"1001"}
    assert not has_qbd_editable_invoices(app_led)  # invoices never come back from QuickBooks


def test_an_invoice_edited_in_quickbooks_after_the_app_is_not_judged_until_the_app_edits_again():
    """App then QuickBooks: whether the app's edit reached QuickBooks before (QuickBooks'
    lines win) or both met in one sync (the app, the master, wins) depends on the faults."""
    model = _one_invoice_in_qbd()
    model.observe(edit_invoice(model, 0, 0))  # 150.00 in the app
    model.observe(edit_qbd_invoice(model, 0, 0))  # 140.00 in QuickBooks
    expect = model.expectation()
    assert expect["app"]["invoices"]["1001"] == {"sync": {"status": "synced"}}
    assert "Invoice" not in expect.get("qbd", {})
    assert expect["qbd_counts"]["Invoice[RefNumber=1001]"] == 1
    assert not has_open_invoices(model)  # no payment on a total nobody knows
    assert not has_qbd_editable_invoices(model)
    model.observe(edit_invoice(model, 0, 1))  # the app's lines win either way
    assert model.expectation()["app"]["invoices"]["1001"]["total"] == "260.00"  # 140 + 120
    assert has_open_invoices(model)


def test_an_app_edit_after_a_quickbooks_edit_wins():
    model = _one_invoice_in_qbd()
    model.observe(edit_qbd_invoice(model, 0, 0))  # 90.00 in QuickBooks
    model.observe(edit_invoice(model, 0, 0))  # 140.00 in the app: the master
    expect = model.expectation()
    assert expect["qbd"]["Invoice"]["1001"]["Subtotal"] == "140.00"
    assert expect["app"]["invoices"]["1001"]["total"] == "140.00"


def test_a_customer_deleted_in_the_app_is_expected_gone_from_the_app_only():
    model = Model()
    model.observe(create_invoice(model, 1, 0))  # Bay Electric has an invoice: not deletable
    assert delete_customer(model, 1, 0) is None  # Acme Plumbing not in QuickBooks yet
    model.customers_in_qbd = {"Acme Plumbing", "Bay Electric"}
    raw = delete_customer(model, 1, 0)
    assert raw == {"app.delete_customer": {"name": "Acme Plumbing"}}
    model.observe(raw)
    assert delete_customer(model, 0, 0) is None
    assert create_invoice(model, 0, 0)["app.create_invoice"]["customer"] == "Bay Electric"
    expect = model.expectation()
    assert expect["app_counts"]["customers[name=Acme Plumbing]"] == 0
    assert "Acme Plumbing" not in expect["app"]["customers"]
    # QuickBooks keeps it if a sync took it there first: its count, and the total, unjudged.
    assert "Acme Plumbing" not in expect["qbd"]["Customer"]
    assert "Customer" not in expect["qbd_counts"]
    assert "Customer[Name=Acme Plumbing]" not in expect["qbd_counts"]
    assert "Bay Electric" in expect["qbd"]["Customer"]


def test_a_quickbooks_edit_is_aimed_at_a_customer_the_app_edited_since_the_last_sync():
    model = Model()
    model.customers_in_qbd = {"Acme Plumbing", "Bay Electric"}
    assert not has_edited_in_app_in_qbd(model)
    model.observe({"app.edit_customer": {"name": "Bay Electric", "email": "b@example.com"}})
    assert has_edited_in_app_in_qbd(model)
    raw = edit_qbd_customer_edited_in_app(model, 0, 0)
    assert raw == {"qbd.edit_customer": {"name": "Bay Electric", "phone": "555-0100"}}
    model.observe(raw)
    assert not has_edited_in_app_in_qbd(model)  # met once: the next app edit aims it again
    model.observe({"app.edit_customer": {"name": "Bay Electric", "email": "b2@example.com"}})
    assert has_edited_in_app_in_qbd(model)
    model.observe("sync")
    assert not has_edited_in_app_in_qbd(model)
    model.observe({"app.edit_customer": {"name": "Bay Electric", "email": "c@example.com"}})
    model.observe({"concurrent_sync": {"web_connectors": ["default", "front-desk"]}})
    assert not has_edited_in_app_in_qbd(model)
    model.observe({"app.edit_customer": {"name": "Acme Plumbing", "email": "a@example.com"}})
    model.customers_in_qbd = {"Bay Electric"}
    assert not has_edited_in_app_in_qbd(model)  # not in QuickBooks (as last seen)


def test_an_app_edit_is_aimed_at_a_customer_quickbooks_edited_since_the_last_sync():
    model = Model()
    assert not has_edited_in_qbd(model)
    model.observe(edit_qbd_customer(model, 1, 0))  # Bay Electric's phone
    assert has_edited_in_qbd(model)
    raw = edit_customer_edited_in_qbd(model, 0, 3)
    assert raw == {"app.edit_customer": {"name": "Bay Electric", "email": "billing3@example.com"}}
    model.observe(raw)
    assert not has_edited_in_qbd(model)  # met once
    model.observe(edit_qbd_customer(model, 1, 0))
    model.observe({"sync": {"web_connector": "office-2"}})
    assert not has_edited_in_qbd(model)  # a sync came between
