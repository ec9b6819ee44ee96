"""Invoices and payments in-process: balances, statuses, history, refusals."""

from __future__ import annotations

import pytest

from harness.clock import SimClock
from harness.fake_fieldservice import (
    FieldServiceApp,
    InvalidRequest,
    RuleViolation,
    UnknownPaymentMode,
)


def world() -> FieldServiceApp:
    app = FieldServiceApp(clock=SimClock())
    app.create_customer("Acme Plumbing", email="ap@example.com")
    app.create_invoice(
        "Acme Plumbing",
        [{"description": "Water heater repair", "quantity": "2", "rate": "62.50"}],
        number="1001",
    )
    return app


def test_invoice_total_and_initial_state() -> None:
    invoice = world().invoice("1001")
    assert invoice["total"] == "125.00"
    assert invoice["balance"] == "125.00"
    assert invoice["status"] == "open"
    assert invoice["due_date"] == "2026-02-04"  # net 30 from the clock's 2026-01-05
    assert invoice["sync"]["status"] == "not_synced"
    assert invoice["lines"][0]["amount"] == "125.00"


def test_default_payment_modes_are_a_constructor_option() -> None:
    names = [m["name"] for m in FieldServiceApp().snapshot()["payment_modes"]]
    assert names == ["Cash", "Online", "Check", "Credit Card"]
    custom = FieldServiceApp(payment_modes=["Cash"])
    assert [m["name"] for m in custom.snapshot()["payment_modes"]] == ["Cash"]
    custom.create_customer("A")
    custom.create_invoice("A", [{"description": "x", "rate": "1.00"}], number="1")
    with pytest.raises(UnknownPaymentMode):
        custom.record_payment("1.00", "Online", invoice="1")
    custom.create_payment_mode("Online")
    assert custom.record_payment("1.00", "Online", invoice="1")["mode"] == "Online"


def test_partial_payments_add_up_then_pay_in_full() -> None:
    app = world()
    app.record_payment("25.00", "Cash", invoice="1001")
    assert app.invoice("1001")["status"] == "partially_paid"
    assert app.invoice("1001")["balance"] == "100.00"
    app.record_payment("100.00", "Online", invoice="1001")
    invoice = app.invoice("1001")
    assert (invoice["balance"], invoice["status"]) == ("0.00", "paid")
    assert [p["mode"] for p in invoice["payments"]] == ["Cash", "Online"]


def test_overpayment_leaves_unapplied_credit() -> None:
    app = world()
    payment = app.record_payment("150.00", "Check", invoice="1001", reference="chk 77")
    assert payment["applications"][0]["amount"] == "125.00"
    assert payment["unapplied"] == "25.00"
    assert app.invoice("1001")["status"] == "paid"


def test_split_payment_over_two_invoices() -> None:
    app = world()
    app.create_invoice("Acme Plumbing", [{"description": "Visit", "rate": "80.00"}], number="1002")
    app.record_payment("150.00", "Cash", applications={"1001": "100.00", "1002": "50.00"})
    assert app.invoice("1001")["balance"] == "25.00"
    assert app.invoice("1002")["balance"] == "30.00"
    assert len(app.payments_for("1002")) == 1


def test_unknown_mode_is_refused_and_nothing_changes() -> None:
    app = world()
    before = app.snapshot()
    with pytest.raises(UnknownPaymentMode) as caught:
        app.record_payment("10.00", "Bitcoin", invoice="1001")
    assert caught.value.status == 422
    assert "Bitcoin" in caught.value.message
    assert app.snapshot() == before


def test_applications_may_not_exceed_payment_or_balance() -> None:
    app = world()
    with pytest.raises(RuleViolation) as over_applied:
        app.record_payment("10.00", "Cash", applications={"1001": "20.00"})
    assert over_applied.value.code == "over_applied"
    with pytest.raises(RuleViolation) as over_balance:
        app.record_payment("200.00", "Cash", applications={"1001": "130.00"})
    assert over_balance.value.code == "exceeds_balance"
    assert app.payments_for("1001") == []


def test_void_restores_balance_and_stays_in_history() -> None:
    app = world()
    payment = app.record_payment("125.00", "Cash", invoice="1001")
    assert app.invoice("1001")["status"] == "paid"
    app.void_payment(payment["id"])
    invoice = app.invoice("1001")
    assert (invoice["balance"], invoice["status"]) == ("125.00", "open")
    assert invoice["payments"][0]["status"] == "voided"


def test_failed_payment_reopens_invoice() -> None:
    app = world()
    payment = app.record_payment("125.00", "Credit Card", invoice="1001", reference="ch_1")
    failed = app.fail_payment("ch_1", reason="card declined")
    assert failed["status"] == "failed"
    assert failed["status_reason"] == "card declined"
    assert app.invoice("1001")["status"] == "open"
    with pytest.raises(RuleViolation) as caught:
        app.edit_payment(payment["id"], amount="10.00")
    assert caught.value.code == "payment_not_active"


def test_edit_payment_records_history() -> None:
    app = world()
    payment = app.record_payment("50.00", "Cash", invoice="1001")
    edited = app.edit_payment(payment["id"], amount="60.00", mode="Online", invoice="1001")
    assert edited["amount"] == "60.00"
    assert edited["applications"] == [
        {"invoice_id": edited["applications"][0]["invoice_id"], "amount": "60.00"}
    ]
    last = edited["history"][-1]
    assert last["event"] == "edited"
    assert last["changes"]["amount"] == {"from": "50.00", "to": "60.00"}
    assert last["changes"]["mode"] == {"from": "Cash", "to": "Online"}
    assert app.invoice("1001")["balance"] == "65.00"


