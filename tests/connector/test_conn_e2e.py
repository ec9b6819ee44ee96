"""The whole loop with the real fakes: FieldServiceApp <- connector <- WebConnector -> QBD.

Skipped when the harness components cannot be imported (they are built alongside)."""

from __future__ import annotations

import itertools

import httpx
import pytest

from connector import ConnectorSettings, make_wsgi_app

harness = pytest.importorskip("harness.webconnector", reason="harness.webconnector unavailable")
fake_app = pytest.importorskip("harness.fake_fieldservice", reason="fake_fieldservice unavailable")
fake_qbd = pytest.importorskip("harness.fake_qbd", reason="fake_qbd unavailable")
from harness.clock import SimClock  # noqa: E402

QWC = """<?xml version="1.0"?><QBWCXML><AppName>Reference</AppName><AppID></AppID>
<AppURL>http://localhost:8080/</AppURL><AppDescription>reference connector</AppDescription>
<AppSupport>http://localhost:8080/support</AppSupport><UserName>qbuser</UserName>
<OwnerID>{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}</OwnerID>
<FileID>{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}</FileID><QBType>QBFS</QBType></QBWCXML>"""


@pytest.fixture
def loop():  # type: ignore[no-untyped-def]
    clock = SimClock()
    app = fake_app.FieldServiceApp(clock=clock)
    company = fake_qbd.QBDCompany(clock=clock)
    counter = itertools.count(1)
    settings = ConnectorSettings(
        users=[{"username": "qbuser", "password": "pw"}],
        app_transport=httpx.WSGITransport(app=app.wsgi),
    )
    wsgi = make_wsgi_app(settings, clock=clock, new_ticket=lambda: f"t{next(counter)}")

    def session(faults=None):  # type: ignore[no-untyped-def]
        wc = harness.WebConnector(
            faults=faults,
            qwc=harness.QwcFile.parse(QWC.encode()),
            password="pw",
            quickbooks=company,
            transport=harness.WsgiTransport(wsgi),
            clock=clock,
        )
        return wc.run_session()

    return clock, app, company, session


def test_invoice_to_quickbooks_and_payment_back(loop) -> None:  # type: ignore[no-untyped-def]
    clock, app, company, session = loop
    app.create_customer("Acme Plumbing", email="a@example.com")
    app.create_invoice("Acme Plumbing", [{"description": "Repair", "quantity": "2", "rate": "50"}])

    first = session()
    assert first.outcome.status == "completed"
    assert first.progress[-1] == 100
    qb = company.snapshot()
    assert [c["FullName"] for c in qb["Customer"]] == ["Acme Plumbing"]
    assert [i["RefNumber"] for i in qb["Invoice"]] == ["1001"]
    assert [i["FullName"] for i in qb["ItemService"]] == ["Services"]
    invoice = app.snapshot()["invoices"][0]
    assert invoice["sync"]["status"] == "synced"
    assert invoice["sync"]["external_id"] == qb["Invoice"][0]["TxnID"]

    clock.advance(60)
    company.operator.add_payment_method("Check")
    company.operator.receive_payment(
        "Acme Plumbing", "100.00", method="Check", applied_to=[{"invoice": "1001"}]
    )
    second = session()
    assert second.outcome.status == "completed"
    payments = app.snapshot()["payments"]
    assert len(payments) == 1
    assert payments[0]["origin"] == "qbd" and payments[0]["mode"] == "Check"
    assert payments[0]["sync"]["external_id"] == company.snapshot()["ReceivePayment"][0]["TxnID"]
    assert app.snapshot()["invoices"][0]["status"] == "paid"

    third = session()  # nothing new: no second copy of the payment, no second invoice
    assert third.outcome.status == "completed"
    assert len(app.snapshot()["payments"]) == 1
    assert len(company.snapshot()["Invoice"]) == 1


@pytest.mark.parametrize("nth", [1, 2, 3, 4, 5])
def test_connection_dropped_after_quickbooks_applied_never_duplicates(loop, nth) -> None:  # type: ignore[no-untyped-def]
    clock, app, company, session = loop
    app.create_customer("Acme Plumbing")
    app.create_invoice("Acme Plumbing", [{"description": "Repair", "quantity": "1", "rate": "80"}])

    broken = session(harness.Faults().drop_after_apply(nth=nth))
    assert broken.outcome.status != "completed"
    clock.advance(300)
    healed = session()
    assert healed.outcome.status == "completed"

    qb = company.snapshot()
    assert len(qb["Customer"]) == 1
    assert len(qb["Invoice"]) == 1
    assert len(qb["ItemService"]) == 1
    snap = app.snapshot()
    assert snap["customers"][0]["sync"]["external_id"] == qb["Customer"][0]["ListID"]
    assert snap["invoices"][0]["sync"]["external_id"] == qb["Invoice"][0]["TxnID"]


