"""Writes happen once: a lost answer is probed before re-adding (guide p.53), and lock
errors (3170-3180) are resent."""

from __future__ import annotations

import pytest
from conn_support import HCP_RESPONSE, TinyApp
from test_conn_flow import check, rs

from connector.sync.engine import external_guid

LIST_ID = "80000007-1767621600"
CUSTOMER_RET = (
    f"<CustomerRet><ListID>{LIST_ID}</ListID><EditSequence>5</EditSequence></CustomerRet>"
)
#: The customer a person renamed after the lost Add: found by the connector's ExternalGUID.
RENAMED_RET = (
    f"<CustomerRet><ListID>{LIST_ID}</ListID><EditSequence>6</EditSequence>"
    f"<Name>Acme Heating</Name><ExternalGUID>{external_guid('customer', 'c1')}</ExternalGUID>"
    "</CustomerRet>"
)
#: Past ticket_timeout_seconds (1800): the lost Add's session can no longer pass it on.
PAST_TIMEOUT = 1801
NOT_FOUND = 'The query request has not been fully completed. ("Acme")'


@pytest.fixture
def soap(soap_for, tiny_app: TinyApp):  # type: ignore[no-untyped-def]
    tiny_app.add("customers", id="c1", name="Acme")
    return soap_for(tiny_app, sync_payments_from_qbd=False)


def lose_first_answer(soap, schema) -> None:  # type: ignore[no-untyped-def]
    """Session 1 sends CustomerAdd, then the Web Connector dies: no answer, no close."""
    ticket, _ = soap.authenticate()
    assert check(soap.send(ticket, HCP_RESPONSE), schema).tag == "CustomerAddRq"


def test_lost_answer_is_held_while_its_session_may_pass_it_on(soap, qbxml_schema) -> None:
    """Issue 19: the Web Connector that was handed the Add may still give it to QuickBooks,
    so a session within the ticket timeout neither probes nor sends it."""
    lose_first_answer(soap, qbxml_schema)
    ticket, _ = soap.authenticate()
    assert soap.send(ticket, HCP_RESPONSE) == ""
    store = soap.wsgi.sessions.store
    assert [a.outcome for a in store.attempts(r"c:\acme.qbw", "customer", "c1")] == ["held"]


def test_lost_answer_of_an_applied_add_is_adopted(soap, tiny_app, qbxml_schema) -> None:
    lose_first_answer(soap, qbxml_schema)
    soap.wsgi.sessions.clock.advance(PAST_TIMEOUT)
    ticket, _ = soap.authenticate()
    rq = check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    assert rq.tag == "CustomerQueryRq"  # probe, not a second CustomerAdd
    assert rq.findtext("FromModifiedDate")  # what changed since, whatever its name now
    answer = rs("CustomerQueryRs", rq.get("requestID"), RENAMED_RET)
    assert soap.receive(ticket, answer) == 100
    sync = tiny_app.records["customers"]["c1"]["sync"]
    assert (sync["status"], sync["external_id"]) == ("synced", LIST_ID)
    store = soap.wsgi.sessions.store
    assert store.mapping_by_app_id(r"c:\acme.qbw", "customer", "c1").qb_id == LIST_ID
    assert [a.outcome for a in store.attempts(r"c:\acme.qbw", "customer", "c1")] == ["adopted"]


def test_lost_answer_of_an_unapplied_add_is_sent_again(soap, tiny_app, qbxml_schema) -> None:
    lose_first_answer(soap, qbxml_schema)
    soap.wsgi.sessions.clock.advance(PAST_TIMEOUT)
    ticket, _ = soap.authenticate()
    rq = check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    assert rq.tag == "CustomerQueryRq"
    progress = soap.receive(
        ticket, rs("CustomerQueryRs", rq.get("requestID"), code=500, message=NOT_FOUND)
    )
    assert 0 <= progress < 100
    rq = check(soap.send(ticket), qbxml_schema)
    assert rq.tag == "CustomerAddRq"
    assert soap.receive(ticket, rs("CustomerAddRs", rq.get("requestID"), CUSTOMER_RET)) == 100
    assert tiny_app.records["customers"]["c1"]["sync"]["external_id"] == LIST_ID
    # Answered: a third session has nothing in doubt and nothing to add.
    ticket, answer = soap.authenticate()
    assert answer == "none"


def test_lock_error_is_resent_then_succeeds(soap, tiny_app, qbxml_schema) -> None:
    ticket, _ = soap.authenticate()
    rq = check(soap.send(ticket, HCP_RESPONSE), qbxml_schema)
    locked = "The record is in use by another user (3175)."
    assert (
        soap.receive(ticket, rs("CustomerAddRs", rq.get("requestID"), code=3175, message=locked))
        < 100
    )
    assert tiny_app.records["customers"]["c1"]["sync"]["status"] == "not_synced"
    rq = check(soap.send(ticket), qbxml_schema)
    assert rq.tag == "CustomerAddRq"
    assert soap.receive(ticket, rs("CustomerAddRs", rq.get("requestID"), CUSTOMER_RET)) == 100
    assert tiny_app.records["customers"]["c1"]["sync"]["status"] == "synced"


def test_lock_error_gives_up_after_two_resends(soap, tiny_app, qbxml_schema) -> None:
    ticket, _ = soap.authenticate()
    codes = []
    progress = 0
    while progress < 100:
        rq = check(soap.send(ticket, HCP_RESPONSE if not codes else ""), qbxml_schema)
        codes.append(rq.tag)
        progress = soap.receive(
            ticket, rs("CustomerAddRs", rq.get("requestID"), code=3180, message="save error")
        )
    assert codes == ["CustomerAddRq"] * 3
    sync = tiny_app.records["customers"]["c1"]["sync"]
    assert sync["status"] == "failed" and sync["error"] == "3180: save error"
