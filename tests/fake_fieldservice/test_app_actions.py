"""The app's public methods, adapted, are scenario actions; the runner derives arguments
from them."""

from __future__ import annotations

from harness.fake_fieldservice import FieldServiceApp
from harness.fieldservice_adapter import FieldServiceAdapter
from harness.scenario.actions import actions_of


def test_actions_are_derived_and_lookups_are_not_actions() -> None:
    actions = actions_of(FieldServiceAdapter, "app")
    for name in (
        "create_customer",
        "create_invoice",
        "record_payment",
        "edit_payment",
        "void_payment",
        "fail_payment",
        "delete_invoice",
        "archive_customer",
        "set_setting",
        "sync_now",
        "unsync",
        "inject_fault",
        "adjust_stock",
    ):
        assert name in actions, name
    for lookup in ("invoice", "customer", "payments_for", "snapshot", "payment", "changes"):
        assert lookup not in actions, lookup


def test_action_arguments_validate_like_a_scenario_step() -> None:
    model = actions_of(FieldServiceAdapter, "app")["record_payment"].args_model
    args = model.model_validate({"amount": "50.00", "mode": "Cash", "invoice": "1001"})
    app = FieldServiceApp()
    app.create_customer("Acme")
    app.create_invoice("Acme", [{"description": "x", "rate": "80.00"}], number="1001")
    app.record_payment(**args.model_dump(exclude_unset=True))
    assert app.invoice("1001")["balance"] == "30.00"


def test_edit_customer_renames_with_new_name() -> None:
    """``name`` is the key the step finds the customer by, so a rename needs its own word:
    ``app.edit_customer: {name: harbor dental, new_name: Harbor Dental}``."""
    model = actions_of(FieldServiceAdapter, "app")["edit_customer"].args_model
    args = model.model_validate({"name": "harbor dental", "new_name": "Harbor Dental"})
    app = FieldServiceApp()
    app.create_customer("harbor dental")
    app.create_customer("Lakeside Clinic")
    renamed = app.edit_customer(**args.model_dump(exclude_unset=True))
    assert renamed["name"] == "Harbor Dental"
    assert [c["name"] for c in app.snapshot()["customers"]] == ["Harbor Dental", "Lakeside Clinic"]
    assert app.changes()[-1]["op"] == "update"