def test_app_payment_goes_to_quickbooks_once(loop) -> None:  # type: ignore[no-untyped-def]
    clock, app, company, session = loop
    app.create_customer("Acme Plumbing")
    app.create_invoice("Acme Plumbing", [{"description": "Repair", "quantity": "1", "rate": "80"}])
    assert session().outcome.status == "completed"

    clock.advance(60)
    app.record_payment("30.00", "Cash", invoice="1001", reference="R-1")
    second = session()
    assert second.outcome.status == "completed"
    qb = company.snapshot()
    assert len(qb["ReceivePayment"]) == 1
    payment = qb["ReceivePayment"][0]
    assert payment["TotalAmount"] in ("30.00", 30)
    assert [m["Name"] for m in qb["PaymentMethod"]] == ["Cash"]
    assert app.snapshot()["payments"][0]["sync"]["external_id"] == payment["TxnID"]

    clock.advance(60)
    assert session().outcome.status == "completed"  # the pull sees it as already mapped
    assert len(app.snapshot()["payments"]) == 1
    assert len(company.snapshot()["ReceivePayment"]) == 1


def test_payment_deleted_in_quickbooks_is_deleted_in_the_app(loop) -> None:  # type: ignore[no-untyped-def]
    clock, app, company, session = loop
    app.create_customer("Acme Plumbing")
    app.create_invoice("Acme Plumbing", [{"description": "Repair", "quantity": "1", "rate": "80"}])
    session()
    clock.advance(60)
    company.operator.add_payment_method("Check")
    created = company.operator.receive_payment(
        "Acme Plumbing", "80.00", method="Check", applied_to=[{"invoice": "1001"}]
    )
    session()
    assert app.snapshot()["payments"][0]["status"] == "active"

    clock.advance(60)
    company.operator.delete_transaction("ReceivePayment", txn_id=created["TxnID"])
    assert session().outcome.status == "completed"
    payment = app.snapshot()["payments"][0]
    assert payment["status"] == "deleted"
    assert app.snapshot()["invoices"][0]["balance"] == "80.00"


def _two_invoices_and_a_payment(loop):  # type: ignore[no-untyped-def]
    clock, app, company, session = loop
    app.create_customer("Acme Plumbing")
    for _ in range(2):
        app.create_invoice("Acme Plumbing", [{"description": "Job", "quantity": "1", "rate": "80"}])
    session()
    clock.advance(60)
    company.operator.add_payment_method("Check")
    created = company.operator.receive_payment(
        "Acme Plumbing", "80.00", method="Check", applied_to=[{"invoice": "1001"}]
    )
    session()
    invoices = {i["number"]: i for i in app.snapshot()["invoices"]}
    assert invoices["1001"]["status"] == "paid"
    clock.advance(60)
    return created


def test_payment_voided_in_quickbooks_is_voided_in_the_app(loop) -> None:  # type: ignore[no-untyped-def]
    _clock, app, company, session = loop
    created = _two_invoices_and_a_payment(loop)
    company.operator.void_payment(txn_id=created["TxnID"])
    assert session().outcome.status == "completed"
    payment = app.snapshot()["payments"][0]
    assert payment["status"] == "voided"
    invoice = {i["number"]: i for i in app.snapshot()["invoices"]}["1001"]
    assert invoice["balance"] == "80.00"
    assert len(app.snapshot()["payments"]) == 1


def test_payment_moved_to_another_invoice_in_quickbooks(loop) -> None:  # type: ignore[no-untyped-def]
    _clock, app, company, session = loop
    created = _two_invoices_and_a_payment(loop)
    company.operator.edit_payment(
        txn_id=created["TxnID"], applied_to=[{"invoice": "1002", "amount": "80.00"}]
    )
    assert session().outcome.status == "completed"
    invoices = {i["number"]: i for i in app.snapshot()["invoices"]}
    assert invoices["1001"]["balance"] == "80.00"
    assert invoices["1002"]["status"] == "paid"
    payment = app.snapshot()["payments"][0]
    assert [a["invoice_id"] for a in payment["applications"]] == [invoices["1002"]["id"]]


def test_app_edits_reach_quickbooks_even_after_a_quickbooks_change(loop) -> None:  # type: ignore[no-untyped-def]
    clock, app, company, session = loop
    app.create_customer("Acme Plumbing", email="old@example.com")
    app.create_invoice("Acme Plumbing", [{"description": "Repair", "quantity": "1", "rate": "80"}])
    session()
    clock.advance(60)
    # Someone touches the customer in QuickBooks: our stored EditSequence is now stale.
    company.operator.rename("Customer", "Acme Plumbing", "Acme Plumbing Co")
    clock.advance(60)
    app.edit_customer("Acme Plumbing", email="new@example.com")
    app.edit_invoice("1001", lines=[{"description": "Repair", "quantity": "3", "rate": "80"}])
    transcript = session()
    assert transcript.outcome.status == "completed"
    qb = company.snapshot()
    customer = qb["Customer"][0]
    assert customer["FullName"] == "Acme Plumbing"  # the app is the master of its customers
    assert customer["Email"] == "new@example.com"
    invoice = qb["Invoice"][0]
    assert str(invoice["Subtotal"]) in ("240.00", "240")
    sent = [e.request for e in transcript.events if type(e).__name__ == "QbxmlExchange"]
    kinds = [r.split('<QBXMLMsgsRq onError="stopOnError"><')[1].split(" ")[0] for r in sent]
    # The stale EditSequence (3200) made the connector re-read and apply again (after the
    # two-way pulls, which read the QuickBooks change first and leave it to the master).
    first_mod = kinds.index("CustomerModRq")
    assert kinds[first_mod : first_mod + 4] == [
        "CustomerModRq",
        "CustomerQueryRq",
        "CustomerModRq",
        "InvoiceModRq",
    ]
    clock.advance(60)
    quiet = session()  # the feed position was stored: nothing is sent again
    sent = [e.request for e in quiet.events if type(e).__name__ == "QbxmlExchange"]
    assert not [r for r in sent if "ModRq" in r]