def test_edit_amount_below_applied_is_refused() -> None:
    app = world()
    payment = app.record_payment("50.00", "Cash", invoice="1001")
    with pytest.raises(RuleViolation):
        app.edit_payment(payment["id"], amount="40.00")
    assert app.payment(payment["id"])["amount"] == "50.00"


def test_paying_a_void_invoice_is_refused() -> None:
    app = world()
    app.void_invoice("1001")
    assert app.invoice("1001")["status"] == "void"
    with pytest.raises(RuleViolation) as caught:
        app.record_payment("5.00", "Cash", applications={"1001": "5.00"})
    assert caught.value.code == "invoice_void"


def test_voiding_an_invoice_frees_its_payments_as_credit() -> None:
    app = world()
    payment = app.record_payment("40.00", "Cash", invoice="1001")
    app.void_invoice("1001")
    freed = app.payment(payment["id"])
    assert freed["applications"] == []
    assert freed["unapplied"] == "40.00"
    assert freed["history"][-1]["event"] == "invoice 1001 voided"


def test_delete_invoice() -> None:
    app = world()
    app.delete_invoice("1001")
    with pytest.raises(Exception, match="no invoice numbered"):
        app.invoice("1001")
    snap = app.snapshot()
    assert [i["number"] for i in snap["deleted_invoices"]] == ["1001"]
    assert snap["changes"][-1]["op"] == "delete"


def test_duplicate_invoice_number_and_auto_numbers() -> None:
    app = world()
    with pytest.raises(Exception, match="already used"):
        app.create_invoice("Acme Plumbing", [], number="1001")
    auto = app.create_invoice("Acme Plumbing", [])
    assert auto["number"] == "1002"  # 1001 is taken, so auto-numbering skips it
    assert (auto["total"], auto["status"]) == ("0.00", "paid")


def test_sync_manual_payments_setting_and_override() -> None:
    app = world()
    app.set_setting("sync_manual_payments", False)
    skipped = app.record_payment("5.00", "Cash", invoice="1001")
    assert (skipped["sync_to_qbd"], skipped["sync"]["status"]) == (False, "skipped")
    forced = app.record_payment("5.00", "Cash", invoice="1001", sync_to_qbd=True)
    assert (forced["sync_to_qbd"], forced["sync"]["status"]) == (True, "not_synced")
    now = app.sync_now("payment", skipped["id"])
    assert (now["status"], now["requested"]) == ("not_synced", "sync")
    assert app.payment(skipped["id"])["sync_to_qbd"] is True


def test_bad_input_gets_clear_errors() -> None:
    app = world()
    with pytest.raises(InvalidRequest, match="decimal"):
        app.record_payment("ten", "Cash", invoice="1001")
    with pytest.raises(InvalidRequest, match="two decimal"):
        app.record_payment("1.005", "Cash", invoice="1001")
    with pytest.raises(InvalidRequest, match="date"):
        app.record_payment("1.00", "Cash", invoice="1001", date="yesterday")
    with pytest.raises(Exception, match="no customer named"):
        app.create_invoice("Nobody", [])


def test_customers_archive_and_unique_names() -> None:
    app = world()
    assert app.archive_customer("Acme Plumbing")["archived"] is True
    with pytest.raises(Exception, match="already exists"):
        app.create_customer("ACME plumbing")
    fake = app.create_customer()
    again = FieldServiceApp(seed=0).create_customer()
    assert fake["name"] == again["name"]  # seeded Faker names are reproducible


def test_edit_full_payment_upward_reapplies_to_same_invoice() -> None:
    app = world()
    payment = app.record_payment("125.00", "Cash", invoice="1001")
    edited = app.edit_payment(payment["id"], amount="130.00", invoice="1001")
    assert edited["applications"][0]["amount"] == "125.00"
    assert edited["unapplied"] == "5.00"
    assert app.invoice("1001")["status"] == "paid"


def test_paid_invoice_cannot_go_back_to_draft() -> None:
    app = world()
    app.record_payment("5.00", "Cash", invoice="1001")
    with pytest.raises(RuleViolation) as caught:
        app.edit_invoice("1001", draft=True)
    assert caught.value.code == "invoice_has_payments"


def test_delete_customer_only_when_unused() -> None:
    app = world()
    with pytest.raises(RuleViolation) as caught:
        app.delete_customer("Acme Plumbing")
    assert caught.value.code == "customer_in_use"
    app.create_customer("Walk-in")
    app.delete_customer("Walk-in")
    assert [c["name"] for c in app.snapshot()["customers"]] == ["Acme Plumbing"]
    assert app.snapshot()["changes"][-1]["op"] == "delete"


def test_in_process_misuse_gets_clear_errors() -> None:
    app = world()
    with pytest.raises(InvalidRequest, match="map invoice numbers"):
        app.record_payment("5.00", "Cash", applications=["1001"])
    with pytest.raises(InvalidRequest, match="either invoice or applications"):
        app.record_payment("5.00", "Cash", invoice="1001", applications={"1001": "5.00"})


def test_zero_payment_only_from_quickbooks() -> None:
    app = world()
    customer = app.customer("Acme Plumbing")["id"]
    with pytest.raises(InvalidRequest, match="more than zero"):
        app.record_payment("0.00", "Cash", customer="Acme Plumbing")
    zero = app.backend.create_payment("0.00", "Cash", customer_id=customer, origin="qbd")
    assert zero.to_dict()["amount"] == "0.00"


def test_paying_a_paid_invoice_leaves_credit_for_its_customer() -> None:
    app = world()
    app.record_payment("125.00", "Cash", invoice="1001")
    extra = app.record_payment("20.00", "Cash", invoice="1001")
    assert (extra["applications"], extra["unapplied"]) == ([], "20.00")
    assert extra["customer_id"] == app.customer("Acme Plumbing")["id"]
