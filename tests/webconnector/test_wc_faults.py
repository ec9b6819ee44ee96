"""Named fault injection: each fault ends the session the way the real client would."""

from __future__ import annotations

from datetime import datetime

import pytest
from wc_support import ScriptedQbwcServer, StandInQuickBooks, qwc_text

from harness.clock import SimClock
from harness.webconnector import FaultError, Faults, QwcFile, WebConnector, WsgiTransport


def make_wc(server, faults, qb=None, clock=None):
    return WebConnector(
        qwc=QwcFile.load(qwc_text()),
        password="pw",
        quickbooks=qb or StandInQuickBooks(),
        transport=WsgiTransport(server),
        clock=clock or SimClock(),
        faults=faults,
    )


def test_drop_after_apply_applies_in_quickbooks_but_connector_never_hears():
    server = ScriptedQbwcServer(requests=["<Add1/>"])
    qb = StandInQuickBooks()
    wc = make_wc(server, Faults().drop_after_apply(nth=1), qb)
    transcript = wc.run_session()
    assert qb.requests == ["<Add1/>"]  # applied
    assert "receiveResponseXML" not in server.methods  # never delivered
    assert transcript.methods()[-1] == "receiveResponseXML"
    assert transcript.outcome.code == "QBWC1042"
    assert "Unable to connect" in transcript.outcome.message
    # spent: the next run is clean
    server.requests[:] = ["<Add1/>"]
    server.__post_init__()
    assert wc.run_session().outcome.status == "completed"


def _rq(*types: str) -> str:
    body = "".join(f'<{t}Rq requestID="{i}"/>' for i, t in enumerate(types, 1))
    return f"<QBXML><QBXMLMsgsRq onError='stopOnError'>{body}</QBXMLMsgsRq></QBXML>"


def test_drop_after_apply_aimed_at_a_request_type_counts_only_requests_of_that_type():
    requests = [_rq("CustomerQuery"), _rq("InvoiceAdd"), _rq("CustomerQuery"), _rq("InvoiceAdd")]
    server = ScriptedQbwcServer(requests=list(requests))
    qb = StandInQuickBooks()
    faults = Faults().drop_after_apply(request="InvoiceAdd", nth=2)
    transcript = make_wc(server, faults, qb).run_session()
    assert qb.requests == requests  # all four applied, the second InvoiceAdd too
    assert server.methods.count("receiveResponseXML") == 3  # its answer never arrived
    assert transcript.outcome.code == "QBWC1042"
    assert faults.rules[0].fired == 1
    assert "after InvoiceAdd #2" in faults.rules[0].describe()


def test_drop_after_apply_aimed_at_a_request_type_never_fires_on_other_requests():
    server = ScriptedQbwcServer(requests=[_rq("CustomerQuery"), _rq("CustomerAdd")])
    faults = Faults().drop_after_apply(request="InvoiceAdd")
    assert make_wc(server, faults).run_session().outcome.status == "completed"
    assert [r.kind for r in faults.unfired()] == ["drop_before_call"]


def test_drop_before_authenticate_is_qbwc1012():
    server = ScriptedQbwcServer()
    transcript = make_wc(server, Faults().drop_before_call("authenticate")).run_session()
    assert server.methods == ["serverVersion", "clientVersion"]
    assert transcript.outcome.code == "QBWC1012"


def test_drop_after_call_reaches_server_but_answer_is_lost():
    server = ScriptedQbwcServer(requests=["<A/>", "<B/>"])
    qb = StandInQuickBooks()
    transcript = make_wc(
        server, Faults().drop_after_call("sendRequestXML", nth=2), qb
    ).run_session()
    assert server.methods.count("sendRequestXML") == 2
    assert qb.requests == ["<A/>"]
    assert transcript.outcome.code == "QBWC1041"


