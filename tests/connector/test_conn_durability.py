"""A file database keeps tickets, cursors and mappings across a connector restart."""

from __future__ import annotations

from pathlib import Path

from conn_support import HCP_RESPONSE, FixedClock, Soap, TinyApp, make_settings, seeded_tickets
from lxml import etree
from test_conn_flow import (
    INVOICE_TXN_ID,
    PAYMENT_TXN_ID,
    finish_with_deletions,
    payment_ret,
    rs,
)

from connector import make_wsgi_app
from connector.store import Store


def restartable(app: TinyApp, db: Path, first_ticket: int = 1) -> Soap:
    settings = make_settings(app, db_path=str(db))
    tickets = seeded_tickets()
    for _ in range(first_ticket - 1):
        tickets()
    return Soap(make_wsgi_app(settings, clock=FixedClock(), new_ticket=tickets))


def test_restart_mid_session_and_between_sessions(
    tmp_path: Path, tiny_app: TinyApp, qbxml_schema
) -> None:
    db = tmp_path / "connector.sqlite"
    tiny_app.add("customers", id="c1", name="Acme", sync={"status": "synced"})
    before = restartable(tiny_app, db)
    store = before.wsgi.sessions.store
    store.put_mapping(r"c:\acme.qbw", "invoice", "i1", INVOICE_TXN_ID)

    ticket, _ = before.authenticate()
    request = before.send(ticket, HCP_RESPONSE)
    request_id = etree.fromstring(request.encode()).find("QBXMLMsgsRq")[0].get("requestID")

    # The connector restarts between sendRequestXML and receiveResponseXML.
    after = restartable(tiny_app, db, first_ticket=2)
    body = payment_ret(PAYMENT_TXN_ID, "2026-01-05T10:00:00-05:00", INVOICE_TXN_ID)
    assert after.receive(ticket, rs("ReceivePaymentQueryRs", request_id, body)) < 100
    finish_with_deletions(after, ticket, qbxml_schema)
    assert after.text("closeConnection", ticket=ticket) == "OK"
    assert len(tiny_app.records["payments"]) == 1

    # Another restart: the cursor and the payment mapping are still there.
    again = restartable(tiny_app, db, first_ticket=3)
    ticket2, _ = again.authenticate()
    assert ticket2 != ticket
    request = etree.fromstring(again.send(ticket2, HCP_RESPONSE).encode())
    rq = request.find("QBXMLMsgsRq")[0]
    # The stored cursor (10:00) survived; the read reaches back CLOCK_SKEW_MARGIN before it.
    assert rq.findtext("ModifiedDateRangeFilter/FromModifiedDate") == "2026-01-05T09:00:00-05:00"
    assert again.receive(ticket2, rs("ReceivePaymentQueryRs", rq.get("requestID"), body)) < 100
    finish_with_deletions(again, ticket2, qbxml_schema)
    assert len(tiny_app.records["payments"]) == 1


def test_store_uses_wal_and_rolls_back_a_failed_step(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.sqlite"))
    mode = store._db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    try:
        with store.transaction():
            store.put_mapping("co", "customer", "c1", "80000001-1")
            raise RuntimeError("crash mid-step")
    except RuntimeError:
        pass
    assert store.mapping_by_app_id("co", "customer", "c1") is None
    store.put_mapping("co", "customer", "c1", "80000001-1", "17")
    store.close()
    reopened = Store(str(tmp_path / "s.sqlite"))
    mapping = reopened.mapping_by_qb_id("co", "customer", "80000001-1")
    assert mapping is not None and (mapping.app_id, mapping.edit_sequence) == ("c1", "17")
