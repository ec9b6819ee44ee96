"""Whatever the web service answers, a session ends cleanly and keeps QBWC's rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from wc_support import NIL, OMIT, Reply, ScriptedQbwcServer, StandInQuickBooks, qwc_text, soap_fault

from harness.clock import SimClock
from harness.webconnector import QwcFile, WebConnector, WsgiTransport
from harness.webconnector.transcript import OUTCOME_STATUSES

PASSWORD = "Zq9-unguessable"
broken = st.sampled_from(
    [
        soap_fault("boom"),
        Reply(b"<not-xml"),
        Reply(b"x", "503 Service Unavailable", "text/plain"),
        NIL,
        OMIT,
    ]
)
words = st.sampled_from(
    [
        "",
        "nvu",
        "NONE",
        "busy",
        "NoOp",
        "Interactive mode",
        "error text",
        r"C:\Other.QBW",
        "<Rq/>",
        "done",
    ]
)
auth = st.one_of(
    broken,
    st.lists(st.one_of(st.none(), words, st.sampled_from(["0", "30", "x"])), max_size=5),
)
percent = st.one_of(broken, st.integers(-5, 120))


@settings(max_examples=80, deadline=None)
@given(
    client_version=st.one_of(broken, st.sampled_from(["", "W:warn", "E:err", "O:9.9", "zz"])),
    authenticate=auth,
    sends=st.lists(st.one_of(broken, words), min_size=1, max_size=6),
    receives=st.lists(percent, min_size=1, max_size=6),
    last_errors=st.lists(st.one_of(broken, words), min_size=1, max_size=4),
    connection_error=st.one_of(broken, words),
)
def test_any_service_behaviour_ends_cleanly(
    client_version, authenticate, sends, receives, last_errors, connection_error
):
    server = ScriptedQbwcServer(
        answers={
            "clientVersion": client_version,
            "authenticate": lambda args: authenticate,
            "sendRequestXML": list(sends) + ["<Rq/>"] * 20,
            "receiveResponseXML": list(receives),
            "getLastError": list(last_errors),
            "connectionError": connection_error,
        }
    )
    qb = StandInQuickBooks()
    wc = WebConnector(
        qwc=QwcFile.load(qwc_text()),
        password=PASSWORD,
        quickbooks=qb,
        transport=WsgiTransport(server),
        clock=SimClock(),
        max_noop_waits=3,
        max_requests=8,
    )
    transcript = wc.run_session()

    methods = transcript.methods()
    assert methods == server.methods  # no faults injected: every call reached the service
    assert transcript.outcome.status in OUTCOME_STATUSES
    assert methods[:2] == ["serverVersion", "clientVersion"]
    assert methods.count("closeConnection") <= 1
    if "closeConnection" in methods:
        assert methods[-1] == "closeConnection"
    failed = [c for c in transcript.calls if c.error is not None]
    for call in failed:
        if call.method not in ("serverVersion", "clientVersion"):
            assert call is transcript.calls[-1]  # nothing after a failed call
            assert transcript.outcome.code is not None
    # every request handed to QuickBooks went back to the service (or its call failed)
    assert len(qb.requests) == len(transcript.qbxml)
    assert methods.count("receiveResponseXML") == len(transcript.qbxml)
    # the HCP response travels once per session at most
    hcps = [c.args.get("strHCPResponse") for c in server.calls("sendRequestXML")]
    assert all(h == "" for h in hcps[1:])
    assert PASSWORD not in transcript.to_json(raw=True) + transcript.to_qbwc_log()