@pytest.mark.parametrize(
    ("faults", "hresult"),
    [
        (Faults().quickbooks_not_running(), "0x80040408"),
        (Faults().quickbooks_busy(), "0x80040414"),
        (Faults().company_unavailable(0x80040410, "open in another mode"), "0x80040410"),
    ],
)
def test_quickbooks_unreachable_calls_connection_error(faults, hresult):
    server = ScriptedQbwcServer(requests=["<A/>"])
    qb = StandInQuickBooks()
    wc = make_wc(server, faults, qb)
    transcript = wc.run_session()
    assert server.methods == [
        "serverVersion",
        "clientVersion",
        "authenticate",
        "connectionError",
        "closeConnection",
    ]
    assert server.calls("connectionError")[0].args["hresult"] == hresult
    assert server.calls("connectionError")[0].args["ticket"] == "TICKET-1"
    assert transcript.outcome.code == "QBWC1013"
    assert qb.requests == []
    assert wc.run_session().outcome.status == "completed"


def test_connection_error_retry_after_transient_failure():
    server = ScriptedQbwcServer(
        requests=["<A/>"], answers={"connectionError": r"C:\Company Files\Acme.QBW"}
    )
    transcript = make_wc(server, Faults().quickbooks_not_running()).run_session()
    assert transcript.outcome.status == "completed"
    assert server.methods.count("connectionError") == 1


def test_qbxml_parse_error_on_nth_request():
    server = ScriptedQbwcServer(requests=["<A/>", "<B/>"])
    qb = StandInQuickBooks()
    transcript = make_wc(server, Faults().qbxml_parse_error(nth=2), qb).run_session()
    assert qb.requests == ["<A/>"]
    second = server.calls("receiveResponseXML")[1].args
    assert (second["response"], second["hresult"]) == ("", "0x80040400")
    assert transcript.qbxml[1].note.startswith("fault qbxml_parse_error")


def test_quickbooks_busy_mid_session_aimed_at_a_request_type():
    requests = [_rq("CustomerQuery"), _rq("InvoiceAdd"), _rq("InvoiceAdd")]
    server = ScriptedQbwcServer(requests=list(requests))
    qb = StandInQuickBooks()
    faults = Faults().quickbooks_busy_mid_session(request="InvoiceAdd", nth=2)
    make_wc(server, faults, qb).run_session()
    assert qb.requests == requests[:2]  # the second InvoiceAdd never reached QuickBooks
    third = server.calls("receiveResponseXML")[2].args
    assert (third["response"], third["hresult"]) == ("", "0x80040414")
    assert "modal dialog" in third["message"]
    assert faults.unfired() == []
    assert faults.rules[0].describe() == "fault quickbooks_busy_mid_session on InvoiceAdd #2"


def test_a_request_fault_aimed_at_a_type_never_fires_on_other_requests():
    server = ScriptedQbwcServer(requests=[_rq("CustomerQuery"), _rq("CustomerAdd")])
    faults = Faults().quickbooks_busy_mid_session(request="InvoiceAdd")
    faults.qbxml_parse_error(request="InvoiceAdd")
    assert make_wc(server, faults).run_session().outcome.status == "completed"
    assert len(faults.unfired()) == 2


def test_clock_jump_backwards_before_a_call():
    clock = SimClock()
    server = ScriptedQbwcServer(requests=["<A/>"])
    faults = Faults().clock_jump(-3600, before="receiveResponseXML")
    transcript = make_wc(server, faults, clock=clock).run_session()
    send, receive = (
        c for c in transcript.calls if c.method in ("sendRequestXML", "receiveResponseXML")
    )
    delta = datetime.fromisoformat(receive.sim_time) - datetime.fromisoformat(send.sim_time)
    assert delta.total_seconds() == -3600
    assert any("clock moved -3600" in n.text for n in transcript.notes)


