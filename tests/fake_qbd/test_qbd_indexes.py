"""Derived indexes (names, balances, quantities) are a speed-up only: answers after a change
are the same as without them, however often the same query was asked before."""

from __future__ import annotations

from harness.clock import SimClock
from harness.fake_qbd import QBDCompany


def _balance(company: QBDCompany, name: str) -> str:
    customer = company.find_by_name("Customer", name)
    assert customer is not None
    return str(company.customer_total_balance(customer))


def test_balances_follow_payments_after_repeated_reads() -> None:
    company = QBDCompany(clock=SimClock())
    op = company.operator
    op.add_customer("Acme")
    op.add_customer("Site A", parent="Acme")
    op.add_item("service", "Labor", price="100.00")
    op.create_invoice("Acme:Site A", [{"item": "Labor", "quantity": 2}], ref_number="1")
    for _ in range(3):  # the index is built on the second read and reused on the third
        assert _balance(company, "Acme") == "200.00"
    op.receive_payment("Acme:Site A", "150.00", applied_to=[{"invoice": "1", "amount": "150"}])
    assert _balance(company, "Acme") == "50.00"
    assert _balance(company, "acme:site a") == "50.00"
    op.void_payment(ref_number=None, txn_id=company.snapshot()["ReceivePayment"][0]["TxnID"])
    assert _balance(company, "Acme") == "200.00"


def test_names_follow_renames_of_a_parent() -> None:
    company = QBDCompany(clock=SimClock())
    op = company.operator
    op.add_customer("Acme")
    op.add_customer("Site A", parent="Acme")
    assert company.find_by_name("Customer", "ACME:SITE A") is not None
    op.rename("Customer", "Acme", "Acme Corp")
    assert company.find_by_name("Customer", "Acme:Site A") is None
    assert company.find_by_name("Customer", "acme corp:site a") is not None
    op.add_customer("Acme")  # the old name is free again
    assert company.find_by_name("Customer", "Acme") is not None


def test_quantities_follow_invoices_after_repeated_reads() -> None:
    company = QBDCompany(clock=SimClock())
    op = company.operator
    op.add_customer("Acme")
    op.add_item("inventory", "Filter", price="12.50", quantity_on_hand=10)
    item = company.find_by_name("Item", "Filter")
    assert item is not None
    for _ in range(3):
        assert company.quantity_on_hand(item) == 10
    op.create_invoice("Acme", [{"item": "Filter", "quantity": 3}], ref_number="7")
    assert company.quantity_on_hand(item) == 7
    op.void_invoice("7")
    assert company.quantity_on_hand(item) == 10
