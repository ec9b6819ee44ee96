"""The session state (``connector.session_state.SessionState``) as stored with the ticket: a
ticket stored by the version before the state was typed, and before the plan-once keys
(``planned_for``, ``app_settings``) existed, continues its session unchanged."""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

from conn_support import HCP_RESPONSE, Soap, TinyApp
from lxml import etree

from connector.session_state import SessionState, count_up
from connector.store import Store, ticket_key

CUSTOMER_LIST_ID = "80000001-1767621600"
#: What the state of a ticket stored before issue 20 could not hold.
NEWER_KEYS = ("planned_for", "app_settings")


def _answer(request: str) -> str:
    """QuickBooks' answer: the customer added, every query finding nothing."""
    rq = etree.fromstring(request.encode("utf-8")).find("QBXMLMsgsRq")[0]
    tag, request_id = rq.tag.removesuffix("Rq") + "Rs", rq.get("requestID")
    if tag == "CustomerAddRs":
        status = 'statusCode="0" statusSeverity="Info" statusMessage="Status OK"'
        body = f"<CustomerRet><ListID>{CUSTOMER_LIST_ID}</ListID><EditSequence>1</EditSequence>"
        body += "<Name>Acme Plumbing</Name></CustomerRet>"
    else:
        message = quoteattr("A query request did not find a matching object in QuickBooks")
        status = f'statusCode="1" statusSeverity="Info" statusMessage={message}'
        body = ""
    return (
        f'<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><{tag} requestID="{request_id}" {status}>'
        f"{body}</{tag}></QBXMLMsgsRs></QBXML>"
    )


def _store_as_before(store: Store, ticket: str) -> dict[str, object]:
    """Rewrite the ticket's state row as the version before issue 20 wrote it: the same
    JSON object without the keys added since."""
    found = store.get_ticket(ticket)
    assert found is not None
    state = json.loads(found.state_json)
    assert "planned_for" in state  # the row really changes: the newer key was there
    old = {k: v for k, v in state.items() if k not in NEWER_KEYS}
    with store.transaction():
        store._db.execute(
            "UPDATE tickets SET state = ? WHERE ticket = ?", (json.dumps(old), ticket_key(ticket))
        )
    return old


def _finish(soap: Soap, ticket: str, request: str) -> list[str]:
    """Answer ``request`` and every later one; the request tags, in order."""
    tags = []
    while request:
        tags.append(etree.fromstring(request.encode("utf-8")).find("QBXMLMsgsRq")[0].tag)
        progress = soap.receive(ticket, _answer(request))
        assert 0 <= progress <= 100
        if progress == 100:
            break
        request = soap.send(ticket)
    return tags


def _customer_synced(app: TinyApp) -> bool:
    sync = app.records["customers"]["c1"]["sync"]
    return bool(sync["status"] == "synced" and sync["external_id"] == CUSTOMER_LIST_ID)


def test_a_ticket_stored_before_the_typed_state_continues_mid_request(
    soap_for, tiny_app: TinyApp
) -> None:
    tiny_app.add("customers", id="c1", name="Acme Plumbing")
    soap = soap_for(tiny_app)
    ticket, _ = soap.authenticate()
    request = soap.send(ticket, HCP_RESPONSE)
    assert "<CustomerAddRq" in request
    store = soap.wsgi.sessions.store
    old = _store_as_before(store, ticket)
    assert old["pending"] and old["expect_rs"] == "CustomerAddRs"  # a request is out

    tags = _finish(soap, ticket, request)

    assert tags[0] == "CustomerAddRq"
    assert _customer_synced(tiny_app)
    assert soap.text("getLastError", ticket=ticket) == ""
    assert [a.outcome for a in store.attempts(r"c:\acme.qbw", "customer", "c1")] == ["synced"]


def test_a_ticket_stored_before_the_typed_state_is_planned_at_its_first_request(
    soap_for, tiny_app: TinyApp
) -> None:
    tiny_app.add("customers", id="c1", name="Acme Plumbing")
    soap = soap_for(tiny_app)
    ticket, _ = soap.authenticate()
    store = soap.wsgi.sessions.store
    old = _store_as_before(store, ticket)
    assert "version" not in old  # authenticated, no request yet

    # Without ``planned_for`` the first sendRequestXML plans again for the file it opens.
    request = soap.send(ticket, HCP_RESPONSE)
    tags = _finish(soap, ticket, request)

    assert tags[0] == "CustomerAddRq"
    assert tags.count("CustomerAddRq") == 1  # planned again, not twice over
    assert _customer_synced(tiny_app)
    found = store.get_ticket(ticket)
    assert found is not None and found.state.get("planned_for") == r"c:\acme.qbw"


def test_a_counter_counts_up_from_what_the_state_holds_or_from_zero() -> None:
    state: SessionState = {"done": 4}
    assert (count_up(state, "done"), count_up(state, "seq"), count_up(state, "seq")) == (5, 1, 2)
    assert state == {"done": 5, "seq": 2}