def test_invoice_voided_and_deleted_in_the_app(loop) -> None:  # type: ignore[no-untyped-def]
    clock, app, company, session = loop
    app.create_customer("Acme Plumbing")
    app.create_invoice("Acme Plumbing", [{"description": "A", "quantity": "1", "rate": "10"}])
    app.create_invoice("Acme Plumbing", [{"description": "B", "quantity": "1", "rate": "20"}])
    session()
    clock.advance(60)
    app.void_invoice("1001")
    app.delete_invoice("1002")
    assert session().outcome.status == "completed"
    invoices = {i["RefNumber"]: i for i in company.snapshot()["Invoice"]}
    assert "1002" not in invoices
    assert str(invoices["1001"]["Subtotal"]) in ("0.00", "0")


def _synced_app_payment(loop):  # type: ignore[no-untyped-def]
    clock, app, company, session = loop
    app.create_customer("Acme Plumbing")
    app.create_invoice("Acme Plumbing", [{"description": "Repair", "quantity": "1", "rate": "80"}])
    session()
    clock.advance(60)
    app.record_payment("30.00", "Cash", invoice="1001", reference="R-1")
    session()
    assert len(company.snapshot()["ReceivePayment"]) == 1
    clock.advance(60)
    return company.snapshot()["ReceivePayment"][0]["TxnID"]


def test_payment_edited_in_the_app_is_replaced_in_quickbooks(loop) -> None:  # type: ignore[no-untyped-def]
    clock, app, company, session = loop
    old_txn = _synced_app_payment(loop)
    app.edit_payment("R-1", amount="50.00", mode="Check", invoice="1001")
    assert session().outcome.status == "completed"
    payments = company.snapshot()["ReceivePayment"]
    assert len(payments) == 1  # the old one deleted, one new one: never two
    assert payments[0]["TxnID"] != old_txn
    assert str(payments[0]["TotalAmount"]) in ("50.00", "50")
    assert payments[0]["PaymentMethodRef"]["FullName"] == "Check"
    app_payment = app.snapshot()["payments"][0]
    assert app_payment["sync"]["external_id"] == payments[0]["TxnID"]
    clock.advance(60)
    assert session().outcome.status == "completed"  # stable: nothing more happens
    assert len(company.snapshot()["ReceivePayment"]) == 1
    assert len(app.snapshot()["payments"]) == 1
    assert app.snapshot()["payments"][0]["status"] == "active"


def test_payment_failed_in_the_app_is_reverted_in_quickbooks(loop) -> None:  # type: ignore[no-untyped-def]
    _clock, app, company, session = loop
    _synced_app_payment(loop)
    app.fail_payment("R-1", reason="card declined")
    assert session().outcome.status == "completed"
    assert company.snapshot()["ReceivePayment"] == []
    invoice = company.snapshot()["Invoice"][0]
    assert str(invoice["BalanceRemaining"]) in ("80.00", "80")
    assert app.snapshot()["payments"][0]["status"] == "failed"


def test_a_session_is_planned_once_and_reads_the_app_settings_once(loop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Plan once, settings once (issue 20): the plan made at authenticate serves the session
    when the file QuickBooks opens is the one planned for, or, at a first sync of a .qwc
    without a company file, when the store holds nothing of either; the app's settings are
    read by the plan and kept in the session state for the requests."""
    import connector.session
    from connector.app_client import AppClient

    calls: list[str] = []
    plan_session, settings = connector.session.plan_session, AppClient.settings
    monkeypatch.setattr(
        connector.session, "plan_session", lambda *a: calls.append("plan") or plan_session(*a)
    )
    monkeypatch.setattr(
        AppClient, "settings", lambda self: calls.append("settings") or settings(self)
    )
    clock, app, company, session = loop
    app.create_customer("Acme Plumbing")
    app.create_invoice("Acme Plumbing", [{"description": "Repair", "quantity": "1", "rate": "80"}])
    assert session().outcome.status == "completed"  # the first sync
    assert calls == ["plan", "settings"]

    calls.clear()
    clock.advance(60)
    app.record_payment("30.00", "Cash", invoice="1001", reference="R-1")
    app.record_payment("20.00", "Cash", invoice="1001", reference="R-2")
    assert session().outcome.status == "completed"
    assert len(company.snapshot()["ReceivePayment"]) == 2
    assert calls == ["plan", "settings"]
