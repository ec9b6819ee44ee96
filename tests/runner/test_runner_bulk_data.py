"""Seeded bulk data: "50 customers, 200 items" is the same on every run, on both sides."""

import pytest

from harness import bulk_data
from harness.app_bulk import field_service_app
from harness.clock import SimClock
from harness.fake_fieldservice import FieldServiceApp, InvalidRequest
from harness.fake_qbd import QBDCompany
from harness.fieldservice_adapter import FieldServiceAdapter
from harness.qbd_bulk import quickbooks_company


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    assert bulk_data.customer_names(7, 20) == bulk_data.customer_names(7, 20)
    assert bulk_data.items(7, 5) == bulk_data.items(7, 5)
    assert bulk_data.customer_names(7, 20) != bulk_data.customer_names(8, 20)
    # Streams are independent: asking for more items does not change the customers.
    assert bulk_data.customer_names(7, 3) == bulk_data.customer_names(7, 30)[:3]


def test_names_are_unique_ignoring_case_and_fit_quickbooks_limits():
    names = bulk_data.customer_names(1, 300)
    assert len({n.lower() for n in names}) == 300
    assert all(0 < len(n) <= bulk_data.CUSTOMER_NAME_MAX for n in names)
    items = bulk_data.items(1, 300)
    assert len({i.name.lower() for i in items}) == 300
    assert all(len(i.name) <= bulk_data.ITEM_NAME_MAX and i.price > 0 for i in items)


def test_quickbooks_operator_generates_a_company():
    company = QBDCompany(clock=SimClock(), bulk_data=quickbooks_company)
    company.operator.generate(customers=50, items=200, invoices=20, seed=3)
    snapshot = company.snapshot()
    assert len(snapshot["Customer"]) == 50
    assert len(snapshot["ItemService"]) == 200
    assert len(snapshot["Invoice"]) == 20
    again = QBDCompany(clock=SimClock(), bulk_data=quickbooks_company)
    again.operator.generate(customers=50, items=200, invoices=20, seed=3)
    assert again.snapshot() == snapshot


def test_a_company_built_without_a_bulk_data_source_refuses_to_generate():
    company = QBDCompany(clock=SimClock())
    with pytest.raises(ValueError, match="bulk data source"):
        company.operator.generate(customers=1)
    assert company.snapshot()["Customer"] == []


def test_generating_invoices_without_customers_is_refused_before_anything_is_entered():
    company = QBDCompany(clock=SimClock(), bulk_data=quickbooks_company)
    with pytest.raises(ValueError, match="needs customers and items"):
        company.operator.generate(items=3, invoices=2)
    assert company.snapshot()["ItemService"] == []


def test_app_generates_customers_products_and_invoices():
    app = FieldServiceApp(clock=SimClock(), bulk_data=field_service_app)
    app.generate(customers=10, products=5, invoices=7, seed=3)
    snapshot = app.snapshot()
    assert len(snapshot["customers"]) == 10 and len(snapshot["invoices"]) == 7
    assert all(invoice["lines"] for invoice in snapshot["invoices"])
    again = FieldServiceApp(clock=SimClock(), bulk_data=field_service_app)
    again.generate(customers=10, products=5, invoices=7, seed=3)
    assert again.snapshot() == snapshot


def test_both_sides_draw_the_same_names_from_the_same_seed():
    company = QBDCompany(clock=SimClock(), bulk_data=quickbooks_company)
    company.operator.generate(customers=5, items=3, seed=9)
    app = FieldServiceApp(clock=SimClock(), bulk_data=field_service_app)
    app.generate(customers=5, products=3, seed=9)
    snapshot = company.snapshot()
    assert [c["name"] for c in app.snapshot()["customers"]] == [
        c["Name"] for c in snapshot["Customer"]
    ]
    assert [p["name"] for p in app.snapshot()["products"]] == [
        i["Name"] for i in snapshot["ItemService"]
    ]


def test_an_app_built_without_a_bulk_data_source_refuses_to_generate():
    app = FieldServiceApp(clock=SimClock())
    with pytest.raises(InvalidRequest, match="bulk data source"):
        app.generate(customers=1)
    assert app.snapshot()["customers"] == []


def test_the_app_refuses_invoices_without_products_before_anything_is_entered():
    app = FieldServiceApp(clock=SimClock(), bulk_data=field_service_app)
    with pytest.raises(InvalidRequest, match="needs customers and products"):
        app.generate(customers=3, invoices=2)
    assert app.snapshot()["customers"] == []


def test_the_scenario_adapter_hands_the_app_the_seeded_bulk_data():
    adapter = FieldServiceAdapter(clock=SimClock())
    adapter.generate(customers=4, seed=2)
    names = [c["name"] for c in adapter.snapshot()["customers"]]
    assert names == bulk_data.customer_names(2, 4)
