"""Envelope rendering and raw reading: properties over arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from wc_support import NIL, OMIT, render_answer

from harness.webconnector import WsgiTransport, load_contract
from harness.webconnector.envelope import read_result, render_request

# Characters XML 1.0 can carry (the .NET writer refuses the others).
xml_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)]
        + ["\ufffe", "\uffff"],
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(ticket=xml_text, response=xml_text, hresult=xml_text, message=xml_text)
def test_request_text_round_trips_exactly(ticket, response, hresult, message):
    args = {"ticket": ticket, "response": response, "hresult": hresult, "message": message}
    body = render_request(load_contract()["receiveResponseXML"], args)
    element = etree.fromstring(body)[0][0]
    parsed = {etree.QName(c).localname: c.text or "" for c in element}
    assert parsed == args


@settings(max_examples=60, deadline=None)
@given(value=st.one_of(st.none(), xml_text))
def test_string_result_keeps_empty_and_null_apart(value):
    answer = render_answer("sendRequestXML", NIL if value is None else value)
    assert read_result(load_contract()["sendRequestXML"], answer) == value


@settings(max_examples=60, deadline=None)
@given(items=st.lists(st.one_of(st.none(), xml_text), max_size=6))
def test_array_result_keeps_every_member(items):
    answer = render_answer("authenticate", items)
    assert read_result(load_contract()["authenticate"], answer) == items


def test_missing_result_element_is_none():
    assert read_result(load_contract()["getLastError"], render_answer("getLastError", OMIT)) is None


def test_wsgi_transport_load_fetches_over_get_and_records_crashes():
    def app(environ, start_response):
        if environ["REQUEST_METHOD"] == "GET" and environ["QUERY_STRING"] == "wsdl":
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [b"<definitions/>"]
        raise RuntimeError("kaboom")

    transport = WsgiTransport(app)
    assert transport.load("http://localhost/qbwc?wsdl") == b"<definitions/>"
    reply = transport.post("http://localhost/qbwc", b"<x/>", {"Content-Type": "text/xml"})
    assert reply.status_code == 500
    assert "kaboom" in transport.errors[0]
