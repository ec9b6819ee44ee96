"""The deposit builders of connector.sync.deposits speak qbXML the fake QuickBooks accepts
(its grammar enforces qbxml130 element order: a misplaced element is a 0x80040400 parse
error), and do what PAY-14 / PAY-15 need."""

from __future__ import annotations

import pytest
from lxml import etree

from connector import ConnectorSettings
from connector.qbxml import QbxmlVersion, parse_response, render_request
from connector.qbxml import requests as rq
from connector.qbxml.responses import text_of
from connector.sync import deposits
from harness.clock import SimClock
from harness.fake_qbd import QBDCompany, RequestProcessorError

V13 = QbxmlVersion(13, 0)


@pytest.fixture
def company() -> QBDCompany:
    qbd = QBDCompany(clock=SimClock())
    qbd.operator.add_customer("Acme")
    qbd.operator.create_invoice("Acme", [{"description": "Repair", "amount": "100"}], "1001")
    return qbd


def _send(company: QBDCompany, element: etree._Element):  # type: ignore[no-untyped-def]
    [status] = parse_response(company.process(render_request(element, version=V13)))
    return status


def _payment_add(company: QBDCompany, *, applied: bool) -> etree._Element:
    customer = company.snapshot()["Customer"][0]["ListID"]
    invoice = company.snapshot()["Invoice"][0]["TxnID"]
    return rq.receive_payment_add_rq(
        "1",
        customer_list_id=customer,
        total="100",
        applications=[rq.Application(invoice, "100")] if applied else [],
        payment_method="",
        memo="App payment p1",
    )


@pytest.mark.parametrize("applied", [True, False])
def test_deposit_to_goes_where_qbxml130_wants_it(company: QBDCompany, applied: bool) -> None:
    element = deposits.with_deposit_to(_payment_add(company, applied=applied), "Checking")
    children = [child.tag for child in element.find("ReceivePaymentAdd")]
    assert children.index("DepositToAccountRef") == children.index("Memo") + 1
    status = _send(company, element)
    assert status.ok, status.error_text()
    assert text_of(status.rets[0], "DepositToAccountRef/FullName") == "Checking"


def test_a_misplaced_deposit_to_is_a_parse_error(company: QBDCompany) -> None:
    # The check above would catch a builder bug: the fake refuses the wrong order outright.
    element = _payment_add(company, applied=True)
    element.find("ReceivePaymentAdd").insert(
        0, rq._ref("DepositToAccountRef", full_name="Checking")
    )
    with pytest.raises(RequestProcessorError):
        company.process(render_request(element, version=V13))


def test_a_deposit_moves_the_payment_to_the_bank_and_can_be_found_by_its_line(
    company: QBDCompany,
) -> None:
    payment = _send(company, _payment_add(company, applied=True))
    txn_id = text_of(payment.rets[0], "TxnID")
    added = _send(
        company,
        deposits.deposit_add_rq(
            "2", bank_account="Checking", payment_txn_id=txn_id, txn_date="2026-01-05", memo="m"
        ),
    )
    assert added.ok, added.error_text()
    accounts = {a["Name"]: a["Balance"] for a in company.snapshot()["Account"]}
    assert accounts["Checking"] == "100.00"
    assert accounts["Undeposited Funds"] == "0.00"
    found = _send(company, deposits.deposit_query_rq("3", from_txn_date="2026-01-05"))
    lines = [text_of(line, "TxnID") for line in found.rets[0].iter("DepositLineRet")]
    assert lines == [txn_id]
    later = _send(company, deposits.deposit_query_rq("4", from_txn_date="2026-01-06"))
    assert later.no_match


def test_the_account_query_reports_the_type_the_check_needs(company: QBDCompany) -> None:
    status = _send(company, deposits.account_query_rq("1", full_name="Sales"))
    assert text_of(status.rets[0], "AccountType") == "Income"
    assert "Income" not in deposits.PAYMENT_ACCOUNT_TYPES
    assert _send(company, deposits.account_query_rq("2", full_name="Nope")).rets == []


def test_the_app_setting_wins_over_the_connector_setting() -> None:
    settings = ConnectorSettings(app_base_url="http://app", payments_account="Checking")
    assert deposits.payments_account(settings, {"payments_account": "Clearing"}) == "Clearing"
    assert deposits.payments_account(settings, {"payments_account": None}) == "Checking"
    plain = ConnectorSettings(app_base_url="http://app")
    assert deposits.payments_account(plain, {}) is None
    assert deposits.deposit_account(plain, {"deposit_account": "Operating"}) == "Operating"


def test_an_empty_account_name_is_refused() -> None:
    with pytest.raises(ValueError, match="payments_account"):
        ConnectorSettings(app_base_url="http://app", payments_account="")