def test_times_fires_in_that_many_sessions():
    faults = Faults().quickbooks_not_running(times=2)
    wc = make_wc(ScriptedQbwcServer(requests=[]), faults)
    assert [wc.run_session().outcome.code for _ in range(3)] == ["QBWC1013", "QBWC1013", None]


def test_from_spec_builds_rules_and_rejects_bad_entries():
    faults = Faults.from_spec(
        [
            {"drop_after_apply": {"nth": 2}},
            "quickbooks_not_running",
            {"clock_jump": {"seconds": 60, "before": "authenticate"}},
            {"drop_before_call": {"method": "closeConnection"}},
        ]
    )
    assert [r.kind for r in faults.rules] == [
        "drop_before_call",
        "company_unavailable",
        "clock_jump",
        "drop_before_call",
    ]
    assert faults.rules[0].method == "receiveResponseXML" and faults.rules[0].nth == 2
    with pytest.raises(FaultError, match="unknown fault 'explode'"):
        Faults.from_spec(["explode"])
    with pytest.raises(FaultError, match="unknown web method"):
        Faults.from_spec([{"drop_before_call": {"method": "authenticat"}}])
    with pytest.raises(FaultError, match="drop_after_apply"):
        Faults.from_spec([{"drop_after_apply": {"nht": 1}}])
    with pytest.raises(FaultError, match="at least 1"):
        Faults().drop_after_apply(nth=0)
    with pytest.raises(FaultError, match="one-key mapping"):
        Faults.from_spec([{"a": 1, "b": 2}])


def test_unfired_lists_rules_that_never_happened():
    faults = Faults().drop_after_apply(nth=5).quickbooks_not_running()
    make_wc(ScriptedQbwcServer(requests=[]), faults).run_session()
    assert [r.kind for r in faults.unfired()] == ["drop_before_call"]


def test_restart_after_call_restarts_between_that_call_and_the_next_once():
    server = ScriptedQbwcServer(requests=["<Add1/>", "<Add2/>"])
    faults = Faults().restart_after_call(method="sendRequestXML", nth=2)
    seen: list[int] = []
    faults.restart_connector = lambda: seen.append(len(server.methods))
    transcript = make_wc(server, faults).run_session()
    assert transcript.outcome.status == "completed"
    # after the second sendRequestXML reached the server, before its receiveResponseXML
    calls = server.methods[: seen[0]]
    assert seen == [len(calls)] and calls[-1] == "sendRequestXML"
    assert calls.count("sendRequestXML") == 2
    assert any(
        "restart_after_call sendRequestXML #2" in getattr(e, "text", "") for e in transcript.events
    )
    server.requests[:] = ["<Add1/>", "<Add2/>"]
    server.__post_init__()
    make_wc(server, faults).run_session()
    assert len(seen) == 1  # spent


def test_restart_after_call_aimed_at_a_request_type_falls_before_its_answer():
    requests = [_rq("CustomerQuery"), _rq("InvoiceAdd"), _rq("InvoiceAdd")]
    server = ScriptedQbwcServer(requests=list(requests))
    faults = Faults().restart_after_call(request="InvoiceAdd", nth=2)
    seen: list[int] = []
    faults.restart_connector = lambda: seen.append(len(server.methods))
    make_wc(server, faults).run_session()
    # after the third sendRequestXML (the second InvoiceAdd), before its receiveResponseXML
    calls = server.methods[: seen[0]]
    assert calls.count("sendRequestXML") == 3 and calls.count("receiveResponseXML") == 2
    assert calls[-1] == "sendRequestXML"


def test_restart_after_call_without_a_connector_to_restart_is_a_fault_error():
    with pytest.raises(FaultError, match="no connector to restart"):
        Faults().restart()
    with pytest.raises(FaultError, match="unknown web method"):
        Faults().restart_after_call(method="sendRequest")
    with pytest.raises(FaultError, match="aimed at a sendRequestXML only"):
        Faults().restart_after_call(method="getLastError", request="InvoiceAdd")
